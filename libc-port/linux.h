/* linux.h: the Linux x86-64 system-call interface as the port sees it:
 * the raw `syscall` instruction, Linux's numbers (from Kite's own list)
 * and the few Linux structures and constants the glue translates. Only
 * the port includes this; programs see newlib's headers. */
#ifndef KITE_PORT_LINUX_H
#define KITE_PORT_LINUX_H

enum {
#define SYSCALL(number, name) LINUX_SYS_##name = number,
#include "syscalls/syscall_list.h"
#undef SYSCALL
    /* Calls the glue makes that Kite may not implement yet; Kite answers
     * -ENOSYS for any number it does not know. */
    LINUX_SYS_times = 100,
};

static inline long linux_syscall6(long n, long a, long b, long c, long d, long e, long f) {
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}
#define linux_syscall(n, a, b, c) linux_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

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
int port_signal_to_linux(int newlib_signal);  /* 0 if Linux has no such signal */
int port_signal_from_linux(int linux_signal); /* 0 if newlib has no such signal */

/* Sets errno from a -errno return and gives -1; passes other values through. */
long port_result(long raw);

#endif
