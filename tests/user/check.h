/* check.h: a tiny test harness for the raw-syscall test programs. The same
 * binary runs on Kite and on the build machine's Linux, so every check
 * states Linux's behaviour; checks that only Kite can pass go inside
 * `if (on_kite())`. A program exits 0 when every check passed. */
#ifndef KITE_CHECK_H
#define KITE_CHECK_H

#include "sys.h"

/* Linux errno values (EPERM...), from the kernel's list. */
enum {
#define ERRNO(number, name, c_name) c_name = number,
#include "api/errno_list.h"
#undef ERRNO
};

static int check_count;
static int check_failures;
static int check_on_kite = -1;

__attribute__((unused)) static void check_report(const char* file, int line, const char* what,
                                                 long got, long want) {
    ++check_failures;
    rt_print("FAIL: ");
    rt_print(file);
    rt_print(":");
    rt_print_number(line);
    rt_print(": ");
    rt_print(what);
    rt_print(" (got ");
    rt_print_number(got);
    rt_print(", want ");
    rt_print_number(want);
    rt_print(")\n");
}

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        ++check_count;                                                                             \
        if (!(condition)) {                                                                        \
            check_report(__FILE__, __LINE__, #condition, 0, 1);                                    \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        long check_a = (long)(actual);                                                             \
        long check_e = (long)(expected);                                                           \
        ++check_count;                                                                             \
        if (check_a != check_e) {                                                                  \
            check_report(__FILE__, __LINE__, #actual " == " #expected, check_a, check_e);          \
        }                                                                                          \
    } while (0)

/* A system call that must fail with errno e. */
#define CHECK_ERRNO(call, e) CHECK_EQ((call), -(e))

/* Whether this runs on Kite (uname's sysname). */
__attribute__((unused)) static int on_kite(void) {
    if (check_on_kite < 0) {
        char name[390];
        check_on_kite = sys1(SYS_uname, (long)name) == 0 && name[0] == 'K' && name[1] == 'i' &&
                        name[2] == 't' && name[3] == 'e';
    }
    return check_on_kite;
}

__attribute__((unused)) static int check_done(const char* program) {
    rt_print(program);
    rt_print(on_kite() ? " (Kite): " : " (Linux): ");
    rt_print_number(check_count);
    rt_print(" checks, ");
    rt_print_number(check_failures);
    rt_print(" failed\n");
    return check_failures == 0 ? 0 : 1;
}

__attribute__((unused)) static int text_equal(const char* a, const char* b) {
    return rt_strcmp(a, b) == 0;
}

/* "UBENCH <name> <cycles>": one benchmark figure, for the bench_ programs. */
__attribute__((unused)) static void bench_report(const char* name, long cycles) {
    rt_print("UBENCH ");
    rt_print(name);
    rt_print(" ");
    rt_print_number(cycles);
    rt_print("\n");
}

/* Kite's /proc/kite/memory ("free_frames N heap_objects N heap_bytes N\n")
 * into out; 0 if it cannot be read (on Linux). For exact leak checks:
 * compare the text before and after some work. */
__attribute__((unused)) static int read_kite_stats(char* out, int size) {
    long fd = sys3(SYS_open, (long)"/proc/kite/memory", 0, 0);
    if (fd < 0) {
        return 0;
    }
    long n = sys3(SYS_read, fd, (long)out, size - 1);
    sys1(SYS_close, fd);
    out[n > 0 ? n : 0] = '\0';
    return n > 0;
}

/* After work that must have given back all it took: the figures read now
 * must be the text `before` held (printed both ways when not). */
__attribute__((unused)) static void check_kite_stats_unchanged(const char* before) {
    char after[128];
    CHECK(read_kite_stats(after, sizeof(after)));
    CHECK(text_equal(before, after));
    if (!text_equal(before, after)) {
        rt_print("before: ");
        rt_print(before);
        rt_print("after:  ");
        rt_print(after);
    }
}

/* Writes value (>= 0) in decimal at out, with a NUL. */
__attribute__((unused)) static void decimal(long value, char* out) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (n > 0) {
        *out++ = digits[--n];
    }
    *out = '\0';
}

/* An address nothing is mapped at, in user space and in the kernel half. */
#define UNMAPPED_ADDRESS 0x1000L
#define KERNEL_ADDRESS 0xffffffff80100000L

#endif
