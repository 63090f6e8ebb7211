/* fuzz_syscalls: random system calls with hostile arguments, from many
 * short-lived children. The kernel must survive all of them, each child
 * must end (a child may die of a signal its own calls provoked, or be
 * killed after a second if it blocks), and afterwards the free frames and
 * the heap must be back where they started (/proc/kite/memory). Kite only:
 * on the build machine random calls could touch real files.
 *
 * Left out: calls that make processes (fork, vfork, clone, execve), that
 * reach other processes (kill) and that only sleep (pause, nanosleep,
 * clock_nanosleep, rt_sigsuspend, alarm). A timer a child sets may end
 * it with its signal, or stop it (the child is then killed after a
 * second); exit deletes the timers, which the leak check sees. The file
 * names the arguments can point at are read-only places (/, /dev, /etc,
 * /bin), so nothing is left behind. */
#include "check.h"

enum { CHILDREN = 48, CALLS_PER_CHILD = 1000 };

static const int calls[] = {
    SYS_read,
    SYS_write,
    SYS_open,
    SYS_close,
    SYS_stat,
    SYS_fstat,
    SYS_lstat,
    SYS_lseek,
    SYS_mmap,
    SYS_mprotect,
    SYS_munmap,
    SYS_brk,
    SYS_rt_sigaction,
    SYS_rt_sigprocmask,
    SYS_ioctl,
    SYS_readv,
    SYS_writev,
    SYS_pipe,
    SYS_sched_yield,
    SYS_dup,
    SYS_dup2,
    SYS_getpid,
    SYS_wait4,
    SYS_uname,
    SYS_fcntl,
    SYS_getcwd,
    SYS_chdir,
    SYS_rename,
    SYS_mkdir,
    SYS_rmdir,
    SYS_link,
    SYS_unlink,
    SYS_symlink,
    SYS_readlink,
    SYS_gettimeofday,
    SYS_times,
    SYS_setpgid,
    SYS_getppid,
    SYS_setsid,
    SYS_getpgid,
    SYS_getsid,
    SYS_arch_prctl,
    SYS_gettid,
    SYS_getdents64,
    SYS_set_tid_address,
    SYS_clock_gettime,
    SYS_waitid,
    SYS_openat,
    SYS_mkdirat,
    SYS_newfstatat,
    SYS_unlinkat,
    SYS_renameat,
    SYS_linkat,
    SYS_symlinkat,
    SYS_readlinkat,
    SYS_dup3,
    SYS_pipe2,
    SYS_renameat2,
    SYS_getpriority,
    SYS_setpriority,
    SYS_sched_getparam,
    SYS_sched_getscheduler,
    SYS_sched_get_priority_max,
    SYS_sched_get_priority_min,
    SYS_sched_setaffinity,
    SYS_sched_getaffinity,
    SYS_getitimer,
    SYS_setitimer,
    SYS_getrusage,
    SYS_time,
    SYS_timer_create,
    SYS_timer_settime,
    SYS_timer_gettime,
    SYS_timer_getoverrun,
    SYS_timer_delete,
    SYS_clock_getres,
    SYS_getrandom,
    SYS_poll,
    SYS_prctl,
    SYS_getpgrp,
    SYS_getrlimit,
    SYS_setrlimit,
    SYS_prlimit64,
    SYS_truncate,
    SYS_ftruncate,
};

static unsigned long state;

static unsigned long next_random(void) { /* xorshift64 */
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static char arena[65536];

/* Paths an argument may point at, all in read-only file systems. */
static const char* const paths[] = {"/",           "/dev/null",      "/dev/zero",   "/dev",
                                    "/etc/motd",   "/bin/hello",     ".",           "..",
                                    "/etc/loop-a", "/nonexistent/x", "/dev/urandom"};

static long argument(void) {
    switch (next_random() % 12) {
    case 0:
        return (long)(next_random() % 16);
    case 1:
        return -1;
    case 2:
        return (long)next_random();
    case 3: /* somewhere in a buffer of random bytes */
        return (long)(arena + next_random() % sizeof(arena));
    case 4:
        return UNMAPPED_ADDRESS;
    case 5:
        return KERNEL_ADDRESS;
    case 6: /* just below the end of user space */
        return 0x7ffffffff000L - (long)(next_random() % 64);
    case 7:
        return (long)paths[next_random() % (sizeof(paths) / sizeof(paths[0]))];
    case 8: /* a length or count */
        return (long)(1UL << (next_random() % 40));
    case 9:
        return (long)(next_random() % 4096);
    case 10: /* the last bytes of the arena, running into whatever follows */
        return (long)(arena + sizeof(arena) - next_random() % 32);
    default:
        return (long)(next_random() & 0xffffffffUL);
    }
}

static void fuzz(unsigned long seed) {
    state = seed * 0x9e3779b97f4a7c15UL + 1;
    for (unsigned i = 0; i < sizeof(arena); ++i) {
        arena[i] = (char)next_random();
    }
    for (int i = 0; i < 3; ++i) {
        sys1(SYS_close, i); /* no reading the console: a read would wait for a person */
    }
    for (int i = 0; i < CALLS_PER_CHILD; ++i) {
        const long number = calls[next_random() % (sizeof(calls) / sizeof(calls[0]))];
        const long a = argument(), b = argument(), c = argument();
        const long d = argument(), e = argument(), f = argument();
        sys6(number, a, b, c, d, e, f);
    }
    /* Last, as it is almost always fatal: a signal return with whatever is
     * on the stack as the saved context. */
    sys0(SYS_rt_sigreturn);
    sys1(SYS_exit_group, 0);
}

static int exited, signalled, timed_out;

/* Waits for the child; kills it if it is still there after a second. */
static int reap(long pid) {
    struct {
        long s, ns;
    } tick = {0, 10 * 1000000L};
    int status = 0;
    for (int waited = 0; waited < 100; ++waited) {
        long got = sys4(SYS_wait4, pid, (long)&status, 1 /* WNOHANG */, 0);
        if (got == pid) {
            ++*((status & 0x7f) ? &signalled : &exited);
            return 1;
        }
        if (got < 0) {
            return 0;
        }
        sys2(SYS_nanosleep, (long)&tick, 0);
    }
    ++timed_out;
    sys2(SYS_kill, pid, 9);
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    if (!on_kite()) {
        rt_print("fuzz_syscalls: SKIPPED on Linux (random calls could touch real files)\n");
        return 0;
    }
    char before[128], after[128];
    /* A first child warms the caches the rest will use. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        fuzz(0);
    }
    CHECK(pid > 0 && reap(pid));
    CHECK(read_kite_stats(before, sizeof(before)));
    int reaped = 0;
    for (int child = 1; child <= CHILDREN; ++child) {
        pid = sys0(SYS_fork);
        if (pid == 0) {
            fuzz((unsigned long)child);
        }
        reaped += pid > 0 && reap(pid);
    }
    CHECK_EQ(reaped, CHILDREN);
    rt_print("children: ");
    rt_print_number(exited);
    rt_print(" exited, ");
    rt_print_number(signalled);
    rt_print(" ended by a signal, ");
    rt_print_number(timed_out);
    rt_print(" killed after a second\n");
    CHECK(read_kite_stats(after, sizeof(after)));
    rt_print("before: ");
    rt_print(before);
    rt_print("after:  ");
    rt_print(after);
    CHECK(text_equal(before, after));
    return check_done("fuzz_syscalls");
}
