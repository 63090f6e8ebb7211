/* check.h: the harness of the C-library tests. Like tests/user/check.h,
 * but over newlib: each failed check prints file, line and errno text, and
 * the program exits with the number of failures (0: passed). The same
 * binary runs on Kite and on the build machine's Linux. */
#ifndef KITE_LIBC_CHECK_H
#define KITE_LIBC_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_count;
static int check_failures;

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        ++check_count;                                                                             \
        if (!(condition)) {                                                                        \
            ++check_failures;                                                                      \
            printf("FAIL: %s:%d: %s (errno %d: %s)\n", __FILE__, __LINE__, #condition, errno,      \
                   strerror(errno));                                                               \
        }                                                                                          \
    } while (0)

/* A call that must fail with errno `error`. */
#define CHECK_ERRNO(call, error)                                                                   \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long check_result_ = (long)(call);                                                         \
        ++check_count;                                                                             \
        if (check_result_ != -1 || errno != (error)) {                                             \
            ++check_failures;                                                                      \
            printf("FAIL: %s:%d: %s gave %ld, errno %d (%s); want -1, errno %d (%s)\n", __FILE__,  \
                   __LINE__, #call, check_result_, errno, strerror(errno), (error),                \
                   strerror(error));                                                               \
        }                                                                                          \
    } while (0)

static inline int check_finish(const char* name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    fflush(stdout);
    return check_failures != 0;
}

#endif
