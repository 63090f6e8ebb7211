/* random: getrandom, /dev/random and /dev/urandom, and AT_RANDOM. Linux's
 * flag checks and errors, short counts at an unwritable page, bytes that
 * differ from call to call and from exec to exec, and a coarse look at the
 * bytes themselves. Every bound is set so that a correct generator fails
 * it with a probability far below 1e-9 (the figures are at each check). */
#include "check.h"

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4
#define AT_RANDOM 25
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define S_IFMT 0170000
#define S_IFCHR 0020000
#define PAGE 4096

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

static long getrandom(void* buffer, unsigned long length, unsigned long flags) {
    return sys3(SYS_getrandom, (long)buffer, (long)length, (long)flags);
}

static int equal(const unsigned char* a, const unsigned char* b, unsigned long n) {
    for (unsigned long i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static int all_zero(const unsigned char* a, unsigned long n) {
    for (unsigned long i = 0; i < n; ++i) {
        if (a[i]) {
            return 0;
        }
    }
    return 1;
}

/* A page that may be written, followed by one that is not mapped. */
static unsigned char* page_before_a_hole(void) {
    long at =
        sys6(SYS_mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (at < 0) {
        return 0;
    }
    sys2(SYS_munmap, at + PAGE, PAGE);
    return (unsigned char*)at;
}

/* Each length from 0 to 300 (both sides of the 32-byte and 64-byte steps)
 * and a few longer ones: exactly that many bytes written, none after. */
static void lengths(void) {
    static unsigned char buffer[PAGE * 17];
    const unsigned long long_lengths[] = {511, 512, 513, PAGE - 1, PAGE, PAGE + 1, PAGE * 16};
    int exact = 1;
    for (unsigned long n = 0; n < 300 + sizeof(long_lengths) / sizeof(long_lengths[0]); ++n) {
        const unsigned long length = n < 300 ? n : long_lengths[n - 300];
        memset(buffer, 0xa5, length + 64);
        exact = exact && getrandom(buffer, length, 0) == (long)length;
        for (unsigned long i = length; i < length + 64; ++i) {
            exact = exact && buffer[i] == 0xa5;
        }
    }
    CHECK(exact);
    /* A request of n bytes leaves the 0xa5 filling as it was with
     * probability 256^-n, so only lengths from 4 are looked at: together
     * they fail by chance with probability about 2^-32. */
    int filled = 1;
    for (unsigned long length = 4; length < 300; ++length) {
        memset(buffer, 0xa5, length);
        getrandom(buffer, length, 0);
        int changed = 0;
        for (unsigned long i = 0; i < length; ++i) {
            changed = changed || buffer[i] != 0xa5;
        }
        filled = filled && changed;
    }
    CHECK(filled);
}

/* Calls never repeat: two equal 16-byte results have probability 2^-128. */
static void calls_differ(void) {
    unsigned char previous[16], next[16];
    CHECK_EQ(getrandom(previous, sizeof(previous), 0), 16);
    int differ = 1;
    for (int i = 0; i < 200; ++i) {
        CHECK_EQ(getrandom(next, sizeof(next), 0), 16);
        differ = differ && !equal(previous, next, sizeof(next));
        memcpy(previous, next, sizeof(next));
    }
    CHECK(differ);
    static unsigned char a[1000], b[1000];
    CHECK_EQ(getrandom(a, sizeof(a), 0), 1000);
    CHECK_EQ(getrandom(b, sizeof(b), 0), 1000);
    CHECK(!equal(a, b, sizeof(a)));
    CHECK(!equal(a, a + 500, 500)); /* the stream does not repeat within a call */
}

static void flags(void) {
    unsigned char buffer[64];
    /* Each valid flag and combination; GRND_NONBLOCK never finds the pool
     * unready (seeded at boot on Kite; long since on the build machine). */
    const unsigned long valid[] = {0,
                                   GRND_NONBLOCK,
                                   GRND_RANDOM,
                                   GRND_NONBLOCK | GRND_RANDOM,
                                   GRND_INSECURE,
                                   GRND_INSECURE | GRND_NONBLOCK};
    for (unsigned i = 0; i < sizeof(valid) / sizeof(valid[0]); ++i) {
        CHECK_EQ(getrandom(buffer, sizeof(buffer), valid[i]), 64);
        CHECK_EQ(getrandom(buffer, 7, valid[i]), 7);
    }
    CHECK_ERRNO(getrandom(buffer, 16, 8), EINVAL);
    CHECK_ERRNO(getrandom(buffer, 16, 0x10), EINVAL);
    CHECK_ERRNO(getrandom(buffer, 16, 0x80000000UL), EINVAL);
    CHECK_ERRNO(getrandom(buffer, 16, GRND_INSECURE | GRND_RANDOM), EINVAL);
    CHECK_ERRNO(getrandom(buffer, 16, GRND_INSECURE | GRND_RANDOM | GRND_NONBLOCK), EINVAL);
    /* The flags are an unsigned int: the register's high half is not looked at. */
    CHECK_EQ(getrandom(buffer, 16, 1UL << 32), 16);
    /* Flags are checked before the buffer. */
    CHECK_ERRNO(getrandom((void*)UNMAPPED_ADDRESS, 16, 8), EINVAL);
}

static void bad_buffers(void) {
    CHECK_ERRNO(getrandom((void*)UNMAPPED_ADDRESS, 16, 0), EFAULT);
    CHECK_ERRNO(getrandom((void*)UNMAPPED_ADDRESS, 100, 0), EFAULT);
    CHECK_ERRNO(getrandom((void*)KERNEL_ADDRESS, 16, 0), EFAULT);
    CHECK_ERRNO(getrandom((void*)KERNEL_ADDRESS, 0, 0), EFAULT);
    CHECK_ERRNO(getrandom(0, 1, 0), EFAULT);
    CHECK_EQ(getrandom(0, 0, 0), 0);
    CHECK_EQ(getrandom((void*)UNMAPPED_ADDRESS, 0, 0), 0);
    /* A short count up to the first byte that cannot be written. */
    unsigned char* page = page_before_a_hole();
    CHECK(page != 0);
    if (!page) {
        return;
    }
    CHECK_EQ(getrandom(page + PAGE - 10, 20, 0), 10);
    CHECK_EQ(getrandom(page + PAGE - 100, 1000, 0), 100);
    CHECK_EQ(getrandom(page + PAGE - 1, 64, 0), 1);
    CHECK_EQ(getrandom(page, 3 * PAGE, 0), PAGE);
    /* A length past Linux's cap on one call is cut to it, then short. */
    CHECK_EQ(getrandom(page, ~0UL, 0), PAGE);
    CHECK_EQ(getrandom(page, 0x80000000UL, GRND_NONBLOCK), PAGE);
    /* Read-only memory is not written. */
    CHECK_EQ(sys3(SYS_mprotect, (long)page, PAGE, PROT_READ), 0);
    CHECK_ERRNO(getrandom(page, 16, 0), EFAULT);
    CHECK_ERRNO(getrandom(page, 4000, 0), EFAULT);
    sys2(SYS_munmap, (long)page, PAGE);
}

/* Counts of each byte value and of one bits over 64 KiB. Each value's count
 * is Binomial(65536, 1/256): mean 256, standard deviation 16; [100, 420]
 * is ten deviations either side, so all 256 counts stay inside but with
 * probability about 1e-20 (which also means every value appears). The
 * 524288 bits have mean 262144 and deviation 362: 5000 is 13.8 deviations. */
static void statistics(const unsigned char* bytes, unsigned long n, const char* what) {
    static unsigned long counts[256];
    memset(counts, 0, sizeof(counts));
    unsigned long ones = 0;
    for (unsigned long i = 0; i < n; ++i) {
        ++counts[bytes[i]];
        for (unsigned bits = bytes[i]; bits; bits &= bits - 1) {
            ++ones;
        }
    }
    unsigned long least = n, most = 0;
    for (int v = 0; v < 256; ++v) {
        least = counts[v] < least ? counts[v] : least;
        most = counts[v] > most ? counts[v] : most;
    }
    rt_print("random: ");
    rt_print(what);
    rt_print(": each byte value ");
    rt_print_number((long)least);
    rt_print("-");
    rt_print_number((long)most);
    rt_print(" times, ");
    rt_print_number((long)ones);
    rt_print(" of ");
    rt_print_number((long)(n * 8));
    rt_print(" bits set\n");
    CHECK(least >= 100);
    CHECK(most <= 420);
    CHECK(ones > n * 4 - 5000 && ones < n * 4 + 5000);
}

static void bytes_look_random(void) {
    static unsigned char bytes[65536];
    CHECK_EQ(getrandom(bytes, sizeof(bytes), 0), 65536);
    statistics(bytes, sizeof(bytes), "one 64 KiB getrandom");
    for (unsigned long at = 0; at < sizeof(bytes); at += 16) { /* the short-request path */
        CHECK_EQ(getrandom(bytes + at, 16, 0), 16);
    }
    statistics(bytes, sizeof(bytes), "4096 16-byte getrandoms");
    long fd = sys3(SYS_open, (long)"/dev/urandom", O_RDONLY, 0);
    CHECK_EQ(sys3(SYS_read, fd, (long)bytes, sizeof(bytes)), 65536);
    statistics(bytes, sizeof(bytes), "/dev/urandom");
    sys1(SYS_close, fd);
}

static void device(const char* path, unsigned long rdev) {
    struct stat_buffer st;
    CHECK_EQ(sys2(SYS_stat, (long)path, (long)&st), 0);
    CHECK_EQ(st.mode & S_IFMT, S_IFCHR);
    CHECK_EQ(st.mode & 0777, 0666);
    CHECK_EQ(st.rdev, rdev);

    long fd = sys3(SYS_open, (long)path, O_RDWR, 0);
    CHECK(fd >= 0);
    unsigned char a[300], b[300];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    CHECK_EQ(sys3(SYS_read, fd, (long)a, 16), 16);
    CHECK_EQ(sys3(SYS_read, fd, (long)b, 16), 16);
    CHECK(!equal(a, b, 16));
    CHECK_EQ(sys3(SYS_read, fd, (long)a, sizeof(a)), 300);
    CHECK(!all_zero(a + 200, 100));
    CHECK_EQ(sys3(SYS_read, fd, (long)a, 0), 0);
    CHECK_ERRNO(sys3(SYS_read, fd, UNMAPPED_ADDRESS, 16), EFAULT);
    /* Writes are taken whole (and mixed in), short at an unreadable page. */
    CHECK_EQ(sys3(SYS_write, fd, (long)"entropy, perhaps", 16), 16);
    CHECK_EQ(sys3(SYS_write, fd, (long)a, sizeof(a)), 300);
    CHECK_EQ(sys3(SYS_write, fd, (long)a, 0), 0);
    CHECK_ERRNO(sys3(SYS_write, fd, UNMAPPED_ADDRESS, 16), EFAULT);
    unsigned char* page = page_before_a_hole();
    CHECK(page != 0);
    if (page) {
        CHECK_EQ(sys3(SYS_read, fd, (long)(page + PAGE - 40), 100), 40);
        CHECK_EQ(sys3(SYS_write, fd, (long)(page + PAGE - 40), 100), 40);
        CHECK_EQ(sys3(SYS_write, fd, (long)page, 3 * PAGE), PAGE);
        sys2(SYS_munmap, (long)page, PAGE);
    }
    /* After writes the output still differs from call to call. */
    CHECK_EQ(sys3(SYS_read, fd, (long)a, 16), 16);
    CHECK_EQ(sys3(SYS_read, fd, (long)b, 16), 16);
    CHECK(!equal(a, b, 16));
    sys1(SYS_close, fd);

    /* A read-only descriptor cannot write, a write-only one cannot read. */
    fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
    CHECK_ERRNO(sys3(SYS_write, fd, (long)a, 1), EBADF);
    sys1(SYS_close, fd);
    fd = sys3(SYS_open, (long)path, O_WRONLY, 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)a, 10), 10);
    CHECK_ERRNO(sys3(SYS_read, fd, (long)a, 1), EBADF);
    sys1(SYS_close, fd);
}

/* This program's AT_RANDOM: present, 16 bytes not all zero (2^-128). */
static const unsigned char* at_random(void) {
    return (const unsigned char*)rt_getauxval(AT_RANDOM);
}

/* A new program's AT_RANDOM differs from this one's: the program execs
 * itself with --at-random, which writes its 16 bytes to the pipe. */
static void at_random_per_exec(char* self) {
    const unsigned char* mine = at_random();
    CHECK(mine != 0);
    if (!mine) {
        return;
    }
    CHECK(!all_zero(mine, 16));
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys2(SYS_dup2, fds[1], 1);
        char* argv[] = {self, "--at-random", 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)self, (long)argv, (long)envp);
        sys1(SYS_exit_group, 127);
    }
    sys1(SYS_close, fds[1]);
    unsigned char theirs[16];
    long got = 0;
    while (got < 16) {
        long n = sys3(SYS_read, fds[0], (long)(theirs + got), 16 - got);
        if (n <= 0) {
            break;
        }
        got += n;
    }
    sys1(SYS_close, fds[0]);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_EQ(got, 16);
    CHECK(!equal(mine, theirs, 16));
    CHECK(!all_zero(theirs, 16));
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 2 && text_equal(argv[1], "--at-random")) {
        const unsigned char* mine = at_random();
        return mine && sys3(SYS_write, 1, (long)mine, 16) == 16 ? 0 : 1;
    }
    lengths();
    calls_differ();
    flags();
    bad_buffers();
    bytes_look_random();
    device("/dev/urandom", 0x109); /* 1:9 */
    device("/dev/random", 0x108);  /* 1:8 */
    at_random_per_exec(argv[0]);
    return check_done("random");
}
