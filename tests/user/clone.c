/* clone: the forms of clone, clone3 and vfork that C libraries use for fork
 * and posix_spawn (glibc's fork: CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID;
 * vfork and CLONE_VM|CLONE_VFORK on a stack of its own, the parent waiting
 * until the child execs or exits), CLONE_PARENT_SETTID, CLONE_SETTLS,
 * clone3's CLONE_CLEAR_SIGHAND and argument checks, exit signals other than
 * SIGCHLD (wait4's __WCLONE and __WALL), and the flag combinations Linux
 * refuses. */
#include "check.h"
#include "signal_action.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_CLEAR_SIGHAND 0x100000000UL
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGCHLD 17
#define WCLONE 0x80000000L
#define WALL 0x40000000L
#define WNOTHREAD 0x20000000L
#define SA_RESTORER 0x04000000
#define ARCH_GET_FS 0x1003

struct clone_args {
    unsigned long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

/* clone with a stack of the child's own: the child calls fn(arg) there and
 * exits with what it returns (a C function cannot go on after a clone that
 * moved its stack). */
long clone_run(long flags, void* stack_top, int (*fn)(void*), void* arg, int* parent_tid,
               int* child_tid, long tls);
__asm__(".text\n"
        "clone_run:\n"
        "    and $-16, %rsi\n"
        "    sub $16, %rsi\n"
        "    mov %rdx, 0(%rsi)\n" /* fn and arg, for the child to pop */
        "    mov %rcx, 8(%rsi)\n"
        "    mov %r8, %rdx\n"    /* parent_tid */
        "    mov %r9, %r10\n"    /* child_tid */
        "    mov 8(%rsp), %r8\n" /* tls */
        "    mov $56, %eax\n"
        "    syscall\n"
        "    test %rax, %rax\n"
        "    jnz 1f\n"
        "    xor %ebp, %ebp\n"
        "    pop %rax\n"
        "    pop %rdi\n"
        "    call *%rax\n"
        "    mov %eax, %edi\n"
        "    mov $60, %eax\n"
        "    syscall\n"
        "    hlt\n"
        "1:  ret\n");

/* clone3 the same way; the stack is in the arguments. */
long clone3_run(struct clone_args* args, unsigned long size, int (*fn)(void*), void* arg);
__asm__(".text\n"
        "clone3_run:\n"
        "    push %r12\n"
        "    push %r13\n"
        "    mov %rdx, %r12\n"
        "    mov %rcx, %r13\n"
        "    mov $435, %eax\n"
        "    syscall\n"
        "    test %rax, %rax\n"
        "    jnz 1f\n"
        "    xor %ebp, %ebp\n"
        "    and $-16, %rsp\n"
        "    mov %r13, %rdi\n"
        "    call *%r12\n"
        "    mov %eax, %edi\n"
        "    mov $60, %eax\n"
        "    syscall\n"
        "    hlt\n"
        "1:  pop %r13\n"
        "    pop %r12\n"
        "    ret\n");

static char child_stack[64 * 1024] __attribute__((aligned(16)));
static void* stack_top(void) {
    return child_stack + sizeof(child_stack);
}

static long wait_status(long pid, long options) {
    int status = -1;
    long got = sys4(SYS_wait4, pid, (long)&status, options, 0);
    return got == pid ? status : (got < 0 ? got : -1000);
}

/* glibc's fork: the child finds its id in its own copy of the word; the
 * parent's copy is untouched, before and after the child exits (a
 * copy-on-write child shares no memory, so its exit clears nothing). */
static void glibc_fork(void) {
    static int tid_word = -1;
    long pid = sys6(SYS_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, 0, 0,
                    (long)&tid_word, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, tid_word == sys0(SYS_getpid) ? 0 : 1);
    }
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid, WNOTHREAD), 0); /* accepted, and changes nothing here */
    CHECK_EQ(tid_word, -1);
    /* CLONE_PARENT_SETTID: in the parent's memory only. */
    static int parent_word = -1;
    pid = sys6(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, (long)&parent_word, 0, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, parent_word == -1 ? 0 : 1);
    }
    CHECK_EQ(parent_word, pid);
    CHECK_EQ(wait_status(pid, 0), 0);
    /* Bad addresses for the ids are no error: the stores are skipped. */
    pid = sys6(SYS_clone, CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD, 0, UNMAPPED_ADDRESS,
               UNMAPPED_ADDRESS, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, 0);
    }
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid, 0), 0);
    /* CLONE_SETTLS: the child starts with that FS base. */
    static char tls_block[64];
    pid = sys6(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, 0, (long)tls_block, 0);
    if (pid == 0) {
        unsigned long base = 0;
        sys2(SYS_arch_prctl, ARCH_GET_FS, (long)&base);
        sys1(SYS_exit, base == (unsigned long)tls_block ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid, 0), 0);
    CHECK_ERRNO(sys6(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, 0, (long)0xffff800000000000UL, 0),
                EPERM);
}

static volatile int shared_before, shared_after;
static volatile long seen_tid;
static int tid_word_shared;

static int vfork_child(void* arg) {
    (void)arg;
    shared_before = 42;
    seen_tid = tid_word_shared; /* CLONE_CHILD_SETTID's store, in shared memory */
    struct {
        long s, ns;
    } nap = {0, 20 * 1000000L};
    sys2(SYS_nanosleep, (long)&nap, 0); /* the parent must still be waiting */
    shared_after = 43;
    return 7;
}

static const char* self_path;
static int exec_child(void* arg) {
    (void)arg;
    shared_before = 44;
    char* argv[] = {(char*)self_path, "--exit-5", 0};
    char* envp[] = {0};
    sys3(SYS_execve, (long)self_path, (long)argv, (long)envp);
    return 99;
}

/* posix_spawn's clone: memory shared, the parent held until the child is
 * done with it. */
static void shared_memory_and_vfork(void) {
    shared_before = shared_after = 0;
    tid_word_shared = -1;
    long pid =
        clone_run(CLONE_VM | CLONE_VFORK | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
                  stack_top(), vfork_child, 0, 0, &tid_word_shared, 0);
    CHECK(pid > 0);
    CHECK_EQ(shared_before, 42); /* the child's writes are the parent's */
    CHECK_EQ(shared_after, 43);  /* and it had finished before the parent went on */
    CHECK_EQ(seen_tid, pid);
    CHECK_EQ(tid_word_shared,
             0); /* CLONE_CHILD_CLEARTID: cleared as the shared memory was let go */
    CHECK_EQ(wait_status(pid, 0), 7 << 8);

    /* The parent goes on once the child has exec'd. */
    shared_before = 0;
    pid = clone_run(CLONE_VM | CLONE_VFORK | SIGCHLD, stack_top(), exec_child, 0, 0, 0, 0);
    CHECK(pid > 0);
    CHECK_EQ(shared_before, 44);
    CHECK_EQ(wait_status(pid, 0), 5 << 8);

    /* vfork itself: the child runs on the parent's stack, so it only
     * stores and exits. */
    shared_before = 0;
    pid = sys0(SYS_vfork);
    if (pid == 0) {
        shared_before = 45;
        sys1(SYS_exit, 9);
    }
    CHECK_EQ(shared_before, 45);
    CHECK_EQ(wait_status(pid, 0), 9 << 8);
}

/* SIGKILL ends a vfork parent's wait even while the child is stopped (it
 * would never exec or exit). */
static int stopping_child(void* arg) {
    long self = sys0(SYS_getpid);
    sys3(SYS_write, *(int*)arg, (long)&self, sizeof(self));
    sys2(SYS_kill, self, 19 /* SIGSTOP */);
    return 0;
}

static void killable_vfork_parent(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    long middle = sys0(SYS_fork);
    if (middle == 0) {
        clone_run(CLONE_VM | CLONE_VFORK | SIGCHLD, stack_top(), stopping_child, &fds[1], 0, 0, 0);
        sys1(SYS_exit, 1); /* only if the wait ended without the kill */
    }
    long child = 0;
    CHECK_EQ(sys3(SYS_read, fds[0], (long)&child, sizeof(child)), sizeof(child));
    CHECK_EQ(sys2(SYS_kill, middle, 9), 0);
    CHECK_EQ(wait_status(middle, 0), 9);   /* killed by SIGKILL */
    CHECK_EQ(sys2(SYS_kill, child, 9), 0); /* the stopped child, init's now */
    if (sys0(SYS_getpid) == 1) {           /* this is init (the first program of a test boot) */
        CHECK_EQ(wait_status(child, 0), 9);
    }
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);
}

static volatile int usr1_count;
static void on_usr1(int signal) {
    (void)signal;
    ++usr1_count;
}
/* A child whose exit signal is not SIGCHLD is waited for only with
 * __WCLONE or __WALL, and its exit sends that signal. */
static void exit_signals(void) {
    long pid = sys6(SYS_clone, 0 /* no exit signal */, 0, 0, 0, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, 3);
    }
    CHECK(pid > 0);
    CHECK_ERRNO(wait_status(pid, 0), ECHILD);
    CHECK_ERRNO(wait_status(-1, 0), ECHILD);
    CHECK_EQ(wait_status(pid, WCLONE), 3 << 8);

    struct action a = {(void*)on_usr1, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8), 0);
    usr1_count = 0;
    pid = sys6(SYS_clone, SIGUSR1, 0, 0, 0, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, 4);
    }
    CHECK_EQ(wait_status(pid, WALL), 4 << 8);
    CHECK_EQ(usr1_count, 1); /* sent before the child could be reaped */

    /* Legacy clone takes any byte as the signal; one above 64 is never
     * sent, and makes a clone child. */
    pid = sys6(SYS_clone, 65, 0, 0, 0, 0, 0);
    if (pid == 0) {
        sys1(SYS_exit, 6);
    }
    CHECK(pid > 0);
    CHECK_ERRNO(wait_status(pid, 0), ECHILD);
    CHECK_EQ(wait_status(pid, WALL), 6 << 8);
    struct action dfl = {0, SA_RESTORER, (void*)restore_rt, 0};
    sys4(SYS_rt_sigaction, SIGUSR1, (long)&dfl, 0, 8);
}

static void refused(void) {
    CHECK_ERRNO(sys6(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_clone, CLONE_THREAD | CLONE_VM | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_clone, CLONE_FS | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
}

static int clear_sighand_child(void* arg) {
    (void)arg;
    struct action old1, old2;
    sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old1, 8);
    sys4(SYS_rt_sigaction, SIGUSR2, 0, (long)&old2, 8);
    /* Ignored stays ignored, but without its flags and mask. */
    return old1.handler == 0 && old2.handler == (void*)1 && !(old2.flags & 0x10000000) &&
                   old2.mask == 0
               ? 0
               : 1;
}

static void clone3_forms(void) {
    struct {
        struct clone_args a;
        unsigned long extra;
    } big;
    memset(&big, 0, sizeof(big));
    big.a.exit_signal = SIGCHLD;
    /* A plain fork through clone3, with the first version's 64 bytes. */
    long pid = sys2(SYS_clone3, (long)&big.a, 64);
    if (pid == 0) {
        sys1(SYS_exit, 3);
    }
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid, 0), 3 << 8);
    /* Larger than the kernel knows: fine while the rest is zero. */
    pid = sys2(SYS_clone3, (long)&big, sizeof(big));
    if (pid == 0) {
        sys1(SYS_exit, 4);
    }
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid, 0), 4 << 8);
    big.extra = 1;
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big, sizeof(big)), E2BIG);
    big.extra = 0;
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 63), EINVAL);
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 8192), E2BIG);
    CHECK_ERRNO(sys2(SYS_clone3, UNMAPPED_ADDRESS, 88), EFAULT);
    big.a.stack = 0x7ffffffff000UL - 4096; /* a stack must end inside user space */
    big.a.stack_size = 8192;
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 88), EINVAL);
    big.a.stack = big.a.stack_size = 0;
    big.a.exit_signal = 65;
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 88), EINVAL);
    big.a.exit_signal = SIGCHLD;
    big.a.flags = SIGCHLD; /* the signal has its own field */
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 88), EINVAL);
    big.a.flags = 0;
    big.a.stack = (unsigned long)child_stack; /* a stack needs its size */
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 88), EINVAL);
    big.a.stack = 0;
    big.a.stack_size = 4096;
    CHECK_ERRNO(sys2(SYS_clone3, (long)&big.a, 88), EINVAL);

    /* posix_spawn as glibc does it: CLONE_VM|CLONE_VFORK on a new stack,
     * with CLONE_CLEAR_SIGHAND (handlers to default, ignored stays
     * ignored). */
    struct action a = {(void*)on_usr1, SA_RESTORER, (void*)restore_rt, 0};
    struct action ignore = {(void*)1, SA_RESTORER | 0x10000000 /* SA_RESTART */, (void*)restore_rt,
                            1UL << (SIGUSR1 - 1)};
    sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8);
    sys4(SYS_rt_sigaction, SIGUSR2, (long)&ignore, 0, 8);
    memset(&big, 0, sizeof(big));
    big.a.flags = CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND;
    big.a.exit_signal = SIGCHLD;
    big.a.stack = (unsigned long)child_stack;
    big.a.stack_size = sizeof(child_stack);
    pid = clone3_run(&big.a, 88, clear_sighand_child, 0);
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid, 0), 0);
    struct action mine;
    sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&mine, 8);
    CHECK(mine.handler == (void*)on_usr1); /* the parent's stay */
    struct action dfl = {0, SA_RESTORER, (void*)restore_rt, 0};
    sys4(SYS_rt_sigaction, SIGUSR1, (long)&dfl, 0, 8);
    sys4(SYS_rt_sigaction, SIGUSR2, (long)&dfl, 0, 8);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc == 2 && text_equal(argv[1], "--exit-5")) {
        return 5;
    }
    self_path = argv[0];
    glibc_fork();
    shared_memory_and_vfork();
    exit_signals();
    refused();
    clone3_forms();
    killable_vfork_parent();
    return check_done("clone");
}
