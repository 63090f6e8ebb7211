/* translate.c: newlib's constants <-> Linux's. newlib built for a bare
 * target uses BSD-flavoured values: errno numbers above 34, the O_* flags
 * and several signal numbers differ from Linux's, which is the ABI Kite
 * speaks. The glue translates at the boundary instead of installing
 * Linux-valued headers, so newlib's own library code (which was compiled
 * with its headers) and the programs always agree with each other. */
/* ESOCKTNOSUPPORT, which socket(2) returns, is one of newlib's Linux extensions. */
#define __LINUX_ERRNO_EXTENSIONS__
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "linux.h"

#undef errno
int errno; /* the global symbol some code expects, kept equal to the reentrant one */

/* Indexed by Linux errno (1..34 are the same numbers in both). */
static const short errno_from_linux[] = {
#define ERRNO(number, name, c_name) [number] = c_name,
#include "api/errno_list.h"
#undef ERRNO
};

int port_errno_from_linux(long linux_errno) {
    if (linux_errno > 0 && linux_errno < (long)(sizeof(errno_from_linux) / sizeof(short)) &&
        errno_from_linux[linux_errno] != 0)
        return errno_from_linux[linux_errno];
    return EINVAL; /* an error newlib cannot name; never 0, so errno still says "failed" */
}

int port_fail(int error) {
    errno = error;
    *__errno() = error;
    return -1;
}

long port_result(long raw) {
    if (raw < 0 && raw > -4096)
        return port_fail(port_errno_from_linux(-raw));
    return raw;
}

struct flag_pair {
    int newlib, linux;
};
static const struct flag_pair open_flags[] = {
#define OPEN_FLAG(name, value) {O_##name, value},
#include "api/constants_list.h"
};

int port_open_flags_to_linux(int newlib_flags) {
    int result = newlib_flags & O_ACCMODE; /* 0, 1, 2 in both */
    _Static_assert(O_ACCMODE == 3 && O_RDWR == 2, "access modes as Linux's");
    for (unsigned i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); ++i)
        if (newlib_flags & open_flags[i].newlib)
            result |= open_flags[i].linux;
    return result;
}

int port_open_flags_from_linux(int linux_flags) {
    int result = linux_flags & 3;
    for (unsigned i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); ++i)
        if ((linux_flags & open_flags[i].linux) == open_flags[i].linux)
            result |= open_flags[i].newlib;
    return result;
}

/* Indexed by newlib signal number. */
static const unsigned char signal_to_linux[NSIG] = {
#define SIGNAL(number, name) [SIG##name] = number,
#include "api/signal_list.h"
#undef SIGNAL
};

int port_signal_to_linux(int newlib_signal) {
    if (newlib_signal <= 0 || newlib_signal >= NSIG)
        return 0;
    return signal_to_linux[newlib_signal];
}

int port_signal_from_linux(int linux_signal) {
    for (int s = 1; s < NSIG; ++s)
        if (signal_to_linux[s] == linux_signal && linux_signal != 0)
            return s;
    return 0;
}
