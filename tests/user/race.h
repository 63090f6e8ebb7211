/* race.h: helpers for the tests that run processes against each other on
 * one file or directory. Each test runs for a fixed number of rounds or
 * until a time budget is spent, whichever comes first, and never checks
 * how long anything took: only what the file system says afterwards. */
#ifndef KITE_RACE_H
#define KITE_RACE_H

#include "check.h"

#define O_RDONLY 0
#define O_RDWR 2
#define O_CREAT 0100
#define O_DIRECTORY 0200000
#define WNOHANG 1

struct race_timespec {
    long seconds, nanoseconds;
};

/* CLOCK_MONOTONIC in nanoseconds. */
__attribute__((unused)) static long race_now_ns(void) {
    struct race_timespec t = {0, 0};
    sys2(SYS_clock_gettime, 1, (long)&t);
    return t.seconds * 1000000000L + t.nanoseconds;
}

/* Whether a loop that started at start_ns may go on: a budget, not a
 * measurement (the machine may be slow and busy). */
__attribute__((unused)) static int race_within(long start_ns, long budget_ms) {
    return race_now_ns() - start_ns < budget_ms * 1000000L;
}

/* The child's wait status, or -1. */
__attribute__((unused)) static long race_wait(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

/* "<prefix>NNN" into out (a NUL-terminated name for entry n < 1000). */
__attribute__((unused)) static void race_name(char* out, const char* prefix, int n) {
    int at = 0;
    while (prefix[at]) {
        out[at] = prefix[at];
        ++at;
    }
    out[at] = (char)('0' + n / 100 % 10);
    out[at + 1] = (char)('0' + n / 10 % 10);
    out[at + 2] = (char)('0' + n % 10);
    out[at + 3] = '\0';
}

#endif
