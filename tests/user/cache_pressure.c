/* cache_pressure: cached file data gives way to memory a program needs.
 * A file of a quarter of the machine's memory is written, read back (its
 * pages now in the page cache, and its blocks in the disk's buffer cache),
 * then an anonymous mapping of five eighths of memory is touched whole:
 * more than is free unless the cached pages are evicted. The file must
 * then read back intact (its pages filled again from the disk). Twice:
 * with the file open, whose cache is live, and after it was closed, whose
 * cache the file system keeps for the next open. First, a sparse file of
 * terabytes reads and writes at its far end.
 *
 *   cache_pressure DATA [DIR]   in DIR, else /tmp. It must be on a disk
 *                               file system (ext2); on a memory one (tmpfs:
 *                               its pages are its data), or on a machine of
 *                               over 512 MiB (Linux's host), the test is
 *                               skipped and says so. */
#include "api/statfs.h"
#include "check.h"
#include "path_join.h"

#define O_RDONLY 0
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define PAGE 4096L
#define CHUNK (64 * 1024L)
#define EXT2_MAGIC 0xEF53

static char chunk[CHUNK];
static char path[512];

/* The byte at offset of the pattern: differs page to page and within one. */
static char pattern(long offset) {
    return (char)((offset / PAGE) * 7 + offset % 251);
}

static void fill(long offset) {
    for (long i = 0; i < CHUNK; ++i) {
        chunk[i] = pattern(offset + i);
    }
}

/* Whether all size bytes of fd read back as the pattern, CHUNK at a time. */
static int reads_back(long fd, long size) {
    for (long at = 0; at < size; at += CHUNK) {
        if (sys4(SYS_pread64, fd, (long)chunk, CHUNK, at) != CHUNK) {
            return 0;
        }
        for (long i = 0; i < CHUNK; ++i) {
            if (chunk[i] != pattern(at + i)) {
                return 0;
            }
        }
    }
    return 1;
}

/* Touches every page of an anonymous mapping of bytes, then lets it go:
 * whether all of it could be had. */
static int squeeze(long bytes) {
    long map = sys6(SYS_mmap, 0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map < 0) {
        return 0;
    }
    volatile char* p = (volatile char*)map;
    for (long at = 0; at < bytes; at += PAGE) {
        p[at] = (char)(at / PAGE);
    }
    long sum = 0;
    for (long at = 0; at < bytes; at += PAGE) {
        sum += p[at] == (char)(at / PAGE);
    }
    sys2(SYS_munmap, map, bytes);
    return sum == bytes / PAGE;
}

/* A sparse file of terabytes, read once while small (so it has a page
 * cache) and then grown: Kite's cache cannot have a page table that big,
 * so the far pages come through the volume. They read as zeros, a byte
 * written there reads back, and the end is the end. */
static void huge_sparse_file(const char* dir) {
    static char name[512];
    path_join(name, dir, "cache_pressure_sparse", -1);
    long fd = sys3(SYS_open, (long)name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    char b[2] = {1, 1};
    CHECK_EQ(sys4(SYS_pread64, fd, (long)b, 1, 0), 0);
    long huge = 3L << 40;
    long r = sys2(SYS_ftruncate, fd, huge);
    if (r == -EFBIG) { /* past this file system's largest file */
        huge = 1L << 40;
        r = sys2(SYS_ftruncate, fd, huge);
    }
    CHECK_EQ(r, 0);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)b, 1, huge / 3), 1);
    CHECK_EQ(b[0], 0);
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"k", 1, huge - 5), 1);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)b, 2, huge - 5), 2);
    CHECK_EQ(b[0], 'k');
    CHECK_EQ(b[1], 0);
    CHECK_EQ(sys4(SYS_pread64, fd, (long)b, 1, huge), 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 0), 0);
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)name), 0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const char* dir = argc > 2 ? argv[2] : "/tmp";
    struct abi_statfs fs;
    CHECK_EQ(sys2(SYS_statfs, (long)dir, (long)&fs), 0);
    /* struct sysinfo: totalram at byte 32, mem_unit at byte 104. */
    unsigned long info[14];
    CHECK_EQ(sys1(SYS_sysinfo, (long)info), 0);
    const long memory = (long)(info[4] * ((unsigned*)info)[26]);
    if (fs.f_type != EXT2_MAGIC || memory > 512L * 1024 * 1024) {
        rt_print("cache_pressure: SKIP: ");
        rt_print(dir);
        rt_print(fs.f_type != EXT2_MAGIC ? " is not on a disk file system\n"
                                         : ": a machine of over 512 MiB\n");
        return check_done("cache_pressure");
    }
    huge_sparse_file(dir);
    const long size = memory / 4 / CHUNK * CHUNK;
    const long squeezed = memory / 8 * 5 / PAGE * PAGE;
    path_join(path, dir, "cache_pressure", -1);

    long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    for (long at = 0; at < size; at += CHUNK) {
        fill(at);
        if (sys4(SYS_pwrite64, fd, (long)chunk, CHUNK, at) != CHUNK) {
            CHECK(!"the file could not be written");
            break;
        }
    }
    CHECK_EQ(sys1(SYS_fsync, fd), 0);
    CHECK(reads_back(fd, size));

    /* Open: the live cache gives way. A mapped page cannot (a mapping
     * holds it): the first page stays mapped meanwhile and keeps its bytes. */
    long mapped = sys6(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(mapped >= 0);
    CHECK(squeeze(squeezed));
    CHECK(mapped < 0 || ((volatile char*)mapped)[5] == pattern(5));
    CHECK(reads_back(fd, size));
    if (mapped >= 0) {
        CHECK_EQ(sys2(SYS_munmap, mapped, PAGE), 0);
    }
    CHECK_EQ(sys1(SYS_close, fd), 0);

    /* Closed: the kept cache gives way. */
    CHECK(squeeze(squeezed));
    fd = sys2(SYS_open, (long)path, O_RDONLY);
    CHECK(fd >= 0);
    CHECK(reads_back(fd, size));
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    return check_done("cache_pressure");
}
