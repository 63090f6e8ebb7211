/* rt.c: the smallest runtime a C program needs without a C library: the
 * entry point, exit, and a few string and output helpers. */
#include "sys.h"

/* The kernel enters with rsp pointing at argc, then argv..., NULL, envp...,
 * NULL, auxv (System V ABI); rsp is 16-byte aligned there. */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xor %ebp, %ebp\n"
        "    mov (%rsp), %rdi\n"          /* argc */
        "    lea 8(%rsp), %rsi\n"         /* argv */
        "    lea 16(%rsp,%rdi,8), %rdx\n" /* envp = argv + argc + 1 */
        "    call rt_start\n"
        "    ud2\n");

/* The auxiliary vector: (key, value) pairs after envp's NULL, up to AT_NULL. */
static unsigned long* auxv;

__attribute__((noreturn, used)) void rt_start(int argc, char** argv, char** envp) {
    char** end = envp;
    while (*end) {
        ++end;
    }
    auxv = (unsigned long*)(end + 1);
    rt_exit(main(argc, argv, envp));
}

unsigned long rt_getauxval(unsigned long type) {
    for (unsigned long* entry = auxv; entry && entry[0] != 0; entry += 2) {
        if (entry[0] == type) {
            return entry[1];
        }
    }
    return 0;
}

void rt_exit(int status) {
    for (;;) {
        sys1(SYS_exit_group, status);
    }
}

unsigned long rt_strlen(const char* s) {
    unsigned long n = 0;
    while (s[n]) {
        ++n;
    }
    return n;
}

int rt_strcmp(const char* a, const char* b) {
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

void rt_print(const char* s) {
    sys3(SYS_write, 1, (long)s, (long)rt_strlen(s));
}

void rt_print_number(long value) {
    char buffer[24];
    int i = sizeof(buffer);
    buffer[--i] = '\0';
    unsigned long magnitude = value < 0 ? 0 - (unsigned long)value : (unsigned long)value;
    do {
        buffer[--i] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0) {
        buffer[--i] = '-';
    }
    rt_print(buffer + i);
}

void rt_print_hex(unsigned long value) {
    char buffer[19] = "0x";
    for (int i = 0; i < 16; ++i) {
        buffer[2 + i] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 15];
    }
    buffer[18] = '\0';
    rt_print(buffer);
}

/* GCC may emit calls to these even in freestanding code. */
void* memset(void* d, int c, unsigned long n) {
    unsigned char* p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void* memcpy(void* d, const void* s, unsigned long n) {
    unsigned char* p = d;
    const unsigned char* q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}
