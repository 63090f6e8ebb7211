/* itimers: setitimer and getitimer. ITIMER_REAL, ITIMER_VIRTUAL and
 * ITIMER_PROF each send their signal, periods re-arm them, the value read
 * back only goes down and is never above what was set (a CPU timer: a
 * tick above, as Linux adds one), alarm and ITIMER_REAL are one timer, a
 * forked child has no timers, exec keeps them, and the bad arguments get
 * Linux's errno. Nothing depends on how fast the machine is: signals are
 * awaited with rt_sigsuspend (the signal blocked outside it) or by busy
 * loops with generous bounds, and the checks are on order, not duration. */
#include "check.h"
#include "signal_action.h"

#define SA_RESTORER 0x04000000
#define SIG_BLOCK 0
#define SIG_SETMASK 2
#define SIGALRM 14
#define SIGVTALRM 26
#define SIGPROF 27
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define CLOCK_MONOTONIC 1
#define CLOCK_REALTIME_COARSE 5

struct timeval {
    long seconds, microseconds;
};
struct itimerval {
    struct timeval interval, value;
};
struct timespec {
    long seconds, nanoseconds;
};
static volatile int caught[65];
static void on_signal(int signal) {
    ++caught[signal];
}

static long set_action(int signal, void* handler) {
    struct action a = {handler, SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static unsigned long bit(int signal) {
    return 1UL << (signal - 1);
}
static void set_mask(unsigned long mask) {
    sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, 8);
}

static long now_ns(void) {
    struct timespec t = {0, 0};
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t);
    return t.seconds * 1000000000L + t.nanoseconds;
}

/* The timer tick (Linux adds one to a CPU timer's value). */
static long tick_us(void) {
    struct timespec t = {0, 0};
    sys2(SYS_clock_getres, CLOCK_REALTIME_COARSE, (long)&t);
    return t.nanoseconds / 1000;
}

static long set_timer(int which, long value_us, long interval_us, struct itimerval* old) {
    struct itimerval v = {{interval_us / 1000000, interval_us % 1000000},
                          {value_us / 1000000, value_us % 1000000}};
    return sys3(SYS_setitimer, which, (long)&v, (long)old);
}

static long value_us(int which) {
    struct itimerval v = {{-1, -1}, {-1, -1}};
    if (sys2(SYS_getitimer, which, (long)&v) != 0) {
        return -1;
    }
    return v.value.seconds * 1000000 + v.value.microseconds;
}
static long interval_us(int which) {
    struct itimerval v = {{-1, -1}, {-1, -1}};
    if (sys2(SYS_getitimer, which, (long)&v) != 0) {
        return -1;
    }
    return v.interval.seconds * 1000000 + v.interval.microseconds;
}

/* With `signal` blocked: waits in rt_sigsuspend until its handler has run
 * `count` times (each wait ends with EINTR after one handler); gives up
 * after 2000 waits (the caller's check then fails). */
static void await_signals(int signal, int count) {
    const unsigned long none = 0;
    for (int i = 0; i < 2000 && caught[signal] < count; ++i) {
        sys2(SYS_rt_sigsuspend, (long)&none, 8);
    }
}

/* Burns CPU (in user mode, and in the kernel too if `with_calls`) until
 * `signal` has come `count` times or a minute has passed. */
static void spin_for_signals(int signal, int count, int with_calls) {
    const long start = now_ns();
    volatile unsigned long sink = 0;
    while (caught[signal] < count && now_ns() - start < 60 * 1000000000L) {
        for (int i = 0; i < 20000; ++i) {
            sink = sink * 31 + (unsigned long)i;
        }
        if (with_calls) {
            sys0(SYS_getppid);
        }
    }
}

static void bad_arguments(void) {
    struct itimerval v = {{0, 0}, {0, 0}};
    CHECK_ERRNO(sys2(SYS_getitimer, 3, (long)&v), EINVAL);
    CHECK_ERRNO(sys2(SYS_getitimer, -1, (long)&v), EINVAL);
    CHECK_ERRNO(sys2(SYS_getitimer, ITIMER_REAL, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_getitimer, ITIMER_PROF, KERNEL_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_getitimer, 5, UNMAPPED_ADDRESS), EINVAL); /* which comes first */
    CHECK_ERRNO(sys3(SYS_setitimer, 3, (long)&v, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_setitimer, ITIMER_REAL, UNMAPPED_ADDRESS, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_setitimer, 5, UNMAPPED_ADDRESS, 0), EFAULT); /* the copy comes first */
    CHECK_ERRNO(sys3(SYS_setitimer, ITIMER_REAL, (long)&v, KERNEL_ADDRESS), EFAULT);
    struct itimerval bad[] = {
        {{0, 0}, {0, 1000000}}, {{0, 1000000}, {0, 0}}, {{0, 0}, {-1, 0}},
        {{0, -1}, {1, 0}},      {{-1, 0}, {1, 0}},      {{0, 0}, {0, -1}},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
        CHECK_ERRNO(sys3(SYS_setitimer, ITIMER_VIRTUAL, (long)&bad[i], 0), EINVAL);
        CHECK_ERRNO(sys3(SYS_setitimer, 7, (long)&bad[i], 0), EINVAL);
    }
    CHECK_EQ(value_us(ITIMER_VIRTUAL), 0); /* none of them armed it */
    /* A null new value disarms (Linux takes it, with a warning). */
    CHECK_EQ(set_timer(ITIMER_REAL, 100000000, 0, 0), 0);
    struct itimerval old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, 0, (long)&old), 0);
    CHECK(old.value.seconds * 1000000 + old.value.microseconds > 0);
    CHECK_EQ(value_us(ITIMER_REAL), 0);
}

/* ITIMER_REAL: what is left goes down from what was set; a value of 0
 * disarms, and an ITIMER_REAL with no value keeps no period; one shot and
 * periodic timers send SIGALRM. */
static void real_timer(void) {
    struct itimerval old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(set_timer(ITIMER_REAL, 100000000, 0, &old), 0);
    CHECK_EQ(old.value.seconds + old.value.microseconds + old.interval.seconds +
                 old.interval.microseconds,
             0);
    const long first = value_us(ITIMER_REAL);
    const long second = value_us(ITIMER_REAL);
    CHECK(first > 0 && first <= 100000000);
    CHECK(second > 0 && second <= first);
    CHECK_EQ(interval_us(ITIMER_REAL), 0);
    CHECK_EQ(set_timer(ITIMER_REAL, 0, 5000000, &old), 0);
    CHECK(old.value.seconds * 1000000 + old.value.microseconds <= second);
    CHECK_EQ(value_us(ITIMER_REAL), 0);
    CHECK_EQ(interval_us(ITIMER_REAL), 0);

    CHECK_EQ(set_action(SIGALRM, (void*)on_signal), 0);
    set_mask(bit(SIGALRM));
    caught[SIGALRM] = 0;
    CHECK_EQ(set_timer(ITIMER_REAL, 20000, 0, 0), 0);
    await_signals(SIGALRM, 1);
    CHECK_EQ(caught[SIGALRM], 1);
    CHECK_EQ(value_us(ITIMER_REAL), 0); /* a one-shot timer is spent */

    /* Periodic: fires again and again until disarmed, and keeps its period. */
    CHECK_EQ(set_timer(ITIMER_REAL, 10000, 10000, 0), 0);
    await_signals(SIGALRM, 5);
    CHECK_EQ(caught[SIGALRM], 5);
    CHECK_EQ(interval_us(ITIMER_REAL), 10000);
    const long left = value_us(ITIMER_REAL);
    CHECK(left >= 0 && left <= 10000); /* 0: under 1 us to go */
    CHECK_EQ(set_timer(ITIMER_REAL, 0, 0, &old), 0);
    CHECK_EQ(old.interval.seconds * 1000000 + old.interval.microseconds, 10000);
    CHECK_EQ(value_us(ITIMER_REAL), 0);
    set_mask(0);
}

/* alarm is ITIMER_REAL in whole seconds: each reads and replaces the other,
 * and alarm rounds what was left to the nearest second, never to 0 while
 * the timer was armed. */
static void alarm_is_itimer_real(void) {
    CHECK_EQ(sys1(SYS_alarm, 0), 0);
    CHECK_EQ(set_timer(ITIMER_REAL, 7200000, 3000000, 0), 0);
    long left = sys1(SYS_alarm, 0); /* 7.2 s: 7, or 6 after a stall of 0.7 s */
    CHECK(left == 7 || left == 6);
    CHECK_EQ(value_us(ITIMER_REAL), 0);
    CHECK_EQ(interval_us(ITIMER_REAL), 0);

    CHECK_EQ(sys1(SYS_alarm, 5), 0);
    const long value = value_us(ITIMER_REAL);
    CHECK(value > 0 && value <= 5000000);
    CHECK_EQ(interval_us(ITIMER_REAL), 0);
    struct itimerval old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(set_timer(ITIMER_REAL, 0, 0, &old), 0);
    CHECK(old.value.seconds * 1000000 + old.value.microseconds <= value);
    CHECK_EQ(old.interval.seconds + old.interval.microseconds, 0);
    CHECK_EQ(sys1(SYS_alarm, 0), 0);

    /* Less than half a second left: 1, unless it has gone off already. */
    CHECK_EQ(set_action(SIGALRM, (void*)on_signal), 0);
    set_mask(bit(SIGALRM));
    caught[SIGALRM] = 0;
    CHECK_EQ(set_timer(ITIMER_REAL, 400000, 0, 0), 0);
    left = sys1(SYS_alarm, 0);
    set_mask(0); /* a SIGALRM that came is handled here */
    CHECK(caught[SIGALRM] == 0 ? left == 1 : left == 0);
    CHECK_EQ(set_timer(ITIMER_REAL, 1400000, 0, 0), 0);
    left = sys1(SYS_alarm, 0); /* 1.4 s: 1, and 1 after any stall short of 1.4 s */
    CHECK(left == 1 || (left == 0 && caught[SIGALRM] > 0));
}

/* ITIMER_VIRTUAL counts user time only; ITIMER_PROF user and system time. */
static void cpu_timer(int which, int signal, int with_calls) {
    const long tick = tick_us();
    CHECK(tick > 0 && tick <= 10000);
    CHECK_EQ(set_action(signal, (void*)on_signal), 0);
    caught[signal] = 0;
    /* Read back: not above what was set, but for Linux's one tick. */
    CHECK_EQ(set_timer(which, 10000000, 0, 0), 0);
    const long first = value_us(which);
    CHECK(first > 0 && first <= 10000000 + tick);
    CHECK_EQ(interval_us(which), 0);
    /* It goes down as the process runs (the loop ends when it has). */
    long later = first;
    const long start = now_ns();
    volatile unsigned long sink = 0;
    while (later >= first && now_ns() - start < 60 * 1000000000L) {
        for (int i = 0; i < 20000; ++i) {
            sink = sink * 31 + (unsigned long)i;
        }
        later = value_us(which);
    }
    CHECK(later > 0 && later < first);

    /* Periodic: several expirations, each a signal. */
    CHECK_EQ(set_timer(which, 20000, 20000, 0), 0);
    CHECK_EQ(interval_us(which), 20000);
    spin_for_signals(signal, 4, with_calls);
    CHECK(caught[signal] >= 4);
    struct itimerval old = {{-1, -1}, {-1, -1}};
    CHECK_EQ(set_timer(which, 0, 0, &old), 0);
    CHECK_EQ(old.interval.seconds * 1000000 + old.interval.microseconds, 20000);
    const long old_value = old.value.seconds * 1000000 + old.value.microseconds;
    CHECK(old_value > 0 && old_value <= 20000 + tick);
    const int seen = caught[signal];
    CHECK_EQ(value_us(which), 0);

    /* One shot. */
    CHECK_EQ(set_timer(which, 30000, 0, 0), 0);
    spin_for_signals(signal, seen + 1, with_calls);
    CHECK_EQ(caught[signal], seen + 1);
    CHECK_EQ(value_us(which), 0);

    /* Unlike ITIMER_REAL, a CPU timer keeps a period given with no value
     * (Linux stores it; it is not armed). */
    CHECK_EQ(set_timer(which, 0, 2000000, 0), 0);
    CHECK_EQ(value_us(which), 0);
    CHECK_EQ(interval_us(which), 2000000);
    CHECK_EQ(set_timer(which, 0, 0, 0), 0);
    CHECK_EQ(interval_us(which), 0);
}

/* Sleeping uses no CPU time: an ITIMER_VIRTUAL of 50 ms stays armed
 * through a sleep of 100 ms (it stays above 0 and does not fire). */
static void virtual_time_stops_in_sleep(void) {
    caught[SIGVTALRM] = 0;
    CHECK_EQ(set_timer(ITIMER_VIRTUAL, 50000, 0, 0), 0);
    const long before = value_us(ITIMER_VIRTUAL);
    struct timespec nap = {0, 100 * 1000000L};
    CHECK_EQ(sys2(SYS_nanosleep, (long)&nap, 0), 0);
    const long after = value_us(ITIMER_VIRTUAL);
    CHECK(after > 0 && after <= before);
    CHECK_EQ(caught[SIGVTALRM], 0);
    CHECK_EQ(set_timer(ITIMER_VIRTUAL, 0, 0, 0), 0);
}

/* Time in the kernel is ITIMER_PROF's, not ITIMER_VIRTUAL's: reading
 * /dev/zero (the kernel fills the buffer) until ITIMER_PROF has gone down
 * by 200 ms takes ITIMER_VIRTUAL down by less. */
static char zeros[1 << 20];
static void system_time_is_prof_only(void) {
    CHECK_EQ(set_timer(ITIMER_VIRTUAL, 100000000, 0, 0), 0);
    CHECK_EQ(set_timer(ITIMER_PROF, 100000000, 0, 0), 0);
    const long virtual_start = value_us(ITIMER_VIRTUAL);
    const long prof_start = value_us(ITIMER_PROF);
    const long fd = sys3(SYS_open, (long)"/dev/zero", 0, 0);
    CHECK(fd >= 0);
    const long start = now_ns();
    long prof = prof_start;
    while (prof_start - prof < 200000 && now_ns() - start < 60 * 1000000000L) {
        sys3(SYS_read, fd, (long)zeros, sizeof(zeros));
        prof = value_us(ITIMER_PROF);
    }
    sys1(SYS_close, fd);
    const long virtual_spent = virtual_start - value_us(ITIMER_VIRTUAL);
    CHECK(prof_start - prof >= 200000);
    CHECK(virtual_spent >= 0 && virtual_spent < prof_start - prof);
    CHECK_EQ(set_timer(ITIMER_VIRTUAL, 0, 0, 0), 0);
    CHECK_EQ(set_timer(ITIMER_PROF, 0, 0, 0), 0);
}

/* A forked child starts with no timers; its parent keeps its own. */
static void fork_has_no_timers(void) {
    CHECK_EQ(set_timer(ITIMER_REAL, 100000000, 1000000, 0), 0);
    CHECK_EQ(set_timer(ITIMER_VIRTUAL, 100000000, 0, 0), 0);
    CHECK_EQ(set_timer(ITIMER_PROF, 100000000, 5000000, 0), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        int clean = 1;
        for (int which = 0; which < 3; ++which) {
            clean = clean && value_us(which) == 0 && interval_us(which) == 0;
        }
        sys1(SYS_exit, clean && sys1(SYS_alarm, 0) == 0 ? 0 : 1);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK(value_us(ITIMER_REAL) > 0);
    CHECK(value_us(ITIMER_VIRTUAL) > 0);
    CHECK_EQ(interval_us(ITIMER_PROF), 5000000);
    for (int which = 0; which < 3; ++which) {
        CHECK_EQ(set_timer(which, 0, 0, 0), 0);
    }
}

/* The program after exec: the timers set before it are still there. */
static int after_exec(void) {
    const long real = value_us(ITIMER_REAL);
    CHECK(real > 0 && real <= 100000000);
    CHECK_EQ(interval_us(ITIMER_REAL), 50000000);
    const long prof = value_us(ITIMER_PROF);
    CHECK(prof > 0 && prof <= 200000000 + tick_us());
    CHECK_EQ(interval_us(ITIMER_PROF), 0);
    CHECK_EQ(value_us(ITIMER_VIRTUAL), 0);
    const long alarm_left = sys1(SYS_alarm, 0); /* ITIMER_REAL, rounded: 100, 99 after a stall */
    CHECK(alarm_left == 100 || alarm_left == 99);
    return check_done("itimers (after exec)");
}

static void exec_keeps_timers(const char* self) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        set_timer(ITIMER_REAL, 100000000, 50000000, 0);
        set_timer(ITIMER_PROF, 200000000, 0, 0);
        char* argv[] = {(char*)self, "--after-exec", 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)self, (long)argv, (long)envp);
        rt_print("FAIL: execve of itself failed\n");
        sys1(SYS_exit, 2);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 2 && text_equal(argv[1], "--after-exec")) {
        return after_exec();
    }
    bad_arguments();
    real_timer();
    alarm_is_itimer_real();
    cpu_timer(ITIMER_VIRTUAL, SIGVTALRM, 0);
    cpu_timer(ITIMER_PROF, SIGPROF, 1);
    virtual_time_stops_in_sleep();
    system_time_is_prof_only();
    fork_has_no_timers();
    exec_keeps_timers(argv[0]);
    return check_done("itimers");
}
