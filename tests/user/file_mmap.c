/* file_mmap: mmap of files, as Linux does it. A tmpfs file mapped
 * MAP_SHARED is the file: stores are seen by read() and by a forked child,
 * write() is seen through the mapping. MAP_PRIVATE sees the file until its
 * first store, which copies the page (the file never sees it). A page
 * wholly past the end of the file is SIGBUS (BUS_ADRERR), the rest of the
 * last page reads zeros and stores there do not grow the file; truncate
 * takes the pages past the new end out of every mapping (private copies
 * too). A mapping outlives close() and unlink(). The errors of mmap
 * (EBADF, EACCES, EINVAL, ENODEV, EOVERFLOW), msync and madvise, and
 * MADV_DONTNEED's three outcomes. An initrd file (Linux: the test data)
 * maps private, copy-on-write, and shared read-only. /proc/self/maps
 * names the file; a noexec mount refuses PROT_EXEC. Memory is checked to
 * come back whole on Kite. */
#include "check.h"
#include "jump.h"
#include "signal_action.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_DIRECTORY 0200000
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define SIGBUS 7
#define SA_SIGINFO 4
#define SA_NODEFER 0x40000000
#define BUS_ADRERR 2
#define PAGE 4096L

struct siginfo {
    int signo, errno_value, code, pad;
    union {
        void* address;
        char bytes[112];
    };
};

static jump_buffer fault_jump;
static struct siginfo fault_info;
static volatile int fault_count;

static void on_fault(int signal, struct siginfo* info, void* context) {
    (void)signal;
    (void)context;
    fault_info = *info;
    ++fault_count;
    jump_back(fault_jump, 1);
}

/* Whether reading (or writing, if store) the byte at p raises SIGBUS with
 * BUS_ADRERR at p. */
static int bus_error_at(volatile char* p, int store) {
    fault_count = 0;
    if (save_point(fault_jump) == 0) {
        if (store) {
            *p = 1;
        } else {
            (void)*p;
        }
    }
    return fault_count == 1 && fault_info.signo == SIGBUS && fault_info.code == BUS_ADRERR &&
           fault_info.address == (void*)p;
}

static long map(long address, long length, long protection, long flags, long fd, long offset) {
    return sys6(SYS_mmap, address, length, protection, flags, fd, offset);
}

static long open_file(const char* path, long flags) {
    return sys3(SYS_open, (long)path, flags, 0644);
}

static long file_size(long fd) {
    long st[18];
    if (sys2(SYS_fstat, fd, (long)st) != 0) {
        return -1;
    }
    return st[6]; /* st_size */
}

static long wait_for(long pid) {
    int status = -1;
    long got = sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return got == pid ? status : -1;
}

/* A tmpfs file of `pages` pages, byte i holding 'a' + (i / PAGE) % 26. */
static long make_file(const char* path, long pages) {
    long fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);
    CHECK(fd >= 0);
    static char page[PAGE];
    for (long p = 0; p < pages; ++p) {
        for (long i = 0; i < PAGE; ++i) {
            page[i] = (char)('a' + p % 26);
        }
        CHECK_EQ(sys3(SYS_write, fd, (long)page, PAGE), PAGE);
    }
    return fd;
}

static char byte_at(long fd, long offset) {
    char c = 0;
    CHECK_EQ(sys4(SYS_pread64, fd, (long)&c, 1, offset), 1);
    return c;
}

static void shared_tmpfs(void) {
    long fd = make_file("/tmp/fm_shared", 3);
    volatile char* m = (volatile char*)map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK((long)m > 0);
    CHECK(m[0] == 'a' && m[PAGE] == 'b' && m[2 * PAGE + 100] == 'c');
    /* A store is the file at once; a write() shows through the mapping. */
    m[5] = 'X';
    CHECK_EQ(byte_at(fd, 5), 'X');
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"Y", 1, PAGE + 7), 1);
    CHECK_EQ(m[PAGE + 7], 'Y');
    /* A forked child shares the pages both ways. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        int ok = m[5] == 'X';
        m[2 * PAGE] = 'Z';
        sys1(SYS_exit, ok ? 0 : 3);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(m[2 * PAGE], 'Z');
    CHECK_EQ(byte_at(fd, 2 * PAGE), 'Z');
    /* A second mapping at an offset sees the same page. */
    volatile char* second = (volatile char*)map(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
    CHECK((long)second > 0);
    CHECK_EQ(second[7], 'Y');
    m[PAGE + 8] = 'W';
    CHECK_EQ(second[8], 'W');
    /* read() into a buffer that maps the same file. */
    CHECK_EQ(sys4(SYS_pread64, fd, (long)m + 2 * PAGE + 10, 3, 5), 3);
    CHECK(m[2 * PAGE + 10] == 'X' && m[2 * PAGE + 11] == 'a');
    CHECK_EQ(sys3(SYS_msync, (long)m, 3 * PAGE, MS_SYNC), 0);
    CHECK_EQ(sys3(SYS_msync, (long)m, PAGE, MS_ASYNC | MS_INVALIDATE), 0);
    CHECK_EQ(sys2(SYS_munmap, (long)second, PAGE), 0);
    CHECK_EQ(sys2(SYS_munmap, (long)m, 3 * PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_shared"), 0);
}

static void private_tmpfs(void) {
    long fd = make_file("/tmp/fm_private", 2);
    volatile char* m = (volatile char*)map(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK((long)m > 0);
    CHECK_EQ(m[0], 'a');
    /* Before the first store the page is the file's: a write() shows. */
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"Q", 1, 1), 1);
    CHECK_EQ(m[1], 'Q');
    /* The store copies: the file does not see it, nor later writes there. */
    m[2] = 'P';
    CHECK_EQ(byte_at(fd, 2), 'a');
    CHECK_EQ(sys4(SYS_pwrite64, fd, (long)"R", 1, 3), 1);
    CHECK_EQ(m[3], 'a');
    CHECK_EQ(m[2], 'P');
    /* fork: the child sees the private copy; its store stays its own. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        int ok = m[2] == 'P' && m[PAGE] == 'b';
        m[2] = 'C';
        m[PAGE] = 'C';
        sys1(SYS_exit, ok ? 0 : 3);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(m[2], 'P');
    CHECK_EQ(m[PAGE], 'b');
    CHECK_EQ(byte_at(fd, PAGE), 'b');
    /* MADV_DONTNEED: the private copy goes, the file's bytes come back. */
    CHECK_EQ(sys3(SYS_madvise, (long)m, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(m[2], 'a');
    CHECK_EQ(m[3], 'R');
    CHECK_EQ(sys2(SYS_munmap, (long)m, 2 * PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_private"), 0);
}

static void past_the_end(void) {
    long fd = open_file("/tmp/fm_end", O_RDWR | O_CREAT | O_TRUNC);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"0123456789", 10), 10);
    volatile char* m = (volatile char*)map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK((long)m > 0);
    CHECK_EQ(m[9], '9');
    CHECK_EQ(m[10], 0);
    CHECK_EQ(m[PAGE - 1], 0);
    /* A store past the end, in the last page: the size stays. */
    m[100] = 'E';
    CHECK_EQ(file_size(fd), 10);
    char buffer[4];
    CHECK_EQ(sys4(SYS_pread64, fd, (long)buffer, 4, 100), 0);
    /* Pages wholly past the end: SIGBUS, BUS_ADRERR, for reads and stores. */
    CHECK(bus_error_at(m + PAGE, 0));
    CHECK(bus_error_at(m + 2 * PAGE + 5, 1));
    /* Growing the file makes the page real. (What the store past the old
     * end left shows on Linux's tmpfs; Kite zeroes it, as POSIX wants, so
     * that byte is not checked.) */
    CHECK_EQ(sys2(SYS_ftruncate, fd, 2 * PAGE), 0);
    m[PAGE] = 'G';
    CHECK_EQ(byte_at(fd, PAGE), 'G');
    CHECK(bus_error_at(m + 2 * PAGE, 0));
    CHECK_EQ(sys2(SYS_munmap, (long)m, 3 * PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_end"), 0);
}

static void truncate_unmaps(void) {
    long fd = make_file("/tmp/fm_truncate", 3);
    volatile char* shared =
        (volatile char*)map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char* private =
        (volatile char*)map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK((long)shared > 0);
    CHECK((long)private > 0);
    CHECK_EQ(shared[2 * PAGE], 'c');
    private[2 * PAGE] = 'p'; /* a private copy of the last page */
    CHECK_EQ(private[PAGE + 50], 'b');
    /* A child holds the shared mapping too, its last page present: it
     * must lose it. It says when it has touched it, then waits. */
    int go[2];
    int ready[2];
    CHECK_EQ(sys1(SYS_pipe, (long)go), 0);
    CHECK_EQ(sys1(SYS_pipe, (long)ready), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        int ok = shared[2 * PAGE] == 'c';
        sys3(SYS_write, ready[1], (long)"r", 1);
        sys3(SYS_read, go[0], (long)&byte, 1);
        ok = ok && bus_error_at(shared + 2 * PAGE, 0) && shared[PAGE + 9] == 'b' &&
             shared[PAGE + 10] == 0;
        sys1(SYS_exit, ok ? 0 : 3);
    }
    char byte;
    CHECK_EQ(sys3(SYS_read, ready[0], (long)&byte, 1), 1);
    CHECK_EQ(sys2(SYS_ftruncate, fd, PAGE + 10), 0);
    CHECK_EQ(sys3(SYS_write, go[1], (long)"g", 1), 1);
    CHECK_EQ(wait_for(pid), 0);
    CHECK(bus_error_at(shared + 2 * PAGE, 0));
    CHECK(bus_error_at(private + 2 * PAGE, 0)); /* the private copy went too */
    CHECK_EQ(shared[PAGE + 9], 'b');
    CHECK_EQ(shared[PAGE + 10], 0); /* the tail of the new last page is zero */
    CHECK_EQ(private[PAGE + 10], 0);
    for (int i = 0; i < 2; ++i) {
        sys1(SYS_close, go[i]);
        sys1(SYS_close, ready[i]);
    }
    CHECK_EQ(sys2(SYS_munmap, (long)shared, 3 * PAGE), 0);
    CHECK_EQ(sys2(SYS_munmap, (long)private, 3 * PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_truncate"), 0);
}

static void outlives_close_and_unlink(void) {
    long fd = make_file("/tmp/fm_gone", 1);
    volatile char* m = (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK((long)m > 0);
    CHECK_EQ(sys1(SYS_close, fd), 0);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_gone"), 0);
    CHECK_EQ(m[10], 'a');
    m[10] = 'K';
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, m[10] == 'K' ? 0 : 3);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(m[10], 'K');
    CHECK_EQ(sys2(SYS_munmap, (long)m, PAGE), 0);
}

static void mmap_errors(void) {
    long fd = make_file("/tmp/fm_errors", 1);
    long read_only = open_file("/tmp/fm_errors", O_RDONLY);
    long write_only = open_file("/tmp/fm_errors", O_WRONLY);
    CHECK(read_only >= 0 && write_only >= 0);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, 99, 0), EBADF);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, 99, 1), EINVAL); /* offset first */
    CHECK_ERRNO(map(0, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, 0, fd, 0), EINVAL);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, fd, 0x7ffffffffffff000L), EOVERFLOW);
    /* Access: shared+write needs O_RDWR; any map needs reading. */
    CHECK_ERRNO(map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, read_only, 0), EACCES);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_PRIVATE, write_only, 0), EACCES);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, write_only, 0), EACCES);
    /* Read-only shared: fine, but mprotect may not add PROT_WRITE. */
    long m = map(0, PAGE, PROT_READ, MAP_SHARED, read_only, 0);
    CHECK(m > 0);
    CHECK_ERRNO(sys3(SYS_mprotect, m, PAGE, PROT_READ | PROT_WRITE), EACCES);
    CHECK_EQ(sys2(SYS_munmap, m, PAGE), 0);
    /* Private of a read-only open: stores are allowed (copies). */
    volatile char* p =
        (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, read_only, 0);
    CHECK((long)p > 0);
    p[0] = 'z';
    CHECK_EQ(byte_at(fd, 0), 'a');
    CHECK_EQ(sys2(SYS_munmap, (long)p, PAGE), 0);
    /* Nothing to map: pipes and directories. */
    int pipes[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipes), 0);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_SHARED, pipes[0], 0), ENODEV);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_PRIVATE, pipes[1], 0), EACCES); /* write end */
    long directory = open_file("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK(directory >= 0);
    CHECK_ERRNO(map(0, PAGE, PROT_READ, MAP_PRIVATE, directory, 0), ENODEV);
    sys1(SYS_close, directory);
    sys1(SYS_close, pipes[0]);
    sys1(SYS_close, pipes[1]);
    sys1(SYS_close, read_only);
    sys1(SYS_close, write_only);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_errors"), 0);
}

/* /dev/zero maps as anonymous memory: private zeros, or shared with a
 * child. */
static void dev_zero(void) {
    long fd = open_file("/dev/zero", O_RDWR);
    CHECK(fd >= 0);
    volatile char* p = (volatile char*)map(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK((long)p > 0);
    CHECK(p[0] == 0 && p[PAGE + 1] == 0);
    p[0] = 5;
    CHECK_EQ(p[0], 5);
    volatile char* s = (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK((long)s > 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        s[1] = 9;
        p[1] = 9;
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(s[1], 9);
    CHECK_EQ(p[1], 0);
    CHECK_EQ(sys2(SYS_munmap, (long)p, 2 * PAGE), 0);
    CHECK_EQ(sys2(SYS_munmap, (long)s, PAGE), 0);
    sys1(SYS_close, fd);
}

static void msync_and_madvise(void) {
    long m = map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m > 0);
    CHECK_EQ(sys2(SYS_munmap, m + 2 * PAGE, PAGE), 0); /* a hole after two pages */
    CHECK_ERRNO(sys3(SYS_msync, m + 1, PAGE, MS_SYNC), EINVAL);
    CHECK_ERRNO(sys3(SYS_msync, m, PAGE, 8), EINVAL);
    CHECK_ERRNO(sys3(SYS_msync, m, PAGE, MS_ASYNC | MS_SYNC), EINVAL);
    CHECK_EQ(sys3(SYS_msync, m, 0, MS_SYNC), 0);
    CHECK_EQ(sys3(SYS_msync, m, 2 * PAGE, 0), 0);
    CHECK_EQ(sys3(SYS_msync, m, 100, MS_ASYNC), 0);
    CHECK_ERRNO(sys3(SYS_msync, m, 3 * PAGE, MS_SYNC), ENOMEM); /* runs past the map */
    CHECK_ERRNO(sys3(SYS_msync, UNMAPPED_ADDRESS, PAGE, MS_SYNC), ENOMEM);
    CHECK_ERRNO(sys3(SYS_madvise, m, PAGE, 999), EINVAL);
    CHECK_ERRNO(sys3(SYS_madvise, m + 1, PAGE, MADV_NORMAL), EINVAL);
    CHECK_ERRNO(sys3(SYS_madvise, m, 3 * PAGE, MADV_WILLNEED), ENOMEM);
    CHECK_EQ(sys3(SYS_madvise, m, 0, MADV_DONTNEED), 0);
    CHECK_EQ(sys3(SYS_madvise, m, 2 * PAGE, MADV_NORMAL), 0);
    CHECK_EQ(sys3(SYS_madvise, m, 2 * PAGE, MADV_RANDOM), 0);
    CHECK_EQ(sys3(SYS_madvise, m, 2 * PAGE, MADV_SEQUENTIAL), 0);
    CHECK_EQ(sys3(SYS_madvise, m, 2 * PAGE, MADV_WILLNEED), 0);
    /* Private anonymous: DONTNEED gives zeros on the next touch. */
    volatile char* anon = (volatile char*)m;
    anon[0] = 42;
    anon[PAGE] = 43;
    CHECK_EQ(sys3(SYS_madvise, m, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(anon[0], 0);
    CHECK_EQ(anon[PAGE], 43);
    CHECK_EQ(sys2(SYS_munmap, m, 2 * PAGE), 0);
    /* Shared (anonymous and file): the pages stay. */
    volatile char* shared_anon =
        (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK((long)shared_anon > 0);
    shared_anon[0] = 7;
    CHECK_EQ(sys3(SYS_madvise, (long)shared_anon, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(shared_anon[0], 7);
    CHECK_EQ(sys2(SYS_munmap, (long)shared_anon, PAGE), 0);
    long fd = make_file("/tmp/fm_advice", 1);
    volatile char* file = (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK((long)file > 0);
    file[0] = 'S';
    CHECK_EQ(sys3(SYS_madvise, (long)file, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(file[0], 'S');
    CHECK_EQ(sys2(SYS_munmap, (long)file, PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_advice"), 0);
}

/* A file of the test data: on Kite in the initrd (read-only, filled from
 * the archive), on Linux wherever the build put it. */
static void read_only_file(const char* data_directory) {
    char path[256];
    int n = 0;
    for (const char* s = data_directory; *s && n < 200; ++s) {
        path[n++] = *s;
    }
    const char* name = "/script";
    for (const char* s = name; *s; ++s) {
        path[n++] = *s;
    }
    path[n] = '\0';
    long fd = open_file(path, O_RDONLY);
    CHECK(fd >= 0);
    char start[32];
    CHECK_EQ(sys4(SYS_pread64, fd, (long)start, 16, 0), 16);
    long size = file_size(fd);
    CHECK(size > 16 && size < PAGE);
    volatile char* m = (volatile char*)map(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK((long)m > 0);
    int same = 1;
    for (int i = 0; i < 16; ++i) {
        same = same && m[i] == start[i];
    }
    CHECK(same);
    CHECK_EQ(m[size], 0); /* the rest of the page is zeros */
    m[0] = '!';           /* copy-on-write: the file keeps its byte */
    char first = 0;
    CHECK_EQ(sys4(SYS_pread64, fd, (long)&first, 1, 0), 1);
    CHECK_EQ(first, start[0]);
    CHECK_EQ(m[0], '!');
    CHECK_EQ(sys2(SYS_munmap, (long)m, PAGE), 0);
    CHECK_ERRNO(map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
    volatile char* shared = (volatile char*)map(0, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK((long)shared > 0);
    CHECK_EQ(shared[1], start[1]);
    CHECK(bus_error_at(shared + PAGE, 0));
    CHECK_EQ(sys2(SYS_munmap, (long)shared, 2 * PAGE), 0);
    if (on_kite()) {
        CHECK_ERRNO(open_file(path, O_RDWR), EROFS);
    }
    sys1(SYS_close, fd);
}

static char text[16384];

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

/* value in hex, at least width digits, at out; returns the end. */
static char* hex(unsigned long value, int width, char* out) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % 16];
        value /= 16;
    } while (value > 0 || n < width);
    while (n > 0) {
        *out++ = digits[--n];
    }
    *out = '\0';
    return out;
}

/* The line of /proc/self/maps that starts at address, or 0. */
static const char* maps_line(long address) {
    char start[24];
    char* end = hex((unsigned long)address, 8, start);
    *end++ = '-';
    *end = '\0';
    const char* maps = read_text("/proc/self/maps");
    long length = end - start;
    for (const char* line = maps; *line;) {
        long i = 0;
        while (i < length && line[i] == start[i]) {
            ++i;
        }
        if (i == length) {
            return line;
        }
        while (*line && *line != '\n') {
            ++line;
        }
        if (*line) {
            ++line;
        }
    }
    return 0;
}

/* /proc/PID/maps names a file mapping's device, inode and path (and its
 * offset); a noexec mount refuses PROT_EXEC (EPERM) and mprotect cannot
 * add it (EACCES). */
static void maps_and_noexec(void) {
    long fd = make_file("/tmp/fm_maps", 2);
    long m = map(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
    CHECK(m > 0);
    unsigned long st[18];
    CHECK_EQ(sys2(SYS_fstat, fd, (long)st), 0);
    const unsigned long device = st[0];
    const unsigned long major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffUL);
    const unsigned long minor = (device & 0xff) | ((device >> 12) & ~0xffUL);
    char expected[96];
    char* at = expected;
    *at++ = ' ';
    at = hex(PAGE, 8, at); /* the offset */
    *at++ = ' ';
    at = hex(major, 2, at);
    *at++ = ':';
    at = hex(minor, 2, at);
    *at++ = ' ';
    decimal((long)st[1], at);
    const char* line = maps_line(m);
    CHECK(line != 0);
    int found = 0;
    for (long i = 0; line && line[i] && line[i] != '\n' && !found; ++i) {
        long j = 0;
        while (expected[j] && line[i + j] == expected[j]) {
            ++j;
        }
        found = expected[j] == '\0';
    }
    CHECK(found);
    /* The line ends with the file's path. */
    const char* path = "/tmp/fm_maps\n";
    int named = 0;
    for (long i = 0; line && line[i] && !named; ++i) {
        long j = 0;
        while (path[j] && line[i + j] == path[j]) {
            ++j;
        }
        named = path[j] == '\0';
        if (line[i] == '\n') {
            break;
        }
    }
    CHECK(named);
    if (!found && line) {
        rt_print("expected in the maps line: ");
        rt_print(expected);
        rt_print("\n");
    }
    CHECK_EQ(sys2(SYS_munmap, m, PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/fm_maps"), 0);

    CHECK_EQ(sys2(SYS_mkdir, (long)"/tmp/fm_noexec", 0755), 0);
    CHECK_EQ(
        sys6(SYS_mount, (long)"x", (long)"/tmp/fm_noexec", (long)"tmpfs", 8 /* MS_NOEXEC */, 0, 0),
        0);
    fd = open_file("/tmp/fm_noexec/file", O_RDWR | O_CREAT);
    CHECK(fd >= 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)"noexec", 6), 6);
    CHECK_ERRNO(map(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0), EPERM);
    m = map(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(m > 0);
    CHECK_ERRNO(sys3(SYS_mprotect, m, PAGE, PROT_READ | PROT_EXEC), EACCES);
    CHECK_EQ(sys2(SYS_munmap, m, PAGE), 0);
    sys1(SYS_close, fd);
    CHECK_EQ(sys2(SYS_umount2, (long)"/tmp/fm_noexec", 0), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)"/tmp/fm_noexec"), 0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const char* data_directory = argc >= 2 ? argv[1] : "/test/data";
    struct action a = {(void*)on_fault, SA_SIGINFO | SA_NODEFER | SA_RESTORER, (void*)restore_rt,
                       0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGBUS, (long)&a, 0, 8), 0);
    /* Once before the leak check: the initrd file's cache keeps the page
     * it filled while mapped, and this process's page tables stay as its
     * mappings first made them. */
    read_only_file(data_directory);
    maps_and_noexec();
    char before[128];
    const int have_stats = read_kite_stats(before, sizeof(before));
    if (on_kite()) {
        CHECK(have_stats);
    }
    shared_tmpfs();
    private_tmpfs();
    past_the_end();
    truncate_unmaps();
    outlives_close_and_unlink();
    mmap_errors();
    msync_and_madvise();
    dev_zero();
    read_only_file(data_directory);
    maps_and_noexec();
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
    return check_done("file_mmap");
}
