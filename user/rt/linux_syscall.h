/* linux_syscall.h: the raw Linux x86-64 `syscall` instruction and Linux's
 * call numbers (from the kernel's own list), for the user code that calls
 * the kernel directly: user/rt (and the tests built on it) and the newlib
 * port in libc-port/. */
#ifndef KITE_LINUX_SYSCALL_H
#define KITE_LINUX_SYSCALL_H

enum {
#define SYSCALL(number, name) SYS_##name = number,
#include "syscalls/syscall_list.h"
#undef SYSCALL
};

static inline long sys6(long n, long a, long b, long c, long d, long e, long f) {
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
static inline long sys0(long n) {
    return sys6(n, 0, 0, 0, 0, 0, 0);
}
static inline long sys1(long n, long a) {
    return sys6(n, a, 0, 0, 0, 0, 0);
}
static inline long sys2(long n, long a, long b) {
    return sys6(n, a, b, 0, 0, 0, 0);
}
static inline long sys3(long n, long a, long b, long c) {
    return sys6(n, a, b, c, 0, 0, 0);
}
static inline long sys4(long n, long a, long b, long c, long d) {
    return sys6(n, a, b, c, d, 0, 0);
}

#endif
