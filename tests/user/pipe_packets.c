/* pipe_packets: pipe2's flags (O_CLOEXEC, O_NONBLOCK, O_DIRECT, and EINVAL
 * for the rest) and packet mode: each write is a packet read whole by one
 * read, a short read drops the packet's rest, a write over PIPE_BUF is cut
 * into PIPE_BUF packets, the pipe holds one packet per page of its size,
 * F_GETFL reports O_DIRECT on the write end, poll sees the packets. */
#include "wait_helpers.h"

#define FD_CLOEXEC 1
#define F_SETPIPE_SZ 1031
#define PIPE_BUF 4096

static void flags(void) {
    int p[2] = {-1, -1};
    CHECK_ERRNO(sys2(SYS_pipe2, (long)p, 1), EINVAL);
    CHECK_ERRNO(sys2(SYS_pipe2, (long)p, 0100), EINVAL); /* O_CREAT */
    CHECK_ERRNO(sys2(SYS_pipe2, 8, 0), EFAULT);
    CHECK_EQ(sys2(SYS_pipe2, (long)p, O_CLOEXEC | O_NONBLOCK), 0);
    for (int i = 0; i < 2; ++i) {
        CHECK_EQ(sys2(SYS_fcntl, p[i], F_GETFD), FD_CLOEXEC);
        CHECK_EQ(sys2(SYS_fcntl, p[i], F_GETFL), (i == 0 ? O_RDONLY : 1) | O_NONBLOCK);
    }
    char c;
    CHECK_ERRNO(sys3(SYS_read, p[0], (long)&c, 1), EAGAIN);
    sys1(SYS_close, p[0]);
    sys1(SYS_close, p[1]);
}

static void packets(void) {
    int p[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)p, O_DIRECT | O_NONBLOCK), 0);
    /* Linux keeps O_DIRECT on the write end only (the pipe is in packet
     * mode either way). */
    CHECK_EQ(sys2(SYS_fcntl, p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
    CHECK_EQ(sys2(SYS_fcntl, p[1], F_GETFL), 1 | O_NONBLOCK | O_DIRECT);
    char buffer[3 * PIPE_BUF];
    /* Two writes, two reads, whatever the buffer. */
    CHECK_EQ(sys3(SYS_write, p[1], (long)"abc", 3), 3);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"defgh", 5), 5);
    int ready = 0;
    CHECK_EQ(sys3(SYS_ioctl, p[0], 0x541B /* FIONREAD */, (long)&ready), 0);
    CHECK_EQ(ready, 8);
    CHECK_EQ(sys3(SYS_read, p[0], (long)buffer, sizeof(buffer)), 3);
    CHECK(buffer[0] == 'a' && buffer[2] == 'c');
    CHECK_EQ(sys3(SYS_read, p[0], (long)buffer, sizeof(buffer)), 5);
    CHECK(buffer[0] == 'd' && buffer[4] == 'h');
    CHECK_ERRNO(sys3(SYS_read, p[0], (long)buffer, sizeof(buffer)), EAGAIN);
    /* A short read takes the front of a packet and drops the rest. */
    CHECK_EQ(sys3(SYS_write, p[1], (long)"12345", 5), 5);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"67", 2), 2);
    CHECK_EQ(sys3(SYS_read, p[0], (long)buffer, 2), 2);
    CHECK(buffer[0] == '1' && buffer[1] == '2');
    CHECK_EQ(sys3(SYS_read, p[0], (long)buffer, sizeof(buffer)), 2);
    CHECK(buffer[0] == '6' && buffer[1] == '7');
    /* Over PIPE_BUF: packets of PIPE_BUF bytes. */
    for (int i = 0; i < (int)sizeof(buffer); ++i) {
        buffer[i] = (char)i;
    }
    CHECK_EQ(sys3(SYS_write, p[1], (long)buffer, PIPE_BUF + 10), PIPE_BUF + 10);
    char in[3 * PIPE_BUF];
    CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), PIPE_BUF);
    CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), 10);
    CHECK_EQ(in[0], (char)PIPE_BUF);
    /* 64 KiB holds 16 packets, however small. */
    int written = 0;
    while (sys3(SYS_write, p[1], (long)"x", 1) == 1 && written < 100) {
        ++written;
    }
    CHECK_EQ(written, 16);
    struct pollfd w = {p[1], POLLOUT, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&w, 1, 0), 0);
    struct pollfd r = {p[0], POLLIN, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&r, 1, 0), 1);
    CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), 1);
    CHECK_EQ(sys3(SYS_poll, (long)&w, 1, 0), 1);
    /* Shrunk to one page: one packet; and the 15 held are too many. */
    CHECK_ERRNO(sys3(SYS_fcntl, p[1], F_SETPIPE_SZ, PIPE_BUF), EBUSY);
    for (int i = 0; i < 15; ++i) {
        CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), 1);
    }
    CHECK_EQ(sys3(SYS_fcntl, p[1], F_SETPIPE_SZ, PIPE_BUF), PIPE_BUF);
    CHECK_EQ(sys3(SYS_write, p[1], (long)"a", 1), 1);
    CHECK_ERRNO(sys3(SYS_write, p[1], (long)"b", 1), EAGAIN);
    CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), 1);
    /* The writer gone: end of file. */
    sys1(SYS_close, p[1]);
    CHECK_EQ(sys3(SYS_read, p[0], (long)in, sizeof(in)), 0);
    sys1(SYS_close, p[0]);
}

static void body(void) {
    flags();
    packets();
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    return run_with_leak_check("pipe_packets", body);
}
