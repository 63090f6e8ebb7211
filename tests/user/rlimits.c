/* rlimits: getrlimit, setrlimit and prlimit64 with Linux's errors, and the
 * limits enforced: NOFILE by every call that makes a descriptor, FSIZE by
 * write and truncate (SIGXFSZ, EFBIG, a short write up to the limit), DATA
 * and AS by mmap and brk, STACK by the stack exec makes; NPROC stored
 * (root is exempt, as on Linux); fork inherits the limits and exec keeps
 * them. On Kite also the boot values (Linux's init's) and the out-of-memory
 * outcome: a process that touches more memory than the machine has dies of
 * SIGKILL, and every frame comes back. Each part runs in a child of its
 * own, so its limits go with it. */
#include "check.h"

#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0UL)
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_APPEND 02000
#define F_DUPFD 0
#define SIGSEGV 11
#define SIGKILL 9
#define SIGXFSZ 25
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MiB (1024L * 1024)

struct rlimit {
    unsigned long soft, hard;
};
struct action {
    void* handler;
    unsigned long flags;
    void* restorer;
    unsigned long mask;
};
struct pollfd {
    int fd;
    short events, revents;
};

static char* program;

/* Whether this process may raise a hard limit: it has CAP_SYS_RESOURCE
 * (bit 24 of CapEff in /proc/self/status). Kite has no such file and runs
 * everything as root with every capability; a Linux container may lack it
 * even as root. */
static int may_raise_hard(void) {
    long fd = sys3(SYS_open, (long)"/proc/self/status", 0, 0);
    if (fd < 0) {
        return 1;
    }
    static char text[4096];
    long n = sys3(SYS_read, fd, (long)text, sizeof(text) - 1);
    sys1(SYS_close, fd);
    text[n > 0 ? n : 0] = '\0';
    for (const char* p = text; *p; ++p) {
        if (p[0] == 'C' && p[1] == 'a' && p[2] == 'p' && p[3] == 'E' && p[4] == 'f' &&
            p[5] == 'f' && p[6] == ':') {
            p += 7;
            while (*p == ' ' || *p == '\t') {
                ++p;
            }
            unsigned long caps = 0;
            for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); ++p) {
                caps = caps * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
            }
            return (caps >> 24) & 1;
        }
    }
    return 0;
}

static long get_limit(int resource, struct rlimit* out) {
    return sys2(SYS_getrlimit, resource, (long)out);
}
static long set_limit(int resource, unsigned long soft, unsigned long hard) {
    struct rlimit limit = {soft, hard};
    return sys2(SYS_setrlimit, resource, (long)&limit);
}
static unsigned long soft_limit(int resource) {
    struct rlimit limit = {0, 0};
    get_limit(resource, &limit);
    return limit.soft;
}

/* Runs part() in a child; gives its wait status. The child's checks
 * count there: it exits 1 if any failed. */
static int in_child(void (*part)(void)) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        check_failures = 0; /* the child's own */
        part();
        sys1(SYS_exit_group, check_failures == 0 ? 0 : 1);
    }
    int status = -1;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return status;
}
#define CHECK_CHILD(part) CHECK_EQ(in_child(part), 0)

/* Runs this program again with one argument, an empty environment and
 * the limits the caller set; gives its wait status. */
static int exec_self(const char* mode) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        const char* argv[] = {program, mode, 0};
        const char* envp[] = {0};
        sys3(SYS_execve, (long)"/proc/self/exe", (long)argv, (long)envp);
        sys1(SYS_exit_group, 126);
    }
    int status = -1;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return status;
}

/* The modes exec_self runs: each answers with its exit status. */
static void touch_below(volatile char* here, unsigned long distance) {
    *(volatile char*)((unsigned long)here - distance) = 1;
}

static int probe(const char* mode) {
    volatile char here = 0;
    if (text_equal(mode, "--nofile-100")) {
        return soft_limit(RLIMIT_NOFILE) == 100 ? 0 : 1;
    }
    if (text_equal(mode, "--stack-near")) { /* 192 KiB down a 256 KiB stack */
        touch_below(&here, 192 * 1024);
        return 0;
    }
    if (text_equal(mode, "--stack-deep")) { /* 12 MiB down a 16 MiB stack */
        touch_below(&here, 12 * MiB);
        return 0;
    }
    if (text_equal(mode, "--stack-far")) { /* 1 MiB down a 256 KiB stack: SIGSEGV */
        touch_below(&here, 1 * MiB);
        return 0;
    }
    return 125;
}

static void boot_values(void) {
    struct rlimit limit;
    CHECK_EQ(get_limit(RLIMIT_NOFILE, &limit), 0);
    CHECK_EQ(limit.soft, 1024);
    CHECK_EQ(limit.hard, 4096);
    CHECK_EQ(get_limit(RLIMIT_STACK, &limit), 0);
    CHECK_EQ(limit.soft, 8 * MiB);
    CHECK_EQ(limit.hard, RLIM_INFINITY);
    CHECK_EQ(get_limit(RLIMIT_CORE, &limit), 0);
    CHECK_EQ(limit.soft, 0);
    CHECK_EQ(limit.hard, RLIM_INFINITY);
    CHECK_EQ(get_limit(RLIMIT_NPROC, &limit), 0);
    CHECK(limit.soft >= 10 && limit.soft == limit.hard);
    for (int resource = 0; resource < RLIM_NLIMITS; ++resource) {
        CHECK_EQ(get_limit(resource, &limit), 0);
        CHECK(limit.soft <= limit.hard);
    }
    CHECK_EQ(soft_limit(RLIMIT_AS), RLIM_INFINITY);
    CHECK_EQ(soft_limit(RLIMIT_DATA), RLIM_INFINITY);
    CHECK_EQ(soft_limit(RLIMIT_FSIZE), RLIM_INFINITY);
}

static void calls_and_errors(void) {
    struct rlimit limit = {0, 0}, old = {0, 0};
    CHECK_ERRNO(get_limit(RLIM_NLIMITS, &limit), EINVAL);
    CHECK_ERRNO(get_limit(-1, &limit), EINVAL);
    CHECK_ERRNO(sys2(SYS_getrlimit, RLIM_NLIMITS, UNMAPPED_ADDRESS), EINVAL); /* resource first */
    CHECK_ERRNO(sys2(SYS_getrlimit, RLIMIT_CORE, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_setrlimit, RLIMIT_CORE, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_setrlimit, RLIM_NLIMITS, UNMAPPED_ADDRESS), EFAULT); /* copy first */
    CHECK_ERRNO(set_limit(RLIM_NLIMITS, 1, 1), EINVAL);
    CHECK_ERRNO(set_limit(RLIMIT_CORE, 2, 1), EINVAL);
    /* Raising a hard limit takes CAP_SYS_RESOURCE (root has it), and
     * NOFILE never goes above fs.nr_open. */
    CHECK_EQ(set_limit(RLIMIT_CORE, 0, 4096), 0);
    CHECK_EQ(get_limit(RLIMIT_CORE, &limit), 0);
    CHECK_EQ(limit.soft, 0);
    CHECK_EQ(limit.hard, 4096);
    const int privileged = may_raise_hard();
    CHECK_EQ(set_limit(RLIMIT_CORE, 4096, RLIM_INFINITY), privileged ? 0 : -EPERM);
    CHECK_EQ(set_limit(RLIMIT_CORE, 4096, 4096), 0); /* lowering needs nothing */
    CHECK_ERRNO(set_limit(RLIMIT_NOFILE, 64, 1048576 + 1), EPERM);
    if (privileged) {
        CHECK_EQ(set_limit(RLIMIT_NOFILE, 64, 1048576), 0);
        CHECK_EQ(get_limit(RLIMIT_NOFILE, &limit), 0);
        CHECK_EQ(limit.hard, 1048576);
    }
    CHECK_EQ(set_limit(RLIMIT_FSIZE, RLIM_INFINITY, RLIM_INFINITY), 0);

    /* prlimit64: either pointer may be null; 0 or the own pid is the caller. */
    struct rlimit wanted = {123, 4096};
    CHECK_EQ(sys4(SYS_prlimit64, 0, RLIMIT_CORE, (long)&wanted, (long)&old), 0);
    CHECK_EQ(old.soft, 4096);
    CHECK_EQ(sys4(SYS_prlimit64, sys0(SYS_getpid), RLIMIT_CORE, 0, (long)&old), 0);
    CHECK_EQ(old.soft, 123);
    CHECK_EQ(old.hard, 4096);
    CHECK_EQ(sys4(SYS_prlimit64, 0, RLIMIT_CORE, 0, 0), 0);
    CHECK_ERRNO(sys4(SYS_prlimit64, 0, RLIM_NLIMITS, 0, (long)&old), EINVAL);
    CHECK_ERRNO(sys4(SYS_prlimit64, 0, RLIMIT_CORE, UNMAPPED_ADDRESS, 0), EFAULT);
    /* A bad old pointer is EFAULT after the new limit is in place. */
    wanted.soft = 77;
    CHECK_ERRNO(sys4(SYS_prlimit64, 0, RLIMIT_CORE, (long)&wanted, UNMAPPED_ADDRESS), EFAULT);
    CHECK_EQ(soft_limit(RLIMIT_CORE), 77);
    wanted.soft = 5000; /* above the hard limit: EINVAL, nothing changes */
    CHECK_ERRNO(sys4(SYS_prlimit64, 0, RLIMIT_CORE, (long)&wanted, (long)&old), EINVAL);
    CHECK_EQ(soft_limit(RLIMIT_CORE), 77);
    CHECK_ERRNO(sys4(SYS_prlimit64, -1, RLIMIT_CORE, 0, (long)&old), ESRCH);

    /* Another process's limits, read and set by pid; a reaped one is gone
     * (ESRCH, before the resource is looked at). */
    int gate[2];
    CHECK_EQ(sys1(SYS_pipe, (long)gate), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        sys3(SYS_read, gate[0], (long)&byte, 1);
        sys1(SYS_exit_group, soft_limit(RLIMIT_CORE) == 55 ? 0 : 1);
    }
    CHECK_EQ(sys4(SYS_prlimit64, pid, RLIMIT_CORE, 0, (long)&old), 0);
    CHECK_EQ(old.soft, 77); /* inherited by fork */
    wanted.soft = 55;
    CHECK_EQ(sys4(SYS_prlimit64, pid, RLIMIT_CORE, (long)&wanted, 0), 0);
    CHECK_EQ(soft_limit(RLIMIT_CORE), 77);
    CHECK_EQ(sys3(SYS_write, gate[1], (long)"x", 1), 1);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_ERRNO(sys4(SYS_prlimit64, pid, RLIMIT_CORE, 0, (long)&old), ESRCH);
    CHECK_ERRNO(sys4(SYS_prlimit64, pid, RLIM_NLIMITS, 0, (long)&old), ESRCH);
}

static void inherited_and_kept(void) {
    CHECK_EQ(set_limit(RLIMIT_NOFILE, 100, 4096), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit_group, soft_limit(RLIMIT_NOFILE) == 100 ? 0 : 1);
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_EQ(exec_self("--nofile-100"), 0);
}

static long open_null(void) {
    return sys3(SYS_open, (long)"/dev/null", O_RDONLY, 0);
}

static void open_files(void) {
    for (int fd = 3; fd < 1024; ++fd) {
        sys1(SYS_close, fd); /* whatever the harness left open */
    }
    CHECK_EQ(set_limit(RLIMIT_NOFILE, 10, 4096), 0);
    for (int fd = 3; fd < 10; ++fd) {
        CHECK_EQ(open_null(), fd);
    }
    int pair[2];
    CHECK_ERRNO(open_null(), EMFILE);
    CHECK_ERRNO(sys1(SYS_dup, 0), EMFILE);
    CHECK_ERRNO(sys1(SYS_pipe, (long)pair), EMFILE);
    CHECK_ERRNO(sys3(SYS_fcntl, 0, F_DUPFD, 5), EMFILE);
    CHECK_ERRNO(sys3(SYS_fcntl, 0, F_DUPFD, 10), EINVAL); /* at the limit */
    CHECK_ERRNO(sys2(SYS_dup2, 0, 10), EBADF);
    CHECK_ERRNO(sys3(SYS_dup3, 0, 10, 0), EBADF);
    CHECK_EQ(sys2(SYS_dup2, 0, 9), 9); /* replacing one below it is fine */
    /* A pipe needs two: with one free it fails and leaves that one free. */
    CHECK_EQ(sys1(SYS_close, 9), 0);
    CHECK_ERRNO(sys1(SYS_pipe, (long)pair), EMFILE);
    CHECK_EQ(open_null(), 9);
    /* poll takes no more entries than there may be descriptors. */
    struct pollfd entries[11];
    for (int i = 0; i < 11; ++i) {
        entries[i].fd = -1;
        entries[i].events = 0;
    }
    CHECK_EQ(sys3(SYS_poll, (long)entries, 10, 0), 0);
    CHECK_ERRNO(sys3(SYS_poll, (long)entries, 11, 0), EINVAL);
    /* Lowering the limit closes nothing. */
    CHECK_EQ(set_limit(RLIMIT_NOFILE, 5, 4096), 0);
    CHECK_EQ(sys1(SYS_close, 9), 0);
    CHECK_ERRNO(open_null(), EMFILE);
    /* High descriptors: the table grows, and fork copies it. */
    CHECK_EQ(set_limit(RLIMIT_NOFILE, 4096, 4096), 0);
    CHECK_EQ(sys2(SYS_dup2, 0, 4095), 4095);
    CHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 300), 300);
    CHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 300), 301);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit_group, sys1(SYS_close, 4095) == 0 && sys1(SYS_close, 301) == 0 ? 0 : 1);
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_EQ(sys1(SYS_close, 4095), 0);
    CHECK_ERRNO(sys2(SYS_dup2, 0, 4096), EBADF);
}

static void file_path(char* out) {
    const char* base = "/tmp/kite_rlimits_";
    int n = 0;
    while (base[n]) {
        out[n] = base[n];
        ++n;
    }
    long pid = sys0(SYS_getpid);
    char digits[24];
    int d = 0;
    do {
        digits[d++] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid > 0);
    while (d > 0) {
        out[n++] = digits[--d];
    }
    out[n] = '\0';
}

static void file_size_ignored(void) {
    struct action ignore = {(void*)1 /* SIG_IGN */, 0, 0, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGXFSZ, (long)&ignore, 0, 8), 0);
    char path[64];
    file_path(path);
    long fd = sys3(SYS_open, (long)path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    CHECK(fd >= 0);
    char data[100];
    memset(data, 'k', sizeof(data));
    CHECK_EQ(set_limit(RLIMIT_FSIZE, 100, RLIM_INFINITY), 0);
    CHECK_EQ(sys3(SYS_write, fd, (long)data, 60), 60);
    CHECK_EQ(sys3(SYS_write, fd, (long)data, 60), 40); /* up to the limit */
    CHECK_ERRNO(sys3(SYS_write, fd, (long)data, 1), EFBIG);
    CHECK_EQ(sys3(SYS_write, fd, (long)data, 0), 0); /* an empty write is no write */
    CHECK_EQ(sys3(SYS_lseek, fd, 10, 0), 10);
    CHECK_EQ(sys3(SYS_write, fd, (long)data, 20), 20); /* inside the file */
    CHECK_ERRNO(sys2(SYS_ftruncate, fd, 101), EFBIG);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 100), 0);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 50), 0);
    CHECK_ERRNO(sys2(SYS_truncate, (long)path, 200), EFBIG);
    CHECK_EQ(sys2(SYS_truncate, (long)path, 100), 0);
    long appender = sys3(SYS_open, (long)path, O_WRONLY | O_APPEND, 0);
    CHECK_ERRNO(sys3(SYS_write, appender, (long)data, 1), EFBIG);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 90), 0);
    CHECK_EQ(sys3(SYS_write, appender, (long)data, 20), 10);
    /* Pipes know no file size. */
    int pair[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pair), 0);
    CHECK_EQ(sys3(SYS_write, pair[1], (long)data, 100), 100);
    CHECK_EQ(set_limit(RLIMIT_FSIZE, RLIM_INFINITY, RLIM_INFINITY), 0);
    CHECK_EQ(sys3(SYS_write, appender, (long)data, 20), 20);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

static void file_size_fatal(void) {
    char path[64];
    file_path(path);
    long fd = sys3(SYS_open, (long)path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    sys1(SYS_unlink, (long)path);
    set_limit(RLIMIT_CORE, 0, RLIM_INFINITY);
    set_limit(RLIMIT_FSIZE, 10, RLIM_INFINITY);
    sys3(SYS_write, fd, (long)"0123456789", 10);
    sys3(SYS_write, fd, (long)"x", 1); /* SIGXFSZ ends the process here */
    sys1(SYS_exit_group, 3);
}

static void truncate_errors(void) {
    char path[64];
    file_path(path);
    long fd = sys3(SYS_open, (long)path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    long reader = sys3(SYS_open, (long)path, O_RDONLY, 0);
    int pair[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pair), 0);
    CHECK_ERRNO(sys2(SYS_ftruncate, 999, -1), EINVAL); /* the length first */
    CHECK_ERRNO(sys2(SYS_ftruncate, 999, 0), EBADF);
    CHECK_ERRNO(sys2(SYS_ftruncate, fd, -1), EINVAL);
    CHECK_ERRNO(sys2(SYS_ftruncate, reader, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_ftruncate, pair[1], 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_truncate, (long)"/tmp", 0), EISDIR);
    CHECK_ERRNO(sys2(SYS_truncate, (long)"/tmp/kite_rlimits_none/x", 0), ENOENT);
    CHECK_ERRNO(sys2(SYS_truncate, UNMAPPED_ADDRESS, 0), EFAULT);
    CHECK_ERRNO(sys2(SYS_truncate, (long)path, -1), EINVAL);
    CHECK_EQ(sys2(SYS_ftruncate, fd, 5000), 0);
    struct {
        unsigned long dev, ino, nlink;
        unsigned int mode, uid, gid, pad0;
        unsigned long rdev;
        long size, blksize, blocks, times[6], unused[3];
    } st;
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 5000);
    char byte = 1;
    CHECK_EQ(sys3(SYS_lseek, reader, 4999, 0), 4999);
    CHECK_EQ(sys3(SYS_read, reader, (long)&byte, 1), 1);
    CHECK_EQ(byte, 0); /* grown with zeros */
    CHECK_EQ(sys2(SYS_truncate, (long)path, 7), 0);
    CHECK_EQ(sys2(SYS_fstat, fd, (long)&st), 0);
    CHECK_EQ(st.size, 7);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
}

static long map(long length, long protection, long flags) {
    return sys6(SYS_mmap, 0, length, protection, flags | MAP_ANONYMOUS, -1, 0);
}
static int mapped(long address) {
    return address > 0 || address < -4095;
}

static void data_limit(void) {
    CHECK_EQ(set_limit(RLIMIT_DATA, 16 * MiB, RLIM_INFINITY), 0);
    /* Private writable memory counts; read-only and shared memory do not. */
    CHECK_ERRNO(map(32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE), ENOMEM);
    long readonly = map(32 * MiB, PROT_READ, MAP_PRIVATE);
    CHECK(mapped(readonly));
    long shared = map(32 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED);
    CHECK(mapped(shared));
    long small = map(1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    CHECK(mapped(small));
    /* The heap counts too: brk answers with the old break. */
    long start = sys1(SYS_brk, 0);
    CHECK_EQ(sys1(SYS_brk, start + 32 * MiB), start);
    CHECK_EQ(sys1(SYS_brk, start + 64 * 1024), start + 64 * 1024);
    CHECK_EQ(sys1(SYS_brk, start), start);
}

static void address_space_limit(void) {
    CHECK_EQ(set_limit(RLIMIT_AS, 64 * MiB, RLIM_INFINITY), 0);
    CHECK_ERRNO(map(128 * MiB, 0, MAP_PRIVATE), ENOMEM); /* even PROT_NONE */
    long area = map(8 * MiB, PROT_READ, MAP_PRIVATE);
    CHECK(mapped(area));
    long start = sys1(SYS_brk, 0);
    CHECK_EQ(sys1(SYS_brk, start + 128 * MiB), start);
    CHECK_EQ(sys1(SYS_brk, start + 64 * 1024), start + 64 * 1024);
    CHECK_ERRNO(map(60 * MiB, PROT_READ, MAP_PRIVATE), ENOMEM);
    CHECK_EQ(sys2(SYS_munmap, area, 8 * MiB), 0);
    area = map(40 * MiB, PROT_READ, MAP_PRIVATE);
    CHECK(mapped(area));
}

static void stack_limit(void) {
    CHECK_EQ(set_limit(RLIMIT_STACK, 256 * 1024, RLIM_INFINITY), 0);
    CHECK_EQ(exec_self("--stack-near"), 0);
    CHECK_EQ(exec_self("--stack-far") & 0x7f, SIGSEGV);
    CHECK_EQ(set_limit(RLIMIT_STACK, 16 * MiB, RLIM_INFINITY), 0);
    CHECK_EQ(exec_self("--stack-deep"), 0);
}

static void process_limit(void) {
    CHECK_EQ(set_limit(RLIMIT_NPROC, 1, 1), 0);
    struct rlimit limit;
    CHECK_EQ(get_limit(RLIMIT_NPROC, &limit), 0);
    CHECK_EQ(limit.soft, 1);
    CHECK_EQ(limit.hard, 1);
    /* Root is exempt from RLIMIT_NPROC, as on Linux. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit_group, 0);
    }
    if (sys0(SYS_getuid) == 0) {
        CHECK(pid > 0);
        int status = -1;
        CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
        CHECK_EQ(status, 0);
    } else {
        CHECK_ERRNO(pid, EAGAIN);
    }
}

static long free_frames(void) {
    char text[128];
    if (!read_kite_stats(text, sizeof(text))) {
        return -1;
    }
    long value = 0;
    const char* p = text;
    while (*p && (*p < '0' || *p > '9')) {
        ++p;
    }
    while (*p >= '0' && *p <= '9') {
        value = value * 10 + (*p++ - '0');
    }
    return value;
}

/* Kite only: the test machine has about 127 MiB; Linux would ask its OOM
 * killer to pick some process of the host. */
static void out_of_memory(void) {
    free_frames(); /* the first call brings in this stack's pages */
    const long before = free_frames();
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        const long size = 1024 * MiB;
        char* area = (char*)map(size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
        if (!mapped((long)area)) {
            sys1(SYS_exit_group, 2);
        }
        for (long at = 0; at < size; at += 4096) {
            area[at] = 1;
        }
        sys1(SYS_exit_group, 3); /* never: there is not that much memory */
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, SIGKILL); /* killed, not a SIGSEGV or an exit */
    CHECK_EQ(free_frames(), before);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    program = argv[0];
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-') {
        return probe(argv[1]); /* exec_self's modes; the harness may pass a directory */
    }
    if (on_kite()) {
        boot_values();
    }
    CHECK_CHILD(calls_and_errors);
    CHECK_CHILD(inherited_and_kept);
    CHECK_CHILD(open_files);
    CHECK_CHILD(file_size_ignored);
    CHECK_EQ(in_child(file_size_fatal) & 0x7f, SIGXFSZ);
    CHECK_CHILD(truncate_errors);
    CHECK_CHILD(data_limit);
    CHECK_CHILD(address_space_limit);
    CHECK_CHILD(stack_limit);
    CHECK_CHILD(process_limit);
    if (on_kite()) {
        out_of_memory();
    }
    return check_done("rlimits");
}
