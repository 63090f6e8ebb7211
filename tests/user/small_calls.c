/* small_calls: the small calls C libraries reach for: close_range (every
 * descriptor in a range closed or marked close-on-exec, holes skipped,
 * bad flags and ranges EINVAL), creat (O_CREAT|O_WRONLY|O_TRUNC), and the
 * identity calls getresuid, getresgid and getgroups (ids as getuid and
 * getgid give them, EFAULT for each bad pointer). */
#include "check.h"

#define O_RDONLY 0
#define O_RDWR 2
#define F_GETFD 1
#define F_GETFL 3
#define FD_CLOEXEC 1
#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

static long open_null(void) {
    return sys2(SYS_open, (long)"/dev/null", O_RDWR);
}

static void test_close_range(void) {
    long fds[6];
    for (int i = 0; i < 6; ++i) {
        fds[i] = open_null();
        CHECK(fds[i] >= 3);
    }
    /* A hole in the range is skipped. */
    sys1(SYS_close, fds[2]);
    CHECK_ERRNO(sys3(SYS_close_range, fds[3], fds[1], 0), EINVAL); /* first > last */
    CHECK_ERRNO(sys3(SYS_close_range, fds[0], fds[5], 1), EINVAL);
    CHECK_ERRNO(sys3(SYS_close_range, fds[0], fds[5], 8), EINVAL);
    /* Close-on-exec marks, closes nothing. */
    CHECK_EQ(sys3(SYS_close_range, fds[0], fds[1], CLOSE_RANGE_CLOEXEC), 0);
    CHECK_EQ(sys2(SYS_fcntl, fds[0], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(sys2(SYS_fcntl, fds[1], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(sys2(SYS_fcntl, fds[3], F_GETFD), 0);
    /* Closes fds[1] to fds[4]; fds[0] and fds[5] stay. */
    CHECK_EQ(sys3(SYS_close_range, fds[1], fds[4], 0), 0);
    CHECK_EQ(sys2(SYS_fcntl, fds[0], F_GETFL) & 3, O_RDWR);
    for (int i = 1; i <= 4; ++i) {
        CHECK_ERRNO(sys2(SYS_fcntl, fds[i], F_GETFD), EBADF);
    }
    CHECK_EQ(sys2(SYS_fcntl, fds[5], F_GETFL) & 3, O_RDWR);
    /* To the end of the table (~0U), as closefrom does, and UNSHARE. */
    CHECK_EQ(sys3(SYS_close_range, fds[5], ~0U, CLOSE_RANGE_UNSHARE), 0);
    CHECK_ERRNO(sys2(SYS_fcntl, fds[5], F_GETFD), EBADF);
    CHECK_EQ(sys3(SYS_close_range, fds[0], ~0U, 0), 0);
    CHECK_ERRNO(sys2(SYS_fcntl, fds[0], F_GETFD), EBADF);
    /* A range with nothing open in it. */
    CHECK_EQ(sys3(SYS_close_range, 500, 600, 0), 0);
    CHECK_EQ(sys3(SYS_close_range, 0x7fffffff, ~0U, 0), 0);
    /* stdin, stdout and stderr untouched. */
    CHECK(sys2(SYS_fcntl, 1, F_GETFD) >= 0);
}

static void test_creat(void) {
    const char* path = "/tmp/small_calls_creat";
    sys1(SYS_unlink, (long)path);
    sys1(SYS_umask, 022);
    long fd = sys2(SYS_creat, (long)path, 0666);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL) & 3, 1); /* write only */
    CHECK_EQ(sys3(SYS_write, fd, (long)"hello", 5), 5);
    char c;
    CHECK_ERRNO(sys3(SYS_read, fd, (long)&c, 1), EBADF);
    unsigned st[36];
    CHECK_EQ(sys2(SYS_fstat, fd, (long)st), 0);
    CHECK_EQ(st[6] & 07777, 0644); /* st_mode, after the umask */
    sys1(SYS_close, fd);
    /* Again: truncated. */
    fd = sys2(SYS_creat, (long)path, 0600);
    CHECK_EQ(sys2(SYS_fstat, fd, (long)st), 0);
    CHECK_EQ(((long*)st)[6], 0);   /* st_size */
    CHECK_EQ(st[6] & 07777, 0644); /* an existing file keeps its mode */
    sys1(SYS_close, fd);
    CHECK_ERRNO(sys2(SYS_creat, (long)"/tmp/no/such/dir", 0600), ENOENT);
    CHECK_ERRNO(sys2(SYS_creat, 8, 0600), EFAULT);
    sys1(SYS_unlink, (long)path);
}

static void test_identity(void) {
    unsigned r = 77, e = 77, s = 77;
    CHECK_EQ(sys3(SYS_getresuid, (long)&r, (long)&e, (long)&s), 0);
    CHECK_EQ(r, sys0(SYS_getuid));
    CHECK_EQ(e, sys0(SYS_geteuid));
    CHECK_EQ(s, sys0(SYS_geteuid)); /* not set-user-ID: saved = effective */
    r = e = s = 77;
    CHECK_EQ(sys3(SYS_getresgid, (long)&r, (long)&e, (long)&s), 0);
    CHECK_EQ(r, sys0(SYS_getgid));
    CHECK_EQ(e, sys0(SYS_getegid));
    CHECK_EQ(s, sys0(SYS_getegid));
    CHECK_ERRNO(sys3(SYS_getresuid, 8, (long)&e, (long)&s), EFAULT);
    CHECK_ERRNO(sys3(SYS_getresuid, (long)&r, 8, (long)&s), EFAULT);
    CHECK_ERRNO(sys3(SYS_getresgid, (long)&r, (long)&e, 8), EFAULT);
    unsigned groups[64];
    long count = sys2(SYS_getgroups, 0, 0); /* size 0: how many */
    CHECK(count >= 0 && count <= 64);
    CHECK_EQ(sys2(SYS_getgroups, 64, (long)groups), count);
    CHECK_ERRNO(sys2(SYS_getgroups, -1, (long)groups), EINVAL);
    if (on_kite()) {
        CHECK_EQ(count, 0); /* Kite keeps no supplementary groups */
    } else if (count > 0) {
        CHECK_ERRNO(sys2(SYS_getgroups, count - 1, (long)groups), EINVAL);
    }
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    char before[128];
    int have_stats = read_kite_stats(before, sizeof(before));
    test_close_range();
    test_creat();
    test_identity();
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
    return check_done("small_calls");
}
