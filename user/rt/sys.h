/* sys.h: raw Linux x86-64 system calls for programs that use no C library
 * (the boot-time programs and the system-call tests, which also run on the
 * host's Linux). Numbers come from the kernel's own list. */
#ifndef KITE_SYS_H
#define KITE_SYS_H

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
static inline long sys0(long n) { return sys6(n, 0, 0, 0, 0, 0, 0); }
static inline long sys1(long n, long a) { return sys6(n, a, 0, 0, 0, 0, 0); }
static inline long sys2(long n, long a, long b) { return sys6(n, a, b, 0, 0, 0, 0); }
static inline long sys3(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }
static inline long sys4(long n, long a, long b, long c, long d) { return sys6(n, a, b, c, d, 0, 0); }

/* The runtime (rt.c). */
unsigned long rt_strlen(const char* s);
void* memcpy(void* to, const void* from, unsigned long n);
void* memset(void* to, int value, unsigned long n);
int rt_strcmp(const char* a, const char* b);
void rt_print(const char* s);          /* to fd 1 */
void rt_print_number(long value);      /* decimal */
void rt_print_hex(unsigned long value);
__attribute__((noreturn)) void rt_exit(int status);
static inline unsigned long rt_rdtsc(void) {
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

/* Programs define main; _start (rt.c) calls it with argc, argv, envp. */
int main(int argc, char** argv, char** envp);

#endif
