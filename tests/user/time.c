/* time: clock_gettime, gettimeofday, nanosleep and times. */
#include "check.h"

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
    cpu_times();
    return check_done("time");
}
