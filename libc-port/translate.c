/* translate.c: newlib's constants <-> Linux's. newlib built for a bare
 * target uses BSD-flavoured values: errno numbers above 34, the O_* flags
 * and several signal numbers differ from Linux's, which is the ABI Kite
 * speaks. The glue translates at the boundary instead of installing
 * Linux-valued headers, so newlib's own library code (which was compiled
 * with its headers) and the programs always agree with each other. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "linux.h"

#undef errno
int errno; /* the global symbol some code expects, kept equal to the reentrant one */

/* Indexed by Linux errno; 1..34 are the same numbers in both. */
static const short errno_from_linux[] = {
    [1] = EPERM,       [2] = ENOENT,   [3] = ESRCH,      [4] = EINTR,       [5] = EIO,
    [6] = ENXIO,       [7] = E2BIG,    [8] = ENOEXEC,    [9] = EBADF,       [10] = ECHILD,
    [11] = EAGAIN,     [12] = ENOMEM,  [13] = EACCES,    [14] = EFAULT,     [16] = EBUSY,
    [17] = EEXIST,     [18] = EXDEV,   [19] = ENODEV,    [20] = ENOTDIR,    [21] = EISDIR,
    [22] = EINVAL,     [23] = ENFILE,  [24] = EMFILE,    [25] = ENOTTY,     [26] = ETXTBSY,
    [27] = EFBIG,      [28] = ENOSPC,  [29] = ESPIPE,    [30] = EROFS,      [31] = EMLINK,
    [32] = EPIPE,      [33] = EDOM,    [34] = ERANGE,    [35] = EDEADLK,    [36] = ENAMETOOLONG,
    [37] = ENOLCK,     [38] = ENOSYS,  [39] = ENOTEMPTY, [40] = ELOOP,      [42] = ENOMSG,
    [43] = EIDRM,      [61] = ENODATA, [62] = ETIME,     [71] = EPROTO,     [74] = EBADMSG,
    [75] = EOVERFLOW,  [84] = EILSEQ,  [88] = ENOTSOCK,  [95] = EOPNOTSUPP, [110] = ETIMEDOUT,
    [125] = ECANCELED,
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
    {O_APPEND, 0x400},     {O_CREAT, 0x40},    {O_TRUNC, 0x200},     {O_EXCL, 0x80},
    {O_NONBLOCK, 0x800},   {O_NOCTTY, 0x100},  {O_CLOEXEC, 0x80000}, {O_DIRECTORY, 0x10000},
    {O_NOFOLLOW, 0x20000}, {O_SYNC, 0x101000},
};

int port_open_flags_to_linux(int newlib_flags) {
    int result = newlib_flags & O_ACCMODE; /* 0, 1, 2 in both */
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
    [SIGHUP] = 1,   [SIGINT] = 2,    [SIGQUIT] = 3,  [SIGILL] = 4,   [SIGTRAP] = 5,
    [SIGABRT] = 6,  [SIGFPE] = 8,    [SIGKILL] = 9,  [SIGBUS] = 7,   [SIGSEGV] = 11,
    [SIGSYS] = 31,  [SIGPIPE] = 13,  [SIGALRM] = 14, [SIGTERM] = 15, [SIGURG] = 23,
    [SIGSTOP] = 19, [SIGTSTP] = 20,  [SIGCONT] = 18, [SIGCHLD] = 17, [SIGTTIN] = 21,
    [SIGTTOU] = 22, [SIGIO] = 29,    [SIGXCPU] = 24, [SIGXFSZ] = 25, [SIGVTALRM] = 26,
    [SIGPROF] = 27, [SIGWINCH] = 28, [SIGUSR1] = 10, [SIGUSR2] = 12,
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
