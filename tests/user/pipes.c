/* pipes: pipe and pipe2, 1 MiB through a pipe between two processes, end of
 * file, EPIPE and SIGPIPE, a three-stage pipeline, O_NONBLOCK, and dup, dup2,
 * dup3 and fcntl. */
#include "check.h"

#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define EAGAIN_ 11
#define EPIPE_ 32

static long wait_child(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

static void megabyte(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_close, fds[0]);
        static unsigned char block[8192];
        for (long sent = 0; sent < (1 << 20); sent += sizeof(block)) {
            for (unsigned i = 0; i < sizeof(block); ++i) {
                block[i] = (unsigned char)((sent + i) * 7 + 3);
            }
            long at = 0;
            while (at < (long)sizeof(block)) {
                long n = sys3(SYS_write, fds[1], (long)block + at, sizeof(block) - at);
                if (n <= 0) {
                    sys1(SYS_exit, 1);
                }
                at += n;
            }
        }
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, fds[1]);
    static unsigned char buffer[5000];
    long total = 0;
    int intact = 1;
    long n;
    while ((n = sys3(SYS_read, fds[0], (long)buffer, sizeof(buffer))) > 0) {
        for (long i = 0; i < n; ++i) {
            intact = intact && buffer[i] == (unsigned char)((total + i) * 7 + 3);
        }
        total += n;
    }
    CHECK_EQ(n, 0); /* end of file once the writer is gone */
    CHECK_EQ(total, 1 << 20);
    CHECK(intact);
    CHECK_EQ(wait_child(pid), 0);
    sys1(SYS_close, fds[0]);
}

static void broken_pipe(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    /* The read end is closed before the fork: were it closed after, a child
     * that ran first would find a reader (the parent's copy) and its write
     * would succeed. */
    sys1(SYS_close, fds[0]);
    long pid = sys0(SYS_fork);
    if (pid == 0) { /* default SIGPIPE: killed */
        sys3(SYS_write, fds[1], (long)"x", 1);
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, fds[1]);
    CHECK_EQ(wait_child(pid) & 0x7f, 13);
    /* With SIGPIPE ignored, the write fails with EPIPE instead. */
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    sys1(SYS_close, fds[0]);
    long ignore[4] = {1 /* SIG_IGN */, 0, 0, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, 13, (long)ignore, 0, 8), 0);
    CHECK_ERRNO(sys3(SYS_write, fds[1], (long)"x", 1), EPIPE_);
    sys1(SYS_close, fds[1]);
    long restore[4] = {0, 0, 0, 0};
    sys4(SYS_rt_sigaction, 13, (long)restore, 0, 8);
}

/* printf 'hello world' | tr-like uppercase | count letters, with three processes. */
static void pipeline(void) {
    int a[2], b[2];
    CHECK_EQ(sys1(SYS_pipe, (long)a), 0);
    CHECK_EQ(sys1(SYS_pipe, (long)b), 0);
    long first = sys0(SYS_fork);
    if (first == 0) {
        sys2(SYS_dup2, a[1], 1);
        sys1(SYS_close, a[0]), sys1(SYS_close, a[1]), sys1(SYS_close, b[0]), sys1(SYS_close, b[1]);
        sys3(SYS_write, 1, (long)"hello world", 11);
        sys1(SYS_exit, 0);
    }
    long second = sys0(SYS_fork);
    if (second == 0) {
        sys2(SYS_dup2, a[0], 0);
        sys2(SYS_dup2, b[1], 1);
        sys1(SYS_close, a[0]), sys1(SYS_close, a[1]), sys1(SYS_close, b[0]), sys1(SYS_close, b[1]);
        char c;
        while (sys3(SYS_read, 0, (long)&c, 1) == 1) {
            if (c >= 'a' && c <= 'z') {
                c = (char)(c - 32);
            }
            sys3(SYS_write, 1, (long)&c, 1);
        }
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, a[0]), sys1(SYS_close, a[1]), sys1(SYS_close, b[1]);
    char out[32] = {0};
    long got = 0, n;
    while ((n = sys3(SYS_read, b[0], (long)out + got, sizeof(out) - 1 - got)) > 0) {
        got += n;
    }
    sys1(SYS_close, b[0]);
    CHECK(text_equal(out, "HELLO WORLD"));
    CHECK_EQ(wait_child(first), 0);
    CHECK_EQ(wait_child(second), 0);
}

static void nonblocking_and_descriptors(void) {
    int fds[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)fds, O_NONBLOCK | O_CLOEXEC), 0);
    char c;
    CHECK_ERRNO(sys3(SYS_read, fds[0], (long)&c, 1), EAGAIN_);
    CHECK_EQ(sys2(SYS_fcntl, fds[0], F_GETFD), 1);
    CHECK(sys2(SYS_fcntl, fds[0], F_GETFL) & O_NONBLOCK);
    static char fill[70000];
    CHECK_EQ(sys3(SYS_write, fds[1], (long)fill, sizeof(fill)), 65536); /* full at 64 KiB */
    CHECK_ERRNO(sys3(SYS_write, fds[1], (long)fill, 1), EAGAIN_);
    CHECK_EQ(sys3(SYS_fcntl, fds[0], F_SETFL, 0), 0);
    CHECK(!(sys2(SYS_fcntl, fds[0], F_GETFL) & O_NONBLOCK));
    CHECK_EQ(sys3(SYS_fcntl, fds[0], F_SETFD, 0), 0);
    CHECK_EQ(sys2(SYS_fcntl, fds[0], F_GETFD), 0);
    CHECK_ERRNO(sys2(SYS_pipe2, (long)fds, 0x1), EINVAL);
    CHECK_ERRNO(sys1(SYS_pipe, UNMAPPED_ADDRESS), EFAULT);

    long copy = sys1(SYS_dup, fds[1]);
    CHECK(copy > fds[1] || copy >= 0);
    CHECK_EQ(sys2(SYS_dup2, copy, 50), 50);
    CHECK_EQ(sys2(SYS_dup2, 50, 50), 50);
    CHECK_ERRNO(sys2(SYS_dup2, 77, 78), EBADF);
    CHECK_ERRNO(sys2(SYS_dup2, 50, -1), EBADF);
    CHECK_ERRNO(sys3(SYS_dup3, 50, 50, 0), EINVAL);
    CHECK_EQ(sys3(SYS_dup3, 50, 51, O_CLOEXEC), 51);
    CHECK_EQ(sys2(SYS_fcntl, 51, F_GETFD), 1);
    CHECK_ERRNO(sys3(SYS_dup3, 50, 52, 0x1), EINVAL);
    CHECK_EQ(sys3(SYS_fcntl, 50, F_DUPFD, 60), 60);
    CHECK_ERRNO(sys2(SYS_fcntl, 50, 9999), EINVAL);
    CHECK_ERRNO(sys1(SYS_dup, -1), EBADF);
    /* All the copies share one description: the offset-free pipe takes the
     * write through any of them, and its reader sees it. */
    char drain[65536];
    CHECK_EQ(sys3(SYS_read, fds[0], (long)drain, sizeof(drain)), 65536);
    CHECK_EQ(sys3(SYS_write, 60, (long)"z", 1), 1);
    CHECK_EQ(sys3(SYS_read, fds[0], (long)&c, 1), 1);
    CHECK_EQ(c, 'z');
    long all[] = {fds[0], fds[1], copy, 50, 51, 60};
    for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); ++i) {
        CHECK_EQ(sys1(SYS_close, all[i]), 0);
    }
}

/* Close-on-exec descriptors are closed by execve, the others stay. */
/* Reads and writes whose buffers are pages nobody has touched yet: the copy
 * brings the page in (a page fault inside the pipe's critical section,
 * which must therefore be a sleeping lock, not interrupts off or a
 * spinlock), and the bytes arrive whole. */
static void copies_that_fault_pages_in(void) {
    const long size = 4 * 4096;
    char* source = (char*)sys6(SYS_mmap, 0, size, 3 /* PROT_READ|PROT_WRITE */,
                               0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
    char* target = (char*)sys6(SYS_mmap, 0, size, 3, 0x22, -1, 0);
    CHECK((long)source > 0 && (long)target > 0);
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    /* An untouched source page reads as zeros; then the target's pages
     * come in during the read. */
    CHECK_EQ(sys3(SYS_write, fds[1], (long)source + 4096, 4096), 4096);
    for (int i = 0; i < 4096; ++i) {
        source[2 * 4096 + i] = (char)(i * 7);
    }
    CHECK_EQ(sys3(SYS_write, fds[1], (long)source + 2 * 4096, 4096), 4096);
    CHECK_EQ(sys3(SYS_read, fds[0], (long)target + 8, 8192), 8192);
    int same = 1;
    for (int i = 0; i < 4096; ++i) {
        same = same && target[8 + i] == 0 && target[8 + 4096 + i] == (char)(i * 7);
    }
    CHECK(same);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
    sys2(SYS_munmap, (long)source, size);
    sys2(SYS_munmap, (long)target, size);
}

static void close_on_exec(const char* self) {
    int fds[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)fds, O_CLOEXEC), 0);
    CHECK_EQ(sys2(SYS_dup2, fds[0], 40), 40); /* dup2 clears close-on-exec */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char number[4] = {(char)('0' + fds[0] / 10), (char)('0' + fds[0] % 10), 0, 0};
        char* argv[] = {(char*)self, "--check-fds", number, 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)self, (long)argv, (long)envp);
        sys1(SYS_exit, 99);
    }
    CHECK_EQ(wait_child(pid), 0);
    sys1(SYS_close, fds[0]), sys1(SYS_close, fds[1]), sys1(SYS_close, 40);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 3 && text_equal(argv[1], "--check-fds")) {
        const long closed = (argv[2][0] - '0') * 10 + (argv[2][1] - '0');
        char c;
        int ok = sys3(SYS_read, closed, (long)&c, 0) == -EBADF; /* gone */
        ok = ok && sys3(SYS_read, 40, (long)&c, 0) == 0;        /* kept */
        return ok ? 0 : 1;
    }
    close_on_exec(argv[0]);
    megabyte();
    broken_pipe();
    pipeline();
    nonblocking_and_descriptors();
    copies_that_fault_pages_in();
    return check_done("pipes");
}
