/* positional_io: I/O at a position that the file's offset never sees
 * (pread64, pwrite64, preadv, pwritev, preadv2, pwritev2), copies inside
 * the kernel (sendfile, copy_file_range), fallocate, the fsync family,
 * fchdir and openat2, with good and bad arguments. */
#include "api/file_abi.h"
#include "check.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define AT_FDCWD (-100)
#define SEEK_CUR 1

struct iovec {
    void* base;
    unsigned long length;
};

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

static long size_of(long fd) {
    struct stat_buffer st;
    sys2(SYS_fstat, fd, (long)&st);
    return st.size;
}

static long offset_of(long fd) {
    return sys3(SYS_lseek, fd, 0, SEEK_CUR);
}

static long fresh(const char* path) {
    long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    return fd;
}

static void test_pread_pwrite(void) {
    long fd = fresh("/tmp/pio_a");
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"0123456789", 10, 0), 10);
    CHECK_EQ(offset_of(fd), 0);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"XY", 2, 20), 2); /* a hole of zeros */
    CHECK_EQ(size_of(fd), 22);
    char buffer[32] = {0};
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4, 3), 4);
    CHECK(text_equal(buffer, "3456"));
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4, 12), 4);
    CHECK_EQ(buffer[0], 0);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4, 22), 0); /* at the end */
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4, 1000), 0);
    CHECK_EQ(offset_of(fd), 0);
    /* the file offset goes on independently */
    CHECK_EQ(sys3(SYS_read, fd, (long)buffer, 2), 2);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 1, 9), 1);
    CHECK_EQ(offset_of(fd), 2);
    /* errors, in Linux's order: the offset, the descriptor, seekability */
    CHECK_ERRNO(sys4(SYS_pread64, fd, (long)buffer, 1, -1), EINVAL);
    CHECK_ERRNO(sys4(SYS_pread64, 9999, (long)buffer, 1, -1), EINVAL);
    CHECK_ERRNO(sys4(SYS_pread64, 9999, (long)buffer, 1, 0), EBADF);
    CHECK_ERRNO(sys4(SYS_pwrite64, fd, (long)buffer, 1, -5), EINVAL);
    CHECK_ERRNO(sys4(SYS_pread64, fd, UNMAPPED_ADDRESS, 1, 0), EFAULT);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_ERRNO(sys4(SYS_pread64, pipe_fds[0], (long)buffer, 1, 0), ESPIPE);
    CHECK_ERRNO(sys4(SYS_pwrite64, pipe_fds[1], (long)"a", 1, 0), ESPIPE);
    long read_only = sys3(SYS_open, (long)"/tmp/pio_a", O_RDONLY, 0);
    CHECK_ERRNO(sys4(SYS_pwrite64, read_only, (long)"a", 1, 0), EBADF);
    long directory = sys3(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK_ERRNO(sys4(SYS_pread64, directory, (long)buffer, 1, 0), EISDIR);
    /* pwrite on an O_APPEND file appends, whatever the offset (Linux's
     * documented behaviour) */
    long appender = sys3(SYS_open, (long)"/tmp/pio_a", O_WRONLY | O_APPEND, 0);
    CHECK_EQ(sys4(SYS_pwrite64, appender, (long)"end", 3, 0), 3);
    CHECK_EQ(size_of(fd), 25);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 3, 22), 3);
    buffer[3] = 0;
    CHECK(text_equal(buffer, "end"));
    /* /dev/zero has positions to read at */
    long zero = sys3(SYS_open, (long)"/dev/zero", O_RDONLY, 0);
    buffer[0] = 1;
    CHECK_EQ(sys4(SYS_pread64, zero, (long)buffer, 8, 4096), 8);
    CHECK_EQ(buffer[0], 0);
    sys1(SYS_close, zero);
    sys1(SYS_close, appender);
    sys1(SYS_close, directory);
    sys1(SYS_close, read_only);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys1(SYS_close, fd);
}

static void test_vectors(void) {
    long fd = fresh("/tmp/pio_v");
    char a[] = "abc", b[] = "defgh";
    struct iovec out[2] = {{a, 3}, {b, 5}};
    CHECK_EQ(sys6(SYS_pwritev, fd, (long)out, 2, 4, 0, 0), 8);
    CHECK_EQ(offset_of(fd), 0);
    CHECK_EQ(size_of(fd), 12);
    char x[4] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 2}, {y, 7}};
    CHECK_EQ(sys6(SYS_preadv, fd, (long)in, 2, 5, 0, 0), 7);
    CHECK(text_equal(x, "bc"));
    CHECK(text_equal(y, "defgh"));
    CHECK_EQ(offset_of(fd), 0);
    CHECK_ERRNO(sys6(SYS_preadv, fd, (long)in, 2, -1, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_preadv, fd, (long)in, 1025, 0, 0, 0), EINVAL);
    /* preadv2 and pwritev2: position -1 is the file's offset */
    CHECK_EQ(sys6(SYS_pwritev2, fd, (long)out, 1, -1, 0, 0), 3);
    CHECK_EQ(offset_of(fd), 3);
    CHECK_EQ(sys6(SYS_preadv2, fd, (long)in, 1, 0, 0, 0), 2);
    CHECK_EQ(offset_of(fd), 3);
    CHECK_EQ(sys6(SYS_preadv2, fd, (long)in, 1, -1, 0, 0), 2);
    CHECK_EQ(offset_of(fd), 5);
    CHECK_ERRNO(sys6(SYS_preadv2, fd, (long)in, 1, 0, 0, 1 << 20), EOPNOTSUPP);
    CHECK_ERRNO(sys6(SYS_preadv2, fd, (long)in, 1, -2, 0, 0), EINVAL);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_ERRNO(sys6(SYS_preadv2, pipe_fds[0], (long)in, 1, 0, 0, 0), ESPIPE);
    CHECK_EQ(sys6(SYS_pwritev2, pipe_fds[1], (long)out, 2, -1, 0, 0), 8); /* -1 works on pipes */
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys1(SYS_close, fd);
}

static char block[10000];

static void test_sendfile(void) {
    long in = fresh("/tmp/pio_s");
    for (unsigned i = 0; i < sizeof(block); ++i) {
        block[i] = (char)('a' + i % 26);
    }
    CHECK_EQ(sys3(SYS_write, in, (long)block, sizeof(block)), sizeof(block));
    long out = fresh("/tmp/pio_s_out");
    /* with an offset pointer: the input's own offset stays */
    long offset = 100;
    CHECK_EQ(sys4(SYS_sendfile, out, in, (long)&offset, 5000), 5000);
    CHECK_EQ(offset, 5100);
    CHECK_EQ(offset_of(in), sizeof(block));
    CHECK_EQ(offset_of(out), 5000);
    char got[8] = {0};
    CHECK_EQ(sys4(SYS_pread64, out, (long)got, 3, 0), 3);
    CHECK_EQ(got[0], block[100]);
    CHECK_EQ(got[2], block[102]);
    /* without one: from the input's offset, to its end */
    sys3(SYS_lseek, in, 9000, 0);
    CHECK_EQ(sys4(SYS_sendfile, out, in, 0, 5000), 1000);
    CHECK_EQ(offset_of(in), sizeof(block));
    CHECK_EQ(size_of(out), 6000);
    CHECK_EQ(sys4(SYS_sendfile, out, in, 0, 0), 0);
    /* to a pipe */
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    offset = 0;
    CHECK_EQ(sys4(SYS_sendfile, pipe_fds[1], in, (long)&offset, 26), 26);
    char letters[27] = {0};
    CHECK_EQ(sys3(SYS_read, pipe_fds[0], (long)letters, 26), 26);
    CHECK(text_equal(letters, "abcdefghijklmnopqrstuvwxyz"));
    /* errors */
    CHECK_ERRNO(sys4(SYS_sendfile, out, 9999, 0, 1), EBADF);
    CHECK_ERRNO(sys4(SYS_sendfile, 9999, in, 0, 1), EBADF);
    CHECK_ERRNO(sys4(SYS_sendfile, out, pipe_fds[0], (long)&offset, 1), ESPIPE);
    offset = -1;
    CHECK_ERRNO(sys4(SYS_sendfile, out, in, (long)&offset, 1), EINVAL);
    CHECK_ERRNO(sys4(SYS_sendfile, out, in, UNMAPPED_ADDRESS, 1), EFAULT);
    long write_only = sys3(SYS_open, (long)"/tmp/pio_s", O_WRONLY, 0);
    CHECK_ERRNO(sys4(SYS_sendfile, out, write_only, 0, 1), EBADF);
    long appender = sys3(SYS_open, (long)"/tmp/pio_s_out", O_WRONLY | O_APPEND, 0);
    offset = 0;
    CHECK_ERRNO(sys4(SYS_sendfile, appender, in, (long)&offset, 1), EINVAL);
    sys1(SYS_close, appender);
    sys1(SYS_close, write_only);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys1(SYS_close, out);
    sys1(SYS_close, in);
}

static void test_copy_file_range(void) {
    long in = fresh("/tmp/pio_c");
    CHECK_EQ(sys3(SYS_write, in, (long)"0123456789", 10), 10);
    long out = fresh("/tmp/pio_c_out");
    long in_offset = 2, out_offset = 0;
    CHECK_EQ(sys6(SYS_copy_file_range, in, (long)&in_offset, out, (long)&out_offset, 5, 0), 5);
    CHECK_EQ(in_offset, 7);
    CHECK_EQ(out_offset, 5);
    CHECK_EQ(offset_of(out), 0);
    char got[8] = {0};
    CHECK_EQ(sys4(SYS_pread64, out, (long)got, 5, 0), 5);
    CHECK(text_equal(got, "23456"));
    /* without pointers: both offsets move */
    sys3(SYS_lseek, in, 8, 0);
    CHECK_EQ(sys6(SYS_copy_file_range, in, 0, out, 0, 100, 0), 2);
    CHECK_EQ(offset_of(in), 10);
    CHECK_EQ(offset_of(out), 2);
    CHECK_EQ(sys6(SYS_copy_file_range, in, 0, out, 0, 100, 0), 0); /* at the end */
    /* one file: disjoint ranges work, overlapping ones do not */
    in_offset = 0;
    out_offset = 20;
    CHECK_EQ(sys6(SYS_copy_file_range, in, (long)&in_offset, in, (long)&out_offset, 4, 0), 4);
    in_offset = 0;
    out_offset = 2;
    CHECK_ERRNO(sys6(SYS_copy_file_range, in, (long)&in_offset, in, (long)&out_offset, 4, 0),
                EINVAL);
    CHECK_ERRNO(sys6(SYS_copy_file_range, in, 0, out, 0, 1, 1), EINVAL);
    CHECK_ERRNO(sys6(SYS_copy_file_range, 9999, 0, out, 0, 1, 0), EBADF);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_ERRNO(sys6(SYS_copy_file_range, pipe_fds[0], 0, out, 0, 1, 0), EINVAL);
    long directory = sys3(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK_ERRNO(sys6(SYS_copy_file_range, directory, 0, out, 0, 1, 0), EISDIR);
    long appender = sys3(SYS_open, (long)"/tmp/pio_c_out", O_WRONLY | O_APPEND, 0);
    CHECK_ERRNO(sys6(SYS_copy_file_range, in, 0, appender, 0, 1, 0), EBADF);
    sys1(SYS_close, appender);
    sys1(SYS_close, directory);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys1(SYS_close, out);
    sys1(SYS_close, in);
}

static void test_fallocate_and_sync(void) {
    long fd = fresh("/tmp/pio_f");
    CHECK_EQ(sys4(SYS_fallocate, fd, 0, 100, 50), 0);
    CHECK_EQ(size_of(fd), 150);
    CHECK_EQ(sys4(SYS_fallocate, fd, 0, 0, 10), 0); /* never shrinks */
    CHECK_EQ(size_of(fd), 150);
    CHECK_EQ(sys4(SYS_fallocate, fd, 1, 0, 1000), 0); /* FALLOC_FL_KEEP_SIZE */
    CHECK_EQ(size_of(fd), 150);
    char byte = 1;
    CHECK_EQ(sys4(SYS_pread64, fd, (long)&byte, 1, 120), 1);
    CHECK_EQ(byte, 0);
    CHECK_ERRNO(sys4(SYS_fallocate, fd, 0, -1, 10), EINVAL);
    CHECK_ERRNO(sys4(SYS_fallocate, fd, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_fallocate, 9999, 0, 0, 1), EBADF);
    long read_only = sys3(SYS_open, (long)"/tmp/pio_f", O_RDONLY, 0);
    CHECK_ERRNO(sys4(SYS_fallocate, read_only, 0, 0, 1), EBADF);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_ERRNO(sys4(SYS_fallocate, pipe_fds[1], 0, 0, 1), ESPIPE);
    long null = sys3(SYS_open, (long)"/dev/null", O_RDWR, 0);
    CHECK_ERRNO(sys4(SYS_fallocate, null, 0, 0, 1), ENODEV);
    /* fsync: memory files and directories have nothing to write back;
     * pipes and /dev/null cannot be synchronised */
    CHECK_EQ(sys1(SYS_fsync, fd), 0);
    CHECK_EQ(sys1(SYS_fdatasync, fd), 0);
    long directory = sys3(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK_EQ(sys1(SYS_fsync, directory), 0);
    CHECK_ERRNO(sys1(SYS_fsync, pipe_fds[0]), EINVAL);
    CHECK_ERRNO(sys1(SYS_fdatasync, null), EINVAL);
    CHECK_ERRNO(sys1(SYS_fsync, 9999), EBADF);
    CHECK_EQ(sys0(SYS_sync), 0);
    CHECK_EQ(sys1(SYS_syncfs, fd), 0);
    CHECK_ERRNO(sys1(SYS_syncfs, 9999), EBADF);
    sys1(SYS_close, directory);
    sys1(SYS_close, null);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys1(SYS_close, read_only);
    sys1(SYS_close, fd);
}

static void test_fchdir_and_openat2(void) {
    char saved[256];
    CHECK(sys2(SYS_getcwd, (long)saved, sizeof(saved)) > 0);
    long directory = sys3(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK_EQ(sys1(SYS_fchdir, directory), 0);
    char cwd[64];
    CHECK_EQ(sys2(SYS_getcwd, (long)cwd, sizeof(cwd)), 5);
    CHECK(text_equal(cwd, "/tmp"));
    long file = sys3(SYS_open, (long)"pio_a", O_RDONLY, 0); /* relative to the new cwd */
    CHECK(file >= 0);
    CHECK_ERRNO(sys1(SYS_fchdir, file), ENOTDIR);
    CHECK_ERRNO(sys1(SYS_fchdir, 9999), EBADF);
    sys1(SYS_close, file);
    sys1(SYS_chdir, (long)saved);

    struct abi_open_how how = {O_RDWR | O_CREAT, 0600, 0};
    long fd = sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&how, sizeof(how));
    CHECK(fd >= 0);
    sys1(SYS_close, fd);
    fd = sys4(SYS_openat2, directory, (long)"pio_o", (long)&how, sizeof(how));
    CHECK(fd >= 0);
    sys1(SYS_close, fd);
    CHECK_ERRNO(sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&how, 8), EINVAL);
    struct {
        struct abi_open_how how;
        unsigned long extra;
    } bigger = {{O_RDONLY, 0, 0}, 0};
    fd = sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&bigger, sizeof(bigger));
    CHECK(fd >= 0); /* a larger struct whose extra bytes are zero */
    sys1(SYS_close, fd);
    bigger.extra = 1;
    CHECK_ERRNO(sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&bigger, sizeof(bigger)),
                E2BIG);
    struct abi_open_how mode_only = {O_RDONLY, 0644, 0};
    CHECK_ERRNO(
        sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&mode_only, sizeof(mode_only)),
        EINVAL);
    struct abi_open_how unknown = {O_RDONLY | (1ul << 40), 0, 0};
    CHECK_ERRNO(sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&unknown, sizeof(unknown)),
                EINVAL);
    struct abi_open_how bad_resolve = {O_RDONLY, 0, 1ul << 20};
    CHECK_ERRNO(
        sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", (long)&bad_resolve, sizeof(bad_resolve)),
        EINVAL);
    CHECK_ERRNO(sys4(SYS_openat2, AT_FDCWD, (long)"/tmp/pio_o", UNMAPPED_ADDRESS, sizeof(how)),
                EFAULT);
    sys1(SYS_close, directory);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    memset(block, 0, sizeof(block)); /* the program's own pages, before the count */
    char before[128];
    int have_stats = read_kite_stats(before, sizeof(before));
    test_pread_pwrite();
    test_vectors();
    test_sendfile();
    test_copy_file_range();
    test_fallocate_and_sync();
    test_fchdir_and_openat2();
    const char* names[] = {"/tmp/pio_a", "/tmp/pio_v",     "/tmp/pio_s", "/tmp/pio_s_out",
                           "/tmp/pio_c", "/tmp/pio_c_out", "/tmp/pio_f", "/tmp/pio_o"};
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        CHECK_EQ(sys1(SYS_unlink, (long)names[i]), 0);
    }
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
    return check_done("positional_io");
}
