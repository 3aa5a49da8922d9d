/*
 * test.c - the test runner behind test.h.
 */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool failed;
static char tmpdir[256];

void test_fail(const char *file, int line, const char *fmt, ...)
{
	if (!failed) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(stdout, "# %s:%d: ", file, line);
		vfprintf(stdout, fmt, ap);
		fputc('\n', stdout);
		va_end(ap);
	}
	failed = true;
}

bool test_failed(void)
{
	return failed;
}

static void cleanup(void)
{
	if (tmpdir[0]) {
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "# could not remove %s\n", tmpdir);
	}
}

const char *test_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/rbm-test-XXXXXX", base && *base ? base : "/tmp");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(cleanup);
	}
	return tmpdir;
}

const char *test_write_file(const char *name, const void *data, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	return path;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int test_run(const struct test_case *cases, size_t n, int argc, char **argv)
{
	size_t passed = 0, nfailed = 0, number = 0;
	for (size_t i = 0; i < n; i++) {
		/* A test named *_child is a helper a test runs in a child process: only on request. */
		size_t nl = strlen(cases[i].name);
		bool child = nl > 6 && strcmp(cases[i].name + nl - 6, "_child") == 0;
		bool selected = argc <= 1 && !child;
		for (int a = 1; a < argc; a++)
			selected |= strcmp(argv[a], cases[i].name) == 0;
		if (!selected)
			continue;
		failed = false;
		cases[i].fn();
		number++;
		if (failed) {
			nfailed++;
			printf("not ok %zu - %s\n", number, cases[i].name);
		} else {
			passed++;
			printf("ok %zu - %s\n", number, cases[i].name);
		}
		fflush(stdout);
	}
	return nfailed ? 1 : 0;
}
