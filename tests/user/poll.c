/* poll: readiness of pipes (data, hang-up, room, no reader), the console's
 * and regular files' defaults, ignored and bad descriptors, a wait that a
 * child's write ends, a timeout that passes, and bad arguments. What
 * busybox's line editor and shell wait with. */
#include "check.h"

#define POLLIN 0x001
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define O_RDONLY 0

struct pollfd {
    int fd;
    short events;
    short revents;
};

static long poll1(int fd, short events, int timeout, short* revents) {
    struct pollfd entry = {fd, events, 0x7777};
    long n = sys3(SYS_poll, (long)&entry, 1, timeout);
    *revents = entry.revents;
    return n;
}

static void pipe_ends(void) {
    int fds[2];
    short revents;
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    /* Empty: the read end is not ready, the write end is. */
    CHECK_EQ(poll1(fds[0], POLLIN, 0, &revents), 0);
    CHECK_EQ(revents, 0);
    CHECK_EQ(poll1(fds[1], POLLOUT, 0, &revents), 1);
    CHECK_EQ(revents, POLLOUT);
    CHECK_EQ(poll1(fds[1], POLLOUT | POLLWRNORM | POLLIN, 0, &revents), 1);
    CHECK_EQ(revents, POLLOUT | POLLWRNORM); /* only what holds and was asked */
    /* Data: readable. */
    CHECK_EQ(sys3(SYS_write, fds[1], (long)"x", 1), 1);
    CHECK_EQ(poll1(fds[0], POLLIN | POLLRDNORM, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLRDNORM);
    /* Both at once: the count is of entries, not of events. */
    struct pollfd both[3] = {{fds[0], POLLIN, 0}, {-1, POLLIN, 0x55}, {fds[1], POLLOUT, 0}};
    CHECK_EQ(sys3(SYS_poll, (long)both, 3, 0), 2);
    CHECK_EQ(both[0].revents, POLLIN);
    CHECK_EQ(both[1].revents, 0); /* a negative fd is skipped, revents cleared */
    CHECK_EQ(both[2].revents, POLLOUT);
    /* The writer gone: hang-up, reported even when not asked for, with the
     * data still readable. */
    sys1(SYS_close, fds[1]);
    CHECK_EQ(poll1(fds[0], POLLIN, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLHUP);
    CHECK_EQ(poll1(fds[0], 0, 0, &revents), 1);
    CHECK_EQ(revents, POLLHUP);
    char byte;
    CHECK_EQ(sys3(SYS_read, fds[0], (long)&byte, 1), 1);
    CHECK_EQ(poll1(fds[0], POLLIN, 0, &revents), 1);
    CHECK_EQ(revents, POLLHUP);
    sys1(SYS_close, fds[0]);

    /* The reader gone: the write end reports an error. */
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    sys1(SYS_close, fds[0]);
    CHECK_EQ(poll1(fds[1], POLLOUT, 0, &revents), 1);
    CHECK_EQ(revents, POLLOUT | POLLERR);
    sys1(SYS_close, fds[1]);

    /* A full pipe is not writable until a reader makes room. */
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    static char block[4096];
    int writes = 0;
    while (poll1(fds[1], POLLOUT, 0, &revents) == 1 && writes < 64) {
        CHECK_EQ(sys3(SYS_write, fds[1], (long)block, sizeof(block)), (long)sizeof(block));
        ++writes;
    }
    CHECK_EQ(writes, 16); /* 64 KiB, Linux's default pipe size */
    CHECK_EQ(revents, 0);
    CHECK_EQ(sys3(SYS_read, fds[0], (long)block, sizeof(block)), (long)sizeof(block));
    CHECK_EQ(poll1(fds[1], POLLOUT, 0, &revents), 1);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

static void other_files(const char* data) {
    short revents;
    /* A regular file never blocks: readable and writable. */
    long fd = sys2(SYS_open, (long)data, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(poll1((int)fd, POLLIN | POLLOUT, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLOUT);
    sys1(SYS_close, fd);
    /* /dev/null likewise. */
    fd = sys2(SYS_open, (long)"/dev/null", O_RDONLY);
    CHECK_EQ(poll1((int)fd, POLLIN | POLLOUT, 0, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLOUT);
    sys1(SYS_close, fd);
    /* A descriptor that is not open: POLLNVAL, counted. */
    CHECK_EQ(poll1(999, POLLIN, 0, &revents), 1);
    CHECK_EQ(revents, POLLNVAL);
}

/* A poll with no timeout ends when a child writes; whether the write comes
 * before or during the wait, the answer is the same. */
static void wait_for_child(void) {
    int fds[2];
    short revents;
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_close, fds[0]);
        sys3(SYS_write, fds[1], (long)"go", 2);
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, fds[1]);
    CHECK_EQ(poll1(fds[0], POLLIN, -1, &revents), 1);
    CHECK_EQ(revents & POLLIN, POLLIN);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    /* The child has exited: its end is closed, so now hung up too. */
    CHECK_EQ(poll1(fds[0], POLLIN, -1, &revents), 1);
    CHECK_EQ(revents, POLLIN | POLLHUP);
    sys1(SYS_close, fds[0]);
}

static void timeouts_and_errors(void) {
    int fds[2];
    short revents = 0x7777;
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    /* Nothing comes: a short timeout passes and 0 entries are ready. */
    CHECK_EQ(poll1(fds[0], POLLIN, 20, &revents), 0);
    CHECK_EQ(revents, 0);
    CHECK_EQ(sys3(SYS_poll, 0, 0, 10), 0); /* no entries at all: a sleep */
    /* Bad arguments. */
    CHECK_ERRNO(sys3(SYS_poll, UNMAPPED_ADDRESS, 1, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_poll, 0, 1, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_poll, 0, 0x7fffffff, 0), EINVAL); /* beyond RLIMIT_NOFILE */
    /* nfds is an unsigned int: the upper half of the register is not read. */
    CHECK_EQ(sys3(SYS_poll, 0, 1L << 40, 0), 0);
    CHECK_ERRNO(sys3(SYS_poll, 0, (1L << 40) + 1, 0), EFAULT);
    /* A read-only array is read, but revents cannot be written back. */
    static const struct pollfd read_only = {-1, POLLIN, 0};
    CHECK_ERRNO(sys3(SYS_poll, (long)&read_only, 1, 0), EFAULT);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    pipe_ends();
    other_files(argc > 0 ? argv[0] : "/test/poll");
    wait_for_child();
    timeouts_and_errors();
    return check_done("poll");
}
