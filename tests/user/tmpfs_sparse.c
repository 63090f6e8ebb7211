/* tmpfs_sparse: tmpfs files as Linux keeps them: as large as the tmpfs's
 * size= allows (a 16 MiB file written and read back), sparse (a write at
 * 1 GiB, or ftruncate to 1 GiB, costs only the pages written; holes read
 * as zeros), st_blocks counting the pages present in 512-byte units, and
 * ENOSPC only once the tmpfs's own limit is reached, however far apart the
 * pages are. Kite charged a file for every page up to its size and
 * counted st_blocks from the size. Needs root (CAP_SYS_ADMIN) on Linux for
 * the mount; without it that part prints SKIP. */
#include "api/statfs.h"
#include "check.h"

#define O_RDWR 02
#define O_CREAT 0100
#define O_TRUNC 01000
#define SEEK_SET 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01

#define KiB 1024L
#define MiB (1024L * KiB)
#define GiB (1024L * MiB)

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

static char chunk[64 * KiB];
static char back[64 * KiB];

static long open_file(const char* path) {
    return sys3(SYS_open, (long)path, O_CREAT | O_RDWR | O_TRUNC, 0600);
}

static long blocks_of(long fd) {
    struct stat_buffer st;
    return sys2(SYS_fstat, fd, (long)&st) == 0 ? st.blocks : -1;
}

static long size_of(long fd) {
    struct stat_buffer st;
    return sys2(SYS_fstat, fd, (long)&st) == 0 ? st.size : -1;
}

/* The bytes of the test file at offset: a pattern that differs page to
 * page, so a page read from the wrong place shows. */
static void fill_chunk(long offset) {
    unsigned long x = (unsigned long)offset * 0x9e3779b97f4a7c15UL + 1;
    for (long i = 0; i < (long)sizeof(chunk); i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        __builtin_memcpy(chunk + i, &x, 8);
    }
}

static unsigned long checksum(const char* bytes, long n, unsigned long sum) {
    for (long i = 0; i < n; ++i) {
        sum = (sum ^ (unsigned char)bytes[i]) * 0x100000001b3UL;
    }
    return sum;
}

static int same_bytes(const char* a, const char* b, long n) {
    for (long i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static int all_zero(const char* bytes, long n) {
    for (long i = 0; i < n; ++i) {
        if (bytes[i] != 0) {
            return 0;
        }
    }
    return 1;
}

/* 16 MiB, more than Kite's files once could hold, written in 64 KiB
 * pieces and read back whole. */
static void large_file(void) {
    const char* path = "/tmp/kite-sparse-large";
    long fd = open_file(path);
    CHECK(fd >= 0);
    unsigned long written = 0xcbf29ce484222325UL;
    int writes_ok = 1;
    for (long at = 0; at < 16 * MiB; at += (long)sizeof(chunk)) {
        fill_chunk(at);
        written = checksum(chunk, sizeof(chunk), written);
        writes_ok = writes_ok && sys3(SYS_write, fd, (long)chunk, sizeof(chunk)) == sizeof(chunk);
    }
    CHECK(writes_ok);
    CHECK_EQ(size_of(fd), 16 * MiB);
    CHECK_EQ(blocks_of(fd), 16 * MiB / 512);
    CHECK_EQ(sys3(SYS_lseek, fd, 0, SEEK_SET), 0);
    unsigned long read_back = 0xcbf29ce484222325UL;
    long total = 0, n;
    while ((n = sys3(SYS_read, fd, (long)back, sizeof(back))) > 0) {
        read_back = checksum(back, n, read_back);
        total += n;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(total, 16 * MiB);
    CHECK(read_back == written);
    /* A page in the middle, at its place. */
    fill_chunk(9 * MiB);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)back, sizeof(back), 9 * MiB), sizeof(back));
    CHECK(same_bytes(back, chunk, sizeof(back)));
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

/* A write at 1 GiB after lseek: one page, the rest holes. */
static void write_far_out(void) {
    const char* path = "/tmp/kite-sparse-far";
    long fd = open_file(path);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_lseek, fd, 1 * GiB, SEEK_SET), 1 * GiB);
    CHECK_EQ(sys3(SYS_write, fd, (long)"far out", 7), 7);
    CHECK_EQ(size_of(fd), 1 * GiB + 7);
    CHECK_EQ(blocks_of(fd), 8); /* one page */
    char buffer[4096 + 16];
    __builtin_memset(buffer, 'x', sizeof(buffer));
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4096, 0), 4096);
    CHECK(all_zero(buffer, 4096));
    __builtin_memset(buffer, 'x', sizeof(buffer));
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4096, 512 * MiB + 100), 4096);
    CHECK(all_zero(buffer, 4096));
    /* Across the last hole into the data, and the end. */
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, sizeof(buffer), 1 * GiB - 4096), 4096 + 7);
    CHECK(all_zero(buffer, 4096));
    CHECK(same_bytes(buffer + 4096, "far out", 7));
    /* Reading holes makes no pages. */
    CHECK_EQ(blocks_of(fd), 8);
    /* A second page far from the first, then the first page again. */
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"near", 4, 8192 + 10), 4);
    CHECK_EQ(blocks_of(fd), 16);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"nearer", 6, 8192), 6);
    CHECK_EQ(blocks_of(fd), 16);
    /* Cut below the far page: it goes, and so do its blocks. */
    CHECK_EQ(sys2(SYS_ftruncate, fd, 12288), 0);
    CHECK_EQ(blocks_of(fd), 8);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 0), 0);
    CHECK_EQ(blocks_of(fd), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

/* ftruncate to 1 GiB: the size only; a shared mapping of the hole reads
 * zeros and its store makes one page. */
static void truncate_far_out(void) {
    const char* path = "/tmp/kite-sparse-truncated";
    long fd = open_file(path);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 1 * GiB), 0);
    CHECK_EQ(size_of(fd), 1 * GiB);
    CHECK_EQ(blocks_of(fd), 0);
    char buffer[4096];
    __builtin_memset(buffer, 'x', sizeof(buffer));
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, sizeof(buffer), 1 * GiB - 4096), 4096);
    CHECK(all_zero(buffer, 4096));
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, sizeof(buffer), 1 * GiB), 0);
    CHECK_EQ(blocks_of(fd), 0);
    long map = sys6(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 700 * MiB);
    CHECK(map > 0);
    if (map > 0) {
        volatile char* bytes = (volatile char*)map;
        CHECK_EQ(bytes[5], 0);
        CHECK_EQ(bytes[4096 + 5], 0);
        bytes[4096 + 5] = 'm';
        CHECK_EQ(sys2(SYS_munmap, map, 8192), 0);
    }
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 1, 700 * MiB + 4096 + 5), 1);
    CHECK_EQ(buffer[0], 'm');
    /* The store's page, and the one the read fault made (Linux's tmpfs
     * makes a page for a read of a shared mapping's hole too). */
    CHECK_EQ(blocks_of(fd), 16);
    CHECK_EQ(size_of(fd), 1 * GiB);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

/* fallocate makes the pages (they count), as Linux's tmpfs does. */
static void allocated_pages(void) {
    const char* path = "/tmp/kite-sparse-allocated";
    long fd = open_file(path);
    CHECK(fd >= 0);
    CHECK_EQ(sys4(SYS_fallocate, fd, 0, 0, 64 * KiB), 0);
    CHECK_EQ(size_of(fd), 64 * KiB);
    CHECK_EQ(blocks_of(fd), 128);
    CHECK_EQ(sys4(SYS_fallocate, fd, 0, 1 * MiB, 8192), 0);
    CHECK_EQ(size_of(fd), 1 * MiB + 8192);
    CHECK_EQ(blocks_of(fd), 128 + 16);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

static long mount_small(void) {
    return sys6(SYS_mount, (long)"sparse", (long)"/tmp/kite-sparse-mnt", (long)"tmpfs", 0,
                (long)"size=256k", 0);
}

/* A 256 KiB tmpfs (64 pages) holds a 1 GiB file with one page, and runs
 * out only when 64 pages are written. */
static void within_the_limit(void) {
    sys2(SYS_mkdir, (long)"/tmp/kite-sparse-mnt", 0755);
    long mounted = mount_small();
    if (mounted == -EPERM) {
        rt_print("SKIP: mount needs CAP_SYS_ADMIN, which this run lacks\n");
        sys1(SYS_rmdir, (long)"/tmp/kite-sparse-mnt");
        return;
    }
    CHECK_EQ(mounted, 0);
    struct abi_statfs s;
    long fd = open_file("/tmp/kite-sparse-mnt/file");
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 1 * GiB), 0);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"end", 3, 1 * GiB - 3), 3);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"mid", 3, 300 * MiB), 3);
    CHECK_EQ(blocks_of(fd), 16);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/kite-sparse-mnt", (long)&s), 0);
    CHECK_EQ(s.f_blocks, 64);
    CHECK_EQ(s.f_bfree, 62);
    /* 62 pages are left: a 256 KiB write from 0 stops short there. */
    fill_chunk(0);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)chunk, sizeof(chunk), 0), sizeof(chunk));
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)chunk, sizeof(chunk), sizeof(chunk)), sizeof(chunk));
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)chunk, sizeof(chunk), 2 * sizeof(chunk)), sizeof(chunk));
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)chunk, sizeof(chunk), 3 * sizeof(chunk)),
             sizeof(chunk) - 2 * 4096);
    CHECK_ERRNO(sys4(SYS_pwrite64, fd, (long)chunk, 1, 500 * MiB), ENOSPC);
    CHECK_ERRNO(sys4(SYS_fallocate, fd, 0, 0, 2 * GiB), ENOSPC);
    /* A page already there takes more bytes without more room. */
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"MID", 3, 300 * MiB + 100), 3);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/kite-sparse-mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 0);
    CHECK_EQ(blocks_of(fd), 64 * 8);
    CHECK_EQ(size_of(fd), 1 * GiB);
    /* A shared mapping's fault on a hole needs a page too: SIGBUS when
     * the tmpfs has none left (Linux's shmem_fault). */
    long map = sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 600 * MiB);
    CHECK(map > 0);
    long child = sys0(SYS_fork);
    if (child == 0) {
        ((volatile char*)map)[0] = 1;
        sys1(SYS_exit, 0);
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status & 0x7f, 7); /* SIGBUS */
    CHECK_EQ(sys2(SYS_munmap, map, 4096), 0);
    /* Cutting the file gives room back: the pages past the new end. */
    CHECK_EQ(sys2(SYS_ftruncate, fd, 128 * KiB), 0);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/kite-sparse-mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 32);
    CHECK_EQ(blocks_of(fd), 32 * 8);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/kite-sparse-mnt/file"), 0);
    CHECK_EQ(sys2(SYS_statfs, (long)"/tmp/kite-sparse-mnt", (long)&s), 0);
    CHECK_EQ(s.f_bfree, 64);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/kite-sparse-mnt", 0), 0);
    sys1(SYS_rmdir, (long)"/tmp/kite-sparse-mnt");
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    large_file();
    write_far_out();
    truncate_far_out();
    allocated_pages();
    within_the_limit();
    return check_done("tmpfs_sparse");
}
