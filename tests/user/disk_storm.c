/* disk_storm: a file-system workout whose every result is checked against
 * a model: a tree of files, a large file of a known pattern, random writes
 * at random offsets, truncation up and down, a storm of renames, links and
 * unlinks, and (big mode only) filling the disk to ENOSPC and freeing it.
 *
 *   disk_storm                  small sizes in a new directory under /tmp
 *   disk_storm DIR small|big [keep]
 *                               in DIR; big: 10 000 files and a 64 MiB file in DIR (what
 *                               tests/qemu/test_disk.py runs on ext2); with
 *                               keep, DIR/tree and DIR/big stay for the host
 *                               to check with e2fsck and debugfs.
 *
 * Run without arguments it is an ordinary Kite-and-Linux test (on tmpfs). */
#include "check.h"
#include "path_join.h"

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_DIRECTORY 0200000

static char path_buffer[4][512];

static int same_bytes(const char* a, const char* b, long n) {
    for (long i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* dir + "/" + name + number (number < 0: none), in buffer slot. */
static const char* path(int slot, const char* dir, const char* name, long number) {
    return path_join(path_buffer[slot], dir, name, number);
}

static unsigned long seed = 0x2545F4914F6CDD1DUL;
static unsigned long next_random(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static unsigned char pattern_byte(unsigned long offset) {
    return (unsigned char)(offset * 7 + (offset >> 12) * 13 + 1);
}

static char chunk[65536];
static char readback[65536];

static long write_all(long fd, const char* data, long length) {
    long done = 0;
    while (done < length) {
        long n = sys3(SYS_write, fd, (long)data + done, length - done);
        if (n <= 0) {
            return n < 0 ? n : done;
        }
        done += n;
    }
    return done;
}

static long read_all(long fd, char* out, long length) {
    long done = 0;
    while (done < length) {
        long n = sys3(SYS_read, fd, (long)out + done, length - done);
        if (n <= 0) {
            return n < 0 ? n : done;
        }
        done += n;
    }
    return done;
}

/* A small file's contents: "file D F\n". */
static long file_text(char* out, long d, long f) {
    char digits[24];
    long n = 0;
    memcpy(out, "file ", 5);
    n = 5;
    decimal(d, digits);
    memcpy(out + n, digits, rt_strlen(digits));
    n += (long)rt_strlen(digits);
    out[n++] = ' ';
    decimal(f, digits);
    memcpy(out + n, digits, rt_strlen(digits));
    n += (long)rt_strlen(digits);
    out[n++] = '\n';
    return n;
}

static void tree(const char* base, long files) {
    const char* top = path(0, base, "tree", -1);
    CHECK_EQ(sys2(SYS_mkdir, (long)top, 0755), 0);
    char top_copy[512];
    memcpy(top_copy, top, rt_strlen(top) + 1);
    const long per_dir = 100;
    char text[64];
    for (long i = 0; i < files; ++i) {
        char dir[512];
        const char* d = path(1, top_copy, "d", i / per_dir);
        memcpy(dir, d, rt_strlen(d) + 1);
        if (i % per_dir == 0) {
            CHECK_EQ(sys2(SYS_mkdir, (long)dir, 0755), 0);
        }
        long fd = sys3(SYS_open, (long)path(2, dir, "f", i % per_dir), O_WRONLY | O_CREAT, 0644);
        CHECK(fd >= 0);
        long n = file_text(text, i / per_dir, i % per_dir);
        CHECK_EQ(write_all(fd, text, n), n);
        CHECK_EQ(sys1(SYS_close, fd), 0);
    }
    long bad = 0;
    for (long i = 0; i < files; ++i) {
        char dir[512];
        const char* d = path(1, top_copy, "d", i / per_dir);
        memcpy(dir, d, rt_strlen(d) + 1);
        long fd = sys3(SYS_open, (long)path(2, dir, "f", i % per_dir), O_RDONLY, 0);
        long n = file_text(text, i / per_dir, i % per_dir);
        char got[64];
        if (fd < 0 || read_all(fd, got, sizeof(got)) != n || !same_bytes(got, text, n)) {
            ++bad;
        }
        sys1(SYS_close, fd);
    }
    CHECK_EQ(bad, 0);
    /* getdents64 of the first directory lists "." "..", and per_dir files. */
    long fd = sys3(SYS_open, (long)path(1, top_copy, "d", 0), O_RDONLY | O_DIRECTORY, 0);
    CHECK(fd >= 0);
    long entries = 0, n;
    while ((n = sys3(SYS_getdents64, fd, (long)readback, sizeof(readback))) > 0) {
        for (long at = 0; at < n;) {
            unsigned short reclen = *(unsigned short*)(readback + at + 16);
            ++entries;
            at += reclen;
        }
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(entries, (files < per_dir ? files : per_dir) + 2);
    sys1(SYS_close, fd);
}

static void big_file(const char* base, long size) {
    const char* name = path(0, base, "big", -1);
    long fd = sys3(SYS_open, (long)name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    for (long at = 0; at < size; at += (long)sizeof(chunk)) {
        for (long i = 0; i < (long)sizeof(chunk); ++i) {
            chunk[i] = (char)pattern_byte((unsigned long)(at + i));
        }
        CHECK_EQ(write_all(fd, chunk, sizeof(chunk)), (long)sizeof(chunk));
    }
    CHECK_EQ(sys1(SYS_fsync, fd), 0);
    CHECK_EQ(sys3(SYS_lseek, fd, 0, 0), 0);
    long bad = 0;
    for (long at = 0; at < size; at += (long)sizeof(chunk)) {
        if (read_all(fd, readback, sizeof(readback)) != (long)sizeof(readback)) {
            ++bad;
            break;
        }
        for (long i = 0; i < (long)sizeof(chunk); ++i) {
            bad += readback[i] != (char)pattern_byte((unsigned long)(at + i));
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(sys3(SYS_read, fd, (long)readback, 1), 0); /* end of file */
    CHECK_EQ(sys1(SYS_close, fd), 0);
}

static char model[1 << 20];
static char file_copy[1 << 20];

static void random_writes(const char* base, long limit, long rounds) {
    const char* name = path(0, base, "random", -1);
    long fd = sys3(SYS_open, (long)name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    long size = 0;
    memset(model, 0, (unsigned long)limit);
    for (long r = 0; r < rounds; ++r) {
        long offset = (long)(next_random() % (unsigned long)limit);
        long length = (long)(next_random() % 9000) + 1;
        if (offset + length > limit) {
            length = limit - offset;
        }
        for (long i = 0; i < length; ++i) {
            chunk[i] = (char)next_random();
        }
        CHECK_EQ(sys4(SYS_pwrite64, fd, (long)chunk, length, offset), length);
        memcpy(model + offset, chunk, (unsigned long)length);
        if (offset + length > size) {
            size = offset + length;
        }
        if (r % 97 == 96) { /* now and then cut the file and grow it again */
            long cut = (long)(next_random() % (unsigned long)(size + 1));
            CHECK_EQ(sys2(SYS_ftruncate, fd, cut), 0);
            memset(model + cut, 0, (unsigned long)(limit - cut));
            long grow = cut + (long)(next_random() % 20000);
            if (grow > limit) {
                grow = limit;
            }
            CHECK_EQ(sys2(SYS_ftruncate, fd, grow), 0);
            size = grow;
        }
    }
    CHECK_EQ(sys4(SYS_pread64, fd, (long)file_copy, limit, 0), size);
    CHECK(same_bytes(file_copy, model, size));
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)name), 0);
}

/* Names n0..n(count-1) spread over two directories; model[i] is which
 * file (its first byte) each name holds, or -1. */
static void name_storm(const char* base, long rounds) {
    enum { count = 40 };
    static int holds[2][count];
    char dirs[2][512];
    for (int d = 0; d < 2; ++d) {
        const char* p = path(0, base, "names", d);
        memcpy(dirs[d], p, rt_strlen(p) + 1);
        CHECK_EQ(sys2(SYS_mkdir, (long)dirs[d], 0755), 0);
        for (int i = 0; i < count; ++i) {
            holds[d][i] = -1;
        }
    }
    for (int i = 0; i < count; ++i) {
        long fd = sys3(SYS_open, (long)path(0, dirs[0], "n", i), O_WRONLY | O_CREAT, 0644);
        char c = (char)i;
        CHECK_EQ(sys3(SYS_write, fd, (long)&c, 1), 1);
        sys1(SYS_close, fd);
        holds[0][i] = i;
    }
    for (long r = 0; r < rounds; ++r) {
        int sd = (int)(next_random() % 2), si = (int)(next_random() % count);
        int td = (int)(next_random() % 2), ti = (int)(next_random() % count);
        const char* from = path(0, dirs[sd], "n", si);
        const char* to = path(1, dirs[td], "n", ti);
        long op = (long)(next_random() % 3);
        if (holds[sd][si] < 0) {
            CHECK_ERRNO(sys2(SYS_rename, (long)from, (long)to), ENOENT);
            continue;
        }
        if (op == 0) { /* rename over whatever is there */
            CHECK_EQ(sys2(SYS_rename, (long)from, (long)to), 0);
            /* Two names of one file: rename does nothing (POSIX). */
            if (holds[td][ti] != holds[sd][si]) {
                holds[td][ti] = holds[sd][si];
                holds[sd][si] = -1;
            }
        } else if (op == 1) { /* link to a free name */
            if (holds[td][ti] >= 0) {
                CHECK_ERRNO(sys2(SYS_link, (long)from, (long)to), EEXIST);
            } else {
                CHECK_EQ(sys2(SYS_link, (long)from, (long)to), 0);
                holds[td][ti] = holds[sd][si];
            }
        } else {
            CHECK_EQ(sys1(SYS_unlink, (long)from), 0);
            holds[sd][si] = -1;
        }
    }
    long bad = 0;
    for (int d = 0; d < 2; ++d) {
        for (int i = 0; i < count; ++i) {
            long fd = sys3(SYS_open, (long)path(0, dirs[d], "n", i), O_RDONLY, 0);
            if (holds[d][i] < 0) {
                bad += fd != -ENOENT;
            } else {
                char c = -1;
                bad += fd < 0 || sys3(SYS_read, fd, (long)&c, 1) != 1 || c != (char)holds[d][i];
            }
            if (fd >= 0) {
                sys1(SYS_close, fd);
            }
            if (holds[d][i] >= 0) {
                CHECK_EQ(sys1(SYS_unlink, (long)path(0, dirs[d], "n", i)), 0);
            }
        }
        CHECK_EQ(sys1(SYS_rmdir, (long)dirs[d]), 0);
    }
    CHECK_EQ(bad, 0);
}

/* Writes until the disk is full (ENOSPC), then frees it: the free count
 * comes back. */
static void fill_disk(const char* base) {
    struct {
        long f_type, f_bsize;
        unsigned long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
        int f_fsid[2];
        long f_namelen, f_frsize, f_flags, f_spare[4];
    } before, full, after;
    CHECK_EQ(sys2(SYS_statfs, (long)base, (long)&before), 0);
    const char* name = path(0, base, "filler", -1);
    long fd = sys3(SYS_open, (long)name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    memset(chunk, 0x5A, sizeof(chunk));
    long written = 0, n;
    while ((n = sys3(SYS_write, fd, (long)chunk, sizeof(chunk))) > 0) {
        written += n;
    }
    CHECK_EQ(n, -ENOSPC);
    CHECK(written > 0);
    CHECK_EQ(sys2(SYS_statfs, (long)base, (long)&full), 0);
    CHECK_EQ(full.f_bfree, 0);
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)name), 0);
    CHECK_EQ(sys2(SYS_statfs, (long)base, (long)&after), 0);
    CHECK_EQ(after.f_bfree, before.f_bfree);
    CHECK_EQ(after.f_ffree, before.f_ffree);
}

/* Names cannot be made in a directory that was removed (ENOENT), even
 * from inside it; and a store through a MAP_SHARED mapping is in the file
 * after munmap alone (no msync), as read() then shows. */
static void removed_directory_and_mapping(const char* base) {
    char dir[512];
    const char* d = path(0, base, "gone", -1);
    memcpy(dir, d, rt_strlen(d) + 1);
    char here[512];
    CHECK(sys2(SYS_getcwd, (long)here, sizeof(here)) > 0);
    CHECK_EQ(sys2(SYS_mkdir, (long)dir, 0755), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)dir), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)dir), 0);
    CHECK_ERRNO(sys3(SYS_open, (long)"x", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(sys2(SYS_mkdir, (long)"y", 0755), ENOENT);
    CHECK_EQ(sys1(SYS_chdir, (long)here), 0);

    const char* name = path(0, base, "mapped", -1);
    long fd = sys3(SYS_open, (long)name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 8192), 0);
    char* m =
        (char*)sys6(SYS_mmap, 0, 8192, 3 /* PROT_READ|PROT_WRITE */, 1 /* MAP_SHARED */, fd, 0);
    CHECK((long)m > 0);
    if ((long)m > 0) {
        m[4100] = 'M';
        CHECK_EQ(sys2(SYS_munmap, (long)m, 8192), 0);
    }
    char c = 0;
    CHECK_EQ(sys4(SYS_pread64, fd, (long)&c, 1, 4100), 1);
    CHECK_EQ(c, 'M');
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)name), 0);
}

static void remove_tree(const char* base, long files) {
    char top[512];
    const char* t = path(0, base, "tree", -1);
    memcpy(top, t, rt_strlen(t) + 1);
    for (long i = 0; i < files; ++i) {
        char dir[512];
        const char* d = path(1, top, "d", i / 100);
        memcpy(dir, d, rt_strlen(d) + 1);
        CHECK_EQ(sys1(SYS_unlink, (long)path(2, dir, "f", i % 100)), 0);
        if (i % 100 == 99 || i == files - 1) {
            CHECK_EQ(sys1(SYS_rmdir, (long)dir), 0);
        }
    }
    CHECK_EQ(sys1(SYS_rmdir, (long)top), 0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const int big = argc > 2 && rt_strcmp(argv[2], "big") == 0;
    const int keep = argc > 3 && rt_strcmp(argv[3], "keep") == 0;
    char base[256];
    /* The test runners give one argument (the test data directory): a
     * directory of its own is named with a size after it. */
    const int own_directory = argc > 2;
    if (own_directory) {
        memcpy(base, argv[1], rt_strlen(argv[1]) + 1);
    } else {
        const char* p = path(0, "/tmp", "disk_storm.", sys0(SYS_getpid));
        memcpy(base, p, rt_strlen(p) + 1);
    }
    /* The leak check's baseline, on Kite's tmpfs run: with every static
     * buffer already touched, so their pages are not counted as taken. */
    memset(model, 1, sizeof(model));
    memset(file_copy, 1, sizeof(file_copy));
    memset(chunk, 1, sizeof(chunk));
    memset(readback, 1, sizeof(readback));
    char stats[128];
    const int leak_check = !own_directory && read_kite_stats(stats, sizeof(stats));
    long made = sys2(SYS_mkdir, (long)base, 0755);
    CHECK(made == 0 || made == -EEXIST);
    const long files = big ? 10000 : 300;
    tree(base, files);
    big_file(base, big ? 64L << 20 : 1L << 20);
    random_writes(base, big ? 1L << 20 : 256L << 10, big ? 2000 : 500);
    name_storm(base, 3000);
    removed_directory_and_mapping(base);
    if (big) {
        fill_disk(base);
    }
    if (!keep) {
        remove_tree(base, files);
        CHECK_EQ(sys1(SYS_unlink, (long)path(0, base, "big", -1)), 0);
        if (!own_directory) {
            CHECK_EQ(sys1(SYS_rmdir, (long)base), 0);
        }
    }
    if (on_kite()) {
        /* Kite only: on the host this would empty a shared machine's caches. */
        long fd = sys3(SYS_open, (long)"/proc/sys/vm/drop_caches", O_WRONLY, 0);
        CHECK(fd >= 0);
        CHECK_EQ(sys3(SYS_write, fd, (long)"3\n", 2), 2);
        CHECK_ERRNO(sys3(SYS_write, fd, (long)"9", 1), EINVAL);
        sys1(SYS_close, fd);
    }
    if (leak_check) {
        check_kite_stats_unchanged(stats);
    }
    return check_done("disk_storm");
}
