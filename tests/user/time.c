/* time: clock_gettime, gettimeofday and nanosleep. */
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
    CHECK(slept >= 20 * 1000000L);
    CHECK(slept < 2000 * 1000000L);
    struct timespec bad = {0, 1000000000L};
    CHECK_ERRNO(sys2(SYS_nanosleep, (long)&bad, 0), EINVAL);
    struct timespec negative = {-1, 0};
    CHECK_ERRNO(sys2(SYS_nanosleep, (long)&negative, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_nanosleep, UNMAPPED_ADDRESS, 0), EFAULT);
    struct timespec none = {0, 0};
    CHECK_EQ(sys2(SYS_nanosleep, (long)&none, 0), 0);
    return check_done("time");
}
