/* scheduling: what C libraries ask of the scheduler: the CPU affinity mask
 * (its size and Linux's checks; CPUs 0..n-1), the policy and its
 * priority range, and nice values through getpriority/setpriority (the
 * kernel's 20 - nice encoding, clamping, inheritance by fork). */
#include "check.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

static void affinity(void) {
    unsigned long mask[16];
    memset(mask, 0, sizeof(mask));
    CHECK_EQ(sys3(SYS_sched_getaffinity, 0, 8, (long)mask), 8);
    CHECK(mask[0] & 1); /* CPU 0 at least */
    if (on_kite()) {
        CHECK_EQ(mask[0] & (mask[0] + 1), 0); /* CPUs 0..n-1, all online */
    }
    const unsigned long original = mask[0];
    /* A longer buffer gets the kernel's mask size: whole words. */
    long size = sys3(SYS_sched_getaffinity, 0, sizeof(mask), (long)mask);
    CHECK(size >= 8 && size <= (long)sizeof(mask) && size % 8 == 0);
    if (on_kite()) {
        CHECK_EQ(size, 8);
    }
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, 0, 4, (long)mask), EINVAL);
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, 0, 12, (long)mask), EINVAL);
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, 0, 0, (long)mask), EINVAL);
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, 0, 8, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, 0x7fffffff, 8, (long)mask), ESRCH);
    CHECK_ERRNO(sys3(SYS_sched_getaffinity, -1, 8, (long)mask), ESRCH);
    CHECK_EQ(sys3(SYS_sched_getaffinity, sys0(SYS_getpid), 8, (long)mask), 8);

    mask[0] = 0;
    CHECK_ERRNO(sys3(SYS_sched_setaffinity, 0, 8, (long)mask), EINVAL); /* no CPU */
    CHECK_ERRNO(sys3(SYS_sched_setaffinity, 0, 0, (long)mask), EINVAL);
    CHECK_ERRNO(sys3(SYS_sched_setaffinity, 0, 8, UNMAPPED_ADDRESS), EFAULT);
    mask[0] = 1;
    CHECK_ERRNO(sys3(SYS_sched_setaffinity, 0x7fffffff, 8, (long)mask), ESRCH);
    CHECK_EQ(sys3(SYS_sched_setaffinity, 0, 8, (long)mask), 0);
    CHECK_EQ(sys3(SYS_sched_getaffinity, 0, 8, (long)mask), 8);
    CHECK_EQ(mask[0], 1);
    mask[0] = ~0UL; /* more CPUs than there are: those there are */
    CHECK_EQ(sys3(SYS_sched_setaffinity, 0, 4, (long)mask), 0);
    mask[0] = 1UL << 63; /* only a CPU neither machine has */
    CHECK_ERRNO(sys3(SYS_sched_setaffinity, 0, 8, (long)mask), EINVAL);
    mask[0] = original;
    CHECK_EQ(sys3(SYS_sched_setaffinity, 0, 8, (long)mask), 0);
}

static void policy(void) {
    CHECK_EQ(sys1(SYS_sched_getscheduler, 0), 0); /* SCHED_OTHER */
    CHECK_ERRNO(sys1(SYS_sched_getscheduler, -1), EINVAL);
    CHECK_ERRNO(sys1(SYS_sched_getscheduler, 0x7fffffff), ESRCH);
    int priority = 77;
    CHECK_EQ(sys2(SYS_sched_getparam, 0, (long)&priority), 0);
    CHECK_EQ(priority, 0);
    CHECK_ERRNO(sys2(SYS_sched_getparam, 0, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_sched_getparam, 0, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_sched_getparam, -1, (long)&priority), EINVAL);
    CHECK_ERRNO(sys2(SYS_sched_getparam, 0x7fffffff, (long)&priority), ESRCH);
    /* SCHED_OTHER, FIFO, RR, BATCH, (4 is none), IDLE, DEADLINE. */
    const long max[] = {0, 99, 99, 0, -EINVAL, 0, 0};
    const long min[] = {0, 1, 1, 0, -EINVAL, 0, 0};
    for (int p = 0; p < 7; ++p) {
        CHECK_EQ(sys1(SYS_sched_get_priority_max, p), max[p]);
        CHECK_EQ(sys1(SYS_sched_get_priority_min, p), min[p]);
    }
    CHECK_ERRNO(sys1(SYS_sched_get_priority_max, -1), EINVAL);
    CHECK_ERRNO(sys1(SYS_sched_get_priority_min, -1), EINVAL);
}

static void nice_values(void) {
    const long start = sys2(SYS_getpriority, PRIO_PROCESS, 0);
    CHECK(start >= 1 && start <= 40);
    CHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 5), 0);
    CHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 15); /* 20 - nice */
    CHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, sys0(SYS_getpid)), 15);
    /* A child inherits it. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, sys2(SYS_getpriority, PRIO_PROCESS, 0) == 15 ? 0 : 1);
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 100), 0); /* clamped to 19 */
    CHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 1);
    if (sys0(SYS_getuid) == 0) { /* only root may lower it (on Kite everyone is root) */
        CHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, -100), 0); /* to -20 */
        CHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 40);
        CHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 20 - start), 0);
        CHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), start);
    }
    CHECK(sys2(SYS_getpriority, PRIO_PGRP, 0) >= start); /* the group's highest */
    CHECK(sys2(SYS_getpriority, PRIO_USER, 0) >= start); /* the user's highest */
    CHECK_ERRNO(sys2(SYS_getpriority, 3, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_setpriority, 3, 0, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_getpriority, PRIO_PROCESS, 0x7fffffff), ESRCH);
    CHECK_ERRNO(sys3(SYS_setpriority, PRIO_PROCESS, 0x7fffffff, 0), ESRCH);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    affinity();
    policy();
    nice_values();
    return check_done("scheduling");
}
