/* files: open, read, write, readv, writev, lseek, close, stat and friends,
 * getdents64, getcwd and chdir, ioctl, with good and bad arguments. */
#include "check.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_DIRECTORY 0200000
#define AT_FDCWD (-100)
#define AT_EMPTY_PATH 0x1000
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFREG 0100000
#define S_IFLNK 0120000

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

struct iovec {
    const void* base;
    unsigned long length;
};

static long open_path(const char* path, long flags) {
    return sys3(SYS_open, (long)path, flags, 0644);
}

static int directory_has(const char* path, const char* name) {
    long fd = open_path(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return 0;
    }
    char buffer[2048];
    int found = 0;
    long n;
    while ((n = sys3(SYS_getdents64, fd, (long)buffer, sizeof(buffer))) > 0) {
        for (long at = 0; at < n;) {
            unsigned short length = *(unsigned short*)(buffer + at + 16);
            if (text_equal(buffer + at + 19, name)) {
                found = 1;
            }
            at += length;
        }
    }
    sys1(SYS_close, fd);
    return found;
}

static void bad_arguments(void) {
    char buffer[64];
    long zero = open_path("/dev/zero", O_RDONLY);
    CHECK(zero >= 0);
    CHECK_ERRNO(sys3(SYS_read, -1, (long)buffer, 1), EBADF);
    CHECK_ERRNO(sys3(SYS_read, 1000, (long)buffer, 1), EBADF);
    CHECK_ERRNO(sys3(SYS_read, zero, UNMAPPED_ADDRESS, 16), EFAULT);
    CHECK_ERRNO(sys3(SYS_read, zero, KERNEL_ADDRESS, 16), EFAULT);
    CHECK_ERRNO(sys3(SYS_read, zero, UNMAPPED_ADDRESS, 1L << 40), EFAULT);
    CHECK_EQ(sys3(SYS_read, zero, (long)buffer, 0), 0);
    CHECK_ERRNO(sys3(SYS_write, 1, UNMAPPED_ADDRESS, 10), EFAULT);
    CHECK_ERRNO(sys3(SYS_write, 1, KERNEL_ADDRESS, 10), EFAULT);
    CHECK_ERRNO(sys3(SYS_write, zero, (long)buffer, 1), EBADF); /* read-only descriptor */
    /* /dev/null takes any length without reading it; Linux caps one write. */
    long null = open_path("/dev/null", O_WRONLY);
    CHECK_EQ(sys3(SYS_write, null, UNMAPPED_ADDRESS, 1L << 40), 0x7ffff000);
    CHECK_ERRNO(sys1(SYS_close, -5), EBADF);
    CHECK_EQ(sys1(SYS_close, null), 0);
    CHECK_ERRNO(sys1(SYS_close, null), EBADF);
    CHECK_ERRNO(sys3(SYS_open, 0, O_RDONLY, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_open, KERNEL_ADDRESS, O_RDONLY, 0), EFAULT);
    CHECK_ERRNO(open_path("/no/such/file", O_RDONLY), ENOENT);
    CHECK_ERRNO(open_path("", O_RDONLY), ENOENT);
    CHECK_ERRNO(open_path("/dev/null/below", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(open_path("/dev/null", O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_ERRNO(open_path("/dev", O_WRONLY), EISDIR);
    static char long_path[5000];
    for (int i = 0; i < 4999; ++i) {
        long_path[i] = i % 2 ? 'a' : '/';
    }
    CHECK_ERRNO(open_path(long_path, O_RDONLY), ENAMETOOLONG);
    static char long_name[300];
    long_name[0] = '/';
    for (int i = 1; i < 299; ++i) {
        long_name[i] = 'n';
    }
    CHECK_ERRNO(open_path(long_name, O_RDONLY), ENAMETOOLONG);
    CHECK_ERRNO(sys3(SYS_lseek, 1000, 0, 0), EBADF);
    CHECK_ERRNO(sys3(SYS_lseek, zero, 0, 7), EINVAL);
    CHECK_EQ(sys3(SYS_lseek, zero, 100, 0), 0); /* /dev/zero and /dev/null stay at 0 */
    sys1(SYS_close, zero);
}

static void devices_and_vectors(void) {
    long zero = open_path("/dev/zero", O_RDONLY);
    char buffer[100];
    for (int i = 0; i < 100; ++i) {
        buffer[i] = 'x';
    }
    CHECK_EQ(sys3(SYS_read, zero, (long)buffer, 100), 100);
    int all_zero = 1;
    for (int i = 0; i < 100; ++i) {
        all_zero = all_zero && buffer[i] == 0;
    }
    CHECK(all_zero);

    char a[3], b[5];
    struct iovec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    a[0] = b[4] = 'x';
    CHECK_EQ(sys3(SYS_readv, zero, (long)in, 2), 8);
    CHECK(a[0] == 0 && b[4] == 0);
    CHECK_ERRNO(sys3(SYS_readv, zero, (long)in, 1025), EINVAL);
    CHECK_ERRNO(sys3(SYS_readv, zero, UNMAPPED_ADDRESS, 2), EFAULT);

    long null = open_path("/dev/null", O_WRONLY);
    struct iovec out[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
    CHECK_EQ(sys3(SYS_writev, null, (long)out, 3), 5);
    /* Linux caps the total of one call; a negative length is invalid. */
    struct iovec huge[2] = {{"a", 0x7ffff000}, {"b", 0x7ffff000}};
    CHECK_EQ(sys3(SYS_writev, null, (long)huge, 2), 0x7ffff000);
    struct iovec negative[1] = {{"a", (unsigned long)-1}};
    CHECK_ERRNO(sys3(SYS_writev, null, (long)negative, 1), EINVAL);

    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_fstat, null, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFCHR);
    CHECK_EQ(st.rdev, 0x103); /* 1:3 */
    CHECK_ERRNO(sys2(SYS_fstat, null, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_fstat, -1, (long)&st), EBADF);
    CHECK_ERRNO(sys3(SYS_ioctl, null, 0x5401 /* TCGETS */, (long)buffer), ENOTTY);
    sys1(SYS_close, null);
    sys1(SYS_close, zero);

    CHECK_EQ(sys2(SYS_stat, (long)"/", (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFDIR);
    CHECK_EQ(sys2(SYS_lstat, (long)"/dev/zero", (long)&st), 0);
    CHECK_EQ(st.rdev, 0x105);
    CHECK_ERRNO(sys2(SYS_stat, (long)"/no/such", (long)&st), ENOENT);
    CHECK_ERRNO(sys2(SYS_stat, (long)"/dev", UNMAPPED_ADDRESS), EFAULT);
    CHECK_EQ(sys4(SYS_newfstatat, AT_FDCWD, (long)"/dev/null", (long)&st, 0), 0);
    CHECK_EQ(st.rdev, 0x103);
    long dev = open_path("/dev", O_RDONLY | O_DIRECTORY);
    CHECK(dev >= 0);
    CHECK_EQ(sys4(SYS_newfstatat, dev, (long)"zero", (long)&st, 0), 0);
    CHECK_EQ(st.rdev, 0x105);
    CHECK_EQ(sys4(SYS_newfstatat, dev, (long)"", (long)&st, AT_EMPTY_PATH), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFDIR);
    CHECK_ERRNO(sys4(SYS_newfstatat, dev, (long)"zero", (long)&st, 0x4000000), EINVAL);
    long zero_at = sys4(SYS_openat, dev, (long)"zero", O_RDONLY, 0);
    CHECK(zero_at >= 0);
    sys1(SYS_close, zero_at);
    CHECK_ERRNO(sys4(SYS_openat, 12345, (long)"zero", O_RDONLY, 0), EBADF);

    char small[8];
    CHECK_ERRNO(sys3(SYS_getdents64, dev, (long)small, sizeof(small)), EINVAL);
    CHECK_ERRNO(sys3(SYS_getdents64, dev, UNMAPPED_ADDRESS, 4096), EFAULT);
    sys1(SYS_close, dev);
    CHECK(directory_has("/dev", "null"));
    CHECK(directory_has("/dev", "zero"));
    CHECK(directory_has("/dev", "."));
    CHECK(directory_has("/dev", ".."));
    CHECK(!directory_has("/dev", "no-such-device"));
    long file = open_path("/dev/null", O_RDONLY);
    CHECK_ERRNO(sys3(SYS_getdents64, file, (long)buffer, sizeof(buffer)), ENOTDIR);
    sys1(SYS_close, file);
}

static void directories(void) {
    char cwd[256];
    CHECK_EQ(sys1(SYS_chdir, (long)"/dev"), 0);
    CHECK_EQ(sys2(SYS_getcwd, (long)cwd, sizeof(cwd)), 5);
    CHECK(text_equal(cwd, "/dev"));
    long null = open_path("null", O_RDONLY); /* relative to the new directory */
    CHECK(null >= 0);
    sys1(SYS_close, null);
    CHECK_EQ(sys1(SYS_chdir, (long)".."), 0);
    CHECK_EQ(sys2(SYS_getcwd, (long)cwd, sizeof(cwd)), 2);
    CHECK(text_equal(cwd, "/"));
    CHECK_ERRNO(sys2(SYS_getcwd, (long)cwd, 1), ERANGE);
    CHECK_ERRNO(sys2(SYS_getcwd, UNMAPPED_ADDRESS, 256), EFAULT);
    CHECK_ERRNO(sys1(SYS_chdir, (long)"/dev/null"), ENOTDIR);
    CHECK_ERRNO(sys1(SYS_chdir, (long)"/no/such"), ENOENT);
    CHECK_ERRNO(sys1(SYS_chdir, UNMAPPED_ADDRESS), EFAULT);
    CHECK_EQ(sys1(SYS_chdir, (long)"//dev/./../dev//"), 0);
    CHECK_EQ(sys2(SYS_getcwd, (long)cwd, sizeof(cwd)), 5);
    sys1(SYS_chdir, (long)"/");
}

static void temporary_files(void) {
    char path[64] = "/tmp/kite-files-test-";
    long pid = sys0(SYS_getpid);
    int at = 21;
    for (long p = pid; p; p /= 10) {
        path[at++] = (char)('0' + p % 10);
    }
    path[at] = '\0';
    long fd = open_path(path, O_RDWR | O_CREAT | O_EXCL);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"hello, world", 12), 12);
    CHECK_EQ(sys3(SYS_lseek, fd, 7, 0), 7);
    char buffer[16] = {0};
    CHECK_EQ(sys3(SYS_read, fd, (long)buffer, sizeof(buffer)), 5);
    CHECK(text_equal(buffer, "world"));
    CHECK_EQ(sys3(SYS_lseek, fd, -5, 2), 7);
    CHECK_ERRNO(sys3(SYS_lseek, fd, -100, 1), EINVAL);
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 12);
    CHECK_EQ(st.mode & S_IFMT, S_IFREG);
    CHECK_ERRNO(open_path(path, O_RDWR | O_CREAT | O_EXCL), EEXIST);
    long again = open_path(path, O_RDWR | O_TRUNC);
    CHECK(again >= 0);
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 0);
    sys1(SYS_close, again);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    CHECK_ERRNO(sys1(SYS_unlink, (long)path), ENOENT);
    CHECK_ERRNO(open_path(path, O_RDONLY), ENOENT);
    CHECK_ERRNO(sys1(SYS_unlink, (long)"/tmp"), EISDIR);
    /* A path with no last name: nothing to unlink; the root cannot go. */
    CHECK_ERRNO(sys1(SYS_unlink, (long)"/"), EISDIR);
    CHECK_ERRNO(sys1(SYS_rmdir, (long)"/"), EBUSY);
    CHECK_ERRNO(sys1(SYS_rmdir, (long)"//"), EBUSY);
    CHECK_ERRNO(sys1(SYS_unlink, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(open_path("/tmp/no-such-dir/file", O_RDWR | O_CREAT), ENOENT);
    CHECK_ERRNO(open_path("/tmp/kite-new-dir/", O_RDWR | O_CREAT), EISDIR);
    long plain = open_path("/tmp/kite-plain-file", O_RDWR | O_CREAT);
    sys1(SYS_close, plain);
    CHECK_ERRNO(sys1(SYS_unlink, (long)"/tmp/kite-plain-file/"), ENOTDIR);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/kite-plain-file"), 0);
    if (on_kite()) {
        CHECK_ERRNO(open_path("/etc/new-file", O_RDWR | O_CREAT), EROFS);
        CHECK_ERRNO(open_path("/etc/motd", O_WRONLY), EROFS);
        CHECK(open_path("/etc/motd", O_RDONLY) >= 0);
        CHECK_ERRNO(open_path("/etc/loop-a", O_RDONLY), ELOOP);
    }
}

/* Trailing slashes, access mode 3, O_TRUNC with O_RDONLY and link's order
 * of errors, each as Linux has them. */
static void linux_corner_cases(void) {
    const char* file = "/tmp/kite-corner-file";
    const char* dir = "/tmp/kite-corner-dir";
    struct stat_buffer st;
    sys1(SYS_unlink, (long)file); /* left over from an interrupted run, if any */
    sys1(SYS_rmdir, (long)dir);
    sys1(SYS_rmdir, (long)"/tmp/kite-corner-moved");
    long fd = open_path(file, O_RDWR | O_CREAT | O_TRUNC);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"abc", 3), 3);
    sys1(SYS_close, fd);
    CHECK_EQ(sys2(SYS_mkdir, (long)dir, 0755), 0);

    CHECK_ERRNO(sys2(SYS_stat, (long)"/tmp/kite-corner-file/", (long)&st), ENOTDIR);
    CHECK_ERRNO(sys2(SYS_lstat, (long)"/tmp/kite-corner-file/", (long)&st), ENOTDIR);
    CHECK_ERRNO(open_path("/tmp/kite-corner-file/", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(sys1(SYS_chdir, (long)"/tmp/kite-corner-file/"), ENOTDIR);
    CHECK_ERRNO(open_path("/tmp/kite-corner-file/", O_RDWR | O_CREAT), EISDIR);
    CHECK_ERRNO(open_path("/tmp/kite-corner-dir/", O_RDONLY | O_CREAT), EISDIR);
    CHECK_ERRNO(open_path("/tmp/kite-corner-dir", O_RDONLY | O_CREAT), EISDIR);
    CHECK_EQ(sys2(SYS_stat, (long)"/tmp/kite-corner-dir/", (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFDIR);

    /* Mode 3 opens, but the descriptor neither reads nor writes. */
    char byte;
    fd = open_path(file, 3);
    CHECK(fd >= 0);
    CHECK_ERRNO(sys3(SYS_read, fd, (long)&byte, 1), EBADF);
    CHECK_ERRNO(sys3(SYS_write, fd, (long)"x", 1), EBADF);
    sys1(SYS_close, fd);
    CHECK_ERRNO(open_path(dir, 3), EISDIR);

    /* O_TRUNC truncates even with O_RDONLY, and so counts as writing. */
    fd = open_path(file, O_RDONLY | O_TRUNC);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 0);
    CHECK_ERRNO(sys3(SYS_write, fd, (long)"x", 1), EBADF);
    sys1(SYS_close, fd);
    CHECK_ERRNO(open_path(dir, O_RDONLY | O_TRUNC), EISDIR);
    if (on_kite()) {
        CHECK_ERRNO(open_path("/etc/motd", O_RDONLY | O_TRUNC), EROFS);
    }

    /* rename: a trailing slash on either name asks for a directory. */
    CHECK_ERRNO(sys2(SYS_rename, (long)file, (long)"/tmp/kite-corner-new/"), ENOTDIR);
    CHECK_ERRNO(sys2(SYS_rename, (long)"/tmp/kite-corner-file/", (long)"/tmp/kite-corner-new"),
                ENOTDIR);
    CHECK_ERRNO(sys2(SYS_rename, (long)"/tmp/kite-corner-none/", (long)"/tmp/kite-corner-new"),
                ENOENT);
    CHECK_EQ(sys2(SYS_rename, (long)dir, (long)"/tmp/kite-corner-moved/"), 0);
    CHECK_EQ(sys2(SYS_rename, (long)"/tmp/kite-corner-moved/", (long)dir), 0);

    /* link: an existing new name wins over the old file being a directory;
     * a missing new name ending in '/' is ENOENT; an old "file/" ENOTDIR. */
    CHECK_ERRNO(sys2(SYS_link, (long)dir, (long)file), EEXIST);
    CHECK_ERRNO(sys2(SYS_link, (long)dir, (long)"/tmp/kite-corner-new"), EPERM);
    CHECK_ERRNO(sys2(SYS_link, (long)file, (long)"/tmp/kite-corner-new/"), ENOENT);
    CHECK_ERRNO(sys2(SYS_link, (long)"/tmp/kite-corner-file/", (long)"/tmp/kite-corner-new"),
                ENOTDIR);
    CHECK_ERRNO(sys2(SYS_stat, (long)"/tmp/kite-corner-new", (long)&st), ENOENT);

    CHECK_EQ(sys1(SYS_unlink, (long)file), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)dir), 0);
}

/* A removed directory, still the working directory and open: it can be
 * opened as "." and stat'ed (no links), but listing it is ENOENT (Linux's
 * IS_DEADDIR check; Kite listed "." and ".."), nothing can be made in it,
 * getcwd is ENOENT, and ".." is still the directory it was in. */
static void removed_directory(void) {
    const char* dir = "/tmp/kite-removed-cwd";
    struct stat_buffer st, tmp;
    char buffer[1024];
    sys1(SYS_rmdir, (long)dir); /* left over from an interrupted run, if any */
    CHECK_EQ(sys2(SYS_mkdir, (long)dir, 0755), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)dir), 0);
    long before = open_path(".", O_RDONLY | O_DIRECTORY);
    CHECK(before >= 0);
    CHECK(sys3(SYS_getdents64, before, (long)buffer, sizeof(buffer)) > 0); /* "." and ".." */
    CHECK_EQ(sys1(SYS_rmdir, (long)"../kite-removed-cwd"), 0);
    CHECK_EQ(sys3(SYS_lseek, before, 0, 0), 0);
    CHECK_ERRNO(sys3(SYS_getdents64, before, (long)buffer, sizeof(buffer)), ENOENT);

    long here = open_path(".", O_RDONLY | O_DIRECTORY);
    CHECK(here >= 0);
    CHECK_ERRNO(sys3(SYS_getdents64, here, (long)buffer, sizeof(buffer)), ENOENT);
    CHECK_EQ(sys3(SYS_lseek, here, 0, 0), 0);
    CHECK_ERRNO(sys3(SYS_getdents64, here, (long)buffer, sizeof(buffer)), ENOENT);
    CHECK_EQ(sys2(SYS_fstat, here, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFDIR);
    CHECK_EQ(st.nlink, 0);
    CHECK_EQ(sys2(SYS_stat, (long)".", (long)&st), 0);
    CHECK_EQ(st.nlink, 0);
    CHECK_ERRNO(sys2(SYS_getcwd, (long)buffer, sizeof(buffer)), ENOENT);
    CHECK_ERRNO(open_path("x", O_RDWR | O_CREAT), ENOENT);
    CHECK_ERRNO(open_path("x", O_RDONLY), ENOENT);
    CHECK_ERRNO(sys2(SYS_mkdir, (long)"y", 0755), ENOENT);
    CHECK_ERRNO(sys4(SYS_openat, before, (long)"z", O_RDWR | O_CREAT, 0644), ENOENT);

    /* ".." is the directory it was removed from. */
    CHECK_EQ(sys2(SYS_stat, (long)"/tmp", (long)&tmp), 0);
    CHECK_EQ(sys2(SYS_stat, (long)"..", (long)&st), 0);
    CHECK_EQ(st.ino, tmp.ino);
    long up = sys4(SYS_openat, here, (long)"..", O_RDONLY | O_DIRECTORY, 0);
    CHECK(up >= 0);
    CHECK_EQ(sys2(SYS_fstat, up, (long)&st), 0);
    CHECK_EQ(st.ino, tmp.ino);
    CHECK(sys3(SYS_getdents64, up, (long)buffer, sizeof(buffer)) > 0);
    sys1(SYS_close, up);
    CHECK_EQ(sys1(SYS_chdir, (long)".."), 0);
    CHECK_EQ(sys2(SYS_getcwd, (long)buffer, sizeof(buffer)), 5);
    CHECK(text_equal(buffer, "/tmp"));
    /* Back into it by descriptor: the same answers. */
    CHECK_EQ(sys1(SYS_fchdir, here), 0);
    CHECK_ERRNO(sys2(SYS_getcwd, (long)buffer, sizeof(buffer)), ENOENT);
    CHECK_ERRNO(sys2(SYS_mkdir, (long)"y", 0755), ENOENT);
    sys1(SYS_close, here);
    sys1(SYS_close, before);
    sys1(SYS_chdir, (long)"/");
}

/* symlink, readlink, and how the other calls follow links (or not). */
static void symbolic_links(void) {
    const char* file = "/tmp/kite-sl-file";
    const char* link = "/tmp/kite-sl-link";
    const char* dangling = "/tmp/kite-sl-dangling";
    const char* loop_a = "/tmp/kite-sl-loop-a";
    const char* loop_b = "/tmp/kite-sl-loop-b";
    const char* names[] = {file, link, dangling, loop_a, loop_b};
    for (int i = 0; i < 5; ++i) {
        sys1(SYS_unlink, (long)names[i]); /* left over from an interrupted run, if any */
    }
    long fd = open_path(file, O_RDWR | O_CREAT | O_TRUNC);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"hello", 5), 5);
    sys1(SYS_close, fd);

    CHECK_EQ(sys2(SYS_symlink, (long)file, (long)link), 0);
    char target[64];
    CHECK_EQ(sys3(SYS_readlink, (long)link, (long)target, sizeof(target)), 17);
    CHECK(target[0] == '/' && target[16] == 'e'); /* "/tmp/kite-sl-file", no NUL added */
    CHECK_EQ(sys3(SYS_readlink, (long)link, (long)target, 4), 4); /* cut to the buffer */
    CHECK_EQ(sys4(SYS_readlinkat, AT_FDCWD, (long)link, (long)target, sizeof(target)), 17);
    CHECK_ERRNO(sys3(SYS_readlink, (long)link, (long)target, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_readlink, (long)file, (long)target, sizeof(target)), EINVAL);
    CHECK_ERRNO(sys3(SYS_readlink, (long)link, UNMAPPED_ADDRESS, sizeof(target)), EFAULT);
    CHECK_ERRNO(sys3(SYS_readlink, (long)"/tmp/kite-sl-none", (long)target, 8), ENOENT);

    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_lstat, (long)link, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFLNK);
    CHECK_EQ(st.size, 17);
    CHECK_EQ(sys2(SYS_stat, (long)link, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFREG);
    CHECK_EQ(st.size, 5);
    fd = open_path(link, O_RDONLY);
    char text[8] = {0};
    CHECK_EQ(sys3(SYS_read, fd, (long)text, sizeof(text)), 5);
    CHECK(text[0] == 'h' && text[4] == 'o');
    sys1(SYS_close, fd);

    CHECK_ERRNO(sys2(SYS_symlink, (long)file, (long)link), EEXIST);
    CHECK_ERRNO(sys2(SYS_symlink, (long)file, (long)"/tmp/kite-sl-new/"), ENOENT);
    CHECK_ERRNO(sys2(SYS_symlink, (long)"", (long)"/tmp/kite-sl-new"), ENOENT);
    CHECK_ERRNO(sys2(SYS_symlink, UNMAPPED_ADDRESS, (long)"/tmp/kite-sl-new"), EFAULT);
    CHECK_EQ(sys2(SYS_symlink, (long)"/tmp/kite-sl-none", (long)dangling), 0);
    CHECK_ERRNO(sys2(SYS_stat, (long)dangling, (long)&st), ENOENT);
    CHECK_EQ(sys2(SYS_lstat, (long)dangling, (long)&st), 0);
    CHECK_EQ(sys2(SYS_symlink, (long)loop_b, (long)loop_a), 0);
    CHECK_EQ(sys2(SYS_symlink, (long)loop_a, (long)loop_b), 0);
    CHECK_ERRNO(open_path(loop_a, O_RDONLY), ELOOP);
    if (on_kite()) {
        CHECK_ERRNO(sys2(SYS_symlink, (long)file, (long)"/etc/kite-link"), EROFS);
    }

    /* unlink removes the link, not what it names. */
    CHECK_EQ(sys1(SYS_unlink, (long)link), 0);
    CHECK_EQ(sys2(SYS_stat, (long)file, (long)&st), 0);
    for (int i = 0; i < 5; ++i) {
        sys1(SYS_unlink, (long)names[i]);
    }
}

/* A buffer whose end runs into an unmapped page: a file or /dev/zero does
 * the bytes before it (Linux's short count), a pipe refuses (EFAULT), and
 * a buffer with no good byte at all is EFAULT. */
static void partial_buffers(void) {
    char* area = (char*)sys6(SYS_mmap, 0, 2 * 4096, 3, 0x22, -1, 0);
    CHECK_EQ(sys2(SYS_munmap, (long)area + 4096, 4096), 0);
    char* buffer = area + 4096 - 100; /* 100 good bytes, then the hole */
    for (int i = 0; i < 4096; ++i) {
        area[i] = 'x';
    }
    long zero = open_path("/dev/zero", O_RDONLY);
    CHECK_EQ(sys3(SYS_read, zero, (long)buffer, 300), 100);
    CHECK_EQ(buffer[0], 0);
    CHECK_EQ(buffer[99], 0);
    CHECK_ERRNO(sys3(SYS_read, zero, (long)area + 4096, 10), EFAULT);
    sys1(SYS_close, zero);

    const char* path = "/tmp/kite-partial";
    long fd = open_path(path, O_RDWR | O_CREAT | O_TRUNC);
    char text[300];
    for (int i = 0; i < 300; ++i) {
        text[i] = 'a';
    }
    CHECK_EQ(sys3(SYS_write, fd, (long)text, 300), 300);
    CHECK_EQ(sys3(SYS_lseek, fd, 0, 0), 0);
    CHECK_EQ(sys3(SYS_read, fd, (long)buffer, 300), 100);
    CHECK_EQ(buffer[99], 'a');
    CHECK_EQ(sys3(SYS_lseek, fd, 0, 1 /* SEEK_CUR */), 100);
    CHECK_EQ(sys3(SYS_write, fd, (long)buffer, 300), 100);
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 300); /* 100 read, 100 written over, 100 left */
    CHECK_ERRNO(sys3(SYS_write, fd, (long)area + 4096, 10), EFAULT);
    CHECK_EQ(sys3(SYS_write, fd, (long)buffer, 0), 0);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)path);

    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_ERRNO(sys3(SYS_write, pipe_fds[1], (long)buffer, 300), EFAULT);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    sys2(SYS_munmap, (long)area, 4096);
}

/* The console's terminal ioctls (Kite only: on the build machine the test
 * has no terminal of its own). */
static void console_ioctls(void) {
    struct termios {
        unsigned int iflag, oflag, cflag, lflag;
        unsigned char line, cc[19];
    } t, changed, back;
    unsigned short window[4];
    long tty = open_path("/dev/tty", O_RDWR);
    CHECK(tty >= 0);
    CHECK_EQ(sys3(SYS_ioctl, tty, 0x5401 /* TCGETS */, (long)&t), 0);
    CHECK(t.lflag & 2);     /* ICANON */
    CHECK(t.lflag & 010);   /* ECHO */
    CHECK_EQ(t.cc[2], 127); /* VERASE */
    changed = t;
    changed.lflag &= ~010u; /* no echo */
    CHECK_EQ(sys3(SYS_ioctl, tty, 0x5402 /* TCSETS */, (long)&changed), 0);
    CHECK_EQ(sys3(SYS_ioctl, tty, 0x5401, (long)&back), 0);
    CHECK_EQ(back.lflag, changed.lflag);
    CHECK_EQ(sys3(SYS_ioctl, tty, 0x5402, (long)&t), 0);
    CHECK_EQ(sys3(SYS_ioctl, tty, 0x5413 /* TIOCGWINSZ */, (long)window), 0);
    CHECK_EQ(window[0], 25);
    CHECK_EQ(window[1], 80);
    CHECK_ERRNO(sys3(SYS_ioctl, tty, 0x5401, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_ioctl, tty, 0x7777, 0), ENOTTY);
    CHECK_ERRNO(sys3(SYS_lseek, tty, 0, 0), ESPIPE);
    CHECK_ERRNO(sys3(SYS_ioctl, -1, 0x5401, (long)&t), EBADF);
    sys1(SYS_close, tty);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    if (on_kite()) {
        console_ioctls();
    }
    bad_arguments();
    devices_and_vectors();
    directories();
    temporary_files();
    linux_corner_cases();
    removed_directory();
    symbolic_links();
    partial_buffers();
    return check_done("files");
}
