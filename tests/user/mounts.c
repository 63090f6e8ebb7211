/* mounts: mount(2) and umount2(2) of a tmpfs as Linux does them: the
 * options in /proc/mounts, statfs's figures from size=, a full tmpfs
 * (a short write, then ENOSPC; room again after an unlink), EBUSY while a
 * file is open, a working directory or a mount is inside, MS_RDONLY and
 * MS_REMOUNT, every bad argument's errno; /dev/shm is a tmpfs, and a file
 * there mapped MAP_SHARED is shared across fork. Needs root (CAP_SYS_ADMIN)
 * on Linux: without it the mount checks print SKIP. */
#include "api/statfs.h"
#include "api/types.h"
#include "check.h"

#define MS_RDONLY 1L
#define MS_NOSUID 2L
#define MS_NODEV 4L
#define MS_NOEXEC 8L
#define MS_REMOUNT 32L
#define MS_BIND 4096L
#define MNT_DETACH 2L
#define O_RDWR 02
#define O_CREAT 0100
#define O_DIRECTORY 0200000

static char text[8192];

/* The text of the file at path (its first 8 KiB). */
static const char* read_text(const char* path) {
    long fd = sys3(SYS_open, (long)path, 0, 0);
    long n = 0, got;
    while (fd >= 0 && n < (long)sizeof(text) - 1 &&
           (got = sys3(SYS_read, fd, (long)text + n, sizeof(text) - 1 - n)) > 0) {
        n += got;
    }
    if (fd >= 0) {
        sys1(SYS_close, fd);
    }
    text[n] = 0;
    return text;
}

static int holds(const char* haystack, const char* needle) {
    long length = (long)rt_strlen(needle);
    for (long i = 0; haystack[i]; ++i) {
        long j = 0;
        while (j < length && haystack[i + j] == needle[j]) {
            ++j;
        }
        if (j == length) {
            return 1;
        }
    }
    return 0;
}

static long mount5(const char* source, const char* target, const char* type, long flags,
                   const char* data) {
    return sys6(SYS_mount, (long)source, (long)target, (long)type, flags, (long)data, 0);
}

static long open_file(const char* path) {
    return sys3(SYS_open, (long)path, O_CREAT | O_RDWR, 0600);
}

static char block[100000];

static void fill_and_free(void) {
    struct abi_statfs s;
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/mnt", (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_TMPFS_MAGIC);
    CHECK_EQ(s.f_bsize, 4096);
    CHECK_EQ(s.f_blocks, 16); /* 64 KiB */
    CHECK_EQ(s.f_bfree, 16);
    CHECK_EQ(s.f_bavail, 16);
    CHECK_EQ(s.f_flags & (ABI_ST_RDONLY | ABI_ST_NOSUID), 0);

    long fd = open_file("/tmp/mnt/big");
    CHECK(fd >= 0);
    for (long i = 0; i < (long)sizeof(block); ++i) {
        block[i] = (char)i;
    }
    /* More than fits: a short write of what fits, then ENOSPC. */
    CHECK_EQ(sys3(SYS_write, fd, (long)block, sizeof(block)), 65536);
    CHECK_ERRNO(sys3(SYS_write, fd, (long)block, 1), ENOSPC);
    CHECK_ERRNO(sys4(SYS_fallocate, fd, 0, 0, 65536 + 4096), ENOSPC);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 0);
    /* A new file is only an inode: it can be made, not written. */
    long other = open_file("/tmp/mnt/other");
    CHECK(other >= 0);
    CHECK_ERRNO(sys3(SYS_write, other, (long)block, 10), ENOSPC);
    /* Busy while a file is open, or a working directory is inside. */
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0), EBUSY);
    sys1(SYS_close, other);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_chdir, (long)"/tmp/mnt"), 0);
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0), EBUSY);
    CHECK_EQ(sys1(SYS_chdir, (long)"/"), 0);
    /* Unlinking gives the room back. */
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/mnt/big"), 0);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 16);
    fd = open_file("/tmp/mnt/other");
    CHECK_EQ(sys3(SYS_write, fd, (long)block, 8192), 8192);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 4096), 0);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 15);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/mnt/other"), 0);
}

static void bad_arguments(void) {
    CHECK_ERRNO(mount5("x", "/tmp/mnt", "no-such-fs", 0, 0), ENODEV);
    CHECK_ERRNO(mount5("x", "/tmp/no-such-dir", "tmpfs", 0, 0), ENOENT);
    CHECK_ERRNO(mount5("x", "/tmp/mnt-file/x", "tmpfs", 0, 0), ENOTDIR);
    CHECK_ERRNO(mount5("x", "/tmp/mnt-file", "tmpfs", 0, 0), ENOTDIR);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", "tmpfs", 0, "size=lots"), EINVAL);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", "tmpfs", 0, "mode=9"), EINVAL);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", "tmpfs", 0, "no_such_option=1"), EINVAL);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", 0, 0, 0), EINVAL);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", "tmpfs", 0, "size=1%k"), EINVAL);
    /* A percentage of memory, after memparse's suffix. */
    CHECK_EQ(mount5("x", "/tmp/mnt", "tmpfs", 0, "size=10%"), 0);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
    CHECK_ERRNO(mount5("x", (const char*)UNMAPPED_ADDRESS, "tmpfs", 0, 0), EFAULT);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", (const char*)UNMAPPED_ADDRESS, 0, 0), EFAULT);
    CHECK_ERRNO(mount5((const char*)UNMAPPED_ADDRESS, "/tmp/mnt", "tmpfs", 0, 0), EFAULT);
    CHECK_ERRNO(mount5("x", "/tmp/mnt", 0, MS_REMOUNT, 0), EINVAL);  /* not a mount point */
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0), EINVAL);     /* not a mount point */
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0x100), EINVAL); /* unknown flag */
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/no-such-dir", 0), ENOENT);
    CHECK_ERRNO(sys2(SYS_umount2, UNMAPPED_ADDRESS, 0), EFAULT);
    if (on_kite()) {
        /* Linux stacks a mount on /; Kite refuses it (see mount_calls.cpp). */
        CHECK_ERRNO(mount5("x", "/", "tmpfs", 0, 0), EBUSY);
        CHECK_ERRNO(sys2(SYS_umount2, (long)"/", 0), EBUSY);
    }
}

static void read_only_and_remount(void) {
    CHECK_EQ(mount5("ro-test", "/tmp/mnt", "tmpfs", MS_RDONLY | MS_NOSUID, "size=1m"), 0);
    CHECK(holds(read_text("/proc/mounts"), "ro-test /tmp/mnt tmpfs ro,nosuid,relatime,size=1024k"));
    struct abi_statfs s;
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/mnt", (long)&s), 0);
    CHECK_EQ(s.f_flags & (ABI_ST_RDONLY | ABI_ST_NOSUID), ABI_ST_RDONLY | ABI_ST_NOSUID);
    CHECK_EQ(s.f_blocks, 256);
    CHECK_ERRNO(open_file("/tmp/mnt/x"), EROFS);
    CHECK_ERRNO(sys2(SYS_mkdir, (long)"/tmp/mnt/d", 0755), EROFS);
    CHECK_EQ(mount5(0, "/tmp/mnt", 0, MS_REMOUNT, "size=2m"), 0);
    CHECK(holds(read_text("/proc/mounts"), "ro-test /tmp/mnt tmpfs rw,relatime,size=2048k"));
    long fd = open_file("/tmp/mnt/x");
    CHECK(fd >= 0);
    sys1(SYS_close, fd);
    /* A mount inside makes the outer one busy. */
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/mnt/d", 0755), 0);
    CHECK_EQ(mount5("inner", "/tmp/mnt/d", "tmpfs", 0, 0), 0);
    /* A space in a name is shown as \040. */
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/mnt/a b", 0755), 0);
    CHECK_EQ(mount5("my src", "/tmp/mnt/a b", "tmpfs", 0, 0), 0);
    CHECK(holds(read_text("/proc/mounts"), "my\\040src /tmp/mnt/a\\040b tmpfs rw,relatime"));
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt/a b", 0), 0);
    CHECK(holds(read_text("/proc/self/mounts"), "inner /tmp/mnt/d tmpfs rw,relatime"));
    CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0), EBUSY);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt/d", 0), 0);
    /* MNT_DETACH takes it away even while in use. */
    fd = sys3(SYS_open, (long)"/tmp/mnt/x", O_RDWR, 0);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", MNT_DETACH), 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"still", 5), 5);
    sys1(SYS_close, fd);
    CHECK(!holds(read_text("/proc/mounts"), "ro-test"));
}

/* shm_open's way: a file in /dev/shm, sized by ftruncate, mapped shared;
 * a forked child's store is seen by the parent. */
static void shared_memory(void) {
    struct abi_statfs s;
    CHECK_EQ(sys2(SYS_statfs, (long)"/dev/shm", (long)&s), 0);
    CHECK_EQ(s.f_type, ABI_TMPFS_MAGIC);
    CHECK(holds(read_text("/proc/mounts"), " /dev/shm tmpfs rw,"));
    long fd = open_file("/dev/shm/kite-mounts-test");
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 4096), 0);
    long address = sys6(SYS_mmap, 0, 4096, 3 /* PROT_READ|PROT_WRITE */, 1 /* MAP_SHARED */, fd, 0);
    CHECK(address > 0);
    if (address > 0) {
        volatile int* word = (volatile int*)address;
        *word = 1;
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            *word = 42;
            sys1(SYS_exit, 0);
        }
        int status = 0;
        CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
        CHECK_EQ(*word, 42);
        char byte = 0;
        CHECK_EQ(sys4(SYS_pread64, fd, (long)&byte, 1, 0), 1);
        CHECK_EQ(byte, 42);
        sys2(SYS_munmap, address, 4096);
    }
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/dev/shm/kite-mounts-test"), 0);
}

/* noexec: a program copied onto the mount cannot run (EACCES); nodev: a
 * device node on it cannot be opened (EACCES); both work elsewhere. */
static void noexec_and_nodev(void) {
    CHECK_EQ(mount5("flags", "/tmp/mnt", "tmpfs", MS_NOEXEC | MS_NODEV, 0), 0);
    long self = sys2(SYS_open, (long)"/proc/self/exe", 0);
    long copy = sys3(SYS_open, (long)"/tmp/mnt/prog", 01 | 0100 /* O_WRONLY|O_CREAT */, 0755);
    CHECK(self >= 0 && copy >= 0);
    long n;
    while ((n = sys3(SYS_read, self, (long)block, sizeof(block))) > 0) {
        CHECK_EQ(sys3(SYS_write, copy, (long)block, n), n);
    }
    sys1(SYS_close, self);
    sys1(SYS_close, copy);
    const char* no_args[] = {"prog", 0};
    CHECK_ERRNO(sys3(SYS_execve, (long)"/tmp/mnt/prog", (long)no_args, 0), EACCES);
    CHECK_EQ(sys4(SYS_mknodat, -100, (long)"/tmp/mnt/null", 020666, (1 << 8) | 3), 0);
    CHECK_ERRNO(sys2(SYS_open, (long)"/tmp/mnt/null", 2), EACCES);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
}

/* A mount on a directory already mounted over (reached by ".." from a
 * directory it covers) stacks on top; and unmounting a tmpfs 1000
 * directories deep frees the tree without a kernel stack frame a level. */
static void stacked_and_deep(void) {
    sys1(SYS_rmdir, (long)"/tmp/mnt/y");
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/mnt/y", 0755), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)"/tmp/mnt/y"), 0);
    CHECK_EQ(mount5("one", "/tmp/mnt", "tmpfs", 0, 0), 0);
    CHECK_EQ(mount5("two", "..", "tmpfs", 0, 0), 0);
    const char* mounts = read_text("/proc/mounts");
    CHECK(holds(mounts, "one /tmp/mnt tmpfs") && holds(mounts, "two /tmp/mnt tmpfs"));
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/mnt/top", 0755), 0); /* on "two" */
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", MNT_DETACH), 0);
    CHECK(!holds(read_text("/proc/mounts"), "two /tmp/mnt "));
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)"/"), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)"/tmp/mnt/y"), 0);

    /* MNT_DETACH takes the mounts inside along, even with a process in
     * one of them; 40 rounds, more than Kite's 32-slot table holds. */
    int rounds = 0;
    for (; rounds < 40; ++rounds) {
        if (mount5("outer", "/tmp/mnt", "tmpfs", 0, 0) != 0 ||
            sys2(SYS_mkdir, (long)"/tmp/mnt/a", 0755) != 0 ||
            mount5("inner", "/tmp/mnt/a", "tmpfs", 0, 0) != 0 ||
            sys1(SYS_chdir, (long)"/tmp/mnt/a") != 0 ||
            sys2(SYS_umount2, (long)"/tmp/mnt", MNT_DETACH) != 0) {
            break;
        }
        if (holds(read_text("/proc/mounts"), " /tmp/mnt/a ") || sys1(SYS_chdir, (long)"..") != 0 ||
            sys1(SYS_chdir, (long)"/") != 0) {
            break;
        }
    }
    CHECK_EQ(rounds, 40);
    sys1(SYS_chdir, (long)"/");

    CHECK_EQ(mount5("deep", "/tmp/mnt", "tmpfs", 0, 0), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)"/tmp/mnt"), 0);
    int made = 0;
    while (made < 1000 && sys2(SYS_mkdir, (long)"d", 0755) == 0 &&
           sys1(SYS_chdir, (long)"d") == 0) {
        ++made;
    }
    CHECK_EQ(made, 1000);
    CHECK_EQ(sys1(SYS_chdir, (long)"/"), 0);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
}

/* devtmpfs and proc mounted a second time, and unmounted: the device
 * nodes and the process directories are there, /dev still works after, and
 * nothing stays behind (a devtmpfs mount once kept its whole tree: the
 * fuzzer found it). */
static void devtmpfs_and_proc(void) {
    for (int round = 0; round < 3; ++round) {
        CHECK_EQ(mount5("devtmpfs", "/tmp/mnt", "devtmpfs", 0, 0), 0);
        struct abi_stat st;
        CHECK_EQ(sys2(SYS_stat, (long)"/tmp/mnt/null", (long)&st), 0);
        CHECK_EQ(st.mode & 0170000, 020000);
        CHECK_EQ(st.rdev, (1 << 8) | 3);
        long fd = sys2(SYS_open, (long)"/tmp/mnt/zero", 0);
        CHECK(fd >= 0);
        char byte = 1;
        CHECK_EQ(sys3(SYS_read, fd, (long)&byte, 1), 1);
        CHECK_EQ(byte, 0);
        sys1(SYS_close, fd);
        CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);

        CHECK_EQ(mount5("proc", "/tmp/mnt", "proc", 0, 0), 0);
        CHECK_EQ(sys2(SYS_stat, (long)"/tmp/mnt/self/stat", (long)&st), 0);
        CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
    }
    long fd = sys2(SYS_open, (long)"/dev/null", 1);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"x", 1), 1);
    sys1(SYS_close, fd);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    /* This process's own pages are touched first, so the figures after
     * differ from those before only by what the kernel kept. */
    for (long i = 0; i < (long)sizeof(block); i += 4096) {
        block[i] = 1;
    }
    for (long i = 0; i < (long)sizeof(text); i += 4096) {
        text[i] = 1;
    }
    char before[128];
    read_kite_stats(before, sizeof(before));

    sys1(SYS_rmdir, (long)"/tmp/mnt");
    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/mnt", 0755), 0);
    long file = open_file("/tmp/mnt-file");
    sys1(SYS_close, file);
    long result = mount5("tmpfs", "/tmp/mnt", "tmpfs", 0, "size=64k,mode=0700");
    if (result == -EPERM) {
        rt_print("SKIP: mount needs CAP_SYS_ADMIN, which this run lacks\n");
    } else {
        CHECK_EQ(result, 0);
        const char* mounts = read_text("/proc/mounts");
        /* Newer Linux adds ",inode64" after the options Kite prints. */
        CHECK(holds(mounts, "tmpfs /tmp/mnt tmpfs rw,relatime,size=64k,mode=700"));
        if (on_kite()) {
            CHECK(holds(mounts, "tmpfs /tmp/mnt tmpfs rw,relatime,size=64k,mode=700 0 0\n"));
        }
        struct abi_stat st;
        CHECK_EQ(sys2(SYS_stat, (long)"/tmp/mnt", (long)&st), 0);
        CHECK_EQ(st.mode, 040700);
        /* mode= shows the option, not a later chmod of the root. */
        CHECK_EQ(sys2(SYS_chmod, (long)"/tmp/mnt", 0750), 0);
        CHECK(
            holds(read_text("/proc/mounts"), "tmpfs /tmp/mnt tmpfs rw,relatime,size=64k,mode=700"));
        CHECK_EQ(sys2(SYS_chmod, (long)"/tmp/mnt", 0700), 0);
        fill_and_free();
        CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/mnt", 0), 0);
        CHECK(!holds(read_text("/proc/mounts"), " /tmp/mnt "));
        CHECK_ERRNO(sys2(SYS_umount2, (long)"/tmp/mnt", 0), EINVAL);
        bad_arguments();
        read_only_and_remount();
        stacked_and_deep();
        noexec_and_nodev();
        devtmpfs_and_proc();
        CHECK_ERRNO(mount5("/tmp", "/tmp/mnt", 0, MS_BIND, 0), on_kite() ? EINVAL : 0);
        if (!on_kite()) {
            sys2(SYS_umount2, (long)"/tmp/mnt", 0);
        }
    }
    shared_memory();
    sys1(SYS_unlink, (long)"/tmp/mnt-file");
    CHECK_EQ(sys1(SYS_rmdir, (long)"/tmp/mnt"), 0);
    if (on_kite()) {
        check_kite_stats_unchanged(before);
    }
    return check_done("mounts");
}
