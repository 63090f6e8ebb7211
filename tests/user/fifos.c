/* fifos: mknod's named pipes and device nodes. A FIFO's opens wait for the
 * other side (or not, with O_NONBLOCK or O_RDWR), share one pipe, and lose
 * its bytes with the last close; a device node reaches the device its
 * number names. */
#include "check.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_NONBLOCK 04000
#define S_IFMT 0170000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define SIGPIPE 13
#define AT_FDCWD (-100)

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

struct sigaction_buffer {
    unsigned long handler, flags, restorer, mask;
};

static const char* fifo = "/tmp/fifo_test";

static void test_mknod_kinds(void) {
    CHECK_EQ(sys3(SYS_mknod, (long)fifo, S_IFIFO | 0666, 0), 0);
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_stat, (long)fifo, (long)&st), 0);
    CHECK_EQ(st.mode, S_IFIFO | 0644); /* less the umask */
    CHECK_EQ(st.size, 0);
    CHECK_EQ(st.nlink, 1);
    CHECK_ERRNO(sys3(SYS_mknod, (long)fifo, S_IFIFO | 0666, 0), EEXIST);
    CHECK_ERRNO(sys3(SYS_mknod, (long)"/tmp/fifo_dir", S_IFDIR | 0755, 0), EPERM);
    CHECK_ERRNO(sys3(SYS_mknod, (long)"/tmp/fifo_bad", 0170000 | 0644, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_mknod, (long)"/tmp/fifo_none/x", S_IFIFO | 0644, 0), ENOENT);
    CHECK_ERRNO(sys3(SYS_mknod, UNMAPPED_ADDRESS, S_IFIFO | 0644, 0), EFAULT);
    /* type 0 and S_IFREG make a regular file */
    CHECK_EQ(sys4(SYS_mknodat, AT_FDCWD, (long)"/tmp/fifo_regular", 0600, 0), 0);
    CHECK_EQ(sys2(SYS_stat, (long)"/tmp/fifo_regular", (long)&st), 0);
    CHECK_EQ(st.mode, S_IFREG | 0600);
    sys1(SYS_unlink, (long)"/tmp/fifo_regular");
}

static void test_nonblocking_opens(void) {
    /* a writer needs a reader; a reader goes on without a writer */
    CHECK_ERRNO(sys3(SYS_open, (long)fifo, O_WRONLY | O_NONBLOCK, 0), ENXIO);
    long reader = sys3(SYS_open, (long)fifo, O_RDONLY | O_NONBLOCK, 0);
    CHECK(reader >= 0);
    char buffer[16];
    CHECK_EQ(sys3(SYS_read, reader, (long)buffer, sizeof(buffer)), 0); /* no writer: end */
    long writer = sys3(SYS_open, (long)fifo, O_WRONLY | O_NONBLOCK, 0);
    CHECK(writer >= 0);
    CHECK_ERRNO(sys3(SYS_read, reader, (long)buffer, sizeof(buffer)), EAGAIN);
    CHECK_EQ(sys3(SYS_write, writer, (long)"hello", 5), 5);
    CHECK_EQ(sys3(SYS_read, reader, (long)buffer, sizeof(buffer)), 5);
    CHECK_EQ(buffer[4], 'o');
    /* fstat of the descriptor is the FIFO's own inode */
    struct stat_buffer by_name, by_fd;
    sys2(SYS_stat, (long)fifo, (long)&by_name);
    CHECK_EQ(sys2(SYS_fstat, reader, (long)&by_fd), 0);
    CHECK_EQ(by_fd.ino, by_name.ino);
    CHECK_EQ(by_fd.mode & S_IFMT, S_IFIFO);
    CHECK_ERRNO(sys3(SYS_lseek, reader, 0, 0), ESPIPE);
    CHECK_ERRNO(sys4(SYS_pread64, reader, (long)buffer, 1, 0), ESPIPE);
    CHECK_ERRNO(sys3(SYS_write, reader, (long)"x", 1), EBADF);
    CHECK_ERRNO(sys3(SYS_read, writer, (long)buffer, 1), EBADF);
    /* the writer gone: the reader sees the end */
    sys1(SYS_close, writer);
    CHECK_EQ(sys3(SYS_read, reader, (long)buffer, sizeof(buffer)), 0);
    /* the reader gone: a write is EPIPE (SIGPIPE ignored here) */
    long both = sys3(SYS_open, (long)fifo, O_RDWR, 0); /* O_RDWR waits for nobody */
    CHECK(both >= 0);
    writer = sys3(SYS_open, (long)fifo, O_WRONLY | O_NONBLOCK, 0);
    CHECK(writer >= 0);
    sys1(SYS_close, reader);
    sys1(SYS_close, both);
    struct sigaction_buffer ignore = {1, 0, 0, 0}, old;
    sys4(SYS_rt_sigaction, SIGPIPE, (long)&ignore, (long)&old, 8);
    CHECK_ERRNO(sys3(SYS_write, writer, (long)"x", 1), EPIPE);
    sys4(SYS_rt_sigaction, SIGPIPE, (long)&old, 0, 8);
    sys1(SYS_close, writer);
    /* bytes left at the last close are gone */
    both = sys3(SYS_open, (long)fifo, O_RDWR | O_NONBLOCK, 0);
    CHECK_EQ(sys3(SYS_write, both, (long)"lost", 4), 4);
    sys1(SYS_close, both);
    both = sys3(SYS_open, (long)fifo, O_RDWR | O_NONBLOCK, 0);
    CHECK_ERRNO(sys3(SYS_read, both, (long)buffer, sizeof(buffer)), EAGAIN);
    sys1(SYS_close, both);
}

/* Blocking opens meet: the child opens for writing, the parent for
 * reading; whichever comes first waits for the other. */
static void test_rendezvous(void) {
    for (int round = 0; round < 2; ++round) {
        long child = sys0(SYS_fork);
        if (child == 0) {
            if (round == 1) {
                sys0(SYS_sched_yield); /* let the parent be first to wait */
            }
            long writer = sys3(SYS_open, (long)fifo, O_WRONLY, 0);
            long ok = writer >= 0 && sys3(SYS_write, writer, (long)"ping", 4) == 4;
            rt_exit(ok ? 0 : 1);
        }
        if (round == 0) {
            sys0(SYS_sched_yield);
        }
        long reader = sys3(SYS_open, (long)fifo, O_RDONLY, 0);
        CHECK(reader >= 0);
        char buffer[8] = {0};
        long got = 0;
        for (long n; got < 4 && (n = sys3(SYS_read, reader, (long)buffer + got, 4 - got)) > 0;) {
            got += n;
        }
        CHECK_EQ(got, 4);
        CHECK(text_equal(buffer, "ping"));
        CHECK_EQ(sys3(SYS_read, reader, (long)buffer, 4), 0); /* the child closed it */
        int status = -1;
        CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
        CHECK_EQ(status, 0);
        sys1(SYS_close, reader);
    }
}

/* A FIFO unlinked while open still carries bytes. */
static void test_unlinked(void) {
    long both = sys3(SYS_open, (long)fifo, O_RDWR, 0);
    CHECK_EQ(sys1(SYS_unlink, (long)fifo), 0);
    CHECK_EQ(sys3(SYS_write, both, (long)"ab", 2), 2);
    char buffer[4];
    CHECK_EQ(sys3(SYS_read, both, (long)buffer, 4), 2);
    sys1(SYS_close, both);
}

static void test_device_nodes(void) {
    const char* node = "/tmp/fifo_null";
    CHECK_EQ(sys3(SYS_mknod, (long)node, S_IFCHR | 0666, (1 << 8) | 3), 0); /* 1:3, null */
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_stat, (long)node, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFCHR);
    CHECK_EQ(st.rdev, (1 << 8) | 3);
    long fd = sys3(SYS_open, (long)node, O_RDWR, 0);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"gone", 4), 4);
    char buffer[4];
    CHECK_EQ(sys3(SYS_read, fd, (long)buffer, 4), 0);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)node);
    /* a number no driver has: the node exists, opening it is ENXIO */
    CHECK_EQ(sys3(SYS_mknod, (long)node, S_IFCHR | 0666, (240 << 8) | 77), 0);
    CHECK_ERRNO(sys3(SYS_open, (long)node, O_RDWR, 0), ENXIO);
    sys1(SYS_unlink, (long)node);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    sys1(SYS_umask, 022);
    sys1(SYS_unlink, (long)fifo);
    char before[128];
    int have_stats = read_kite_stats(before, sizeof(before));
    test_mknod_kinds();
    test_nonblocking_opens();
    test_rendezvous();
    test_unlinked();
    test_device_nodes();
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
    return check_done("fifos");
}
