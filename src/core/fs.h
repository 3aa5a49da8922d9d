/*
 * fs.h - reading whole files under a size limit, and finding rbm's data.
 */
#ifndef RBM_CORE_FS_H
#define RBM_CORE_FS_H

#include "diag.h"
#include "rbm.h"

#include <stddef.h>

/*
 * Reads the file at path into *out (NUL-terminated, free() it) and its
 * length into *out_len. A file larger than max bytes fails with RBM_ETOOBIG
 * before it is read. Problems go to d, naming the file.
 */
enum rbm_rc rbm_fs_read(const char *path, size_t max, char **out, size_t *out_len,
			struct rbm_diag *d);

/*
 * The folder of rbm's bundled data: $RBM_DATA_DIR if set, else ../data next
 * to the running executable, else ./data. The string is static.
 */
const char *rbm_fs_data_dir(void);

/* True when path names an existing regular file. */
bool rbm_fs_is_file(const char *path);

#endif
