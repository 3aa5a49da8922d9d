/*
 * fs.c - whole-file reads and the data folder.
 */
#include "fs.h"

#include "alloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum rbm_rc rbm_fs_read(const char *path, size_t max, char **out, size_t *out_len,
			struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	char *data = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rc = errno == ENOENT ? RBM_ENOENT : RBM_EIO;
		rbm_diag_add(d, path, NULL, "cannot open: %s", strerror(errno));
		goto out;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		rc = RBM_EIO;
		rbm_diag_add(d, path, NULL, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = RBM_EINVAL;
		rbm_diag_add(d, path, NULL, "is a directory, not a file");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		rc = RBM_ETOOBIG;
		rbm_diag_add(d, path, NULL, "file is %lld bytes, larger than the limit of %zu bytes",
			     (long long)st.st_size, max);
		goto out;
	}
	/* Read in chunks: st_size is not trusted (pipes, /proc, growing files). */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, len = 0;
	data = rbm_xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > max + 1) {
				rc = RBM_ETOOBIG;
				rbm_diag_add(d, path, NULL, "file is larger than the limit of %zu bytes", max);
				goto out;
			}
			cap *= 2;
			data = rbm_xrealloc(data, cap, 1);
		}
		size_t n = fread(data + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		rc = RBM_EIO;
		rbm_diag_add(d, path, NULL, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (len > max) {
		rc = RBM_ETOOBIG;
		rbm_diag_add(d, path, NULL, "file is larger than the limit of %zu bytes", max);
		goto out;
	}
	data[len] = '\0';
	*out = data;
	*out_len = len;
	data = NULL;
out:
	free(data);
	if (f)
		fclose(f);
	return rc;
}

bool rbm_fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *rbm_fs_data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("RBM_DATA_DIR");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int w = snprintf(dir, sizeof dir, "%s/../data", exe);
			if (w > 0 && (size_t)w < sizeof dir && is_dir(dir))
				return dir;
		}
	}
	return "data";
}
