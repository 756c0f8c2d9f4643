/* Minimal assertion helpers for the C test programs: count failures, keep going, and
 * end with the plain "N passed, N failed" line. Header-only: one test program per file. */
#ifndef ELFMOD_TEST_CHECK_H
#define ELFMOD_TEST_CHECK_H

#include "elfmod.h"

#include <stdio.h>

static unsigned long check_passed, check_failed;
static const char *check_ctx = ""; /* what is being tested, printed with a failure */

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (c) {                                                                     \
			check_passed++;                                                      \
		} else {                                                                     \
			check_failed++;                                                      \
			fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__, __LINE__,      \
				check_ctx, #c);                                              \
		}                                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                                       \
	do {                                                                                 \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
		if (a_ == b_) {                                                              \
			check_passed++;                                                      \
		} else {                                                                     \
			check_failed++;                                                      \
			fprintf(stderr, "%s:%d: [%s] %s == %s failed: 0x%llx != 0x%llx\n",   \
				__FILE__, __LINE__, check_ctx, #a, #b, a_, b_);              \
		}                                                                            \
	} while (0)

/* An elfmod call that must return exactly `want`. */
#define CHECK_RC(expr, want)                                                                 \
	do {                                                                                 \
		int r_ = (expr), w_ = (want);                                                \
		if (r_ == w_) {                                                              \
			check_passed++;                                                      \
		} else {                                                                     \
			check_failed++;                                                      \
			fprintf(stderr, "%s:%d: [%s] %s returned %d (%s), want %d (%s)\n",   \
				__FILE__, __LINE__, check_ctx, #expr, r_, elfmod_strerror(r_), \
				w_, elfmod_strerror(w_));                                    \
		}                                                                            \
	} while (0)

/* A check that says more when it fails: the rest is a printf format and its values. */
#define CHECKF(c, ...)                                                                       \
	do {                                                                                 \
		if (c) {                                                                     \
			check_passed++;                                                      \
		} else {                                                                     \
			check_failed++;                                                      \
			fprintf(stderr, "%s:%d: [%s] check failed: %s: ", __FILE__, __LINE__,     \
				check_ctx, #c);                                              \
			fprintf(stderr, __VA_ARGS__);                                        \
			fputc('\n', stderr);                                                 \
		}                                                                            \
	} while (0)

/* A diagnostic as one line (for CHECKF messages); the text lasts until the next call. */
static inline const char *check_why(const struct elfmod_diag *d)
{
	static char msg[256];

	elfmod_diag_format(d, msg, sizeof(msg));
	return msg;
}

/* Prints the summary line and gives main()'s exit code. */
static inline int check_done(const char *what)
{
	printf("%s: %lu passed, %lu failed\n", what, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
