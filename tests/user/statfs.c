/* statfs: statfs and fstatfs against Linux's answers for the file systems
 * every Linux system has where Kite has them: a tmpfs at /tmp, procfs at
 * /proc (f_type, f_bsize, f_namelen, block counts that make sense), and the
 * errors (ENOENT, ENOTDIR, EBADF, EFAULT). The initrd at / is read-only
 * (ST_RDONLY) on Kite; the host's / is whatever it is, so that check is
 * Kite's only. /proc/mounts and /proc/filesystems in Linux's format. */
#include "api/statfs.h"
#include "check.h"

/* Whether the file at path (its first 8 KiB) holds text. */
static int file_holds(const char* path, const char* text) {
    static char buffer[8192];
    long fd = sys3(SYS_open, (long)path, 0, 0);
    if (fd < 0) {
        return 0;
    }
    long n = 0, got;
    while (n < (long)sizeof(buffer) - 1 &&
           (got = sys3(SYS_read, fd, (long)buffer + n, sizeof(buffer) - 1 - n)) > 0) {
        n += got;
    }
    sys1(SYS_close, fd);
    buffer[n] = 0;
    long length = (long)rt_strlen(text);
    for (long i = 0; i + length <= n; ++i) {
        long j = 0;
        while (j < length && buffer[i + j] == text[j]) {
            ++j;
        }
        if (j == length) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    struct abi_statfs s;
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp", (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_TMPFS_MAGIC);
    CHECK_EQ(s.f_bsize, 4096);
    CHECK_EQ(s.f_frsize, 4096);
    CHECK_EQ(s.f_namelen, 255);
    CHECK(s.f_blocks > 0);
    CHECK(s.f_bfree <= s.f_blocks);
    CHECK_EQ(s.f_bavail, s.f_bfree);
    CHECK_EQ(s.f_flags & ABI_ST_RDONLY, 0);
    CHECK_EQ(sys2(SYS_statfs, (long)"/proc", (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_PROC_SUPER_MAGIC);
    CHECK_EQ(s.f_namelen, 255);
    CHECK_EQ(sys2(SYS_statfs, (long)"/proc/self", (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_PROC_SUPER_MAGIC);

    long fd = sys3(SYS_open, (long)"/tmp/statfs-file", 0100 | 02 /* O_CREAT|O_RDWR */, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_fstatfs, fd, (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_TMPFS_MAGIC);
    CHECK_ERRNO(sys2(SYS_fstatfs, fd, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_statfs, (long)"/tmp/statfs-file/x", (long)&s), ENOTDIR);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)"/tmp/statfs-file");
    CHECK_ERRNO(sys2(SYS_statfs, (long)"/tmp/no-such-file", (long)&s), ENOENT);
    CHECK_ERRNO(sys2(SYS_statfs, UNMAPPED_ADDRESS, (long)&s), EFAULT);
    CHECK_ERRNO(sys2(SYS_statfs, (long)"/tmp", UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_fstatfs, 999, (long)&s), EBADF);
    /* /proc/mounts in Linux's format (the source name of the host's /tmp
     * differs: the runner mounts its own), and /proc/filesystems. */
    CHECK(file_holds("/proc/mounts", " /tmp tmpfs rw,"));
    CHECK(file_holds("/proc/self/mounts", " /tmp tmpfs rw,"));
    CHECK(file_holds("/proc/mounts", "proc /proc proc rw,"));
    CHECK(file_holds("/proc/filesystems", "nodev\ttmpfs\n"));
    CHECK(file_holds("/proc/filesystems", "nodev\tproc\n"));
    if (on_kite()) {
        CHECK(file_holds("/proc/mounts", "initrd / ramfs ro,relatime 0 0\n"));
        /* /etc/mtab is a symlink to it, as on Linux (the host may lack one). */
        CHECK(file_holds("/etc/mtab", " /tmp tmpfs rw,"));
        CHECK_EQ(sys2(SYS_statfs, (long)"/", (long)&s), 0);
        CHECK_EQ(s.f_type, ABI_RAMFS_MAGIC);
        CHECK_EQ(s.f_flags & ABI_ST_RDONLY, ABI_ST_RDONLY);
    }
    return check_done("statfs");
}
