/* sys.h: raw Linux x86-64 system calls for programs that use no C library
 * (the boot-time programs and the system-call tests, which also run on the
 * host's Linux). The system calls themselves are in linux_syscall.h. */
#ifndef KITE_SYS_H
#define KITE_SYS_H

#include "linux_syscall.h"

/* The runtime (rt.c). */
unsigned long rt_strlen(const char* s);
void* memcpy(void* to, const void* from, unsigned long n);
void* memset(void* to, int value, unsigned long n);
int rt_strcmp(const char* a, const char* b);
void rt_print(const char* s);     /* to fd 1 */
void rt_print_number(long value); /* decimal */
void rt_print_hex(unsigned long value);
/* The auxiliary vector's value for type (AT_RANDOM...), 0 if absent, as
 * the C library's getauxval. */
unsigned long rt_getauxval(unsigned long type);
__attribute__((noreturn)) void rt_exit(int status);
static inline unsigned long rt_rdtsc(void) {
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

/* Programs define main; _start (rt.c) calls it with argc, argv, envp. */
int main(int argc, char** argv, char** envp);

#endif
