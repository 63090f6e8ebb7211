/* padding: no byte of the kernel's stack reaches user space inside a
 * structure a call copies out (padding, reserved fields, the unused tail
 * of a name). Under kite.stack_poison=1 (user.kite_stack_poison) every
 * system call runs on a kernel stack filled with 0xA5 bytes, so any byte
 * the kernel copied out without setting carries the pattern: each output
 * below is searched for four 0xA5 bytes in a row, and text from /proc for
 * any byte that is not ASCII. The output buffers are filled with 0x5A
 * first, so bytes a call did not write are not mistaken for it. On Linux
 * (and on Kite without the option) the same checks must hold as well. */
#include "check.h"
#include "signal_action.h"

#define POISON 0xA5
#define FILL 0x5A

static unsigned char out[8192] __attribute__((aligned(16)));

static void fill(void) {
    memset(out, FILL, sizeof(out));
}

/* Four poison bytes in a row anywhere in bytes[0..length). */
static int has_poison(const unsigned char* bytes, long length) {
    for (long i = 0; i + 4 <= length; ++i) {
        if (bytes[i] == POISON && bytes[i + 1] == POISON && bytes[i + 2] == POISON &&
            bytes[i + 3] == POISON) {
            return 1;
        }
    }
    return 0;
}

static int contains(const char* text, const char* word) {
    for (; *text; ++text) {
        const char* a = text;
        const char* b = word;
        while (*b && *a == *b) {
            ++a;
            ++b;
        }
        if (!*b) {
            return 1;
        }
    }
    return 0;
}

/* One check: `ok`, else "FAIL: <what> <problem>". */
static void check_that(int ok, const char* what, const char* problem) {
    ++check_count;
    if (!ok) {
        ++check_failures;
        rt_print("FAIL: ");
        rt_print(what);
        rt_print(problem);
    }
}

static void check_bytes(const char* what, const unsigned char* bytes, long length) {
    check_that(!has_poison(bytes, length), what,
               " copied out kernel stack bytes (0xA5 0xA5 0xA5 0xA5)\n");
}

/* A call that fills `out`: its result must be `want` (or >= 0 when want is
 * 1), and the first `length` bytes must hold no poison (length -1: the
 * result is the length). */
static void check_call(const char* what, long result, long want, long length) {
    if (want == 1) {
        CHECK(result >= 0);
    } else {
        CHECK_EQ(result, want);
    }
    check_bytes(what, out, length < 0 ? (result > 0 ? result : 0) : length);
}

static int is_hex(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int starts_with(const unsigned char* text, long length, const char* word) {
    long i = 0;
    for (; word[i]; ++i) {
        if (i >= length || text[i] != (unsigned char)word[i]) {
            return 0;
        }
    }
    return 1;
}

/* A kernel-half address written in hex: sixteen digits from ffff8 up, on
 * their own (Linux hashes %p). The lines that report what a user program
 * did ("kite: pid N ... killed", and the address line under one) are left
 * out: the addresses there are the program's own, whatever it chose. */
static int shows_kernel_address(const unsigned char* text, long length) {
    int skip_line = 0;
    for (long i = 0; i < length; ++i) {
        if (i == 0 || text[i - 1] == '\n') {
            long j = i; /* past the kernel log's "<level>" */
            if (j + 3 <= length && text[j] == '<' && text[j + 2] == '>') {
                j += 3;
            }
            skip_line = starts_with(text + j, length - j, "kite: pid ") ||
                        starts_with(text + j, length - j, "      address ");
        }
        if (skip_line || (i > 0 && is_hex(text[i - 1])) || i + 16 > length) {
            continue;
        }
        int digits = 0;
        while (digits < 17 && i + digits < length && is_hex(text[i + digits])) {
            ++digits;
        }
        const unsigned char fifth = text[i + 4] | 0x20;
        if (digits == 16 && starts_with(text + i, 4, "ffff") &&
            ((fifth >= '8' && fifth <= '9') || (fifth >= 'a' && fifth <= 'f'))) {
            return 1;
        }
    }
    return 0;
}

static void check_no_kernel_address(const char* what, const unsigned char* text, long length) {
    check_that(!shows_kernel_address(text, length), what, " shows a kernel address\n");
}

static void check_text_file(const char* path) {
    const long fd = sys2(SYS_open, (long)path, 0);
    check_that(fd >= 0, path, " cannot be opened\n");
    if (fd < 0) {
        return;
    }
    fill();
    long total = 0, n;
    while (total < (long)sizeof(out) &&
           (n = sys3(SYS_read, fd, (long)out + total, sizeof(out) - total)) > 0) {
        total += n;
    }
    sys1(SYS_close, fd);
    CHECK(total > 0);
    int bad = 0;
    for (long i = 0; i < total; ++i) {
        bad += out[i] >= 0x80 || (out[i] < 0x20 && out[i] != '\n' && out[i] != '\t' && out[i]);
    }
    check_that(!bad, path, " holds bytes that are not text\n");
    /* Linux's maps show the vsyscall page (ffffffffff600000: fixed and
     * public, no leak), so this part is Kite's. */
    if (on_kite()) {
        check_no_kernel_address(path, out, total);
    }
}

/* The kernel log as dmesg reads it (syslog READ_ALL): text, and no kernel
 * address in it either. Linux's may hold kernel pointers for root only
 * when kptr_restrict allows, so this part is Kite's. */
static void check_kernel_log(void) {
    static unsigned char log[65536];
    const long n = sys3(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, (long)log, sizeof(log));
    CHECK(n > 0);
    check_no_kernel_address("the kernel log", log, n);
}

static void check_files(void) {
    static const char* const paths[] = {"/", "/dev/null", "/proc/self", "/proc/self/exe", "."};
    for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); ++i) {
        fill();
        check_call("stat", sys2(SYS_stat, (long)paths[i], (long)out), 0, 144);
        fill();
        check_call("lstat", sys2(SYS_lstat, (long)paths[i], (long)out), 0, 144);
        fill();
        check_call("statx", sys6(SYS_statx, -100, (long)paths[i], 0, 0xfff, (long)out, 0), 0, 256);
        fill();
        check_call("statfs", sys2(SYS_statfs, (long)paths[i], (long)out), 0, 120);
    }
    static const char* const dirs[] = {"/", "/dev", "/proc", "/proc/self", "/test"};
    for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); ++i) {
        const long fd = sys3(SYS_open, (long)dirs[i], 0x10000 /* O_DIRECTORY */, 0);
        if (fd < 0) {
            continue; /* /test is Kite's */
        }
        fill();
        check_call("fstat", sys2(SYS_fstat, fd, (long)out), 0, 144);
        fill();
        check_call("fstatfs", sys2(SYS_fstatfs, fd, (long)out), 0, 120);
        long n;
        while (fill(), (n = sys3(SYS_getdents64, fd, (long)out, 1024)) > 0) {
            check_call("getdents64", n, n, n);
        }
        sys1(SYS_close, fd);
    }
    fill();
    check_call("getcwd", sys2(SYS_getcwd, (long)out, 4096), 1, -1);
    fill();
    check_call("readlink", sys3(SYS_readlink, (long)"/proc/self/exe", (long)out, 4096), 1, -1);
}

static void check_system(void) {
    fill();
    check_call("uname", sys1(SYS_uname, (long)out), 0, 390);
    fill();
    check_call("sysinfo", sys1(SYS_sysinfo, (long)out), 0, 112);
    fill();
    check_call("times", sys1(SYS_times, (long)out), 1, 32);
    fill();
    check_call("getrusage self", sys2(SYS_getrusage, 0, (long)out), 0, 144);
    fill();
    check_call("getrusage children", sys2(SYS_getrusage, -1, (long)out), 0, 144);
    fill();
    check_call("getitimer", sys2(SYS_getitimer, 0, (long)out), 0, 32);
    fill();
    check_call("clock_getres", sys2(SYS_clock_getres, 1, (long)out), 0, 16);
    fill();
    check_call("gettimeofday", sys2(SYS_gettimeofday, (long)out, (long)out + 64), 0, 72);
    fill();
    check_call("prlimit64", sys4(SYS_prlimit64, 0, 7, 0, (long)out), 0, 16);
    fill();
    check_call("sched_getaffinity", sys3(SYS_sched_getaffinity, 0, 128, (long)out), 1, -1);
    fill();
    check_call("sched_getparam", sys2(SYS_sched_getparam, 0, (long)out), 0, 4);
    fill();
    check_call("getresuid", sys3(SYS_getresuid, (long)out, (long)out + 4, (long)out + 8), 0, 12);
    fill();
    check_call("getrandom", sys3(SYS_getrandom, (long)out, 8, 0), 8, 0); /* random: may hold it */
}

static volatile int handled;
static void on_signal(int signal, void* info, void* context) {
    (void)signal;
    check_bytes("the signal frame's siginfo", (const unsigned char*)info, 128);
    /* The ucontext (304 bytes) and the x87/SSE state its mcontext's
     * fpstate (at 224) points to: an fxsave area, 512 bytes. */
    check_bytes("the signal frame's ucontext", (const unsigned char*)context, 304);
    const unsigned char* fpstate = *(unsigned char* const*)((const char*)context + 224);
    check_bytes("the signal frame's fpstate", fpstate, 512);
    handled = 1;
}

static void check_signals(void) {
    fill();
    struct action a = {(void*)on_signal, SA_RESTORER | 4 /* SA_SIGINFO */, (void*)restore_rt, 0};
    check_call("rt_sigaction", sys4(SYS_rt_sigaction, 10, (long)&a, (long)out, 8), 0, 32);
    fill();
    check_call("rt_sigaction old", sys4(SYS_rt_sigaction, 10, 0, (long)out, 8), 0, 32);
    handled = 0;
    sys2(SYS_kill, sys0(SYS_getpid), 10);
    CHECK(handled);
    fill();
    check_call("rt_sigprocmask", sys4(SYS_rt_sigprocmask, 0, 0, (long)out, 8), 0, 8);
    fill();
    check_call("sigaltstack", sys2(SYS_sigaltstack, 0, (long)out), 0, 24);

    /* A blocked signal taken by rt_sigtimedwait and by a signalfd. */
    unsigned long set = 1UL << (12 - 1); /* SIGUSR2 */
    sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&set, 0, 8);
    sys2(SYS_kill, sys0(SYS_getpid), 12);
    fill();
    check_call("rt_sigpending", sys2(SYS_rt_sigpending, (long)out, 8), 0, 8);
    fill();
    struct {
        long s, ns;
    } zero = {0, 0};
    check_call("rt_sigtimedwait", sys4(SYS_rt_sigtimedwait, (long)&set, (long)out, (long)&zero, 8),
               12, 128);
    const long sfd = sys4(SYS_signalfd4, -1, (long)&set, 8, 0);
    CHECK(sfd >= 0);
    sys2(SYS_kill, sys0(SYS_getpid), 12);
    fill();
    check_call("signalfd read", sys3(SYS_read, sfd, (long)out, 128), 128, 128);
    sys1(SYS_close, sfd);
    sys4(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&set, 0, 8);

    /* A child's end, by wait4's rusage and waitid's siginfo. */
    long child = sys0(SYS_fork);
    if (child == 0) {
        sys1(SYS_exit_group, 3);
    }
    fill();
    check_call("waitid", sys6(SYS_waitid, 1 /* P_PID */, child, (long)out, 4 /* WEXITED */, 0, 0),
               0, 128);
    child = sys0(SYS_fork);
    if (child == 0) {
        sys1(SYS_exit_group, 4);
    }
    int status;
    fill();
    check_call("wait4 rusage", sys4(SYS_wait4, child, (long)&status, 0, (long)out), child, 144);

    /* A POSIX timer's state. */
    int timer = -1;
    CHECK_EQ(sys3(SYS_timer_create, 1, 0, (long)&timer), 0);
    fill();
    check_call("timer_gettime", sys2(SYS_timer_gettime, timer, (long)out), 0, 32);
    sys1(SYS_timer_delete, timer);
    const long tfd = sys2(SYS_timerfd_create, 1, 0);
    CHECK(tfd >= 0);
    fill();
    check_call("timerfd_gettime", sys2(SYS_timerfd_gettime, tfd, (long)out), 0, 32);
    sys1(SYS_close, tfd);
}

static void check_descriptors(void) {
    int pair[2];
    CHECK_EQ(sys4(SYS_socketpair, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, (long)pair), 0);
    unsigned length = 110;
    fill();
    check_call("getsockname", sys3(SYS_getsockname, pair[0], (long)out, (long)&length), 0, 110);
    length = 110;
    fill();
    check_call("getpeername", sys3(SYS_getpeername, pair[0], (long)out, (long)&length), 0, 110);
    length = 12;
    fill();
    check_call("SO_PEERCRED",
               sys6(SYS_getsockopt, pair[0], 1 /* SOL_SOCKET */, 17, (long)out, (long)&length, 0),
               0, 12);
    sys3(SYS_write, pair[1], (long)"ping", 4);
    struct {
        int events;
        unsigned long data;
    } __attribute__((packed)) event = {1 /* EPOLLIN */, 7};
    const long ep = sys1(SYS_epoll_create1, 0);
    CHECK_EQ(sys4(SYS_epoll_ctl, ep, 1, pair[0], (long)&event), 0);
    fill();
    check_call("epoll_wait", sys4(SYS_epoll_wait, ep, (long)out, 8, 0), 1, 12);
    sys1(SYS_close, ep);
    length = 110;
    fill();
    check_call("recvfrom",
               sys6(SYS_recvfrom, pair[0], (long)out + 512, 4, 0, (long)out, (long)&length), 4,
               110);
    sys1(SYS_close, pair[0]);
    sys1(SYS_close, pair[1]);

    const long efd = sys2(SYS_eventfd2, 5, 0);
    fill();
    check_call("eventfd read", sys3(SYS_read, efd, (long)out, 8), 8, 8);
    sys1(SYS_close, efd);

    /* SysV objects' IPC_STAT. */
    const long shm = sys3(SYS_shmget, 0 /* IPC_PRIVATE */, 4096, 01600);
    if (shm >= 0) {
        fill();
        check_call("shmctl IPC_STAT", sys3(SYS_shmctl, shm, 2, (long)out), 0, 112);
        sys3(SYS_shmctl, shm, 0 /* IPC_RMID */, 0);
    }
    const long sem = sys3(SYS_semget, 0, 2, 01600);
    if (sem >= 0) {
        fill();
        check_call("semctl IPC_STAT", sys4(SYS_semctl, sem, 0, 2, (long)out), 0, 104);
        sys4(SYS_semctl, sem, 0, 0, 0);
    }
    const long msq = sys2(SYS_msgget, 0, 01600);
    if (msq >= 0) {
        fill();
        check_call("msgctl IPC_STAT", sys3(SYS_msgctl, msq, 2, (long)out), 0, 120);
        sys3(SYS_msgctl, msq, 0, 0);
    }
    fill();
    if (sys3(SYS_ioctl, 1, 0x5401 /* TCGETS */, (long)out) == 0) {
        check_bytes("TCGETS", out, 60);
    }
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    if (on_kite()) {
        /* Says whether this run had the poison on (user.kite_stack_poison
         * expects the line): without it the checks still hold, but prove
         * less. */
        const long fd = sys2(SYS_open, (long)"/proc/cmdline", 0);
        static char line[1024];
        const long n = fd >= 0 ? sys3(SYS_read, fd, (long)line, sizeof(line) - 1) : 0;
        sys1(SYS_close, fd);
        line[n > 0 ? n : 0] = 0;
        if (contains(line, "kite.stack_poison=1")) {
            rt_print("padding: the kernel stack is poisoned\n");
        }
    }
    if (on_kite()) {
        check_kernel_log();
    }
    check_files();
    check_system();
    check_signals();
    check_descriptors();
    static const char* const text[] = {"/proc/self/stat", "/proc/self/status", "/proc/self/maps",
                                       "/proc/meminfo",   "/proc/uptime",      "/proc/loadavg",
                                       "/proc/stat",      "/proc/mounts",      "/proc/cpuinfo",
                                       "/proc/cmdline"};
    for (unsigned i = 0; i < sizeof(text) / sizeof(text[0]); ++i) {
        check_text_file(text[i]);
    }
    return check_done("padding");
}
