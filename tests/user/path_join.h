/* path_join.h: building test paths without a C library. */
#ifndef KITE_TEST_PATH_JOIN_H
#define KITE_TEST_PATH_JOIN_H

#include "check.h"

/* a + "/" + b + number (number < 0: none) into out (at least 512 bytes
 * for the tests' paths); returns out. */
__attribute__((unused)) static const char* path_join(char* out, const char* a, const char* b,
                                                     long number) {
    unsigned long n = rt_strlen(a);
    memcpy(out, a, n);
    out[n++] = '/';
    unsigned long m = rt_strlen(b);
    memcpy(out + n, b, m);
    n += m;
    if (number >= 0) {
        char digits[24];
        decimal(number, digits);
        m = rt_strlen(digits);
        memcpy(out + n, digits, m);
        n += m;
    }
    out[n] = 0;
    return out;
}

#endif
