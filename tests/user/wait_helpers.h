/* wait_helpers.h: what the tests of waiting on descriptors share (select_ppoll,
 * epoll, event_fds, pipe_packets): Linux's constants and structs for them,
 * signal handling, and the leak check that runs a test body twice in
 * children and compares Kite's counters before and after the second. */
#ifndef KITE_WAIT_HELPERS_H
#define KITE_WAIT_HELPERS_H

#include "check.h"
#include "signal_action.h"

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define O_RDONLY 0
#define O_RDWR 2
#define O_NONBLOCK 04000
#define O_DIRECT 040000
#define O_CLOEXEC 02000000
#define F_GETFD 1
#define F_GETFL 3
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGALRM 14
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SI_USER 0
#define SI_TKILL (-6)
#define SIGBIT(s) (1UL << ((s)-1))

struct pollfd {
    int fd;
    short events;
    short revents;
};
struct timespec {
    long tv_sec;
    long tv_nsec;
};
struct timeval {
    long tv_sec;
    long tv_usec;
};
struct itimerval {
    struct timeval interval;
    struct timeval value;
};

static volatile int handled;
static void on_signal(int signal) {
    (void)signal;
    ++handled;
}

/* A handler (no SA_RESTART) for signal. */
__attribute__((unused)) static long catch_signal(int signal) {
    struct action a = {(void*)on_signal, SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

__attribute__((unused)) static unsigned long signal_mask(int how, unsigned long set) {
    unsigned long old = 0;
    sys4(SYS_rt_sigprocmask, how, (long)&set, (long)&old, 8);
    return old;
}

__attribute__((unused)) static unsigned long current_mask(void) {
    unsigned long old = 0;
    sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&old, 8);
    return old;
}

__attribute__((unused)) static unsigned long pending_signals(void) {
    unsigned long set = 0;
    sys2(SYS_rt_sigpending, (long)&set, 8);
    return set;
}

/* SIGALRM after ms milliseconds (once). */
__attribute__((unused)) static void alarm_in_ms(long ms) {
    struct itimerval t = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
    sys3(SYS_setitimer, 0, (long)&t, 0);
}

__attribute__((unused)) static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    sys2(SYS_nanosleep, (long)&t, 0);
}

/* st_mode of an open descriptor (struct stat: st_mode at offset 24). */
__attribute__((unused)) static unsigned mode_of(long fd) {
    unsigned long st[18];
    if (sys2(SYS_fstat, fd, (long)st) != 0) {
        return ~0u;
    }
    return ((unsigned*)st)[6];
}

/* Runs body in a child; whether it exited 0 (every check passed). */
__attribute__((unused)) static int run_in_child(void (*body)(void)) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        body();
        sys1(SYS_exit_group, check_failures == 0 ? 0 : 1);
    }
    int status = -1;
    return pid > 0 && sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid && status == 0;
}

/* The test body twice, each in a child; on Kite the heap and free frames
 * after the second are as they were before it (the first warms caches). */
__attribute__((unused)) static int run_with_leak_check(const char* name, void (*body)(void)) {
    CHECK(run_in_child(body));
    char before[128];
    int have = read_kite_stats(before, sizeof(before));
    CHECK(run_in_child(body));
    if (have) {
        check_kite_stats_unchanged(before);
    } else if (on_kite()) {
        CHECK(0);
    } else {
        rt_print("SKIP leak check: no /proc/kite/memory on Linux\n");
    }
    return check_done(name);
}

#endif
