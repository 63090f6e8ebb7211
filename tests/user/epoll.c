/* epoll: epoll_create1, epoll_ctl, epoll_wait and epoll_pwait over pipes,
 * FIFOs, eventfds and another epoll: level- and edge-triggered readiness
 * changing under the wait, EPOLLONESHOT, EPOLLHUP and EPOLLERR, an entry
 * going with the last descriptor of its open file (and staying while a dup
 * lives), a blocking wait woken by another process, timeouts, a signal
 * ending the wait (EINTR) and epoll_pwait's mask, and every bad argument
 * with Linux's errno. */
#include "wait_helpers.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define FD_CLOEXEC 1
#define O_CREAT 0100
#define O_WRONLY 1
#define S_IFIFO 0010000
#define AT_FDCWD (-100)
#define EFD_NONBLOCK O_NONBLOCK

/* Linux's struct epoll_event is packed on x86-64: 12 bytes. */
struct epoll_event {
    unsigned events;
    unsigned long data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event) == 12, "epoll_event is 12 bytes on x86-64");

static long ctl(long ep, int op, long fd, unsigned events, unsigned long data) {
    struct epoll_event e = {events, data};
    return sys4(SYS_epoll_ctl, ep, op, fd, (long)&e);
}

static long wait_ms(long ep, struct epoll_event* out, int max, int ms) {
    return sys4(SYS_epoll_wait, ep, (long)out, max, ms);
}

static void create_and_bad_arguments(void) {
    long ep = sys1(SYS_epoll_create1, 0);
    CHECK(ep >= 0);
    CHECK_EQ(sys2(SYS_fcntl, ep, F_GETFD), 0);
    long ep2 = sys1(SYS_epoll_create1, EPOLL_CLOEXEC);
    CHECK(ep2 >= 0);
    CHECK_EQ(sys2(SYS_fcntl, ep2, F_GETFD), FD_CLOEXEC);
    CHECK_ERRNO(sys1(SYS_epoll_create1, 1), EINVAL);
    CHECK_ERRNO(sys1(SYS_epoll_create, 0), EINVAL);
    CHECK_ERRNO(sys1(SYS_epoll_create, -1), EINVAL);
    long ep3 = sys1(SYS_epoll_create, 1);
    CHECK(ep3 >= 0);
    /* An anonymous inode: no file type bits. */
    CHECK_EQ(mode_of(ep) & 0170000, 0);

    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 0), EBADF);
    CHECK_ERRNO(ctl(999, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), EBADF);
    CHECK_ERRNO(ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0), EINVAL); /* not an epoll */
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), EINVAL);     /* itself */
    CHECK_ERRNO(ctl(ep, 7, p[0], EPOLLIN, 0), EINVAL);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0), ENOENT);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), ENOENT);
    CHECK_ERRNO(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], 8), EFAULT);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1), 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1), EEXIST);
    /* EPOLLEXCLUSIVE: not with MOD, nor with EPOLLONESHOT. */
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL);
    /* DEL ignores its event pointer (even a bad one). */
    CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[0], 8), 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), ENOENT);

    /* Regular files, directories and /dev/null have no poll: EPERM. */
    long file = sys3(SYS_open, (long)"/tmp/epoll-file", O_CREAT | O_RDWR, 0600);
    CHECK(file >= 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, file, EPOLLIN, 0), EPERM);
    long dir = sys2(SYS_open, (long)"/", O_RDONLY);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, dir, EPOLLIN, 0), EPERM);
    long null = sys2(SYS_open, (long)"/dev/null", O_RDWR);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, null, EPOLLIN, 0), EPERM);
    sys1(SYS_close, file);
    sys1(SYS_close, dir);
    sys1(SYS_close, null);
    sys1(SYS_unlink, (long)"/tmp/epoll-file");

    struct epoll_event out[4];
    CHECK_ERRNO(wait_ms(ep, out, 0, 0), EINVAL);
    CHECK_ERRNO(wait_ms(ep, out, -1, 0), EINVAL);
    CHECK_ERRNO(wait_ms(p[0], out, 4, 0), EINVAL);
    CHECK_ERRNO(wait_ms(999, out, 4, 0), EBADF);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 5), 0);
    CHECK_ERRNO(wait_ms(ep, (struct epoll_event*)8, 4, 0), EFAULT);
    /* Nested: an epoll watching one that loops back to it is ELOOP. */
    CHECK_EQ(ctl(ep2, EPOLL_CTL_ADD, ep, EPOLLIN, 0), 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, ep2, EPOLLIN, 0), ELOOP);
    for (int i = 0; i < 2; ++i) {
        sys1(SYS_close, p[i]);
    }
    sys1(SYS_close, ep);
    sys1(SYS_close, ep2);
    sys1(SYS_close, ep3);
}

static void level_and_edge(void) {
    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    long lt = sys1(SYS_epoll_create1, 0);
    long et = sys1(SYS_epoll_create1, 0);
    CHECK_EQ(ctl(lt, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x1122334455667788UL), 0);
    CHECK_EQ(ctl(et, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 42), 0);
    struct epoll_event out[4];
    CHECK_EQ(wait_ms(lt, out, 4, 0), 0);
    CHECK_EQ(wait_ms(et, out, 4, 0), 0);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"ab", 2), 2);
    /* Level: reported at every wait while readable, with its data. */
    for (int i = 0; i < 2; ++i) {
        out[0].events = 0, out[0].data = 0;
        CHECK_EQ(wait_ms(lt, out, 4, 0), 1);
        CHECK_EQ(out[0].events, EPOLLIN);
        CHECK_EQ(out[0].data, 0x1122334455667788UL);
    }
    /* Edge: once, then not until something new happens. */
    CHECK_EQ(wait_ms(et, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLIN);
    CHECK_EQ(out[0].data, 42);
    CHECK_EQ(wait_ms(et, out, 4, 0), 0);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"c", 1), 1);
    CHECK_EQ(wait_ms(et, out, 4, 0), 1); /* a new write: a new edge */
    CHECK_EQ(wait_ms(et, out, 4, 0), 0);
    /* MOD re-arms the edge and changes the data. */
    CHECK_EQ(ctl(et, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 43), 0);
    CHECK_EQ(wait_ms(et, out, 4, 0), 1);
    CHECK_EQ(out[0].data, 43);
    /* Drained: level stops reporting. */
    char buffer[8];
    CHECK_EQ(sys3(SYS_read, p[0], (long)buffer, sizeof(buffer)), 3);
    CHECK_EQ(wait_ms(lt, out, 4, 0), 0);
    /* The writer gone: EPOLLHUP whether asked for or not. */
    sys1(SYS_close, p[1]);
    CHECK_EQ(wait_ms(lt, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLHUP);
    CHECK_EQ(wait_ms(et, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLHUP);
    sys1(SYS_close, p[0]);
    /* The reader gone: the write end reports EPOLLOUT and EPOLLERR. */
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_EQ(ctl(lt, EPOLL_CTL_ADD, p[1], EPOLLOUT, 7), 0);
    CHECK_EQ(wait_ms(lt, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLOUT);
    sys1(SYS_close, p[0]);
    CHECK_EQ(wait_ms(lt, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLOUT | EPOLLERR);
    /* Only what was asked is reported (EPOLLERR and EPOLLHUP always). */
    CHECK_EQ(ctl(lt, EPOLL_CTL_MOD, p[1], EPOLLIN, 7), 0);
    CHECK_EQ(wait_ms(lt, out, 4, 0), 1);
    CHECK_EQ(out[0].events, EPOLLERR);
    sys1(SYS_close, p[1]);
    sys1(SYS_close, lt);
    sys1(SYS_close, et);
}

static void oneshot_and_many(void) {
    long ep = sys1(SYS_epoll_create1, 0);
    int p[4][2];
    for (int i = 0; i < 4; ++i) {
        CHECK_EQ(sys1(SYS_pipe, (long)p[i]), 0);
        CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, p[i][0], EPOLLIN | (i == 0 ? EPOLLONESHOT : 0), 100 + i),
                 0);
    }
    struct epoll_event out[8];
    CHECK_EQ(sys3(SYS_write, p[0][1], (long)"x", 1), 1);
    CHECK_EQ(wait_ms(ep, out, 8, 0), 1);
    CHECK_EQ(out[0].data, 100);
    /* One shot: disabled after the report, though still readable. */
    CHECK_EQ(wait_ms(ep, out, 8, 0), 0);
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_ADD, p[0][0], EPOLLIN, 0), EEXIST);
    CHECK_EQ(ctl(ep, EPOLL_CTL_MOD, p[0][0], EPOLLIN | EPOLLONESHOT, 200), 0);
    CHECK_EQ(wait_ms(ep, out, 8, 0), 1);
    CHECK_EQ(out[0].data, 200);
    /* Three ready, room for two: two now, and the third is not lost. */
    for (int i = 1; i < 4; ++i) {
        CHECK_EQ(sys3(SYS_write, p[i][1], (long)"y", 1), 1);
    }
    CHECK_EQ(wait_ms(ep, out, 2, 0), 2);
    CHECK(out[0].data != out[1].data);
    CHECK_EQ(wait_ms(ep, out, 8, 0), 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(out[i].data >= 101 && out[i].data <= 103);
    }
    for (int i = 0; i < 4; ++i) {
        sys1(SYS_close, p[i][0]);
        sys1(SYS_close, p[i][1]);
    }
    sys1(SYS_close, ep);
}

static void entries_follow_open_files(void) {
    long ep = sys1(SYS_epoll_create1, 0);
    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"x", 1), 1);
    long copy = sys1(SYS_dup, p[0]);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 9), 0);
    struct epoll_event out[2];
    /* Closing one descriptor of two leaves the entry. */
    sys1(SYS_close, p[0]);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 1);
    CHECK_EQ(out[0].data, 9);
    /* ...and it cannot be named through the other descriptor (another fd). */
    CHECK_ERRNO(ctl(ep, EPOLL_CTL_DEL, copy, 0, 0), ENOENT);
    /* The last one closed: gone. */
    sys1(SYS_close, copy);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 0);
    sys1(SYS_close, p[1]);

    /* An eventfd and a FIFO in the same epoll. */
    long ev = sys2(SYS_eventfd2, 0, EFD_NONBLOCK);
    CHECK(ev >= 0);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, ev, EPOLLIN | EPOLLOUT, 1), 0);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 1);
    CHECK_EQ(out[0].events, EPOLLOUT);
    unsigned long one = 1;
    CHECK_EQ(sys3(SYS_write, ev, (long)&one, 8), 8);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 1);
    CHECK_EQ(out[0].events, EPOLLIN | EPOLLOUT);
    CHECK_EQ(ctl(ep, EPOLL_CTL_DEL, ev, 0, 0), 0);
    sys1(SYS_close, ev);
    sys1(SYS_unlink, (long)"/tmp/epoll-fifo");
    CHECK_EQ(sys4(SYS_mknodat, AT_FDCWD, (long)"/tmp/epoll-fifo", S_IFIFO | 0600, 0), 0);
    long fifo = sys2(SYS_open, (long)"/tmp/epoll-fifo", O_RDWR);
    CHECK(fifo >= 0);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, fifo, EPOLLIN | EPOLLET, 2), 0);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 0);
    CHECK_EQ(sys3(SYS_write, fifo, (long)"z", 1), 1);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 1);
    CHECK_EQ(out[0].data, 2);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 0);
    sys1(SYS_close, fifo);
    sys1(SYS_unlink, (long)"/tmp/epoll-fifo");

    /* Nested: the outer epoll is readable while the inner has events. */
    long inner = sys1(SYS_epoll_create1, 0);
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_EQ(ctl(inner, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), 0);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, inner, EPOLLIN, 77), 0);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 0);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"n", 1), 1);
    CHECK_EQ(wait_ms(ep, out, 2, 0), 1);
    CHECK_EQ(out[0].data, 77);
    CHECK_EQ(out[0].events, EPOLLIN);
    /* poll on an epoll descriptor works the same way. */
    struct pollfd pf = {(int)inner, POLLIN, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&pf, 1, 0), 1);
    CHECK_EQ(pf.revents, POLLIN);
    sys1(SYS_close, p[0]);
    sys1(SYS_close, p[1]);
    sys1(SYS_close, inner);
    sys1(SYS_close, ep);
}

static void blocking_waits(void) {
    long ep = sys1(SYS_epoll_create1, 0);
    int p[2];
    CHECK_EQ(sys1(SYS_pipe, (long)p), 0);
    CHECK_EQ(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 3), 0);
    struct epoll_event out[2];
    /* A timeout passes with nothing ready. */
    CHECK_EQ(wait_ms(ep, out, 2, 20), 0);
    /* Another process writes while this one waits for ever. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sleep_ms(30);
        sys3(SYS_write, p[1], (long)"w", 1);
        sys1(SYS_exit_group, 0);
    }
    CHECK_EQ(wait_ms(ep, out, 2, -1), 1);
    CHECK_EQ(out[0].data, 3);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    char c;
    CHECK_EQ(sys3(SYS_read, p[0], (long)&c, 1), 1);
    /* A handled signal ends the wait: EINTR (never restarted). */
    CHECK_EQ(catch_signal(SIGALRM), 0);
    handled = 0;
    alarm_in_ms(30);
    CHECK_ERRNO(wait_ms(ep, out, 2, -1), EINTR);
    CHECK_EQ(handled, 1);
    /* epoll_pwait: the mask holds only for the wait; a signal it blocks
     * stays pending, one it lets through ends the wait. */
    unsigned long old = signal_mask(SIG_BLOCK, SIGBIT(SIGALRM));
    unsigned long open_mask = old & ~SIGBIT(SIGALRM);
    handled = 0;
    alarm_in_ms(20);
    CHECK_ERRNO(sys6(SYS_epoll_pwait, ep, (long)out, 2, -1, (long)&open_mask, 8), EINTR);
    CHECK_EQ(handled, 1);
    CHECK_EQ(current_mask() & SIGBIT(SIGALRM), SIGBIT(SIGALRM));
    unsigned long blocked = old | SIGBIT(SIGALRM);
    CHECK_ERRNO(sys6(SYS_epoll_pwait, ep, (long)out, 2, 0, (long)&blocked, 7), EINVAL);
    CHECK_EQ(sys6(SYS_epoll_pwait, ep, (long)out, 2, 0, (long)&blocked, 8), 0);
    signal_mask(SIG_SETMASK, old);
    sys1(SYS_close, p[0]);
    sys1(SYS_close, p[1]);
    sys1(SYS_close, ep);
}

static void body(void) {
    create_and_bad_arguments();
    level_and_edge();
    oneshot_and_many();
    entries_follow_open_files();
    blocking_waits();
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    return run_with_leak_check("epoll", body);
}
