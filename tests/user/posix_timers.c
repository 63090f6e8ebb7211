/* posix_timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete. SIGEV_NONE timers only count down,
 * SIGEV_SIGNAL ones send their signal (relative, absolute on both clocks,
 * absolute in the past at once, periodic), expirations while the signal
 * waits become overruns, a forked child has no timers, exec deletes them,
 * and the bad arguments get Linux's errno. Signals are awaited with
 * rt_sigsuspend with the signal blocked outside it: no check depends on
 * how fast the machine is. */
#include "check.h"
#include "signal_action.h"

#define SA_RESTORER 0x04000000
#define SIG_SETMASK 2
#define SIGALRM 14
#define SIGUSR1 10
#define SIGUSR2 12
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_BOOTTIME 7
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD_ID 4
#define TIMER_ABSTIME 1

struct timespec {
    long seconds, nanoseconds;
};
struct itimerspec {
    struct timespec interval, value;
};
struct sigevent {
    long value;
    int signo;
    int notify;
    int thread_id;
    int padding[11];
};
static volatile int caught[65];
static void on_signal(int signal) {
    ++caught[signal];
}

static long set_action(int signal, void* handler) {
    struct action a = {handler, SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}
static void set_mask(unsigned long mask) {
    sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, 8);
}

static long clock_ns(int clock) {
    struct timespec t = {0, 0};
    sys2(SYS_clock_gettime, clock, (long)&t);
    return t.seconds * 1000000000L + t.nanoseconds;
}

static int create(int clock, int notify, int signal) {
    struct sigevent event = {0, signal, notify, 0, {0}};
    int id = -1;
    long result = sys3(SYS_timer_create, clock, (long)&event, (long)&id);
    return result == 0 ? id : (int)result;
}

static long arm(int id, int flags, long value_ns, long interval_ns, struct itimerspec* old) {
    struct itimerspec setting = {{interval_ns / 1000000000L, interval_ns % 1000000000L},
                                 {value_ns / 1000000000L, value_ns % 1000000000L}};
    return sys4(SYS_timer_settime, id, flags, (long)&setting, (long)old);
}

static long left_ns(int id) {
    struct itimerspec now = {{-1, -1}, {-1, -1}};
    if (sys2(SYS_timer_gettime, id, (long)&now) != 0) {
        return -1;
    }
    return now.value.seconds * 1000000000L + now.value.nanoseconds;
}
static long period_ns(int id) {
    struct itimerspec now = {{-1, -1}, {-1, -1}};
    if (sys2(SYS_timer_gettime, id, (long)&now) != 0) {
        return -1;
    }
    return now.interval.seconds * 1000000000L + now.interval.nanoseconds;
}

/* With `signal` blocked: waits in rt_sigsuspend until its handler has run
 * `count` times; gives up after 2000 waits (the caller's check fails). */
static void await_signals(int signal, int count) {
    const unsigned long none = 0;
    for (int i = 0; i < 2000 && caught[signal] < count; ++i) {
        sys2(SYS_rt_sigsuspend, (long)&none, 8);
    }
}

static void bad_arguments(void) {
    int id = -1;
    CHECK_ERRNO(sys3(SYS_timer_create, 99, 0, (long)&id), EINVAL);
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC_RAW, 0, (long)&id), EOPNOTSUPP);
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_REALTIME_COARSE, 0, (long)&id), EOPNOTSUPP);
    CHECK_ERRNO(create(CLOCK_MONOTONIC, 3, SIGUSR1), EINVAL);
    CHECK_ERRNO(create(CLOCK_MONOTONIC, SIGEV_SIGNAL, 0), EINVAL);
    CHECK_ERRNO(create(CLOCK_MONOTONIC, SIGEV_SIGNAL, 65), EINVAL);
    /* A child's thread, or no thread at all, is no thread of this process. */
    long child = sys0(SYS_fork);
    if (child == 0) {
        for (;;) {
            sys0(SYS_pause);
        }
    }
    struct sigevent event = {0, SIGUSR1, SIGEV_THREAD_ID, (int)child, {0}};
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, (long)&id), EINVAL);
    sys2(SYS_kill, child, 9);
    sys4(SYS_wait4, child, 0, 0, 0);
    event.thread_id = 0x7ffffff0;
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, (long)&id), EINVAL);
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC, UNMAPPED_ADDRESS, (long)&id), EFAULT);
    CHECK_ERRNO(sys3(SYS_timer_create, 99, UNMAPPED_ADDRESS, (long)&id), EFAULT); /* copy first */
    event.notify = SIGEV_SIGNAL;
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, KERNEL_ADDRESS), EFAULT);

    id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0); /* SIGEV_NONE takes any signal number */
    CHECK(id >= 0);
    struct itimerspec setting = {{0, 0}, {0, 0}};
    CHECK_ERRNO(sys4(SYS_timer_settime, id, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_timer_settime, 12345, 0, (long)&setting, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_timer_settime, -1, 0, (long)&setting, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_timer_settime, id, 0, UNMAPPED_ADDRESS, 0), EFAULT);
    CHECK_ERRNO(sys4(SYS_timer_settime, id, 0, (long)&setting, UNMAPPED_ADDRESS), EFAULT);
    struct itimerspec bad[] = {{{0, 0}, {0, 1000000000}}, {{0, 1000000000}, {1, 0}},
                               {{0, 0}, {-1, 0}},         {{-1, 0}, {1, 0}},
                               {{0, -1}, {1, 0}},         {{0, 0}, {0, -1}}};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
        CHECK_ERRNO(sys4(SYS_timer_settime, id, 0, (long)&bad[i], 0), EINVAL);
        CHECK_ERRNO(sys4(SYS_timer_settime, id, TIMER_ABSTIME, (long)&bad[i], 0), EINVAL);
    }
    CHECK_EQ(left_ns(id), 0); /* none of them armed it */
    struct itimerspec now;
    CHECK_ERRNO(sys2(SYS_timer_gettime, 12345, (long)&now), EINVAL);
    CHECK_ERRNO(sys2(SYS_timer_gettime, id, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_timer_gettime, 12345, UNMAPPED_ADDRESS), EINVAL); /* the id first */
    CHECK_EQ(sys1(SYS_timer_getoverrun, id), 0);
    CHECK_ERRNO(sys1(SYS_timer_getoverrun, 12345), EINVAL);
    CHECK_ERRNO(sys1(SYS_timer_getoverrun, -1), EINVAL);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
    CHECK_ERRNO(sys1(SYS_timer_delete, id), EINVAL);
    CHECK_ERRNO(sys2(SYS_timer_gettime, id, (long)&now), EINVAL);
    CHECK_ERRNO(sys1(SYS_timer_delete, -5), EINVAL);
}

/* The time left goes down from what was set, never above it; a value of
 * 0 disarms the timer and drops the period. (On a SIGEV_SIGNAL timer whose
 * signal never comes: Linux before 6.13 does not disarm a SIGEV_NONE one.) */
static void counting_down(void) {
    const int id = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1);
    CHECK(id >= 0);
    CHECK_EQ(left_ns(id), 0);
    struct itimerspec old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(arm(id, 0, 100000000000L, 0, &old), 0);
    CHECK_EQ(old.value.seconds + old.value.nanoseconds + old.interval.seconds +
                 old.interval.nanoseconds,
             0);
    const long first = left_ns(id);
    const long second = left_ns(id);
    CHECK(first > 0 && first <= 100000000000L);
    CHECK(second > 0 && second <= first);
    CHECK_EQ(arm(id, 0, 0, 5000000000L, &old), 0);
    CHECK(old.value.seconds * 1000000000L + old.value.nanoseconds <= second);
    CHECK_EQ(left_ns(id), 0);
    CHECK_EQ(period_ns(id), 0);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
}

/* SIGEV_NONE: the timer only counts; periodic, it is always within a
 * period of its next expiry; an absolute time in the past has expired at
 * once. */
static void counting_only(void) {
    int id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0);
    CHECK(id >= 0);
    CHECK_EQ(arm(id, 0, 100000000000L, 0, 0), 0);
    const long first = left_ns(id);
    const long second = left_ns(id);
    CHECK(first > 0 && first <= 100000000000L);
    CHECK(second > 0 && second <= first);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0);
    CHECK_EQ(arm(id, 0, 1000000, 2000000, 0), 0);
    struct timespec nap = {0, 10 * 1000000L};
    CHECK_EQ(sys2(SYS_nanosleep, (long)&nap, 0), 0);
    const long left = left_ns(id);
    CHECK(left > 0 && left <= 2000000);
    CHECK_EQ(period_ns(id), 2000000);

    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0);
    CHECK_EQ(arm(id, TIMER_ABSTIME, 1, 0, 0), 0); /* 1 ns after the clock's start */
    CHECK_EQ(left_ns(id), 0);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
}

/* SIGEV_SIGNAL: relative, absolute on CLOCK_REALTIME and CLOCK_MONOTONIC,
 * absolute in the past, periodic; a timer made with no sigevent sends
 * SIGALRM. Each gets its own signal count. */
static void signalling(void) {
    CHECK_EQ(set_action(SIGUSR1, (void*)on_signal), 0);
    CHECK_EQ(set_action(SIGALRM, (void*)on_signal), 0);
    set_mask(1UL << (SIGUSR1 - 1) | 1UL << (SIGALRM - 1));
    caught[SIGUSR1] = caught[SIGALRM] = 0;

    int id = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1);
    CHECK(id >= 0);
    CHECK_EQ(arm(id, 0, 20000000, 0, 0), 0);
    await_signals(SIGUSR1, 1);
    CHECK_EQ(caught[SIGUSR1], 1);
    CHECK_EQ(left_ns(id), 0); /* spent */

    CHECK_EQ(arm(id, TIMER_ABSTIME, clock_ns(CLOCK_MONOTONIC) + 20000000, 0, 0), 0);
    await_signals(SIGUSR1, 2);
    CHECK_EQ(caught[SIGUSR1], 2);
    CHECK_EQ(arm(id, TIMER_ABSTIME, 1, 0, 0), 0); /* long past: at once */
    await_signals(SIGUSR1, 3);
    CHECK_EQ(caught[SIGUSR1], 3);

    /* Periodic: several expirations, until disarmed. */
    CHECK_EQ(arm(id, 0, 5000000, 5000000, 0), 0);
    await_signals(SIGUSR1, 8);
    CHECK_EQ(caught[SIGUSR1], 8);
    struct itimerspec old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(arm(id, 0, 0, 0, &old), 0);
    CHECK_EQ(old.interval.seconds * 1000000000L + old.interval.nanoseconds, 5000000);
    const long old_value = old.value.seconds * 1000000000L + old.value.nanoseconds;
    CHECK(old_value > 0 && old_value <= 5000000);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    /* CLOCK_REALTIME, absolute. */
    id = create(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1);
    CHECK(id >= 0);
    const long target = clock_ns(CLOCK_REALTIME) + 30000000;
    CHECK_EQ(arm(id, TIMER_ABSTIME, target, 0, 0), 0);
    await_signals(SIGUSR1, 9);
    CHECK_EQ(caught[SIGUSR1], 9);
    CHECK(clock_ns(CLOCK_REALTIME) >= target);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    /* No sigevent: SIGALRM (on CLOCK_BOOTTIME here). */
    id = -1;
    CHECK_EQ(sys3(SYS_timer_create, CLOCK_BOOTTIME, 0, (long)&id), 0);
    CHECK(id >= 0);
    CHECK_EQ(arm(id, 0, 10000000, 0, 0), 0);
    await_signals(SIGALRM, 1);
    CHECK_EQ(caught[SIGALRM], 1);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
    set_mask(0);
}

/* Expirations while the signal waits (blocked) are overruns: the count
 * comes with the signal when it is delivered. */
static void overruns(void) {
    CHECK_EQ(set_action(SIGUSR2, (void*)on_signal), 0);
    set_mask(1UL << (SIGUSR2 - 1));
    caught[SIGUSR2] = 0;
    const int id = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2);
    CHECK(id >= 0);
    CHECK_EQ(arm(id, 0, 1000000, 1000000, 0), 0);
    /* 100 periods with the signal blocked: the first expiry sends it, the
     * rest find it waiting. */
    const long start = clock_ns(CLOCK_MONOTONIC);
    while (clock_ns(CLOCK_MONOTONIC) - start < 100000000L) {
        sys0(SYS_getppid);
    }
    CHECK_EQ(caught[SIGUSR2], 0);
    await_signals(SIGUSR2, 1);
    CHECK(caught[SIGUSR2] >= 1);
    /* SIGUSR2 is blocked again: the count stays that of the delivered
     * signal, whatever expires meanwhile. */
    const long overrun = sys1(SYS_timer_getoverrun, id);
    CHECK(overrun >= 1 && overrun <= 0x7fffffff);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
    set_mask(0);
}

/* A bounded number per process (Linux's bound is RLIMIT_SIGPENDING, far
 * higher; Kite's is 32), all usable again once deleted. */
static void limit(void) {
    if (!on_kite()) {
        return;
    }
    int ids[64];
    int made = 0;
    while (made < 64 && (ids[made] = create(CLOCK_MONOTONIC, SIGEV_NONE, 0)) >= 0) {
        ++made;
    }
    CHECK_EQ(made, 32);
    CHECK_EQ(ids[made < 64 ? made : 63], -EAGAIN);
    for (int i = 0; i < made; ++i) {
        CHECK_EQ(sys1(SYS_timer_delete, ids[i]), 0);
    }
    const int again = create(CLOCK_MONOTONIC, SIGEV_NONE, 0);
    CHECK(again >= 0);
    CHECK_EQ(sys1(SYS_timer_delete, again), 0);
}

/* The program after exec: the timer made before it is gone. */
static int after_exec(int id) {
    struct itimerspec now;
    CHECK_ERRNO(sys2(SYS_timer_gettime, id, (long)&now), EINVAL);
    CHECK_ERRNO(sys1(SYS_timer_delete, id), EINVAL);
    return check_done("posix_timers (after exec)");
}

/* fork: the child has none of its parent's timers; exec: the timers go. */
static void fork_and_exec(const char* self) {
    const int id = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1);
    CHECK(id >= 0);
    CHECK_EQ(arm(id, 0, 100000000000L, 0, 0), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct itimerspec now;
        sys1(SYS_exit, sys2(SYS_timer_gettime, id, (long)&now) == -EINVAL ? 0 : 1);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK(left_ns(id) > 0);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    pid = sys0(SYS_fork);
    if (pid == 0) {
        const int mine = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1);
        arm(mine, 0, 100000000000L, 0, 0);
        char number[2] = {(char)('0' + (mine >= 0 && mine < 10 ? mine : 0)), 0};
        char* argv[] = {(char*)self, "--after-exec", number, 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)self, (long)argv, (long)envp);
        rt_print("FAIL: execve of itself failed\n");
        sys1(SYS_exit, 2);
    }
    CHECK(pid > 0);
    status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
}

/* What the signal says: SI_TIMER, the timer's id, its overrun and the
 * sigevent's value (the id itself without a sigevent); SIGEV_THREAD_ID
 * sends it to the thread named. */
struct timer_siginfo {
    int signo, errno_value, code, pad;
    int timer_id, overrun;
    long value;
    char rest[96];
};

static long take(int signal, struct timer_siginfo* info) {
    unsigned long set = 1UL << (signal - 1);
    return sys4(SYS_rt_sigtimedwait, (long)&set, (long)info, 0, 8);
}

static void timer_siginfo(void) {
    set_mask((1UL << (SIGUSR1 - 1)) | (1UL << (SIGALRM - 1)));
    struct sigevent event = {0x77, SIGUSR1, SIGEV_SIGNAL, 0, {0}};
    int id = -1;
    CHECK_EQ(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&event, (long)&id), 0);
    CHECK_EQ(arm(id, 0, 1000000, 0, 0), 0);
    struct timer_siginfo info;
    CHECK_EQ(take(SIGUSR1, &info), SIGUSR1);
    CHECK_EQ(info.code, -2 /* SI_TIMER */);
    CHECK_EQ(info.timer_id, id);
    CHECK_EQ(info.overrun, 0);
    CHECK_EQ(info.value, 0x77);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);

    int plain = -1;
    CHECK_EQ(sys3(SYS_timer_create, CLOCK_MONOTONIC, 0, (long)&plain), 0);
    CHECK_EQ(arm(plain, 0, 1000000, 0, 0), 0);
    CHECK_EQ(take(SIGALRM, &info), SIGALRM);
    CHECK_EQ(info.code, -2);
    CHECK_EQ(info.value, plain);
    CHECK_EQ(sys1(SYS_timer_delete, plain), 0);

    struct sigevent to_thread = {0x99, SIGUSR1, SIGEV_THREAD_ID, (int)sys0(SYS_gettid), {0}};
    CHECK_EQ(sys3(SYS_timer_create, CLOCK_MONOTONIC, (long)&to_thread, (long)&id), 0);
    CHECK_EQ(arm(id, 0, 1000000, 0, 0), 0);
    CHECK_EQ(take(SIGUSR1, &info), SIGUSR1);
    CHECK_EQ(info.value, 0x99);
    CHECK_EQ(sys1(SYS_timer_delete, id), 0);
    set_mask(0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 3 && text_equal(argv[1], "--after-exec")) {
        return after_exec(argv[2][0] - '0');
    }
    bad_arguments();
    counting_down();
    counting_only();
    signalling();
    overruns();
    limit();
    timer_siginfo();
    fork_and_exec(argv[0]);
    return check_done("posix_timers");
}
