/* file_attributes: a file's mode, owner, times and link count, and who may
 * use it: umask, chmod and kin, chown and kin, utimensat and kin, access
 * and kin, statx; and a file unlinked while open. Everything runs as root
 * (Kite has no other user; the Linux runner is root too). */
#include "api/file_abi.h"
#include "check.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_DIRECTORY 0200000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200
#define AT_EMPTY_PATH 0x1000
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks;
    long atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    long unused[3];
};

struct timespec_pair {
    long sec, nsec;
};

static struct stat_buffer stat_of(const char* path) {
    struct stat_buffer st;
    memset(&st, 0, sizeof(st));
    sys2(SYS_lstat, (long)path, (long)&st);
    return st;
}

static long now_ns(void) {
    struct timespec_pair ts;
    sys2(SYS_clock_gettime, 0, (long)&ts);
    return ts.sec * 1000000000L + ts.nsec;
}

static long make_file(const char* path, long mode) {
    long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT, mode);
    CHECK(fd >= 0);
    return fd;
}

static void test_umask(void) {
    sys1(SYS_umask, 027);
    CHECK_EQ(sys1(SYS_umask, 027), 027); /* returns the previous mask */
    long fd = make_file("/tmp/attr_umask", 0666);
    CHECK_EQ(stat_of("/tmp/attr_umask").mode & 07777, 0640);
    sys1(SYS_close, fd);
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_umask_dir", 07777), 0);
    /* mkdir keeps the permission and sticky bits only */
    CHECK_EQ(stat_of("/tmp/attr_umask_dir").mode & 07777, 01750);
    CHECK_EQ(sys1(SYS_umask, 0), 027);
    fd = make_file("/tmp/attr_umask_suid", 04755);
    CHECK_EQ(stat_of("/tmp/attr_umask_suid").mode & 07777, 04755);
    sys1(SYS_close, fd);
    /* only the low nine bits of the mask count */
    CHECK_EQ(sys1(SYS_umask, 0177777), 0);
    CHECK_EQ(sys1(SYS_umask, 022), 0777);
    sys1(SYS_unlink, (long)"/tmp/attr_umask");
    sys1(SYS_unlink, (long)"/tmp/attr_umask_suid");
    sys1(SYS_rmdir, (long)"/tmp/attr_umask_dir");
}

static void test_chmod(const char* data) {
    const char* path = "/tmp/attr_chmod";
    long fd = make_file(path, 0600);
    struct stat_buffer before = stat_of(path);
    CHECK_EQ(sys2(SYS_chmod, (long)path, 0751), 0);
    struct stat_buffer after = stat_of(path);
    CHECK_EQ(after.mode & 07777, 0751);
    CHECK_EQ(after.mode & 0170000, 0100000); /* the type stays */
    CHECK(after.ctime * 1000000000L + after.ctime_nsec >=
          before.ctime * 1000000000L + before.ctime_nsec);
    CHECK_EQ(sys2(SYS_fchmod, fd, 07644), 0);
    CHECK_EQ(stat_of(path).mode & 07777, 07644);
    CHECK_EQ(sys4(SYS_fchmodat, AT_FDCWD, (long)path, 0100600, 0), 0); /* type bits ignored */
    CHECK_EQ(stat_of(path).mode & 07777, 0600);
    /* through a symlink: the target changes */
    CHECK_EQ(sys2(SYS_symlink, (long)path, (long)"/tmp/attr_chmod_link"), 0);
    CHECK_EQ(sys2(SYS_chmod, (long)"/tmp/attr_chmod_link", 0644), 0);
    CHECK_EQ(stat_of(path).mode & 07777, 0644);
    CHECK_EQ(stat_of("/tmp/attr_chmod_link").mode & 07777, 0777);
    CHECK_ERRNO(sys2(SYS_chmod, (long)"/tmp/attr_missing", 0644), ENOENT);
    CHECK_ERRNO(sys2(SYS_chmod, UNMAPPED_ADDRESS, 0644), EFAULT);
    CHECK_ERRNO(sys2(SYS_fchmod, 9999, 0644), EBADF);
    CHECK_ERRNO(sys4(SYS_fchmodat, 9999, (long)"relative", 0644, 0), EBADF);
    if (on_kite()) { /* the initrd is read-only; Linux's data directory is not */
        CHECK_ERRNO(sys2(SYS_chmod, (long)data, 0700), EROFS);
    }
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)"/tmp/attr_chmod_link");
    sys1(SYS_unlink, (long)path);
}

static void test_chown(void) {
    const char* path = "/tmp/attr_chown";
    long fd = make_file(path, 0644);
    CHECK_EQ(sys3(SYS_chown, (long)path, 1000, 2000), 0);
    struct stat_buffer st = stat_of(path);
    CHECK_EQ(st.uid, 1000);
    CHECK_EQ(st.gid, 2000);
    CHECK_EQ(sys3(SYS_chown, (long)path, -1, 3000), 0); /* -1 keeps the owner */
    st = stat_of(path);
    CHECK_EQ(st.uid, 1000);
    CHECK_EQ(st.gid, 3000);
    CHECK_EQ(sys3(SYS_fchown, fd, 0, -1), 0);
    st = stat_of(path);
    CHECK_EQ(st.uid, 0);
    CHECK_EQ(st.gid, 3000);
    /* chown clears setuid, and setgid when the group may execute */
    sys2(SYS_chmod, (long)path, 06755);
    CHECK_EQ(sys3(SYS_chown, (long)path, -1, -1), 0);
    CHECK_EQ(stat_of(path).mode & 07777, 0755);
    sys2(SYS_chmod, (long)path, 06745);
    CHECK_EQ(sys3(SYS_chown, (long)path, -1, -1), 0);
    CHECK_EQ(stat_of(path).mode & 07777, 02745);
    /* a directory keeps its bits */
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_chown_dir", 0755), 0);
    sys2(SYS_chmod, (long)"/tmp/attr_chown_dir", 02755);
    CHECK_EQ(sys3(SYS_chown, (long)"/tmp/attr_chown_dir", 5, 5), 0);
    CHECK_EQ(stat_of("/tmp/attr_chown_dir").mode & 07777, 02755);
    /* lchown and AT_SYMLINK_NOFOLLOW change the link, chown its target */
    CHECK_EQ(sys2(SYS_symlink, (long)path, (long)"/tmp/attr_chown_link"), 0);
    CHECK_EQ(sys3(SYS_lchown, (long)"/tmp/attr_chown_link", 7, 8), 0);
    CHECK_EQ(stat_of("/tmp/attr_chown_link").uid, 7);
    CHECK_EQ(stat_of(path).uid, 0);
    CHECK_EQ(
        sys6(SYS_fchownat, AT_FDCWD, (long)"/tmp/attr_chown_link", 9, 9, AT_SYMLINK_NOFOLLOW, 0),
        0);
    CHECK_EQ(stat_of("/tmp/attr_chown_link").gid, 9);
    CHECK_EQ(sys3(SYS_chown, (long)"/tmp/attr_chown_link", 11, 12), 0);
    CHECK_EQ(stat_of(path).uid, 11);
    CHECK_EQ(stat_of("/tmp/attr_chown_link").uid, 9);
    CHECK_EQ(sys6(SYS_fchownat, fd, (long)"", 13, 14, AT_EMPTY_PATH, 0), 0);
    CHECK_EQ(stat_of(path).uid, 13);
    CHECK_ERRNO(sys6(SYS_fchownat, AT_FDCWD, (long)path, 0, 0, 0x4, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_fchownat, fd, (long)"", 0, 0, 0, 0), ENOENT);
    CHECK_ERRNO(sys3(SYS_chown, UNMAPPED_ADDRESS, 0, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_fchown, -1, 0, 0), EBADF);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)"/tmp/attr_chown_link");
    sys1(SYS_unlink, (long)path);
    sys1(SYS_rmdir, (long)"/tmp/attr_chown_dir");
}

static void test_times(void) {
    const char* path = "/tmp/attr_times";
    long fd = make_file(path, 0644);
    struct timespec_pair times[2] = {{100, 5}, {200, 7}};
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)path, (long)times, 0), 0);
    struct stat_buffer st = stat_of(path);
    CHECK_EQ(st.atime, 100);
    CHECK_EQ(st.atime_nsec, 5);
    CHECK_EQ(st.mtime, 200);
    CHECK_EQ(st.mtime_nsec, 7);
    CHECK(st.ctime > 200); /* the change time is now */
    /* UTIME_OMIT keeps one, UTIME_NOW sets it to the present */
    long before = now_ns() - 1000000000L; /* a coarse clock may lag a tick */
    struct timespec_pair omit_now[2] = {{0, ABI_UTIME_OMIT}, {0, ABI_UTIME_NOW}};
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)path, (long)omit_now, 0), 0);
    st = stat_of(path);
    CHECK_EQ(st.atime, 100);
    CHECK(st.mtime * 1000000000L + st.mtime_nsec >= before);
    /* both omitted: nothing is looked at, not even the path */
    struct timespec_pair omit[2] = {{0, ABI_UTIME_OMIT}, {0, ABI_UTIME_OMIT}};
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)"/tmp/attr_missing", (long)omit, 0), 0);
    struct timespec_pair bad[2] = {{0, 1000000000}, {0, 0}};
    CHECK_ERRNO(sys4(SYS_utimensat, AT_FDCWD, (long)path, (long)bad, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_utimensat, AT_FDCWD, (long)path, (long)times, 0x4), EINVAL);
    CHECK_ERRNO(sys4(SYS_utimensat, AT_FDCWD, (long)path, UNMAPPED_ADDRESS, 0), EFAULT);
    CHECK_ERRNO(sys4(SYS_utimensat, AT_FDCWD, (long)"/tmp/attr_missing", (long)times, 0), ENOENT);
    /* a null path is futimens on the descriptor (no flags allowed) */
    CHECK_EQ(sys4(SYS_utimensat, fd, 0, (long)times, 0), 0);
    CHECK_EQ(stat_of(path).mtime, 200);
    CHECK_ERRNO(sys4(SYS_utimensat, fd, 0, (long)times, AT_SYMLINK_NOFOLLOW), EINVAL);
    CHECK_ERRNO(sys4(SYS_utimensat, AT_FDCWD, 0, (long)times, 0), EFAULT);
    /* NULL times: both now */
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)path, 0, 0), 0);
    st = stat_of(path);
    CHECK(st.atime * 1000000000L + st.atime_nsec >= before);
    CHECK(st.mtime * 1000000000L + st.mtime_nsec >= before);
    /* AT_SYMLINK_NOFOLLOW: the link's own times */
    CHECK_EQ(sys2(SYS_symlink, (long)path, (long)"/tmp/attr_times_link"), 0);
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)"/tmp/attr_times_link", (long)times,
                  AT_SYMLINK_NOFOLLOW),
             0);
    CHECK_EQ(stat_of("/tmp/attr_times_link").mtime, 200);
    CHECK(stat_of(path).mtime != 200);
    sys1(SYS_unlink, (long)"/tmp/attr_times_link");
    /* utime, utimes, futimesat */
    long utimbuf[2] = {300, 400};
    CHECK_EQ(sys2(SYS_utime, (long)path, (long)utimbuf), 0);
    st = stat_of(path);
    CHECK_EQ(st.atime, 300);
    CHECK_EQ(st.mtime, 400);
    CHECK_EQ(st.mtime_nsec, 0);
    struct timespec_pair timevals[2] = {{500, 1}, {600, 2}}; /* seconds, microseconds */
    CHECK_EQ(sys2(SYS_utimes, (long)path, (long)timevals), 0);
    st = stat_of(path);
    CHECK_EQ(st.mtime, 600);
    CHECK_EQ(st.mtime_nsec, 2000);
    timevals[1].nsec = 1000000;
    CHECK_ERRNO(sys2(SYS_utimes, (long)path, (long)timevals), EINVAL);
    timevals[1].nsec = 3;
    CHECK_EQ(sys3(SYS_futimesat, AT_FDCWD, (long)path, (long)timevals), 0);
    CHECK_EQ(stat_of(path).mtime_nsec, 3000);
    /* a write moves the modification and change times; a read, under
     * relatime, the access time when it is older than the modification */
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)path, (long)times, 0), 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"abc", 3), 3);
    st = stat_of(path);
    CHECK(st.mtime > 200);
    CHECK_EQ(st.atime, 100);
    char byte[4];
    CHECK_EQ(sys4(SYS_pread64, fd, (long)byte, 3, 0), 3);
    CHECK(stat_of(path).atime > 100);
    /* a new name changes the directory's modification time */
    struct timespec_pair old[2] = {{1000, 0}, {1000, 0}};
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_times_dir", 0755), 0);
    CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, (long)"/tmp/attr_times_dir", (long)old, 0), 0);
    long inner = make_file("/tmp/attr_times_dir/f", 0644);
    sys1(SYS_close, inner);
    CHECK(stat_of("/tmp/attr_times_dir").mtime > 1000);
    sys1(SYS_unlink, (long)"/tmp/attr_times_dir/f");
    sys1(SYS_rmdir, (long)"/tmp/attr_times_dir");
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)path);
}

static void test_link_counts(void) {
    const char* path = "/tmp/attr_links";
    long fd = make_file(path, 0644);
    CHECK_EQ(stat_of(path).nlink, 1);
    CHECK_EQ(sys2(SYS_link, (long)path, (long)"/tmp/attr_links2"), 0);
    CHECK_EQ(stat_of(path).nlink, 2);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/attr_links2"), 0);
    CHECK_EQ(stat_of(path).nlink, 1);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)path);
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_d", 0755), 0);
    CHECK_EQ(stat_of("/tmp/attr_d").nlink, 2);
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_d/a", 0755), 0);
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_d/b", 0755), 0);
    fd = make_file("/tmp/attr_d/file", 0644);
    sys1(SYS_close, fd);
    CHECK_EQ(stat_of("/tmp/attr_d").nlink, 4); /* files do not count */
    long dir = sys3(SYS_open, (long)"/tmp/attr_d/a", O_RDONLY | O_DIRECTORY, 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)"/tmp/attr_d/a"), 0);
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_fstat, dir, (long)&st), 0);
    CHECK_EQ(st.nlink, 0); /* removed but open */
    sys1(SYS_close, dir);
    CHECK_EQ(stat_of("/tmp/attr_d").nlink, 3);
    sys1(SYS_unlink, (long)"/tmp/attr_d/file");
    sys1(SYS_rmdir, (long)"/tmp/attr_d/b");
    sys1(SYS_rmdir, (long)"/tmp/attr_d");
}

static void test_access(const char* data) {
    const char* path = "/tmp/attr_access";
    long fd = make_file(path, 0644);
    CHECK_EQ(sys2(SYS_access, (long)path, F_OK), 0);
    CHECK_EQ(sys2(SYS_access, (long)path, R_OK | W_OK), 0);
    CHECK_ERRNO(sys2(SYS_access, (long)path, X_OK), EACCES); /* root needs some x bit */
    sys2(SYS_chmod, (long)path, 0001);
    CHECK_EQ(sys2(SYS_access, (long)path, R_OK | W_OK | X_OK), 0);
    sys2(SYS_chmod, (long)path, 0);
    CHECK_EQ(sys2(SYS_access, (long)path, R_OK | W_OK), 0);
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/attr_access_dir", 0), 0);
    CHECK_EQ(sys2(SYS_access, (long)"/tmp/attr_access_dir", X_OK), 0);
    CHECK_ERRNO(sys2(SYS_access, (long)"/tmp/attr_missing", F_OK), ENOENT);
    CHECK_ERRNO(sys2(SYS_access, (long)path, 8), EINVAL);
    CHECK_ERRNO(sys2(SYS_access, UNMAPPED_ADDRESS, F_OK), EFAULT);
    CHECK_EQ(sys3(SYS_faccessat, AT_FDCWD, (long)path, R_OK), 0);
    CHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, (long)path, R_OK, AT_EACCESS), 0);
    CHECK_EQ(sys4(SYS_faccessat2, fd, (long)"", R_OK, AT_EMPTY_PATH), 0);
    CHECK_ERRNO(sys4(SYS_faccessat2, AT_FDCWD, (long)path, R_OK, 0x4), EINVAL);
    /* a dangling symlink: followed, ENOENT; not followed, it exists */
    CHECK_EQ(sys2(SYS_symlink, (long)"/tmp/attr_nowhere", (long)"/tmp/attr_dangling"), 0);
    CHECK_ERRNO(sys2(SYS_access, (long)"/tmp/attr_dangling", F_OK), ENOENT);
    CHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, (long)"/tmp/attr_dangling", F_OK, AT_SYMLINK_NOFOLLOW),
             0);
    CHECK_EQ(sys2(SYS_access, (long)"/dev/null", R_OK | W_OK), 0);
    if (on_kite()) {
        CHECK_ERRNO(sys2(SYS_access, (long)data, W_OK), EROFS);
        CHECK_EQ(sys2(SYS_access, (long)data, R_OK | X_OK), 0);
    }
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)"/tmp/attr_dangling");
    sys1(SYS_unlink, (long)path);
    sys1(SYS_rmdir, (long)"/tmp/attr_access_dir");
}

static void test_statx(void) {
    const char* path = "/tmp/attr_statx";
    long fd = make_file(path, 0640);
    CHECK_EQ(sys3(SYS_write, fd, (long)"hello", 5), 5);
    struct abi_statx sx;
    memset(&sx, 0xff, sizeof(sx));
    CHECK_EQ(sys6(SYS_statx, AT_FDCWD, (long)path, 0, ABI_STATX_BASIC_STATS, (long)&sx, 0), 0);
    struct stat_buffer st = stat_of(path);
    CHECK_EQ(sx.mask & ABI_STATX_BASIC_STATS, ABI_STATX_BASIC_STATS);
    CHECK_EQ(sx.mode, st.mode);
    CHECK_EQ(sx.nlink, st.nlink);
    CHECK_EQ(sx.ino, st.ino);
    CHECK_EQ(sx.size, 5);
    CHECK_EQ(sx.uid, st.uid);
    CHECK_EQ(sx.blksize, st.blksize);
    CHECK_EQ(sx.mtime.sec, st.mtime);
    CHECK_EQ(sx.mtime.nsec, st.mtime_nsec);
    CHECK_EQ(sx.ctime.sec, st.ctime);
    CHECK_EQ(((unsigned long)sx.dev_major << 8 | sx.dev_minor), st.dev);
    /* through the descriptor, and on a symlink itself */
    CHECK_EQ(sys6(SYS_statx, fd, (long)"", AT_EMPTY_PATH, ABI_STATX_SIZE, (long)&sx, 0), 0);
    CHECK_EQ(sx.size, 5);
    CHECK_EQ(sys2(SYS_symlink, (long)path, (long)"/tmp/attr_statx_link"), 0);
    CHECK_EQ(sys6(SYS_statx, AT_FDCWD, (long)"/tmp/attr_statx_link", AT_SYMLINK_NOFOLLOW,
                  ABI_STATX_MODE, (long)&sx, 0),
             0);
    CHECK_EQ(sx.mode & 0170000, 0120000);
    CHECK_ERRNO(sys6(SYS_statx, AT_FDCWD, (long)path, 0x4, ABI_STATX_BASIC_STATS, (long)&sx, 0),
                EINVAL);
    CHECK_ERRNO(sys6(SYS_statx, AT_FDCWD, (long)path, ABI_AT_STATX_SYNC_TYPE, ABI_STATX_BASIC_STATS,
                     (long)&sx, 0),
                EINVAL);
    CHECK_ERRNO(sys6(SYS_statx, AT_FDCWD, (long)path, 0, ABI_STATX_RESERVED, (long)&sx, 0), EINVAL);
    CHECK_ERRNO(
        sys6(SYS_statx, AT_FDCWD, (long)path, 0, ABI_STATX_BASIC_STATS, UNMAPPED_ADDRESS, 0),
        EFAULT);
    CHECK_ERRNO(sys6(SYS_statx, AT_FDCWD, (long)"/tmp/attr_missing", 0, ABI_STATX_BASIC_STATS,
                     (long)&sx, 0),
                ENOENT);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)"/tmp/attr_statx_link");
    sys1(SYS_unlink, (long)path);
}

/* An unlinked file stays usable through its descriptors and reports no
 * names; its memory goes at the last close (Kite's leak figures). */
static void test_unlinked_open(void) {
    static char block[20000];
    memset(block, 'u', sizeof(block)); /* its pages are the program's: touched first */
    char before[128];
    int have_stats = read_kite_stats(before, sizeof(before));
    const char* path = "/tmp/attr_unlinked";
    long fd = make_file(path, 0644);
    long second = sys3(SYS_open, (long)path, O_RDONLY, 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)block, sizeof(block)), sizeof(block));
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    CHECK_ERRNO(sys2(SYS_access, (long)path, F_OK), ENOENT);
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.nlink, 0);
    CHECK_EQ(st.size, sizeof(block));
    CHECK_EQ(sys3(SYS_write, fd, (long)"tail", 4), 4);
    char got[8] = {0};
    CHECK_EQ(sys4(SYS_pread64, second, (long)got, 4, sizeof(block)), 4);
    CHECK(text_equal(got, "tail"));
    CHECK_EQ(sys3(SYS_read, second, (long)got, 1), 1);
    CHECK_EQ(got[0], 'u');
    /* a new file of the same name is another file */
    long other = make_file(path, 0644);
    CHECK_EQ(sys2(SYS_fstat, other, (long)&st), 0);
    CHECK_EQ(st.size, 0);
    CHECK_EQ(st.nlink, 1);
    sys1(SYS_close, other);
    sys1(SYS_unlink, (long)path);
    sys1(SYS_close, fd);
    CHECK_EQ(sys3(SYS_read, second, (long)got, 1), 1); /* the last descriptor still reads */
    sys1(SYS_close, second);
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const char* data = argc > 1 ? argv[1] : "/test/data";
    sys1(SYS_umask, 022);
    test_umask();
    test_chmod(data);
    test_chown();
    test_times();
    test_link_counts();
    test_access(data);
    test_statx();
    test_unlinked_open();
    return check_done("file_attributes");
}
