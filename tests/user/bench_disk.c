/* bench_disk: the disk figures of issue 13, the same binary on Kite and on
 * Linux (tests/bench/disk_bench.py runs both in the same QEMU on the same
 * kind of image):
 *
 *   bench_disk DIR run [DEVICE]
 *       in DIR (an ext2 mount): write a 64 MiB file in 64 KiB writes and
 *       fsync it; read it back at once (cached); make a tree of 100
 *       directories with 100 small files each (open O_CREAT, write, close)
 *       and sync; walk it as find does (getdents64 + fstatat); then, with
 *       DEVICE, unmount DIR and mount DEVICE there again (ext2) so that
 *       nothing of the file system is in memory, and read the file and
 *       walk the tree again (cold); then read the file's first 16 MiB
 *       twice, timing the second (cached for certain: a cache bounded below
 *       64 MiB holds none of a 64 MiB file read in order); last, pread
 *       4 KiB of a cached page many times (the page-cache hit path).
 *   bench_disk [anything]
 *       the same on a tiny scale in a new directory under /tmp, removed
 *       afterwards, and no figures: what the test runners do.
 *
 * Prints "UBENCH <name> <cycles>" (rdtsc: guest instructions under
 * -icount shift=0,sleep=off, the host's clock otherwise) and
 * "DISKWALL <name> <bytes> <nanoseconds>" (CLOCK_MONOTONIC; bytes 0 when
 * the figure is not a transfer), plus a readable line per figure. As /init
 * under Linux (PID 1) it powers the machine off at the end. */
#include "check.h"
#include "path_join.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_DIRECTORY 0200000
#define AT_SYMLINK_NOFOLLOW 0x100
#define CLOCK_MONOTONIC 1
#define S_IFMT 0170000
#define S_IFDIR 0040000

struct timespec {
    long seconds;
    long nanoseconds;
};

/* Linux x86-64 struct stat: 144 bytes, st_mode at 24. */
struct stat {
    unsigned long dev, ino, nlink;
    unsigned mode, uid, gid, pad;
    unsigned long rdev;
    long size, block_size, blocks;
    long times[6];
    long reserved[3];
};
_Static_assert(sizeof(struct stat) == 144, "struct stat");

struct dirent64 {
    unsigned long ino;
    long offset;
    unsigned short length;
    unsigned char type;
    char name[];
};

static char chunk[65536];
static char paths[3][512];
static char directory_buffers[8][4096]; /* one per level of the walk */
static unsigned long pread_cycles[20000];

static int tiny;                  /* the test runners' run: no figures */
static long big_size = 64L << 20; /* the sequential file */
static int directories = 100;     /* the tree: directories x files */
static int files_per_directory = 100;

static void fail(const char* what, long result) {
    rt_print("bench_disk: FAIL: ");
    rt_print(what);
    rt_print(" (");
    rt_print_number(result);
    rt_print(")\n");
    rt_exit(1);
}

/* a + "/" + b + number (number < 0: none), in slot. */
static const char* join(int slot, const char* a, const char* b, long number) {
    return path_join(paths[slot], a, b, number);
}

static long now_ns(void) {
    struct timespec t;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t);
    return t.seconds * 1000000000L + t.nanoseconds;
}

/* A figure: cycles and wall time since the start marks; bytes moved (0: no
 * transfer, so no MB/s); count: operations, for the per-operation cycles. */
static void report(const char* name, unsigned long start_cycles, long start_ns, long bytes,
                   long count) {
    unsigned long cycles = rt_rdtsc() - start_cycles;
    long ns = now_ns() - start_ns;
    if (tiny) {
        return;
    }
    bench_report(name, (long)(cycles / (unsigned long)count));
    rt_print("DISKWALL ");
    rt_print(name);
    rt_print(" ");
    rt_print_number(bytes);
    rt_print(" ");
    rt_print_number(ns);
    rt_print("\n");
    rt_print("bench_disk: ");
    rt_print(name);
    rt_print(": ");
    rt_print_number(ns / 1000000);
    rt_print(" ms");
    if (bytes > 0 && ns > 0) {
        /* MB/s (10^6 bytes) with two decimals. */
        long centi =
            bytes * 100000 / ns; /* 100 * (bytes / 10^6) / (ns / 10^9); no overflow below 90 TB */
        rt_print(", ");
        rt_print_number(centi / 100);
        rt_print(".");
        rt_print_number(centi % 100 / 10);
        rt_print_number(centi % 10);
        rt_print(" MB/s");
    }
    rt_print("\n");
}

static void write_big(const char* file) {
    for (long i = 0; i < (long)sizeof chunk; ++i) {
        chunk[i] = (char)(i * 7 + 1);
    }
    unsigned long cycles = rt_rdtsc();
    long ns = now_ns();
    long fd = sys3(SYS_open, (long)file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail("open the big file", fd);
    }
    for (long done = 0; done < big_size; done += (long)sizeof chunk) {
        long n = sys3(SYS_write, fd, (long)chunk, sizeof chunk);
        if (n != (long)sizeof chunk) {
            fail("write 64 KiB", n);
        }
    }
    long r = sys1(SYS_fsync, fd);
    if (r != 0) {
        fail("fsync", r);
    }
    sys1(SYS_close, fd);
    report("disk_write_64MiB_fsync", cycles, ns, big_size, 1);
}

/* Reads the first length bytes of file in 64 KiB reads. */
static void read_big(const char* file, long length, const char* name) {
    unsigned long cycles = rt_rdtsc();
    long ns = now_ns();
    long fd = sys3(SYS_open, (long)file, O_RDONLY, 0);
    if (fd < 0) {
        fail("open the big file to read", fd);
    }
    long total = 0;
    while (total < length) {
        long n = sys3(SYS_read, fd, (long)chunk, sizeof chunk);
        if (n < 0) {
            fail("read", n);
        }
        if (n == 0) {
            break;
        }
        total += n;
    }
    sys1(SYS_close, fd);
    if (total != length || chunk[1] != 8) {
        fail("read back the big file", total);
    }
    report(name, cycles, ns, length, 1);
}

static void make_tree(const char* tree) {
    unsigned long cycles = rt_rdtsc();
    long ns = now_ns();
    long r = sys2(SYS_mkdir, (long)tree, 0755);
    if (r != 0) {
        fail("mkdir the tree (is it there from an earlier run?)", r);
    }
    for (int d = 0; d < directories; ++d) {
        const char* dir = join(1, tree, "d", d);
        r = sys2(SYS_mkdir, (long)dir, 0755);
        if (r != 0) {
            fail("mkdir", r);
        }
        for (int f = 0; f < files_per_directory; ++f) {
            long fd =
                sys3(SYS_open, (long)join(2, dir, "f", f), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) {
                fail("create a file", fd);
            }
            if (sys3(SYS_write, fd, (long)"a small file\n", 13) != 13) {
                fail("write a small file", 0);
            }
            sys1(SYS_close, fd);
        }
    }
    report("disk_create_10000_files", cycles, ns, 0, 1);
    cycles = rt_rdtsc();
    ns = now_ns();
    sys0(SYS_sync);
    report("disk_sync_after_create", cycles, ns, 0, 1);
}

/* Names under the directory open as fd, each fstatat'd, directories
 * walked into: find's work. Returns the entries seen. */
static long walk(long fd, int depth) {
    if (depth >= 8) {
        fail("the tree is deeper than the walk's buffers", depth);
    }
    char* buffer = directory_buffers[depth];
    long seen = 0;
    for (;;) {
        long n = sys3(SYS_getdents64, fd, (long)buffer, sizeof directory_buffers[0]);
        if (n < 0) {
            fail("getdents64", n);
        }
        if (n == 0) {
            return seen;
        }
        for (long at = 0; at < n;) {
            struct dirent64* e = (struct dirent64*)(buffer + at);
            at += e->length;
            if (e->name[0] == '.' && (e->name[1] == 0 || (e->name[1] == '.' && e->name[2] == 0))) {
                continue;
            }
            struct stat st;
            long r = sys4(SYS_newfstatat, fd, (long)e->name, (long)&st, AT_SYMLINK_NOFOLLOW);
            if (r != 0) {
                fail("fstatat", r);
            }
            ++seen;
            if ((st.mode & S_IFMT) == S_IFDIR) {
                long child = sys3(SYS_openat, fd, (long)e->name, O_RDONLY | O_DIRECTORY);
                if (child < 0) {
                    fail("open a directory", child);
                }
                seen += walk(child, depth + 1);
                sys1(SYS_close, child);
            }
        }
    }
}

static void find_tree(const char* tree, const char* name) {
    unsigned long cycles = rt_rdtsc();
    long ns = now_ns();
    long fd = sys3(SYS_open, (long)tree, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        fail("open the tree", fd);
    }
    long seen = walk(fd, 0);
    sys1(SYS_close, fd);
    if (seen != directories + (long)directories * files_per_directory) {
        fail("find saw a different number of entries", seen);
    }
    report(name, cycles, ns, 0, 1);
}

static void sort(unsigned long* v, int n) {
    /* Shell sort: no recursion, fast enough for 20 000. */
    for (int gap = n / 2; gap > 0; gap /= 2) {
        for (int i = gap; i < n; ++i) {
            unsigned long x = v[i];
            int j = i;
            for (; j >= gap && v[j - gap] > x; j -= gap) {
                v[j] = v[j - gap];
            }
            v[j] = x;
        }
    }
}

/* 4 KiB pread of one cached page, one rdtsc pair per call: the median and
 * the mean of the calls. */
static void pread_hits(const char* file) {
    const int calls = tiny ? 100 : (int)(sizeof pread_cycles / sizeof pread_cycles[0]);
    long fd = sys3(SYS_open, (long)file, O_RDONLY, 0);
    if (fd < 0) {
        fail("open for pread", fd);
    }
    const long offset = big_size / 2; /* a page in the middle of the file */
    for (int i = 0; i < 10; ++i) {
        if (sys4(SYS_pread64, fd, (long)chunk, 4096, offset) != 4096) {
            fail("pread 4 KiB", 0);
        }
    }
    unsigned long total = 0;
    for (int i = 0; i < calls; ++i) {
        unsigned long start = rt_rdtsc();
        long n = sys4(SYS_pread64, fd, (long)chunk, 4096, offset);
        pread_cycles[i] = rt_rdtsc() - start;
        if (n != 4096) {
            fail("pread 4 KiB", n);
        }
        total += pread_cycles[i];
    }
    sys1(SYS_close, fd);
    sort(pread_cycles, calls);
    if (!tiny) {
        bench_report("disk_pread_4KiB_cached_median", (long)pread_cycles[calls / 2]);
        bench_report("disk_pread_4KiB_cached_mean", (long)(total / (unsigned long)calls));
    }
}

static void remount(const char* dir, const char* device) {
    long r = sys2(SYS_umount2, (long)dir, 0);
    if (r != 0) {
        fail("umount", r);
    }
    r = sys6(SYS_mount, (long)device, (long)dir, (long)"ext2", 0, 0, 0);
    if (r != 0) {
        fail("mount ext2", r);
    }
}

/* The tiny run's files go again, so that the test runners can repeat it. */
static void remove_tiny(const char* dir, const char* big, const char* tree) {
    sys1(SYS_unlink, (long)big);
    for (int d = 0; d < directories; ++d) {
        const char* sub = join(1, tree, "d", d);
        for (int f = 0; f < files_per_directory; ++f) {
            sys1(SYS_unlink, (long)join(2, sub, "f", f));
        }
        sys1(SYS_rmdir, (long)sub);
    }
    sys1(SYS_rmdir, (long)tree);
    sys1(SYS_rmdir, (long)dir);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    static char dir[256];
    const char* device = 0;
    if (argc >= 3 && rt_strcmp(argv[2], "run") == 0) {
        unsigned long n = rt_strlen(argv[1]);
        if (n >= sizeof dir) {
            fail("directory name too long", (long)n);
        }
        memcpy(dir, argv[1], n + 1);
        device = argc >= 4 ? argv[3] : 0;
    } else {
        tiny = 1;
        big_size = 1L << 20;
        directories = 10;
        files_per_directory = 10;
        sys2(SYS_mkdir, (long)"/tmp", 01777); /* as /init under Linux there is none */
        char digits[24];
        decimal(sys0(SYS_getpid), digits);
        memcpy(dir, "/tmp/bench_disk-", 16);
        memcpy(dir + 16, digits, rt_strlen(digits) + 1);
        long r = sys2(SYS_mkdir, (long)dir, 0755);
        if (r != 0) {
            fail("mkdir under /tmp", r);
        }
    }
    static char big[512], tree[512];
    memcpy(big, join(0, dir, "big", -1), sizeof big);
    memcpy(tree, join(0, dir, "tree", -1), sizeof tree);

    write_big(big);
    read_big(big, big_size, "disk_read_64MiB_cached");
    make_tree(tree);
    find_tree(tree, "disk_find_10100_cached");
    if (device) {
        remount(dir, device);
        read_big(big, big_size, "disk_read_64MiB_cold");
        remount(dir, device);
        find_tree(tree, "disk_find_10100_cold");
    } else if (!tiny) {
        rt_print("SKIP: cold figures: no device given to unmount and mount again\n");
    }
    /* 16 MiB fits any cache here (Kite's is bounded by a quarter of the
     * free memory and 64 MiB, so the 64 MiB file does not): read once to
     * fill, then timed. */
    read_big(big, big_size / 4, "disk_read_16MiB_fill");
    read_big(big, big_size / 4, "disk_read_16MiB_cached");
    pread_hits(big);
    if (tiny) {
        remove_tiny(dir, big, tree);
    }
    rt_print(tiny ? "bench_disk: tiny run ok\n" : "bench_disk: done\n");
    if (!on_kite() && sys0(SYS_getpid) == 1) {
        sys4(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0); /* power off, as /init */
    }
    return 0;
}
