/* signal_queue_limit: RLIMIT_SIGPENDING, counted as Linux counts it (both):
 * every siginfo waiting takes an entry, charged to the user (all of the
 * user's processes: /proc/self/status's SigQ is "entries/limit"), and the
 * target's soft limit bounds them. Over the limit:
 *  - a real-time signal from sigqueue (SI_QUEUE) or tgkill (SI_TKILL) is
 *    refused with EAGAIN;
 *  - one from kill() (SI_USER) still waits, without its siginfo (it is
 *    taken as SI_USER from pid 0);
 *  - a standard signal from sigqueue waits without its siginfo, one from
 *    kill() gets its entry all the same (sender's pid and all);
 *  - a POSIX timer's signal comes with its siginfo (its entry is the
 *    timer's own on Linux).
 * Another process goes on meanwhile, and taking the signals gives the
 * entries back. */
#include "check.h"

enum { RT = 34, LIMIT = 16, SIGUSR1_ = 10, SIGUSR2_ = 12 };

struct siginfo {
    int signo, errno_, code, pad;
    int pid;
    unsigned uid;
    long value;
    long rest[12];
};

struct rlimit {
    unsigned long soft, hard;
};

static unsigned long bit(int signal) {
    return 1UL << (signal - 1);
}

/* SigQ's two numbers from /proc/self/status. */
static int sigq(long* queued, long* limit) {
    static char text[4096];
    const long fd = sys2(SYS_open, (long)"/proc/self/status", 0);
    const long n = fd >= 0 ? sys3(SYS_read, fd, (long)text, sizeof(text) - 1) : -1;
    sys1(SYS_close, fd);
    if (n <= 0) {
        return 0;
    }
    text[n] = 0;
    for (const char* at = text; *at; ++at) {
        if (at[0] == 'S' && at[1] == 'i' && at[2] == 'g' && at[3] == 'Q' && at[4] == ':') {
            at += 5;
            while (*at == '\t' || *at == ' ') {
                ++at;
            }
            *queued = 0;
            while (*at >= '0' && *at <= '9') {
                *queued = *queued * 10 + (*at++ - '0');
            }
            if (*at++ != '/') {
                return 0;
            }
            *limit = 0;
            while (*at >= '0' && *at <= '9') {
                *limit = *limit * 10 + (*at++ - '0');
            }
            return 1;
        }
    }
    return 0;
}

static long queue(int signal, int code) {
    struct siginfo info = {signal, 0, code, 0, (int)sys0(SYS_getpid), 0, 77, {0}};
    return sys3(SYS_rt_sigqueueinfo, sys0(SYS_getpid), signal, (long)&info);
}

/* Takes one waiting instance of signal, without waiting. */
static long take(int signal, struct siginfo* info) {
    const unsigned long set = bit(signal);
    struct {
        long s, ns;
    } zero = {0, 0};
    return sys4(SYS_rt_sigtimedwait, (long)&set, (long)info, (long)&zero, 8);
}

/* Fills the user's entries up to LIMIT with queued RT signals; how many
 * it queued. If the count moved meanwhile (another of the user's
 * processes queued or took signals: only on a busy Linux), -1. */
static long fill(long before) {
    long made = 0;
    while (made < 4 * LIMIT && queue(RT, -1 /* SI_QUEUE */) == 0) {
        ++made;
    }
    long now = 0, limit = 0;
    CHECK(sigq(&now, &limit));
    CHECK_EQ(limit, LIMIT);
    return now == before + made ? made : -1;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    struct rlimit old;
    CHECK_EQ(sys2(SYS_getrlimit, 11 /* RLIMIT_SIGPENDING */, (long)&old), 0);
    if (on_kite()) {
        /* Linux's default: half of kernel.threads-max. */
        char text[32] = {0};
        const long fd = sys2(SYS_open, (long)"/proc/sys/kernel/threads-max", 0);
        CHECK(sys3(SYS_read, fd, (long)text, sizeof(text) - 1) > 0);
        sys1(SYS_close, fd);
        long threads = 0;
        for (const char* at = text; *at >= '0' && *at <= '9'; ++at) {
            threads = threads * 10 + (*at - '0');
        }
        CHECK_EQ((long)old.soft, threads / 2);
        CHECK_EQ((long)old.hard, threads / 2);
    }
    const struct rlimit small = {LIMIT, old.hard};
    CHECK_EQ(sys2(SYS_setrlimit, 11, (long)&small), 0);
    const unsigned long blocked =
        bit(RT) | bit(RT + 1) | bit(RT + 2) | bit(SIGUSR1_) | bit(SIGUSR2_);
    CHECK_EQ(sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&blocked, 0, 8), 0);

    /* A POSIX timer for RT + 2, made first: Linux charges its entry when
     * the timer is made (timer_create is EAGAIN over the limit), Kite when
     * it fires; either way the limit never drops its signal. */
    struct {
        long value;
        int signo, notify;
        long pad[6];
    } event = {5, RT + 2, 0 /* SIGEV_SIGNAL */, {0}};
    int timer = -1;
    CHECK_EQ(sys3(SYS_timer_create, 1 /* CLOCK_MONOTONIC */, (long)&event, (long)&timer), 0);

    /* The user's entries before, then as many RT signals as fit. */
    long before = 0, limit = 0, made = -1;
    for (int attempt = 0; attempt < 20 && made < 0; ++attempt) {
        CHECK(sigq(&before, &limit));
        if (before >= LIMIT) {
            break;
        }
        made = fill(before);
        if (made < 0) { /* give them back and try again */
            struct siginfo info;
            while (take(RT, &info) == RT) {
            }
        }
    }
    CHECK(before < LIMIT);
    CHECK_EQ(made, LIMIT - before);

    /* Full. Real-time: refused from sigqueue and tgkill, ... */
    CHECK_ERRNO(queue(RT, -1), EAGAIN);
    CHECK_ERRNO(queue(RT + 1, -1), EAGAIN);
    CHECK_ERRNO(sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), RT + 1), EAGAIN);
    /* ... waiting without its siginfo from kill(). */
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), RT + 1), 0);
    unsigned long pending = 0;
    CHECK_EQ(sys2(SYS_rt_sigpending, (long)&pending, 8), 0);
    CHECK((pending & bit(RT + 1)) != 0);
    /* Standard: kill's gets its entry, sigqueue's waits without one. */
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR2_), 0);
    CHECK_EQ(queue(SIGUSR1_, -1), 0);
    long now = 0;
    CHECK(sigq(&now, &limit));
    CHECK_EQ(now, LIMIT + 1); /* kill's SIGUSR2 */

    /* Another process still works (and its own sigqueue to us fails). */
    const long child = sys0(SYS_fork);
    if (child == 0) {
        struct siginfo info = {RT, 0, -1, 0, 0, 0, 5, {0}};
        const long got = sys3(SYS_rt_sigqueueinfo, sys0(SYS_getppid), RT, (long)&info);
        sys1(SYS_exit_group, got == -EAGAIN ? 42 : 1);
    }
    int status = 0;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status, 42 << 8);

    /* The timer's signal comes all the same, with its siginfo. */
    const struct { long interval_s, interval_ns, value_s, value_ns; } soon = {0, 0, 0, 1000000};
    CHECK_EQ(sys4(SYS_timer_settime, timer, 0, (long)&soon, 0), 0);
    struct siginfo info;
    const unsigned long timer_set = bit(RT + 2);
    const struct { long s, ns; } patience = {60, 0}; /* only against a hang: it comes after 1 ms */
    CHECK_EQ(sys4(SYS_rt_sigtimedwait, (long)&timer_set, (long)&info, (long)&patience, 8), RT + 2);
    CHECK_EQ(info.code, -2); /* SI_TIMER */
    CHECK_EQ(sys1(SYS_timer_delete, timer), 0);

    /* What each one carries. */
    CHECK_EQ(take(RT + 1, &info), RT + 1);
    CHECK_EQ(info.code, 0); /* SI_USER */
    CHECK_EQ(info.pid, 0);  /* its siginfo was lost */
    CHECK_EQ(take(RT + 1, &info), -EAGAIN);
    CHECK_EQ(take(SIGUSR2_, &info), SIGUSR2_);
    CHECK_EQ(info.code, 0);
    CHECK_EQ(info.pid, sys0(SYS_getpid));
    CHECK_EQ(take(SIGUSR1_, &info), SIGUSR1_);
    CHECK_EQ(info.code, 0);
    CHECK_EQ(info.pid, 0);
    CHECK_EQ(info.value, 0);
    long taken = 0;
    while (take(RT, &info) == RT) {
        CHECK_EQ(info.code, -1);
        CHECK_EQ(info.value, 77);
        ++taken;
    }
    CHECK_EQ(taken, made);

    /* Given back: room again. */
    CHECK(sigq(&now, &limit));
    if (on_kite()) {
        CHECK_EQ(now, before);
    }
    CHECK_EQ(queue(RT, -1), 0);
    CHECK_EQ(take(RT, &info), RT);
    CHECK_EQ(sys4(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&blocked, 0, 8), 0);
    CHECK_EQ(sys2(SYS_setrlimit, 11, (long)&old), 0);
    rt_print("signal_queue_limit: ");
    rt_print_number(made);
    rt_print(" queued under RLIMIT_SIGPENDING ");
    rt_print_number(LIMIT);
    rt_print(" (");
    rt_print_number(before);
    rt_print(" of the user's waiting before), then EAGAIN\n");
    return check_done("signal_queue_limit");
}
