/* select_ppoll: ppoll, select and pselect6 over pipes: readiness (data,
 * the writer gone: POLLHUP, the reader gone: POLLERR), the bitmaps select
 * answers in place, EBADF for a closed descriptor in a set, timeouts (0,
 * short, the time left written back), a signal ending the wait (EINTR),
 * the wait's signal mask really applied and then put back, and bad
 * arguments. */
#include "wait_helpers.h"

typedef struct {
    unsigned long bits[16]; /* 1024 descriptors, glibc's fd_set */
} fd_set;

static void fd_zero(fd_set* set) {
    for (int i = 0; i < 16; ++i) {
        set->bits[i] = 0;
    }
}
static void fd_set_bit(int fd, fd_set* set) {
    set->bits[fd / 64] |= 1UL << (fd % 64);
}
static int fd_isset(int fd, const fd_set* set) {
    return (set->bits[fd / 64] >> (fd % 64)) & 1;
}

static long ppoll1(int fd, short events, const struct timespec* timeout, unsigned long* mask,
                   short* revents) {
    struct pollfd entry = {fd, events, 0x7777};
    long n = sys6(SYS_ppoll, (long)&entry, 1, (long)timeout, (long)mask, 8, 0);
    *revents = entry.revents;
    return n;
}

static void ppoll_readiness(void) {
    int fds[2];
    short revents;
    struct timespec zero = {0, 0};
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    CHECK_EQ(ppoll1(fds[0], POLLIN, &zero, 0, &revents), 0);
    CHECK_EQ(revents, 0);
    CHECK_EQ(ppoll1(fds[1], POLLOUT, &zero, 0, &revents), 1);
    CHECK_EQ(revents, POLLOUT);
    CHECK_EQ(sys3(SYS_write, fds[1], (long)"x", 1), 1);
    CHECK_EQ(ppoll1(fds[0], POLLIN, 0, 0, &revents), 1); /* null: no timeout, ready now */
    CHECK_EQ(revents, POLLIN);
    sys1(SYS_close, fds[1]);
    CHECK_EQ(ppoll1(fds[0], POLLIN, &zero, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLHUP);
    sys1(SYS_close, fds[0]);
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    sys1(SYS_close, fds[0]);
    CHECK_EQ(ppoll1(fds[1], POLLOUT, &zero, 0, &revents), 1);
    CHECK_EQ(revents, POLLOUT | POLLERR);
    sys1(SYS_close, fds[1]);
    /* /dev/null is always ready. */
    long null = sys2(SYS_open, (long)"/dev/null", O_RDWR);
    CHECK_EQ(ppoll1((int)null, POLLIN | POLLOUT, &zero, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLOUT);
    sys1(SYS_close, null);
}

static void ppoll_timeouts_and_errors(void) {
    int fds[2];
    short revents;
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    /* A short timeout passes; the time left (none) is written back. */
    struct timespec t = {0, 20 * 1000000};
    CHECK_EQ(ppoll1(fds[0], POLLIN, &t, 0, &revents), 0);
    CHECK_EQ(t.tv_sec, 0);
    CHECK_EQ(t.tv_nsec, 0);
    /* Ready at once: the time left is less than given, more than none. */
    struct timespec long_wait = {5, 0};
    CHECK_EQ(ppoll1(fds[1], POLLOUT, &long_wait, 0, &revents), 1);
    CHECK(long_wait.tv_sec <= 4 && long_wait.tv_sec >= 0 && long_wait.tv_nsec < 1000000000);
    CHECK(long_wait.tv_sec > 0 || long_wait.tv_nsec > 0);
    /* Bad timespecs, masks and arrays. */
    struct timespec bad = {0, 1000000000};
    CHECK_ERRNO(ppoll1(fds[0], POLLIN, &bad, 0, &revents), EINVAL);
    struct timespec negative = {-1, 0};
    CHECK_ERRNO(ppoll1(fds[0], POLLIN, &negative, 0, &revents), EINVAL);
    CHECK_ERRNO(sys6(SYS_ppoll, 0, 0, UNMAPPED_ADDRESS, 0, 8, 0), EFAULT);
    unsigned long mask = 0;
    struct timespec zero = {0, 0};
    CHECK_ERRNO(sys6(SYS_ppoll, 0, 0, (long)&zero, (long)&mask, 4, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_ppoll, 0, 0, (long)&zero, UNMAPPED_ADDRESS, 8, 0), EFAULT);
    CHECK_EQ(sys6(SYS_ppoll, 0, 0, (long)&zero, 0, 4, 0), 0); /* no mask: its size is not read */
    CHECK_ERRNO(sys6(SYS_ppoll, UNMAPPED_ADDRESS, 1, (long)&zero, 0, 8, 0), EFAULT);
    CHECK_ERRNO(sys6(SYS_ppoll, 0, 0x7fffffff, (long)&zero, 0, 8, 0), EINVAL);
    /* A descriptor not open: POLLNVAL. */
    CHECK_EQ(ppoll1(999, POLLIN, &zero, 0, &revents), 1);
    CHECK_EQ(revents, POLLNVAL);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

/* A signal ends a wait: EINTR after its handler. The mask ppoll is given
 * is the one in force while it waits: a signal blocked outside but let in
 * by it ends the wait at once, even sent before; afterwards the mask is
 * the old one again. A mask that blocks it leaves it pending. */
static void ppoll_signals(void) {
    int fds[2];
    short revents;
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    CHECK_EQ(catch_signal(SIGALRM), 0);
    CHECK_EQ(catch_signal(SIGUSR1), 0);
    handled = 0;
    alarm_in_ms(20);
    CHECK_ERRNO(ppoll1(fds[0], POLLIN, 0, 0, &revents), EINTR); /* no timeout */
    CHECK_EQ(handled, 1);
    handled = 0;
    alarm_in_ms(20);
    struct timespec t = {5, 0};
    CHECK_ERRNO(ppoll1(fds[0], POLLIN, &t, 0, &revents), EINTR);
    CHECK_EQ(handled, 1);
    CHECK(t.tv_sec < 5); /* the time left */

    signal_mask(SIG_BLOCK, SIGBIT(SIGUSR1));
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1), 0);
    CHECK_EQ(handled, 1); /* blocked: waiting */
    unsigned long blocks = SIGBIT(SIGUSR1);
    struct timespec short_wait = {0, 10 * 1000000};
    CHECK_EQ(ppoll1(fds[0], POLLIN, &short_wait, &blocks, &revents), 0);
    CHECK_EQ(handled, 1);
    CHECK(pending_signals() & SIGBIT(SIGUSR1));
    unsigned long lets_in = 0;
    struct timespec forever_ish = {10, 0};
    CHECK_ERRNO(ppoll1(fds[0], POLLIN, &forever_ish, &lets_in, &revents), EINTR);
    CHECK_EQ(handled, 2);
    CHECK_EQ(pending_signals() & SIGBIT(SIGUSR1), 0);
    CHECK(current_mask() & SIGBIT(SIGUSR1)); /* the old mask is back */
    /* Not interrupted: the old mask comes back too. */
    CHECK_EQ(sys1(SYS_close, fds[1]), 0);
    CHECK_EQ(ppoll1(fds[0], POLLIN, &forever_ish, &lets_in, &revents), 1);
    CHECK(current_mask() & SIGBIT(SIGUSR1));
    signal_mask(SIG_UNBLOCK, SIGBIT(SIGUSR1));
    sys1(SYS_close, fds[0]);
}

static long select5(int n, fd_set* r, fd_set* w, fd_set* e, struct timeval* t) {
    return sys6(SYS_select, n, (long)r, (long)w, (long)e, (long)t, 0);
}

static void select_bitmaps(void) {
    int a[2], b[2];
    CHECK_EQ(sys1(SYS_pipe, (long)a), 0);
    CHECK_EQ(sys1(SYS_pipe, (long)b), 0);
    int n = (b[1] > a[1] ? b[1] : a[1]) + 1;
    fd_set r, w, e;
    struct timeval zero = {0, 0};
    /* Nothing to read; both write ends writable. */
    fd_zero(&r), fd_zero(&w), fd_zero(&e);
    fd_set_bit(a[0], &r), fd_set_bit(b[0], &r), fd_set_bit(a[1], &w), fd_set_bit(b[1], &w);
    fd_set_bit(a[0], &e);
    CHECK_EQ(select5(n, &r, &w, &e, &zero), 2);
    CHECK(!fd_isset(a[0], &r) && !fd_isset(b[0], &r));
    CHECK(fd_isset(a[1], &w) && fd_isset(b[1], &w));
    CHECK(!fd_isset(a[0], &e));
    /* Data in b: only b's read end; a null set is neither read nor written. */
    CHECK_EQ(sys3(SYS_write, b[1], (long)"y", 1), 1);
    fd_zero(&r);
    fd_set_bit(a[0], &r), fd_set_bit(b[0], &r);
    CHECK_EQ(select5(n, &r, 0, 0, &zero), 1);
    CHECK(!fd_isset(a[0], &r) && fd_isset(b[0], &r));
    /* Bits at or past nfds are not looked at (nor written). */
    fd_zero(&r);
    fd_set_bit(b[0], &r);
    CHECK_EQ(select5(b[0], &r, 0, 0, &zero), 0);
    /* The writer gone: readable (end of file). */
    sys1(SYS_close, a[1]);
    fd_zero(&r);
    fd_set_bit(a[0], &r);
    CHECK_EQ(select5(n, &r, 0, 0, &zero), 1);
    CHECK(fd_isset(a[0], &r));
    /* The reader gone: writable (the write fails with EPIPE). */
    sys1(SYS_close, b[0]);
    fd_zero(&w);
    fd_set_bit(b[1], &w);
    CHECK_EQ(select5(n, 0, &w, 0, &zero), 1);
    CHECK(fd_isset(b[1], &w));
    /* A closed descriptor in a set: EBADF, before any wait. */
    fd_zero(&r);
    fd_set_bit(b[0], &r);
    struct timeval second = {1, 0};
    CHECK_ERRNO(select5(n, &r, 0, 0, &second), EBADF);
    sys1(SYS_close, a[0]);
    sys1(SYS_close, b[1]);
}

static void select_timeouts_and_errors(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    fd_set r;
    fd_zero(&r);
    fd_set_bit(fds[0], &r);
    /* A short timeout passes: 0, the set emptied, no time left. */
    struct timeval t = {0, 20000};
    CHECK_EQ(select5(fds[0] + 1, &r, 0, 0, &t), 0);
    CHECK(!fd_isset(fds[0], &r));
    CHECK_EQ(t.tv_sec, 0);
    CHECK_EQ(t.tv_usec, 0);
    /* Ready at once: the time left is written back, below what was given. */
    fd_set w;
    fd_zero(&w);
    fd_set_bit(fds[1], &w);
    struct timeval long_wait = {5, 0};
    CHECK_EQ(select5(fds[1] + 1, 0, &w, 0, &long_wait), 1);
    CHECK(long_wait.tv_sec * 1000000 + long_wait.tv_usec < 5000000);
    CHECK(long_wait.tv_sec >= 4);
    /* Microseconds past a second carry over (Linux); negative is EINVAL. */
    struct timeval carried = {0, 1500000};
    CHECK_EQ(select5(fds[1] + 1, 0, &w, 0, &carried), 1);
    struct timeval bad = {0, -1};
    CHECK_ERRNO(select5(fds[1] + 1, 0, &w, 0, &bad), EINVAL);
    struct timeval negative = {-1, 0};
    CHECK_ERRNO(select5(fds[1] + 1, 0, &w, 0, &negative), EINVAL);
    CHECK_ERRNO(select5(-1, 0, 0, 0, &t), EINVAL);
    CHECK_ERRNO(select5(1, (fd_set*)UNMAPPED_ADDRESS, 0, 0, &t), EFAULT);
    CHECK_ERRNO(select5(1, 0, 0, 0, (struct timeval*)UNMAPPED_ADDRESS), EFAULT);
    /* No descriptors: a sleep. */
    struct timeval nap = {0, 10000};
    CHECK_EQ(select5(0, 0, 0, 0, &nap), 0);
    /* A signal: EINTR after the handler. */
    CHECK_EQ(catch_signal(SIGALRM), 0);
    handled = 0;
    alarm_in_ms(20);
    fd_zero(&r);
    fd_set_bit(fds[0], &r);
    CHECK_ERRNO(select5(fds[0] + 1, &r, 0, 0, 0), EINTR);
    CHECK_EQ(handled, 1);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

/* pselect6's last argument: {sigset pointer, its size}. */
static void pselect_masks(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    fd_set r;
    struct timespec zero = {0, 0};
    fd_zero(&r);
    fd_set_bit(fds[0], &r);
    CHECK_EQ(sys6(SYS_pselect6, fds[0] + 1, (long)&r, 0, 0, (long)&zero, 0), 0);
    CHECK_EQ(sys3(SYS_write, fds[1], (long)"z", 1), 1);
    fd_zero(&r);
    fd_set_bit(fds[0], &r);
    CHECK_EQ(sys6(SYS_pselect6, fds[0] + 1, (long)&r, 0, 0, (long)&zero, 0), 1);
    CHECK(fd_isset(fds[0], &r));
    char byte;
    CHECK_EQ(sys3(SYS_read, fds[0], (long)&byte, 1), 1);

    unsigned long lets_in = 0;
    struct {
        unsigned long* mask;
        unsigned long size;
    } sig = {&lets_in, 8};
    CHECK_EQ(catch_signal(SIGUSR1), 0);
    signal_mask(SIG_BLOCK, SIGBIT(SIGUSR1));
    handled = 0;
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1), 0);
    struct timespec t = {10, 0};
    fd_zero(&r);
    fd_set_bit(fds[0], &r);
    CHECK_ERRNO(sys6(SYS_pselect6, fds[0] + 1, (long)&r, 0, 0, (long)&t, (long)&sig), EINTR);
    CHECK_EQ(handled, 1);
    CHECK(current_mask() & SIGBIT(SIGUSR1));
    CHECK(t.tv_sec < 10 && t.tv_sec >= 0);
    sig.size = 4;
    CHECK_ERRNO(sys6(SYS_pselect6, 0, 0, 0, 0, (long)&zero, (long)&sig), EINVAL);
    sig.size = 8;
    sig.mask = (unsigned long*)UNMAPPED_ADDRESS;
    CHECK_ERRNO(sys6(SYS_pselect6, 0, 0, 0, 0, (long)&zero, (long)&sig), EFAULT);
    CHECK_ERRNO(sys6(SYS_pselect6, 0, 0, 0, 0, (long)&zero, UNMAPPED_ADDRESS), EFAULT);
    struct timespec bad = {0, -1};
    CHECK_ERRNO(sys6(SYS_pselect6, 0, 0, 0, 0, (long)&bad, 0), EINVAL);
    signal_mask(SIG_UNBLOCK, SIGBIT(SIGUSR1));
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

static void all(void) {
    ppoll_readiness();
    ppoll_timeouts_and_errors();
    ppoll_signals();
    select_bitmaps();
    select_timeouts_and_errors();
    pselect_masks();
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    return run_with_leak_check("select_ppoll", all);
}
