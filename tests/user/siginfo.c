/* siginfo: what a handler learns, field by field, as Linux fills it: kill
 * (SI_USER, si_pid, si_uid), tgkill (SI_TKILL), sigqueue (SI_QUEUE and its
 * value; real-time signals queue every instance, standard ones do not),
 * SIGCHLD (CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED with si_pid
 * and si_status), and the CPU's faults (SEGV_MAPERR, SEGV_ACCERR,
 * FPE_INTDIV, ILL_ILLOPN, SIGTRAP from int3, with si_addr). A handler may
 * change the saved registers and return through them, longjmp out of a
 * SIGSEGV, or return without fixing the cause and fault again; a stack
 * overflow's SIGSEGV runs on the alternate stack; rt_sigtimedwait takes
 * signals instead of delivering them; abort's sequence ends in SIGABRT;
 * exec keeps ignored signals ignored, resets caught ones, keeps the mask
 * and the pending set. */
#include "check.h"
#include "jump.h"
#include "signal_action.h"

#define SIGHUP 1
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGRTMIN 34
#define SA_SIGINFO 0x4
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER 0x40000000
#define SA_NOCLDSTOP 0x1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define FPE_INTDIV 1
#define ILL_ILLOPN 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1 << 31)
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define WUNTRACED 2
#define WCONTINUED 8
#define REG_RIP 16 /* gregs index in ucontext's mcontext */
#define REG_RAX 13

struct siginfo {
    int signo, errno_value, code, pad;
    union {
        struct {
            int pid;
            unsigned uid;
            long value;
        } kill;
        struct {
            int pid;
            unsigned uid;
            int status;
        } child;
        void* address;
        char bytes[112];
    };
};

struct stack {
    void* sp;
    int flags;
    unsigned long size;
};

struct ucontext {
    unsigned long flags;
    void* link;
    struct stack stack;
    unsigned long gregs[23];
};

static long set_handler(int signal, void* handler, unsigned long flags, unsigned long mask) {
    struct action a = {handler, flags | SA_SIGINFO | SA_RESTORER, (void*)restore_rt, mask};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static long set_default(int signal) {
    struct action a = {0, SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static long mask(int how, unsigned long set) {
    return sys4(SYS_rt_sigprocmask, how, (long)&set, 0, 8);
}

static unsigned long bit(int signal) {
    return 1UL << (signal - 1);
}

/* The last siginfo a handler saw, and how many it saw. */
static struct siginfo seen;
static volatile int seen_count;
static volatile int seen_order[8];

static void record(int signal, struct siginfo* info, void* context) {
    (void)signal;
    (void)context;
    seen = *info;
    if (seen_count < 8) {
        seen_order[seen_count] = (int)info->kill.value;
    }
    ++seen_count;
}

/* ---- kill, tgkill, sigqueue ---- */

static void senders(void) {
    long self = sys0(SYS_getpid);
    CHECK_EQ(set_handler(SIGUSR1, (void*)record, 0, 0), 0);
    seen_count = 0;
    CHECK_EQ(sys2(SYS_kill, self, SIGUSR1), 0);
    CHECK_EQ(seen_count, 1);
    CHECK_EQ(seen.signo, SIGUSR1);
    CHECK_EQ(seen.code, SI_USER);
    CHECK_EQ(seen.kill.pid, self);
    CHECK_EQ(seen.kill.uid, (unsigned)sys0(SYS_getuid));

    CHECK_EQ(sys3(SYS_tgkill, self, sys0(SYS_gettid), SIGUSR1), 0);
    CHECK_EQ(seen.code, SI_TKILL);
    CHECK_EQ(seen.kill.pid, self);

    /* sigqueue: the caller's siginfo, signo set by the kernel. */
    struct siginfo q;
    memset(&q, 0, sizeof(q));
    q.code = SI_QUEUE;
    q.kill.pid = (int)self;
    q.kill.value = 0x1234;
    q.signo = 99;
    CHECK_EQ(sys3(SYS_rt_sigqueueinfo, self, SIGUSR1, (long)&q), 0);
    CHECK_EQ(seen.signo, SIGUSR1);
    CHECK_EQ(seen.code, SI_QUEUE);
    CHECK_EQ(seen.kill.value, 0x1234);
    CHECK_EQ(sys4(SYS_rt_tgsigqueueinfo, self, sys0(SYS_gettid), SIGUSR1, (long)&q), 0);
    CHECK_EQ(seen.kill.value, 0x1234);
    CHECK_ERRNO(sys3(SYS_rt_sigqueueinfo, self, SIGUSR1, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_rt_sigqueueinfo, self, 65, (long)&q), EINVAL);
    CHECK_ERRNO(sys3(SYS_rt_sigqueueinfo, 0x7ffffff0, SIGUSR1, (long)&q), ESRCH);
    CHECK_ERRNO(sys4(SYS_rt_tgsigqueueinfo, self, 0, SIGUSR1, (long)&q), EINVAL);
    /* Claiming SI_USER or SI_TKILL (or a kernel code) for another process
     * is refused; for oneself it is allowed. */
    q.code = SI_USER;
    CHECK_EQ(sys3(SYS_rt_sigqueueinfo, self, SIGUSR1, (long)&q), 0);
    CHECK_EQ(seen.code, SI_USER);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys0(SYS_pause);
        sys1(SYS_exit, 0);
    }
    CHECK_ERRNO(sys3(SYS_rt_sigqueueinfo, pid, SIGUSR1, (long)&q), EPERM);
    q.code = SI_TKILL;
    CHECK_ERRNO(sys3(SYS_rt_sigqueueinfo, pid, SIGUSR1, (long)&q), EPERM);
    sys2(SYS_kill, pid, SIGKILL);
    int status;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);

    /* Real-time signals queue every instance, in order; standard ones
     * are pending once. */
    CHECK_EQ(set_handler(SIGRTMIN, (void*)record, 0, 0), 0);
    CHECK_EQ(mask(SIG_BLOCK, bit(SIGRTMIN) | bit(SIGUSR1)), 0);
    q.code = SI_QUEUE;
    for (long v = 1; v <= 3; ++v) {
        q.kill.value = v;
        CHECK_EQ(sys3(SYS_rt_sigqueueinfo, self, SIGRTMIN, (long)&q), 0);
        CHECK_EQ(sys3(SYS_rt_sigqueueinfo, self, SIGUSR1, (long)&q), 0);
    }
    seen_count = 0;
    CHECK_EQ(mask(SIG_UNBLOCK, bit(SIGRTMIN)), 0);
    CHECK_EQ(seen_count, 3);
    CHECK_EQ(seen_order[0], 1);
    CHECK_EQ(seen_order[1], 2);
    CHECK_EQ(seen_order[2], 3);
    seen_count = 0;
    CHECK_EQ(mask(SIG_UNBLOCK, bit(SIGUSR1)), 0);
    CHECK_EQ(seen_count, 1);
    CHECK_EQ(seen_order[0], 1); /* the first one's siginfo */
    set_default(SIGRTMIN);
    set_default(SIGUSR1);
}

/* ---- SIGCHLD ---- */

static struct siginfo child_infos[8];
static volatile int child_count;

static void on_child(int signal, struct siginfo* info, void* context) {
    (void)signal;
    (void)context;
    if (child_count < 8) {
        child_infos[child_count] = *info;
    }
    ++child_count;
}

/* Takes a pending SIGCHLD (blocked by the caller) with its siginfo. */
static long take_sigchld(struct siginfo* info) {
    unsigned long set = bit(SIGCHLD);
    return sys4(SYS_rt_sigtimedwait, (long)&set, (long)info, 0, 8);
}

static void sigchld(void) {
    CHECK_EQ(set_handler(SIGCHLD, (void*)on_child, 0, 0), 0);
    CHECK_EQ(mask(SIG_BLOCK, bit(SIGCHLD)), 0);
    child_count = 0;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, 42);
    }
    struct siginfo info;
    CHECK_EQ(take_sigchld(&info), SIGCHLD);
    CHECK_EQ(info.code, CLD_EXITED);
    CHECK_EQ(info.child.pid, pid);
    CHECK_EQ(info.child.status, 42);
    int status;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);

    pid = sys0(SYS_fork);
    if (pid == 0) {
        for (;;) {
            sys0(SYS_pause);
        }
    }
    /* Stopped, continued, killed: one SIGCHLD each, in order. */
    CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, WUNTRACED, 0), pid);
    CHECK_EQ(take_sigchld(&info), SIGCHLD);
    CHECK_EQ(info.code, CLD_STOPPED);
    CHECK_EQ(info.child.status, SIGSTOP);
    CHECK_EQ(info.child.pid, pid);
    CHECK_EQ(sys2(SYS_kill, pid, SIGCONT), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, WCONTINUED, 0), pid);
    CHECK_EQ(take_sigchld(&info), SIGCHLD);
    CHECK_EQ(info.code, CLD_CONTINUED);
    CHECK_EQ(info.child.status, SIGCONT);
    CHECK_EQ(sys2(SYS_kill, pid, SIGTERM), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(take_sigchld(&info), SIGCHLD);
    CHECK_EQ(info.code, CLD_KILLED);
    CHECK_EQ(info.child.status, SIGTERM);

    /* SA_NOCLDSTOP: no SIGCHLD for stops and continues. */
    CHECK_EQ(set_handler(SIGCHLD, (void*)on_child, SA_NOCLDSTOP, 0), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        for (;;) {
            sys0(SYS_pause);
        }
    }
    CHECK_EQ(sys2(SYS_kill, pid, SIGSTOP), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, WUNTRACED, 0), pid);
    unsigned long pending = 0;
    sys2(SYS_rt_sigpending, (long)&pending, 8);
    CHECK_EQ(pending & bit(SIGCHLD), 0);
    CHECK_EQ(sys2(SYS_kill, pid, SIGKILL), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    sys2(SYS_rt_sigpending, (long)&pending, 8);
    CHECK_EQ(pending & bit(SIGCHLD), bit(SIGCHLD));
    CHECK_EQ(take_sigchld(&info), SIGCHLD);
    CHECK_EQ(info.code, CLD_KILLED);
    CHECK_EQ(info.child.status, SIGKILL);
    CHECK_EQ(mask(SIG_UNBLOCK, bit(SIGCHLD)), 0);
    set_default(SIGCHLD);
}

/* ---- faults ---- */

static jump_buffer fault_jump;
static struct siginfo fault_info;
static volatile int fault_count;

static void on_fault_jump(int signal, struct siginfo* info, void* context) {
    (void)signal;
    (void)context;
    fault_info = *info;
    ++fault_count;
    jump_back(fault_jump, 1); /* longjmp out of the handler */
}

static void divide_by(int d) {
    int quotient;
    __asm__ volatile("cltd\n idivl %2" : "=a"(quotient) : "a"(1), "r"(d) : "rdx", "memory");
    (void)quotient;
}

static void faults(void) {
    CHECK_EQ(set_handler(SIGSEGV, (void*)on_fault_jump, SA_NODEFER, 0), 0);
    CHECK_EQ(set_handler(SIGFPE, (void*)on_fault_jump, SA_NODEFER, 0), 0);
    CHECK_EQ(set_handler(SIGILL, (void*)on_fault_jump, SA_NODEFER, 0), 0);
    CHECK_EQ(set_handler(SIGTRAP, (void*)on_fault_jump, SA_NODEFER, 0), 0);

    fault_count = 0;
    if (save_point(fault_jump) == 0) {
        *(volatile int*)UNMAPPED_ADDRESS = 1;
    }
    CHECK_EQ(fault_count, 1);
    CHECK_EQ(fault_info.signo, SIGSEGV);
    CHECK_EQ(fault_info.code, SEGV_MAPERR);
    CHECK_EQ((long)fault_info.address, UNMAPPED_ADDRESS);

    char* page = (char*)sys6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (save_point(fault_jump) == 0) {
        page[8] = 1; /* a read-only page */
    }
    CHECK_EQ(fault_count, 2);
    CHECK_EQ(fault_info.code, SEGV_ACCERR);
    CHECK_EQ((long)fault_info.address, (long)page + 8);

    if (save_point(fault_jump) == 0) {
        divide_by(0);
    }
    CHECK_EQ(fault_count, 3);
    CHECK_EQ(fault_info.signo, SIGFPE);
    CHECK_EQ(fault_info.code, FPE_INTDIV);
    CHECK(fault_info.address != 0);

    if (save_point(fault_jump) == 0) {
        __asm__ volatile("ud2");
    }
    CHECK_EQ(fault_count, 4);
    CHECK_EQ(fault_info.signo, SIGILL);
    CHECK_EQ(fault_info.code, ILL_ILLOPN);
    CHECK(fault_info.address != 0);

    if (save_point(fault_jump) == 0) {
        __asm__ volatile("int3");
    }
    CHECK_EQ(fault_count, 5);
    CHECK_EQ(fault_info.signo, SIGTRAP);
    CHECK_EQ(fault_info.code, SI_KERNEL);

    /* A blocked fault signal cannot be held back: the default action. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        mask(SIG_BLOCK, bit(SIGSEGV));
        *(volatile int*)UNMAPPED_ADDRESS = 1;
        sys1(SYS_exit, 0);
    }
    int status;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status & 0x7f, SIGSEGV);
    sys2(SYS_munmap, (long)page, 4096);
    set_default(SIGSEGV);
    set_default(SIGFPE);
    set_default(SIGILL);
    set_default(SIGTRAP);
}

/* ---- handlers that change the context, or return without fixing ---- */

static char* guarded;
static volatile int refaults;

static void on_segv_fix_later(int signal, struct siginfo* info, void* context) {
    (void)signal;
    (void)info;
    (void)context;
    /* The third time, make the page writable: the write then succeeds. */
    if (++refaults == 3) {
        sys3(SYS_mprotect, (long)guarded, 4096, PROT_READ | PROT_WRITE);
    }
}

static void on_segv_skip(int signal, struct siginfo* info, void* raw) {
    (void)signal;
    (void)info;
    struct ucontext* context = raw;
    /* Resume after the faulting instruction (its length is in rax's
     * place: the test below puts it there) and say so in rax. */
    context->gregs[REG_RIP] += 2;
    context->gregs[REG_RAX] = 0x5eed;
}

static void context_changes(void) {
    guarded = (char*)sys6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_EQ(set_handler(SIGSEGV, (void*)on_segv_fix_later, 0, 0), 0);
    refaults = 0;
    *(volatile char*)guarded = 7; /* faults three times, then goes through */
    CHECK_EQ(refaults, 3);
    CHECK_EQ(guarded[0], 7);
    sys2(SYS_munmap, (long)guarded, 4096);

    CHECK_EQ(set_handler(SIGSEGV, (void*)on_segv_skip, 0, 0), 0);
    long result;
    /* mov (%rdx), %eax is two bytes: 8b 02. */
    __asm__ volatile("xor %%eax, %%eax\n"
                     ".byte 0x8b, 0x02\n"
                     : "=a"(result)
                     : "d"(UNMAPPED_ADDRESS)
                     : "memory");
    CHECK_EQ(result, 0x5eed);
    set_default(SIGSEGV);
}

/* ---- the alternate stack ---- */

static char alt_stack[65536] __attribute__((aligned(16)));
static volatile unsigned long handler_sp;
static volatile int handler_stack_flags;
static jump_buffer overflow_jump;

static void on_overflow(int signal, struct siginfo* info, void* raw) {
    (void)signal;
    (void)info;
    unsigned long sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    handler_sp = sp;
    struct stack now;
    sys2(SYS_sigaltstack, 0, (long)&now);
    handler_stack_flags = now.flags;
    (void)raw;
    jump_back(overflow_jump, 1);
}

static volatile long depth_left = 1L << 40; /* never reached: the stack ends first */

static int recurse(volatile char* previous) {
    volatile char frame[4096];
    frame[0] = previous ? previous[0] + 1 : 0;
    if (--depth_left == 0) {
        return 0;
    }
    return recurse(frame) + frame[0];
}

static void alternate_stack(void) {
    struct stack ss, old;
    CHECK_EQ(sys2(SYS_sigaltstack, 0, (long)&old), 0);
    CHECK_EQ(old.flags, SS_DISABLE);
    ss.sp = alt_stack;
    ss.size = 1024;
    ss.flags = 0;
    CHECK_ERRNO(sys2(SYS_sigaltstack, (long)&ss, 0), ENOMEM);
    ss.size = sizeof(alt_stack);
    ss.flags = 4;
    CHECK_ERRNO(sys2(SYS_sigaltstack, (long)&ss, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_sigaltstack, UNMAPPED_ADDRESS, 0), EFAULT);
    ss.flags = 0;
    CHECK_EQ(sys2(SYS_sigaltstack, (long)&ss, (long)&old), 0);
    CHECK_EQ(sys2(SYS_sigaltstack, 0, (long)&old), 0);
    CHECK_EQ((long)old.sp, (long)alt_stack);
    CHECK_EQ(old.size, sizeof(alt_stack));
    CHECK_EQ(old.flags, 0);

    /* A stack overflow's SIGSEGV: only the alternate stack can take it. In
     * a child, since the overflow eats the child's whole stack. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        set_handler(SIGSEGV, (void*)on_overflow, SA_ONSTACK, 0);
        if (save_point(overflow_jump) == 0) {
            recurse(0);
        }
        int ok = handler_sp > (unsigned long)alt_stack &&
                 handler_sp <= (unsigned long)alt_stack + sizeof(alt_stack) &&
                 handler_stack_flags == SS_ONSTACK;
        sys1(SYS_exit, ok ? 0 : 1);
    }
    int status;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    /* Without an alternate stack the overflow kills. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        ss.flags = SS_DISABLE;
        sys2(SYS_sigaltstack, (long)&ss, 0);
        set_handler(SIGSEGV, (void*)on_overflow, SA_ONSTACK, 0);
        recurse(0);
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status & 0x7f, SIGSEGV);

    /* A handler on the alternate stack sees SS_ONSTACK; with
     * SS_AUTODISARM the stack is off while the handler runs. */
    CHECK_EQ(set_handler(SIGUSR1, (void*)on_overflow, SA_ONSTACK, 0), 0);
    if (save_point(overflow_jump) == 0) {
        sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
    }
    CHECK(handler_sp > (unsigned long)alt_stack &&
          handler_sp <= (unsigned long)alt_stack + sizeof(alt_stack));
    CHECK_EQ(handler_stack_flags, SS_ONSTACK);
    /* (jump_back left the handler without sigreturn: SIGUSR1 stays blocked.) */
    mask(SIG_UNBLOCK, bit(SIGUSR1));
    ss.flags = SS_AUTODISARM;
    CHECK_EQ(sys2(SYS_sigaltstack, (long)&ss, 0), 0);
    CHECK_EQ(sys2(SYS_sigaltstack, 0, (long)&old), 0);
    CHECK_EQ(old.flags, SS_AUTODISARM);
    if (save_point(overflow_jump) == 0) {
        sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
    }
    CHECK(handler_sp > (unsigned long)alt_stack &&
          handler_sp <= (unsigned long)alt_stack + sizeof(alt_stack));
    CHECK_EQ(handler_stack_flags, SS_DISABLE); /* disarmed inside */
    mask(SIG_UNBLOCK, bit(SIGUSR1));
    ss.flags = SS_DISABLE;
    CHECK_EQ(sys2(SYS_sigaltstack, (long)&ss, 0), 0);
    set_default(SIGUSR1);
}

/* Nested handlers on a small alternate stack: the frame that would run
 * off its bottom is refused and the process dies of SIGSEGV; the page below
 * (shared, so the parent can look) is untouched. */
static void on_usr2_again(int signal) {
    (void)signal;
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR2); /* deeper and deeper (SA_NODEFER) */
}

static void alternate_stack_overflow(void) {
    unsigned char* area = (unsigned char*)sys6(SYS_mmap, 0, 3 * 4096, PROT_READ | PROT_WRITE,
                                               0x01 /* MAP_SHARED */ | MAP_ANONYMOUS, -1, 0);
    CHECK((long)area > 0);
    memset(area, 0x5a, 4096);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct stack ss = {area + 4096, 0, 2 * 4096};
        sys2(SYS_sigaltstack, (long)&ss, 0);
        struct action a = {(void*)on_usr2_again, SA_ONSTACK | SA_NODEFER | SA_RESTORER,
                           (void*)restore_rt, 0};
        sys4(SYS_rt_sigaction, SIGUSR2, (long)&a, 0, 8);
        sys2(SYS_kill, sys0(SYS_getpid), SIGUSR2);
        sys1(SYS_exit, 0);
    }
    int status;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status & 0x7f, SIGSEGV);
    int intact = 1;
    for (int i = 0; i < 4096; ++i) {
        intact &= area[i] == 0x5a;
    }
    CHECK(intact);
    sys2(SYS_munmap, (long)area, 3 * 4096);
}

/* ---- rt_sigtimedwait ---- */

struct timespec {
    long seconds, nanoseconds;
};

static void timed_waits(void) {
    unsigned long set = bit(SIGUSR2);
    CHECK_EQ(mask(SIG_BLOCK, set), 0);
    struct timespec zero = {0, 0};
    struct siginfo info;
    CHECK_ERRNO(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, (long)&zero, 8), EAGAIN);
    struct timespec short_wait = {0, 10000000};
    CHECK_ERRNO(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, (long)&short_wait, 8), EAGAIN);
    CHECK_ERRNO(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, (long)&zero, 4), EINVAL);
    struct timespec bad = {0, 1000000000L};
    CHECK_ERRNO(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, (long)&bad, 8), EINVAL);
    CHECK_ERRNO(sys4(SYS_rt_sigtimedwait, UNMAPPED_ADDRESS, (long)&info, 0, 8), EFAULT);
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR2), 0);
    CHECK_EQ(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, (long)&zero, 8), SIGUSR2);
    CHECK_EQ(info.signo, SIGUSR2);
    CHECK_EQ(info.code, SI_USER);
    unsigned long pending = 1;
    sys2(SYS_rt_sigpending, (long)&pending, 8);
    CHECK_EQ(pending, 0);
    /* SIGCHLD with its default action (ignored) is still taken by a wait
     * for it, even when it comes while the wait sleeps (the child yields
     * a while first, so it almost always does). */
    set_default(SIGCHLD);
    CHECK_EQ(mask(SIG_BLOCK, bit(SIGCHLD)), 0);
    long quiet = sys0(SYS_fork);
    if (quiet == 0) {
        for (int i = 0; i < 200; ++i) {
            sys0(SYS_sched_yield);
        }
        sys1(SYS_exit, 3);
    }
    unsigned long chld = bit(SIGCHLD);
    CHECK_EQ(sys4(SYS_rt_sigtimedwait, (long)&chld, (long)&info, 0, 8), SIGCHLD);
    CHECK_EQ(info.child.pid, quiet);
    CHECK_EQ(info.child.status, 3);
    int quiet_status;
    sys4(SYS_wait4, quiet, (long)&quiet_status, 0, 0);
    CHECK_EQ(mask(SIG_UNBLOCK, bit(SIGCHLD)), 0);
    /* A signal sent while waiting wakes the wait (from a child). */
    long parent = sys0(SYS_getpid);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys2(SYS_kill, parent, SIGUSR2);
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(sys4(SYS_rt_sigtimedwait, (long)&set, (long)&info, 0, 8), SIGUSR2);
    CHECK_EQ(info.kill.pid, pid);
    int status;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    CHECK_EQ(mask(SIG_UNBLOCK, set), 0);
}

/* ---- abort and exec ---- */

static void on_abort_return(int signal) {
    (void)signal;
}

static long run_child(const char* path, const char* arg) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char* argv[] = {(char*)path, (char*)arg, 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)path, (long)argv, (long)envp);
        sys1(SYS_exit, 127);
    }
    int status = -1;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return status;
}

static const char* self_path;

static void abort_and_exec(void) {
    /* abort() as the C libraries do it: unblock SIGABRT, raise it with
     * tgkill; if a handler returns, reset to the default and raise again. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct action a = {(void*)on_abort_return, SA_RESTORER, (void*)restore_rt, 0};
        sys4(SYS_rt_sigaction, SIGABRT, (long)&a, 0, 8);
        mask(SIG_BLOCK, bit(SIGABRT));
        mask(SIG_UNBLOCK, bit(SIGABRT));
        sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), SIGABRT);
        set_default(SIGABRT);
        sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), SIGABRT);
        sys1(SYS_exit, 0);
    }
    int status;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status & 0x7f, SIGABRT);

    /* exec: SIGUSR1 ignored stays ignored, SIGUSR2 caught goes back to the
     * default, the mask (SIGHUP) and a pending SIGHUP survive. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct action ignore = {(void*)1, SA_RESTORER, (void*)restore_rt, 0};
        sys4(SYS_rt_sigaction, SIGUSR1, (long)&ignore, 0, 8);
        set_handler(SIGUSR2, (void*)record, 0, 0);
        mask(SIG_SETMASK, bit(SIGHUP));
        sys2(SYS_kill, sys0(SYS_getpid), SIGHUP);
        char* argv[] = {(char*)self_path, "--after-exec", 0};
        char* envp[] = {0};
        sys3(SYS_execve, (long)self_path, (long)argv, (long)envp);
        sys1(SYS_exit, 127);
    }
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    (void)run_child;
}

static int after_exec(void) {
    struct action a;
    int bad = 0;
    sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&a, 8);
    bad |= a.handler != (void*)1;
    sys4(SYS_rt_sigaction, SIGUSR2, 0, (long)&a, 8);
    bad |= (a.handler != 0) << 1;
    unsigned long blocked = 0, pending = 0;
    sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&blocked, 8);
    bad |= (blocked != bit(SIGHUP)) << 2;
    sys2(SYS_rt_sigpending, (long)&pending, 8);
    bad |= (pending != bit(SIGHUP)) << 3;
    return bad;
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 2 && text_equal(argv[1], "--after-exec")) {
        return after_exec();
    }
    self_path = argv[0];
    senders();
    sigchld();
    faults();
    context_changes();
    alternate_stack();
    alternate_stack_overflow();
    timed_waits();
    abort_and_exec();
    return check_done("siginfo");
}
