/* event_fds: eventfd (counter and semaphore modes, overflow, blocking
 * reads woken by another process, poll readiness), signalfd (blocked
 * signals read as signalfd_siginfo, the mask replaced through the same
 * descriptor, SIGKILL and SIGSTOP never taken, readiness) and timerfd
 * (one-shot and periodic, absolute times, gettime, disarming, expiry
 * counts, readiness), each with the bad arguments and Linux's errno. */
#include "wait_helpers.h"

#define EFD_SEMAPHORE 1
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_CLOEXEC O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK
#define TFD_NONBLOCK O_NONBLOCK
#define TFD_TIMER_ABSTIME 1
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_BOOTTIME 7
#define FD_CLOEXEC 1
#define SIGKILL 9
#define SIGSTOP 19

struct itimerspec {
    struct timespec interval;
    struct timespec value;
};

/* Linux's struct signalfd_siginfo: 128 bytes. */
struct signalfd_siginfo {
    unsigned ssi_signo;
    int ssi_errno;
    int ssi_code;
    unsigned ssi_pid;
    unsigned ssi_uid;
    int ssi_fd;
    unsigned ssi_tid;
    unsigned ssi_band;
    unsigned ssi_overrun;
    unsigned ssi_trapno;
    int ssi_status;
    int ssi_int;
    unsigned long ssi_ptr;
    unsigned long ssi_utime;
    unsigned long ssi_stime;
    unsigned long ssi_addr;
    unsigned short ssi_addr_lsb;
    unsigned short pad2;
    int ssi_syscall;
    unsigned long ssi_call_addr;
    unsigned ssi_arch;
    unsigned char pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

static short poll_one(long fd, short events) {
    struct pollfd p = {(int)fd, events, 0};
    return sys3(SYS_poll, (long)&p, 1, 0) == 1 ? p.revents : 0;
}

static void eventfd_counter(void) {
    CHECK_ERRNO(sys2(SYS_eventfd2, 0, 4), EINVAL);
    long e = sys2(SYS_eventfd2, 5, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(e >= 0);
    CHECK_EQ(sys2(SYS_fcntl, e, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(sys2(SYS_fcntl, e, F_GETFL) & (O_NONBLOCK | 3), O_NONBLOCK | O_RDWR);
    CHECK_EQ(mode_of(e) & 0170000, 0);
    unsigned long value = 0;
    char small[4];
    CHECK_ERRNO(sys3(SYS_read, e, (long)small, 4), EINVAL);
    CHECK_ERRNO(sys3(SYS_write, e, (long)small, 4), EINVAL);
    CHECK_EQ(poll_one(e, POLLIN | POLLOUT), POLLIN | POLLOUT);
    /* A read takes the whole count and leaves zero. */
    CHECK_EQ(sys3(SYS_read, e, (long)&value, 8), 8);
    CHECK_EQ(value, 5);
    CHECK_ERRNO(sys3(SYS_read, e, (long)&value, 8), EAGAIN);
    CHECK_EQ(poll_one(e, POLLIN | POLLOUT), POLLOUT);
    /* Writes add; a larger buffer reads 8 bytes. */
    value = 3;
    CHECK_EQ(sys3(SYS_write, e, (long)&value, 8), 8);
    CHECK_EQ(sys3(SYS_write, e, (long)&value, 8), 8);
    CHECK_ERRNO(sys3(SYS_write, e, (long)&value, 9), EINVAL); /* exactly 8 */
    unsigned long pair[2] = {0, 0};
    CHECK_EQ(sys3(SYS_read, e, (long)pair, 16), 8);
    CHECK_EQ(pair[0], 6);
    /* A read that cannot store the count has still taken it (Linux). */
    CHECK_EQ(sys3(SYS_write, e, (long)&value, 8), 8);
    CHECK_ERRNO(sys3(SYS_read, e, 8, 8), EFAULT);
    CHECK_ERRNO(sys3(SYS_read, e, (long)&value, 8), EAGAIN);
    /* The maximum is 2^64 - 2; all ones is EINVAL; an overflow waits (EAGAIN). */
    value = ~0UL;
    CHECK_ERRNO(sys3(SYS_write, e, (long)&value, 8), EINVAL);
    value = ~0UL - 1;
    CHECK_EQ(sys3(SYS_write, e, (long)&value, 8), 8);
    CHECK_EQ(poll_one(e, POLLIN | POLLOUT), POLLIN);
    value = 1;
    CHECK_ERRNO(sys3(SYS_write, e, (long)&value, 8), EAGAIN);
    value = 0;
    CHECK_EQ(sys3(SYS_write, e, (long)&value, 8), 8); /* adding 0 always fits */
    CHECK_EQ(sys3(SYS_read, e, (long)&value, 8), 8);
    CHECK_EQ(value, ~0UL - 1);
    sys1(SYS_close, e);

    /* Semaphore mode: each read takes 1. */
    e = sys2(SYS_eventfd2, 2, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(e >= 0);
    CHECK_EQ(sys3(SYS_read, e, (long)&value, 8), 8);
    CHECK_EQ(value, 1);
    CHECK_EQ(sys3(SYS_read, e, (long)&value, 8), 8);
    CHECK_EQ(value, 1);
    CHECK_ERRNO(sys3(SYS_read, e, (long)&value, 8), EAGAIN);
    sys1(SYS_close, e);

    /* eventfd (no flags) blocks; another process's write wakes it. */
    e = sys1(SYS_eventfd, 0);
    CHECK(e >= 0);
    CHECK_EQ(sys2(SYS_fcntl, e, F_GETFL) & O_NONBLOCK, 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sleep_ms(20);
        unsigned long seven = 7;
        sys3(SYS_write, e, (long)&seven, 8);
        sys1(SYS_exit_group, 0);
    }
    value = 0;
    CHECK_EQ(sys3(SYS_read, e, (long)&value, 8), 8);
    CHECK_EQ(value, 7);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    /* A handled signal ends a blocked read: EINTR. */
    CHECK_EQ(catch_signal(SIGALRM), 0);
    handled = 0;
    alarm_in_ms(20);
    CHECK_ERRNO(sys3(SYS_read, e, (long)&value, 8), EINTR);
    CHECK_EQ(handled, 1);
    sys1(SYS_close, e);
}

static void signalfd_reads(void) {
    unsigned long mask = SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2);
    CHECK_ERRNO(sys4(SYS_signalfd4, -1, (long)&mask, 4, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_signalfd4, -1, (long)&mask, 8, 1), EINVAL);
    CHECK_ERRNO(sys4(SYS_signalfd4, -1, 8, 8, 0), EFAULT);
    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_ERRNO(sys4(SYS_signalfd4, p[0], (long)&mask, 8, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_signalfd4, 999, (long)&mask, 8, 0), EBADF);
    sys1(SYS_close, p[0]);
    sys1(SYS_close, p[1]);

    unsigned long old = signal_mask(SIG_BLOCK, mask);
    long s = sys4(SYS_signalfd4, -1, (long)&mask, 8, SFD_NONBLOCK);
    CHECK(s >= 0);
    CHECK_EQ(mode_of(s) & 0170000, 0);
    struct signalfd_siginfo info;
    CHECK_ERRNO(sys3(SYS_read, s, (long)&info, sizeof(info)), EAGAIN);
    CHECK_ERRNO(sys3(SYS_read, s, (long)&info, sizeof(info) - 1), EINVAL);
    CHECK_EQ(poll_one(s, POLLIN), 0);
    long self = sys0(SYS_getpid);
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR2), 0);
    CHECK_EQ(poll_one(s, POLLIN), POLLIN);
    CHECK_EQ(pending_signals() & SIGBIT(SIGUSR2), SIGBIT(SIGUSR2));
    __builtin_memset(&info, 0x55, sizeof(info));
    CHECK_EQ(sys3(SYS_read, s, (long)&info, sizeof(info)), sizeof(info));
    CHECK_EQ(info.ssi_signo, SIGUSR2);
    CHECK_EQ(info.ssi_code, SI_USER);
    CHECK_EQ(info.ssi_pid, self);
    CHECK_EQ(info.ssi_uid, sys0(SYS_getuid));
    CHECK_EQ(info.ssi_errno, 0);
    /* Read: no longer pending, nor delivered. */
    CHECK_EQ(pending_signals() & SIGBIT(SIGUSR2), 0);
    /* Two signals, a buffer for two: both in one read, lowest first. */
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR2), 0);
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR1), 0);
    struct signalfd_siginfo two[2];
    CHECK_EQ(sys3(SYS_read, s, (long)two, sizeof(two)), sizeof(two));
    CHECK_EQ(two[0].ssi_signo, SIGUSR1);
    CHECK_EQ(two[1].ssi_signo, SIGUSR2);
    /* A new mask through the same descriptor: only SIGUSR1 now; SIGUSR2
     * stays pending; SIGKILL and SIGSTOP are silently left out. */
    unsigned long only1 = SIGBIT(SIGUSR1) | SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
    CHECK_EQ(sys4(SYS_signalfd4, s, (long)&only1, 8, 0), s);
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR2), 0);
    CHECK_ERRNO(sys3(SYS_read, s, (long)&info, sizeof(info)), EAGAIN);
    CHECK_EQ(pending_signals() & SIGBIT(SIGUSR2), SIGBIT(SIGUSR2));
    /* tgkill: SI_TKILL. */
    CHECK_EQ(sys3(SYS_tgkill, self, sys0(SYS_gettid), SIGUSR1), 0);
    CHECK_EQ(sys3(SYS_read, s, (long)&info, sizeof(info)), sizeof(info));
    CHECK_EQ(info.ssi_signo, SIGUSR1);
    CHECK_EQ(info.ssi_code, SI_TKILL);
    /* Drop the pending SIGUSR2 through a second signalfd. */
    unsigned long only2 = SIGBIT(SIGUSR2);
    long s2 = sys4(SYS_signalfd4, -1, (long)&only2, 8, SFD_NONBLOCK);
    CHECK_EQ(sys3(SYS_read, s2, (long)&info, sizeof(info)), sizeof(info));
    CHECK_EQ(info.ssi_signo, SIGUSR2);
    sys1(SYS_close, s2);
    /* A blocking read woken by another process's signal. */
    CHECK_EQ(sys4(SYS_signalfd4, s, (long)&mask, 8, 0), s);
    long blocking = sys4(SYS_signalfd, -1, (long)&mask, 8, 0);
    CHECK(blocking >= 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sleep_ms(20);
        sys2(SYS_kill, self, SIGUSR1);
        sys1(SYS_exit_group, 0);
    }
    CHECK_EQ(sys3(SYS_read, blocking, (long)&info, sizeof(info)), sizeof(info));
    CHECK_EQ(info.ssi_signo, SIGUSR1);
    CHECK_EQ(info.ssi_pid, pid);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    sys1(SYS_close, blocking);
    sys1(SYS_close, s);
    signal_mask(SIG_SETMASK, old);
}

static long settime(long t, int flags, long value_ns, long interval_ns, struct itimerspec* old) {
    struct itimerspec s = {{interval_ns / 1000000000, interval_ns % 1000000000},
                           {value_ns / 1000000000, value_ns % 1000000000}};
    return sys4(SYS_timerfd_settime, t, flags, (long)&s, (long)old);
}

static void timerfd_expiries(void) {
    CHECK_ERRNO(sys2(SYS_timerfd_create, CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_timerfd_create, 99, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_timerfd_create, CLOCK_MONOTONIC, 4), EINVAL);
    long t = sys2(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_NONBLOCK);
    CHECK(t >= 0);
    CHECK_EQ(mode_of(t) & 0170000, 0);
    unsigned long count = 0;
    struct itimerspec now;
    /* Disarmed: nothing to read, zeros from gettime. */
    CHECK_ERRNO(sys3(SYS_read, t, (long)&count, 8), EAGAIN);
    CHECK_ERRNO(sys3(SYS_read, t, (long)&count, 7), EINVAL);
    CHECK_EQ(sys2(SYS_timerfd_gettime, t, (long)&now), 0);
    CHECK(now.value.tv_sec == 0 && now.value.tv_nsec == 0 && now.interval.tv_sec == 0);
    CHECK_EQ(poll_one(t, POLLIN), 0);
    /* Bad settings. */
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    CHECK_ERRNO(sys4(SYS_timerfd_settime, t, 0, (long)&bad, 0), EINVAL);
    bad.value.tv_nsec = -1;
    CHECK_ERRNO(sys4(SYS_timerfd_settime, t, 0, (long)&bad, 0), EINVAL);
    CHECK_ERRNO(settime(t, 4, 1000, 0, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_timerfd_settime, t, 0, 8, 0), EFAULT);
    CHECK_ERRNO(settime(999, 0, 1000, 0, 0), EBADF);
    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_ERRNO(settime(p[0], 0, 1000, 0, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_timerfd_gettime, p[0], (long)&now), EINVAL);
    sys1(SYS_close, p[0]);
    sys1(SYS_close, p[1]);
    CHECK_ERRNO(sys2(SYS_timerfd_gettime, t, 8), EFAULT);

    /* A long one-shot: armed, time left below what was set; the old
     * setting comes back from the next settime. */
    CHECK_EQ(settime(t, 0, 100L * 1000000000, 0, 0), 0);
    CHECK_EQ(sys2(SYS_timerfd_gettime, t, (long)&now), 0);
    CHECK(now.value.tv_sec <= 100 && (now.value.tv_sec > 0 || now.value.tv_nsec > 0));
    CHECK_ERRNO(sys3(SYS_read, t, (long)&count, 8), EAGAIN);
    struct itimerspec old;
    CHECK_EQ(settime(t, 0, 0, 0, &old), 0); /* disarm */
    CHECK(old.value.tv_sec <= 100 && old.value.tv_sec >= 1);
    CHECK_EQ(sys2(SYS_timerfd_gettime, t, (long)&now), 0);
    CHECK(now.value.tv_sec == 0 && now.value.tv_nsec == 0);

    /* A short one-shot expires once: poll says so, the read gives 1. */
    CHECK_EQ(settime(t, 0, 5000000, 0, 0), 0);
    struct pollfd pf = {(int)t, POLLIN, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&pf, 1, -1), 1);
    CHECK_EQ(pf.revents, POLLIN);
    CHECK_EQ(sys3(SYS_read, t, (long)&count, 8), 8);
    CHECK_EQ(count, 1);
    CHECK_ERRNO(sys3(SYS_read, t, (long)&count, 8), EAGAIN);
    CHECK_EQ(sys2(SYS_timerfd_gettime, t, (long)&now), 0);
    CHECK(now.value.tv_sec == 0 && now.value.tv_nsec == 0);

    /* Periodic: expiries add up while nobody reads; gettime shows the
     * interval. */
    CHECK_EQ(settime(t, 0, 2000000, 2000000, 0), 0);
    CHECK_EQ(sys2(SYS_timerfd_gettime, t, (long)&now), 0);
    CHECK_EQ(now.interval.tv_sec, 0);
    CHECK_EQ(now.interval.tv_nsec, 2000000);
    sleep_ms(30);
    CHECK_EQ(sys3(SYS_read, t, (long)&count, 8), 8);
    CHECK(count >= 2);
    settime(t, 0, 0, 0, 0);
    sys1(SYS_close, t);

    /* Absolute on the realtime clock, in the past: expired at once; and a
     * blocking read of a monotonic timer. */
    t = sys2(SYS_timerfd_create, CLOCK_REALTIME, 0);
    CHECK(t >= 0);
    struct timespec wall;
    CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&wall), 0);
    struct itimerspec past = {{0, 0}, {wall.tv_sec - 10, 0}};
    CHECK_EQ(sys4(SYS_timerfd_settime, t, TFD_TIMER_ABSTIME, (long)&past, 0), 0);
    CHECK_EQ(sys3(SYS_read, t, (long)&count, 8), 8);
    CHECK_EQ(count, 1);
    sys1(SYS_close, t);
    t = sys2(SYS_timerfd_create, CLOCK_BOOTTIME, 0);
    CHECK(t >= 0);
    CHECK_EQ(settime(t, 0, 10000000, 0, 0), 0);
    CHECK_EQ(sys3(SYS_read, t, (long)&count, 8), 8);
    CHECK_EQ(count, 1);
    sys1(SYS_close, t);
}

static void body(void) {
    eventfd_counter();
    signalfd_reads();
    timerfd_expiries();
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    return run_with_leak_check("event_fds", body);
}
