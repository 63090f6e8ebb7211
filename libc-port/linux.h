/* linux.h: the Linux x86-64 system-call interface as the port sees it:
 * the raw `syscall` instruction and Linux's numbers (shared with user/rt)
 * and the few Linux structures and constants the glue translates. Only
 * the port includes this; programs see newlib's headers. */
#ifndef KITE_PORT_LINUX_H
#define KITE_PORT_LINUX_H

#include "kite/signals.h"  /* port_signal_to_linux, port_signal_from_linux */
#include "linux_syscall.h" /* user/rt: sys6 and the SYS_* numbers */

#define linux_syscall(n, a, b, c) sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* struct stat of Linux x86-64 (144 bytes). */
struct linux_stat {
    unsigned long dev, ino, nlink;
    unsigned mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks;
    long atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
    long reserved[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "Linux x86-64 struct stat");

/* Translations (translate.c). newlib's constants are not Linux's. */
int port_errno_from_linux(long linux_errno);
int port_open_flags_to_linux(int newlib_flags);
int port_open_flags_from_linux(int linux_flags);

/* Sets errno from a -errno return and gives -1; passes other values through. */
long port_result(long raw);
/* Sets errno (the reentrant one newlib's macro reads, and the global
 * symbol) to a newlib value and gives -1. */
int port_fail(int error);

#endif
