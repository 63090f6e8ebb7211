/* rt_on_newlib.c: user/rt's helpers (rt_print, rt_exit...) written over
 * newlib, so the raw system-call tests of tests/user/ also run as newlib
 * programs: entered through the port's crt0, ended through newlib's exit
 * (atexit handlers, stdio flush), with newlib's memcpy and memset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned long rt_strlen(const char* s) {
    return strlen(s);
}
int rt_strcmp(const char* a, const char* b) {
    return strcmp(a, b);
}

/* Unbuffered, as in user/rt: the tests fork, and a stdio buffer would be
 * copied into the child. */
void rt_print(const char* s) {
    write(1, s, strlen(s));
}

void rt_print_number(long value) {
    char text[24];
    snprintf(text, sizeof(text), "%ld", value);
    rt_print(text);
}

void rt_print_hex(unsigned long value) {
    char text[24];
    snprintf(text, sizeof(text), "0x%016lx", value); /* as user/rt: 16 digits */
    rt_print(text);
}

void rt_exit(int status) {
    exit(status);
}
