/* time: clock_gettime on every clock, clock_getres, gettimeofday, time,
 * nanosleep, clock_nanosleep (relative, absolute, interrupted), times and
 * getrusage. */
#include "check.h"
#include "signal_action.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define SIGALRM 14
#define SA_RESTORER 0x04000000
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct timespec {
    long seconds, nanoseconds;
};

static long now_ns(int clock) {
    struct timespec t;
    if (sys2(SYS_clock_gettime, clock, (long)&t) != 0) {
        return -1;
    }
    return t.seconds * 1000000000L + t.nanoseconds;
}

struct tms {
    long user, system, children_user, children_system; /* USER_HZ: 100 a second */
};

/* Burns user-mode CPU until times() reports at least `ticks` of it (or ten
 * seconds have passed: then the caller's check fails). */
static struct tms spin_for_user_time(long ticks) {
    struct tms now = {0, 0, 0, 0};
    const long start = sys1(SYS_times, 0);
    volatile unsigned long sink = 0;
    while (sys1(SYS_times, (long)&now) - start < 1000 && now.user < ticks) {
        for (int i = 0; i < 100000; ++i) {
            sink = sink * 31 + (unsigned long)i;
        }
    }
    return now;
}

struct rusage {
    long user_seconds, user_microseconds, system_seconds, system_microseconds;
    long counters[14];
};

static long usage_user_us(int who) {
    struct rusage usage;
    if (sys2(SYS_getrusage, who, (long)&usage) != 0) {
        return -1;
    }
    return usage.user_seconds * 1000000 + usage.user_microseconds;
}

static long usage_total_us(int who) {
    struct rusage usage;
    if (sys2(SYS_getrusage, who, (long)&usage) != 0) {
        return -1;
    }
    return (usage.user_seconds + usage.system_seconds) * 1000000 + usage.user_microseconds +
           usage.system_microseconds;
}

static void cpu_times(void) {
    struct timespec nap = {0, 50 * 1000000L};
    const long before = sys1(SYS_times, 0);
    CHECK_EQ(sys2(SYS_nanosleep, (long)&nap, 0), 0);
    CHECK(sys1(SYS_times, 0) - before >= 4); /* 50 ms, give or take a tick's edge */
    CHECK_ERRNO(sys1(SYS_times, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys1(SYS_times, KERNEL_ADDRESS), EFAULT);

    struct tms own = spin_for_user_time(5);
    CHECK(own.user >= 5);
    CHECK(own.system >= 0);
    CHECK_EQ(own.children_user, 0);
    CHECK_EQ(own.children_system, 0);
    CHECK(now_ns(2) >= 50 * 1000000L); /* CLOCK_PROCESS_CPUTIME_ID */
    CHECK(now_ns(3) >= 50 * 1000000L); /* CLOCK_THREAD_CPUTIME_ID */
    /* getrusage counts the same time (in microseconds); the thread's is
     * the process's, one thread here. (Linux shares the total between
     * user and system time by their ratio for each separately, so only the
     * totals compare.) */
    CHECK(usage_user_us(RUSAGE_SELF) >= 50000);
    const long thread_total = usage_total_us(RUSAGE_THREAD);
    CHECK(thread_total >= 50000 && usage_total_us(RUSAGE_SELF) >= thread_total);
    CHECK_EQ(usage_user_us(RUSAGE_CHILDREN), 0);
    struct rusage usage;
    CHECK_ERRNO(sys2(SYS_getrusage, 2, (long)&usage), EINVAL);
    CHECK_ERRNO(sys2(SYS_getrusage, -2, (long)&usage), EINVAL);
    CHECK_ERRNO(sys2(SYS_getrusage, RUSAGE_SELF, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_getrusage, RUSAGE_CHILDREN, KERNEL_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_getrusage, 5, UNMAPPED_ADDRESS), EINVAL); /* who comes first */

    /* A child's CPU time joins the parent's children's times when the
     * parent waits for it, and not before. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct tms child = spin_for_user_time(5);
        sys1(SYS_exit, child.user >= 5 && child.children_user == 0 ? 0 : 1);
    }
    CHECK(pid > 0);
    struct tms parent;
    sys1(SYS_times, (long)&parent);
    CHECK_EQ(parent.children_user, 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    sys1(SYS_times, (long)&parent);
    CHECK(parent.children_user >= 5);
    CHECK(parent.user >= own.user);
    CHECK(usage_user_us(RUSAGE_CHILDREN) >= 50000);
}

/* Every clock clock_gettime knows, read in an order that makes each check
 * hold on a loaded machine: the coarse clocks are at most a tick behind
 * (10 ms is more than any HZ's tick), BOOTTIME and TAI never behind
 * MONOTONIC and REALTIME, the thread's CPU time never above the process's. */
static void clocks(void) {
    const long realtime = now_ns(CLOCK_REALTIME);
    const long coarse = now_ns(CLOCK_REALTIME_COARSE);
    const long tai = now_ns(CLOCK_TAI);
    CHECK(coarse > realtime - 10000000L && coarse <= now_ns(CLOCK_REALTIME));
    CHECK(tai >= realtime); /* TAI is UTC plus the leap seconds (0 or 37 here) */
    const long monotonic = now_ns(CLOCK_MONOTONIC);
    const long monotonic_coarse = now_ns(CLOCK_MONOTONIC_COARSE);
    const long raw = now_ns(CLOCK_MONOTONIC_RAW);
    const long boottime = now_ns(CLOCK_BOOTTIME);
    CHECK(monotonic_coarse > monotonic - 10000000L);
    CHECK(monotonic_coarse <= now_ns(CLOCK_MONOTONIC));
    CHECK(raw > 0);
    CHECK(boottime >= monotonic);
    const long thread = now_ns(CLOCK_THREAD_CPUTIME_ID);
    CHECK(thread >= 0 && thread <= now_ns(CLOCK_PROCESS_CPUTIME_ID));
    /* The wall clock is the RTC's (2024 or later; QEMU's RTC is the host's). */
    CHECK(realtime / 1000000000L >= 1704067200L);

    /* time(2): the wall clock's seconds (Linux's may be a tick behind it). */
    long stored = 0;
    const long before = now_ns(CLOCK_REALTIME) / 1000000000L;
    const long seconds = sys1(SYS_time, (long)&stored);
    CHECK(seconds >= before - 1 && seconds <= now_ns(CLOCK_REALTIME) / 1000000000L);
    CHECK_EQ(stored, seconds);
    CHECK(sys1(SYS_time, 0) >= seconds);
    CHECK_ERRNO(sys1(SYS_time, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys1(SYS_time, KERNEL_ADDRESS), EFAULT);
}

/* clock_getres: 1 ns for the high-resolution clocks, a tick for the coarse
 * ones; the CPU clocks 1 ns on Linux, a tick on Kite (they count ticks). */
static long resolution(int clock) {
    struct timespec r = {-1, -1};
    long result = sys2(SYS_clock_getres, clock, (long)&r);
    return result != 0 ? result : r.seconds * 1000000000L + r.nanoseconds;
}

static void resolutions(void) {
    const int fine[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
                        CLOCK_TAI};
    for (unsigned i = 0; i < sizeof(fine) / sizeof(fine[0]); ++i) {
        CHECK_EQ(resolution(fine[i]), 1);
    }
    const long tick = resolution(CLOCK_REALTIME_COARSE);
    CHECK(tick > 100000 && tick <= 10000000); /* HZ between 100 and 10000 */
    CHECK_EQ(resolution(CLOCK_MONOTONIC_COARSE), tick);
    for (int clock = CLOCK_PROCESS_CPUTIME_ID; clock <= CLOCK_THREAD_CPUTIME_ID; ++clock) {
        const long cpu = resolution(clock);
        CHECK(cpu == 1 || cpu == tick);
    }
    CHECK_EQ(sys2(SYS_clock_getres, CLOCK_MONOTONIC, 0), 0);
    CHECK_ERRNO(sys2(SYS_clock_getres, 10, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_clock_getres, 99, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_clock_getres, CLOCK_MONOTONIC, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_clock_getres, CLOCK_REALTIME, KERNEL_ADDRESS), EFAULT);
}

static volatile int alarms;
static void on_alarm(int signal) {
    (void)signal;
    ++alarms;
}

/* An ITIMER_REAL every 20 ms, so that a sleep that began late is still
 * interrupted (a one-shot timer could fire before it). */
static void periodic_alarm(long us) {
    long setting[4] = {0, us, 0, us}; /* interval, value */
    sys3(SYS_setitimer, 0 /* ITIMER_REAL */, (long)setting, 0);
}

static long sleep_on(int clock, int flags, long ns, struct timespec* left) {
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    return sys4(SYS_clock_nanosleep, clock, flags, (long)&t, (long)left);
}

static void clock_sleeps(void) {
    /* Relative, on each clock that sleeps. */
    const int clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME};
    for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); ++i) {
        const long before = now_ns(CLOCK_MONOTONIC);
        CHECK_EQ(sleep_on(clocks[i], 0, 10000000, 0), 0);
        CHECK(now_ns(CLOCK_MONOTONIC) - before >= 10000000);
    }
    CHECK_EQ(sleep_on(CLOCK_MONOTONIC, 0, 0, 0), 0);
    /* Absolute: until the clock reads the time asked, not earlier. */
    long target = now_ns(CLOCK_MONOTONIC) + 20000000;
    CHECK_EQ(sleep_on(CLOCK_MONOTONIC, TIMER_ABSTIME, target, 0), 0);
    CHECK(now_ns(CLOCK_MONOTONIC) >= target);
    target = now_ns(CLOCK_REALTIME) + 20000000;
    CHECK_EQ(sleep_on(CLOCK_REALTIME, TIMER_ABSTIME, target, 0), 0);
    CHECK(now_ns(CLOCK_REALTIME) >= target);

    /* Absolute in the past: at once. Taken as relative, a second before
     * now on the wall clock would be some 50 years; the periodic alarm
     * would end that sleep with EINTR. */
    struct action a = {(void*)on_alarm, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGALRM, (long)&a, 0, 8), 0);
    periodic_alarm(20000);
    CHECK_EQ(sleep_on(CLOCK_REALTIME, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) - 1000000000L, 0), 0);
    CHECK_EQ(sleep_on(CLOCK_MONOTONIC, TIMER_ABSTIME, 1, 0), 0);

    /* Relative, interrupted: EINTR and the time left, below what was asked. */
    struct timespec left = {-1, -1};
    alarms = 0;
    CHECK_ERRNO(sleep_on(CLOCK_MONOTONIC, 0, 100000000000L, &left), EINTR);
    CHECK(alarms >= 1);
    const long left_ns = left.seconds * 1000000000L + left.nanoseconds;
    CHECK(left.nanoseconds >= 0 && left.nanoseconds < 1000000000L);
    CHECK(left_ns > 0 && left_ns < 100000000000L);
    /* Absolute, interrupted: EINTR, and nothing is written. */
    left.seconds = left.nanoseconds = -7;
    CHECK_ERRNO(
        sleep_on(CLOCK_MONOTONIC, TIMER_ABSTIME, now_ns(CLOCK_MONOTONIC) + 100000000000L, &left),
        EINTR);
    CHECK_EQ(left.seconds, -7);
    CHECK_EQ(left.nanoseconds, -7);
    periodic_alarm(0);

    /* Bad arguments: the clock first, then the request. */
    CHECK_ERRNO(sleep_on(99, 0, 1000, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_clock_nanosleep, 99, 0, UNMAPPED_ADDRESS, 0), EINVAL);
    CHECK_ERRNO(sleep_on(CLOCK_THREAD_CPUTIME_ID, 0, 1000, 0), EOPNOTSUPP);
    CHECK_ERRNO(sleep_on(CLOCK_MONOTONIC_RAW, 0, 1000, 0), EOPNOTSUPP);
    CHECK_ERRNO(sleep_on(CLOCK_REALTIME_COARSE, 0, 1000, 0), EOPNOTSUPP);
    CHECK_ERRNO(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, UNMAPPED_ADDRESS, 0), EFAULT);
    struct timespec bad[] = {{0, 1000000000L}, {-1, 0}, {0, -1}};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
        CHECK_ERRNO(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&bad[i], 0), EINVAL);
        CHECK_ERRNO(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, (long)&bad[i], 0),
                    EINVAL);
    }
    CHECK_EQ(sleep_on(CLOCK_MONOTONIC, 2, 1000, 0), 0); /* other flags are ignored */
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    long previous = now_ns(1);
    int ordered = 1;
    for (int i = 0; i < 1000; ++i) {
        long now = now_ns(1);
        ordered = ordered && now >= previous;
        previous = now;
    }
    CHECK(ordered);
    CHECK(now_ns(0) / 1000000000L > 1600000000L); /* after 2020 */

    struct timespec t;
    CHECK_ERRNO(sys2(SYS_clock_gettime, 99, (long)&t), EINVAL);
    CHECK_ERRNO(sys2(SYS_clock_gettime, 1, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_clock_gettime, 0, KERNEL_ADDRESS), EFAULT);

    long timeval[2];
    CHECK_EQ(sys2(SYS_gettimeofday, (long)timeval, 0), 0);
    CHECK(timeval[0] > 1600000000L && timeval[1] >= 0 && timeval[1] < 1000000);
    CHECK_EQ(sys2(SYS_gettimeofday, 0, 0), 0);
    CHECK_ERRNO(sys2(SYS_gettimeofday, UNMAPPED_ADDRESS, 0), EFAULT);

    struct timespec nap = {0, 20 * 1000000L};
    const long before = now_ns(1);
    CHECK_EQ(sys2(SYS_nanosleep, (long)&nap, 0), 0);
    const long slept = now_ns(1) - before;
    CHECK(slept >= 20 * 1000000L); /* no upper bound: a busy host may stop the machine */
    struct timespec bad = {0, 1000000000L};
    CHECK_ERRNO(sys2(SYS_nanosleep, (long)&bad, 0), EINVAL);
    struct timespec negative = {-1, 0};
    CHECK_ERRNO(sys2(SYS_nanosleep, (long)&negative, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_nanosleep, UNMAPPED_ADDRESS, 0), EFAULT);
    struct timespec none = {0, 0};
    CHECK_EQ(sys2(SYS_nanosleep, (long)&none, 0), 0);
    clocks();
    resolutions();
    clock_sleeps();
    cpu_times();
    return check_done("time");
}
