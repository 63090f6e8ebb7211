/* signals: handlers run and return (rt_sigreturn through SA_RESTORER),
 * SA_SIGINFO arguments, masks, SIGKILL cannot be caught or blocked,
 * EINTR versus SA_RESTART for a blocking read, wait statuses of killed
 * children, rt_sigsuspend and alarm. */
#include "check.h"
#include "signal_action.h"

#define SA_SIGINFO 0x4
#define SA_RESTORER 0x04000000
#define SA_RESTART 0x10000000
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGKILL 9
#define SIGTERM 15
#define SIGCHLD 17
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define O_NONBLOCK 04000

static volatile int caught;
static volatile int caught_signal;
static volatile long info_signo;
static volatile unsigned long stack_alignment;

static void on_signal(int signal) {
    caught_signal = signal;
    ++caught;
    unsigned long sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    stack_alignment = sp & 15;
}

static void on_siginfo(int signal, void* info, void* context) {
    (void)context;
    caught_signal = signal;
    info_signo = *(int*)info;
    ++caught;
}

/* The SA_RESTART handler below tells the child that it ran. */
static int handled_fd = -1;
static void on_signal_tell_child(int signal) {
    on_signal(signal);
    sys3(SYS_write, handled_fd, (long)"h", 1);
}

static long set_action(int signal, void* handler, unsigned long flags) {
    struct action a = {handler, flags | SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static void handlers(void) {
    long self = sys0(SYS_getpid);
    CHECK_EQ(set_action(SIGUSR1, (void*)on_signal, 0), 0);
    caught = 0;
    long sentinel = 0x5eed;
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR1), 0);
    CHECK_EQ(caught, 1);
    CHECK_EQ(caught_signal, SIGUSR1);
    CHECK_EQ(sentinel, 0x5eed);   /* registers and stack came back intact */
    CHECK_EQ(stack_alignment, 8); /* as after a call: rsp + 8 aligned */

    CHECK_EQ(set_action(SIGUSR2, (void*)on_siginfo, SA_SIGINFO), 0);
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR2), 0);
    CHECK_EQ(caught, 2);
    CHECK_EQ(info_signo, SIGUSR2);

    /* Blocked: stays pending until unblocked. */
    unsigned long set = 1UL << (SIGUSR1 - 1);
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8), 0);
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR1), 0);
    CHECK_EQ(caught, 2);
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&set, 0, 8), 0);
    CHECK_EQ(caught, 3);

    /* SA_RESETHAND: the handler runs once, then the default (for SIGCHLD:
     * ignore) takes over. */
    CHECK_EQ(set_action(SIGCHLD, (void*)on_signal, 0x80000000 /* SA_RESETHAND */), 0);
    CHECK_EQ(sys2(SYS_kill, self, SIGCHLD), 0);
    CHECK_EQ(caught, 4);
    CHECK_EQ(sys2(SYS_kill, self, SIGCHLD), 0);
    CHECK_EQ(caught, 4);

    /* Bad arguments. */
    CHECK_ERRNO(set_action(SIGKILL, (void*)on_signal, 0), EINVAL);
    CHECK_ERRNO(set_action(0, (void*)on_signal, 0), EINVAL);
    CHECK_ERRNO(set_action(65, (void*)on_signal, 0), EINVAL);
    struct action a = {(void*)on_signal, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_ERRNO(sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 4), EINVAL);
    CHECK_ERRNO(sys4(SYS_rt_sigaction, SIGUSR1, UNMAPPED_ADDRESS, 0, 8), EFAULT);
    CHECK_ERRNO(sys4(SYS_rt_sigprocmask, 7, (long)&set, 0, 8), EINVAL);
    CHECK_ERRNO(sys2(SYS_kill, self, 65), EINVAL);
    CHECK_ERRNO(sys2(SYS_kill, 0x7fffffff /* above any pid_max */, SIGUSR1), ESRCH);
    CHECK_EQ(sys2(SYS_kill, self, 0), 0);
    struct action old;
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8), 0);
    CHECK(old.handler == (void*)on_signal);
}

static long child_status(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

static void kill_and_interrupt(void) {
    /* SIGKILL cannot be caught, ignored or blocked. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        unsigned long all = ~0UL;
        sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all, 0, 8);
        set_action(SIGTERM, (void*)on_signal, 0);
        for (;;) {
            sys0(SYS_pause);
        }
    }
    struct {
        long s, ns;
    } nap = {0, 20 * 1000000L};
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGKILL), 0);
    CHECK_EQ(child_status(pid), SIGKILL);

    pid = sys0(SYS_fork);
    if (pid == 0) {
        for (;;) {
            sys0(SYS_pause);
        }
    }
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGTERM), 0);
    CHECK_EQ(child_status(pid), SIGTERM);

    /* A handler without SA_RESTART: the blocked read fails with EINTR. With
     * SA_RESTART it goes on and gets the data written later. The child
     * cannot see when the parent is inside read, so it signals until the
     * parent has seen what it waits for: a signal that lands before the
     * read only runs the handler, and a later one interrupts the read. */
    int data[2], done[2], handled[2];
    CHECK_EQ(sys1(SYS_pipe, (long)data), 0);
    CHECK_EQ(sys2(SYS_pipe2, (long)done, O_NONBLOCK), 0);
    CHECK_EQ(sys1(SYS_pipe, (long)handled), 0);
    long parent = sys0(SYS_getpid);
    caught = 0;
    set_action(SIGUSR1, (void*)on_signal, 0);
    set_action(SIGUSR2, (void*)on_signal_tell_child, SA_RESTART);
    handled_fd = handled[1];
    pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        nap.ns = 5 * 1000000L;
        while (sys3(SYS_read, done[0], (long)&byte, 1) != 1) {
            sys2(SYS_kill, parent, SIGUSR1); /* interrupts the read */
            sys2(SYS_nanosleep, (long)&nap, 0);
        }
        /* SA_RESTART: the read goes on. Each signal is handled before the
         * next is sent, so at least the later ones find the parent in read. */
        for (int i = 0; i < 3; ++i) {
            sys2(SYS_kill, parent, SIGUSR2);
            sys3(SYS_read, handled[0], (long)&byte, 1);
        }
        sys3(SYS_write, data[1], (long)"!", 1);
        sys1(SYS_exit, 0);
    }
    char c = 0;
    CHECK_ERRNO(sys3(SYS_read, data[0], (long)&c, 1), EINTR);
    CHECK(caught >= 1);
    /* A SIGUSR1 still on its way must not cut the next read short. */
    set_action(SIGUSR1, (void*)1 /* SIG_IGN */, 0);
    caught = 0; /* before the child may send SIGUSR2 */
    CHECK_EQ(sys3(SYS_write, done[1], (long)"x", 1), 1);
    CHECK_EQ(sys3(SYS_read, data[0], (long)&c, 1), 1);
    CHECK_EQ(caught, 3);
    CHECK_EQ(c, '!');
    CHECK_EQ(child_status(pid), 0);
    handled_fd = -1;
    int all[] = {data[0], data[1], done[0], done[1], handled[0], handled[1]};
    for (int i = 0; i < 6; ++i) {
        sys1(SYS_close, all[i]);
    }
}

/* nanosleep is cut short by a handled signal: EINTR and the time left.
 * The child signals until told to stop, as above, in case its first signal
 * comes before the parent is asleep. */
static void interrupted_sleep(void) {
    long parent = sys0(SYS_getpid);
    int done[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)done, O_NONBLOCK), 0);
    set_action(SIGUSR1, (void*)on_signal, 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct {
            long s, ns;
        } nap = {0, 20 * 1000000L};
        char byte;
        while (sys3(SYS_read, done[0], (long)&byte, 1) != 1) {
            sys2(SYS_nanosleep, (long)&nap, 0);
            sys2(SYS_kill, parent, SIGUSR1);
        }
        sys1(SYS_exit, 0);
    }
    struct {
        long s, ns;
    } request = {5, 0}, left = {0, 0};
    CHECK_ERRNO(sys2(SYS_nanosleep, (long)&request, (long)&left), EINTR);
    CHECK(left.s >= 3 && left.s <= 5);
    set_action(SIGUSR1, (void*)1 /* SIG_IGN: the stragglers */, 0);
    CHECK_EQ(sys3(SYS_write, done[1], (long)"x", 1), 1);
    CHECK_EQ(child_status(pid), 0);
    sys1(SYS_close, done[0]);
    sys1(SYS_close, done[1]);
}

/* SIGSTOP stops a child (wait4 WUNTRACED sees it), SIGCONT resumes it.
 * The child waits for the parent's byte, so it cannot have exited before
 * the stop, however late it runs. */
static void stop_and_continue(void) {
    int go[2];
    CHECK_EQ(sys1(SYS_pipe, (long)go), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        sys1(SYS_exit, sys3(SYS_read, go[0], (long)&byte, 1) == 1 ? 5 : 1);
    }
    CHECK_EQ(sys2(SYS_kill, pid, 19 /* SIGSTOP */), 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 2 /* WUNTRACED */, 0), pid);
    CHECK_EQ(status, (19 << 8) | 0x7f); /* WIFSTOPPED, WSTOPSIG SIGSTOP */
    CHECK_EQ(sys2(SYS_kill, pid, 18 /* SIGCONT */), 0);
    CHECK_EQ(sys3(SYS_write, go[1], (long)"x", 1), 1);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 5 << 8);
    sys1(SYS_close, go[0]);
    sys1(SYS_close, go[1]);
}

#define SIGALRM 14
#define SIG_SETMASK 2

static unsigned long blocked_now(void) {
    unsigned long old = 0;
    sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&old, 8);
    return old;
}

static volatile unsigned long mask_in_handler;
static void on_signal_note_mask(int signal) {
    caught_signal = signal;
    ++caught;
    mask_in_handler = blocked_now();
}

/* rt_sigsuspend: a signal blocked before becomes deliverable under the
 * suspension's mask; the handler runs with that mask plus its own signal;
 * afterwards the mask from before is back. */
static void suspend(void) {
    const unsigned long usr1 = 1UL << (SIGUSR1 - 1), usr2 = 1UL << (SIGUSR2 - 1);
    unsigned long before = usr1 | usr2;
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&before, 0, 8), 0);
    CHECK_EQ(set_action(SIGUSR1, (void*)on_signal_note_mask, 0), 0);
    caught = 0;
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1), 0);
    CHECK_EQ(caught, 0); /* blocked: pending */
    unsigned long during = usr2;
    CHECK_ERRNO(sys2(SYS_rt_sigsuspend, (long)&during, 8), EINTR);
    CHECK_EQ(caught, 1);
    CHECK_EQ(mask_in_handler, usr1 | usr2);
    CHECK_EQ(blocked_now(), usr1 | usr2);

    /* Woken by another process's signal. */
    long parent = sys0(SYS_getpid);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct {
            long s, ns;
        } nap = {0, 20 * 1000000L};
        sys2(SYS_nanosleep, (long)&nap, 0);
        sys2(SYS_kill, parent, SIGUSR1);
        sys1(SYS_exit, 0);
    }
    CHECK_ERRNO(sys2(SYS_rt_sigsuspend, (long)&during, 8), EINTR);
    CHECK_EQ(caught, 2);
    CHECK_EQ(child_status(pid), 0);
    CHECK_ERRNO(sys2(SYS_rt_sigsuspend, (long)&during, 4), EINVAL);
    CHECK_ERRNO(sys2(SYS_rt_sigsuspend, UNMAPPED_ADDRESS, 8), EFAULT);
    unsigned long none = 0;
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, 8), 0);
}

/* alarm: what is left of the previous one, rounded; SIGALRM ends a pause;
 * a child does not inherit an alarm; by default SIGALRM terminates. */
static void alarms(void) {
    CHECK_EQ(sys1(SYS_alarm, 0), 0);
    CHECK_EQ(sys1(SYS_alarm, 5), 0);
    long left = sys1(SYS_alarm, 100); /* 5, or 4 if the machine stalled half a second */
    CHECK(left == 5 || left == 4);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, sys1(SYS_alarm, 0) == 0 ? 0 : 1);
    }
    CHECK_EQ(child_status(pid), 0);
    left = sys1(SYS_alarm, 0);
    CHECK(left == 100 || left == 99);
    CHECK_EQ(sys1(SYS_alarm, 0), 0);

    /* SIGALRM is blocked until rt_sigsuspend waits: were the machine to
     * stall for the whole second before a pause, the pause would wait for
     * ever. */
    CHECK_EQ(set_action(SIGALRM, (void*)on_signal, 0), 0);
    caught = 0;
    const unsigned long alrm = 1UL << (SIGALRM - 1), none = 0;
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&alrm, 0, 8), 0);
    CHECK_EQ(sys1(SYS_alarm, 1), 0);
    CHECK_ERRNO(sys2(SYS_rt_sigsuspend, (long)&none, 8), EINTR);
    CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, 8), 0);
    CHECK_EQ(caught, 1);
    CHECK_EQ(caught_signal, SIGALRM);
    CHECK_EQ(sys1(SYS_alarm, 0), 0); /* it went off: nothing left */

    pid = sys0(SYS_fork);
    if (pid == 0) {
        set_action(SIGALRM, 0 /* SIG_DFL */, 0);
        sys1(SYS_alarm, 1);
        for (;;) {
            sys0(SYS_pause);
        }
    }
    CHECK_EQ(child_status(pid), SIGALRM);
}

#define SIGSTOP 19
#define SIGCONT 18

static long now_ns(void) {
    struct {
        long s, ns;
    } t = {0, 0};
    sys2(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&t);
    return t.s * 1000000000L + t.ns;
}

/* A stop undone by SIGCONT before the stopped process ran again leaves no
 * trace: its next sleep is not cut short. And rt_sigsuspend goes on
 * waiting through a stop and continue: it returns only after a handler. */
static void stop_and_continue_leave_no_trace(void) {
    struct {
        long s, ns;
    } nap = {0, 50 * 1000000L};
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        /* Busy in user mode for 300 ms, so that it is preempted there when
         * the parent sends its signals, then asleep for 200 ms. */
        long start = now_ns();
        volatile unsigned long sink = 0;
        while (now_ns() - start < 300 * 1000000L) {
            for (int i = 0; i < 100000; ++i) {
                sink = sink * 31 + (unsigned long)i;
            }
        }
        struct {
            long s, ns;
        } sleep = {0, 200 * 1000000L};
        sys1(SYS_exit, sys2(SYS_nanosleep, (long)&sleep, 0) == 0 ? 0 : 1);
    }
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGCONT), 0);
    CHECK_EQ(child_status(pid), 0);

    /* The handler is in place and SIGUSR1 blocked before the fork, so the
     * signal waits for the child's rt_sigsuspend however late it gets
     * there. */
    caught = 0;
    set_action(SIGUSR1, (void*)on_signal, 0);
    const unsigned long usr1 = 1UL << (SIGUSR1 - 1), none = 0;
    sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&usr1, 0, 8);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        long result = sys2(SYS_rt_sigsuspend, (long)&none, 8);
        sys1(SYS_exit, result == -EINTR && caught == 1 ? 0 : 1);
    }
    sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, 8);
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0);
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGCONT), 0);
    sys2(SYS_nanosleep, (long)&nap, 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGUSR1), 0);
    CHECK_EQ(child_status(pid), 0);
}

/* A process outside the terminal's foreground group that reads it while
 * ignoring (or blocking) SIGTTIN gets EIO, as on Linux: it cannot be
 * stopped, so a restart would loop for ever (Kite once did). Kite only:
 * under the build machine's test runner standard input is no terminal. */
static void background_read_with_sigttin_ignored(void) {
    if (!on_kite()) {
        return;
    }
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys2(SYS_setpgid, 0, 0); /* a group of its own: not the foreground */
        struct action ignore = {(void*)1 /* SIG_IGN */, SA_RESTORER, restore_rt, 0};
        sys4(SYS_rt_sigaction, 21 /* SIGTTIN */, (long)&ignore, 0, 8);
        char c;
        const long ignored = sys3(SYS_read, 0, (long)&c, 1);
        ignore.handler = 0; /* SIG_DFL, but blocked */
        sys4(SYS_rt_sigaction, 21, (long)&ignore, 0, 8);
        unsigned long ttin = 1ul << 20;
        sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&ttin, 0, 8);
        const long blocked = sys3(SYS_read, 0, (long)&c, 1);
        sys1(SYS_exit, ignored == -5 && blocked == -5 ? 0 : 1); /* EIO */
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    handlers();
    kill_and_interrupt();
    stop_and_continue();
    interrupted_sleep();
    suspend();
    alarms();
    stop_and_continue_leave_no_trace();
    background_read_with_sigttin_ignored();
    return check_done("signals");
}
