/*
 * test.h - a tiny test runner (after libuv's test/task.h).
 *
 * A test file defines static void functions and lists them in a
 * TEST_LIST; TEST_MAIN runs them all, or those named on the command line,
 * and prints one TAP-style line per test ("ok 3 - name" or "not ok 3 -
 * name") with the failed check's file, line and expression. A test named
 * *_child runs only when named (a test that re-runs its program in a child
 * process uses it). tests/run.sh
 * counts the lines across every test program.
 */
#ifndef RBM_TEST_H
#define RBM_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Records a failure of the running test (only the first is printed in full). */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* True when the running test has failed. */
bool test_failed(void);
int test_run(const struct test_case *cases, size_t n, int argc, char **argv);

/* A fresh temporary directory for this test program (removed at exit). */
const char *test_tmpdir(void);
/* Writes len bytes to a new file in test_tmpdir(); returns its path (static, reused). */
const char *test_write_file(const char *name, const void *data, size_t len);
/* Reads a whole file (free() it); NULL if it cannot. */
char *test_read_file(const char *path, size_t *len);

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_INT(a, b)                                                                   \
	do {                                                                              \
		long long a_ = (long long)(a), b_ = (long long)(b);                       \
		if (a_ != b_) {                                                           \
			test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_); \
			return;                                                           \
		}                                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                                  \
	do {                                                                             \
		const char *a_ = (a), *b_ = (b);                                         \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                   \
			test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
				  a_ ? a_ : "(null)", b_ ? b_ : "(null)");               \
			return;                                                          \
		}                                                                        \
	} while (0)

/* haystack contains needle */
#define CHECK_HAS(haystack, needle)                                                       \
	do {                                                                              \
		const char *h_ = (haystack), *n_ = (needle);                              \
		if (h_ == NULL || strstr(h_, n_) == NULL) {                               \
			test_fail(__FILE__, __LINE__, "%s contains \"%s\"; it is:\n%s", #haystack, \
				  n_, h_ ? h_ : "(null)");                                \
			return;                                                           \
		}                                                                         \
	} while (0)

#define TEST_MAIN(...)                                                          \
	int main(int argc, char **argv)                                         \
	{                                                                       \
		static const struct test_case cases_[] = {__VA_ARGS__};         \
		return test_run(cases_, sizeof cases_ / sizeof *cases_, argc, argv); \
	}

#define T(fn) {#fn, fn}

#endif
