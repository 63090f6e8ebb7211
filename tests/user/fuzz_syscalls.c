/* fuzz_syscalls [SEED [CALLS [v]]]: random system calls with hostile
 * arguments from several processes and threads at once. The kernel must
 * survive them all, every process must end (or be ended by the watchdog,
 * which counts it as a hang), and afterwards the free frames and the heap
 * must be back exactly where they were (/proc/kite/memory, Kite only).
 *
 * Every call Kite implements is in fuzz_calls.h with the types of its
 * arguments; the generators are in fuzz_args.h. The main process (a child
 * subreaper, or init under Linux) keeps WORKERS fuzzing processes going,
 * each in a session of its own with a pool of descriptors of every kind
 * and mappings of every kind; they fork, clone threads, exec this program
 * (told to exit at once), signal each other and sleep briefly, and die of
 * what they provoke. A sibling, the signaller, sends random signals to
 * them at random times. main's watchdog (setitimer, every 100 ms) looks at
 * each process's count of calls: one that has made none for a second is
 * sent SIGCONT, after three seconds SIGKILL, and counted as a hang with
 * the call it was in; so is a process no slot holds that leaves a zombie
 * child unreaped for three seconds. The run stops after CALLS calls (counted in a shared
 * page, before each call is made). Then main removes what the calls made
 * (the scratch tree /tmp/fz, mounts in it, SysV IPC objects, the host
 * name) and prints the figures: calls, calls per second, deaths by signal,
 * hangs, and the leak check.
 *
 * Under Linux the same binary runs as init in QEMU (the fuzz-soak target):
 * it mounts /proc, /tmp and /dev first and powers off at the end. It
 * refuses to run under Linux otherwise (it would touch the machine). A
 * third argument "v" prints every call before it is made ("m": the mount
 * calls with their results, and the mount table after the clean-up), to replay a
 * panic: the seed, and the stream number each process prints); a fourth,
 * "name:name...", leaves those calls out, to find which one a leak needs. */
#include "fuzz_calls.h"
#include "path_join.h"

enum {
    DEFAULT_CALLS = 24000, /* CI: under 30 s under TCG */
    WORKERS = 4,           /* fuzzing processes main keeps going */
    SLOTS = 16,            /* at most this many fuzzing processes at once */
    CALLS_PER_PROCESS = 1000,
    CALLS_PER_THREAD = 300,
    THREADS = 3, /* per process, besides its first */
    THREAD_STACK = 16384,
    TICK_MS = 100,     /* the watchdog's period */
    STALL_CONT = 10,   /* ticks without a call: SIGCONT */
    STALL_KILL = 30,   /* ticks without a call: SIGKILL, a hang */
    LINGER_TICKS = 30, /* after the end, ticks before the rest are killed */
    UNKILLABLE = 100,  /* ticks after SIGKILL: the kernel has hung it */
};
#define SIGKILL 9
#define SIGCONT 18
#define SIGCHLD 17
#define SIGALRM 14
#define WNOHANG 1
#define WUNTRACED 2
#define WALL 0x40000000

/* The call a thread of a fuzzing process is in, or made last. */
struct call_record {
    volatile long tid; /* 0: no such thread yet */
    volatile long number;
    volatile long args[6];
    volatile long returned; /* the call has come back (to user code) */
};
/* One fuzzing process, in the page all of them share with main. */
struct slot {
    volatile int pid;     /* 0 free, -2 claimed (forking), else the process */
    volatile long calls;  /* calls it has made: the watchdog's sign of life */
    volatile long number; /* the last call any of its threads made */
    volatile long args[6];
    /* Each thread's own ([0]: the first; [1 + i]: thread_stacks[i]), for
     * the report on a process that will not die. */
    struct call_record threads[1 + THREADS];
    unsigned long stream; /* its random stream: mix_seed(seed, stream) */
    long seen;            /* main only: calls at the last tick */
    int stalls;           /* main only: ticks without a call; < 0: killed */
};
struct shared {
    volatile long calls; /* made so far, all processes */
    long target;
    volatile int stop_signaller;
    volatile int futex_words[8];
    volatile int ipc_ids[IPC_IDS];
    volatile int ipc_next;
    struct slot slots[SLOTS];
};
static struct shared* sh;
static struct slot* me; /* this process's slot */
static unsigned long run_seed;
static int verbose;
static char* self_path;
static char* exit_argv[3];
static char* no_env[1];
static const long console = 100; /* a copy of stdout, for verbose runs */

static int atomic_cas(volatile int* word, int expected, int desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
static long atomic_add_long(volatile long* word, long n) {
    return __atomic_fetch_add(word, n, __ATOMIC_SEQ_CST);
}

static void print_to(long fd, const char* s) {
    sys3(SYS_write, fd, (long)s, (long)rt_strlen(s));
}
static void print_number_to(long fd, long n) {
    char digits[24];
    if (n < 0) {
        print_to(fd, "-");
        n = -n;
    }
    decimal(n, digits);
    print_to(fd, digits);
}

static long fuzz_registered_pid(unsigned long* r) {
    const int pid = sh->slots[below(r, SLOTS)].pid;
    return pid > 0 ? pid : sys0(SYS_getpid);
}

static int claim_slot(void) {
    for (int i = 0; i < SLOTS; ++i) {
        if (atomic_cas(&sh->slots[i].pid, 0, -2)) {
            sh->slots[i].calls = 0;
            sh->slots[i].number = -1;
            sh->slots[i].seen = 0;
            sh->slots[i].stalls = 0;
            return i;
        }
    }
    return -1;
}

/* ---- what each fuzzing process starts with ----------------------------- */

static long map(long length, long protection) {
    return sys6(SYS_mmap, 0, length, protection, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
}

static void setup_pool(void) {
    int n = 0;
    long p[2];
    int* pool = fm.pool;
#define ADD(fd) (pool[n++] = (int)(fd))
    ADD(sys3(SYS_open, (long)"/etc/motd", 0, 0));
    ADD(sys3(SYS_open, (long)"/tmp/fz/f0", 02 | 0100 /* O_RDWR|O_CREAT */, 0644));
    ADD(sys3(SYS_open, (long)"/tmp/fz", 0200000 /* O_DIRECTORY */, 0));
    ADD(sys3(SYS_open, (long)"/", 0200000, 0));
    ADD(sys3(SYS_open, (long)"/dev/null", 02, 0));
    ADD(sys3(SYS_open, (long)"/dev/zero", 02, 0));
    ADD(sys3(SYS_open, (long)"/dev/urandom", 02, 0));
    ADD(sys3(SYS_open, (long)"/proc/self/stat", 0, 0));
    ADD(sys3(SYS_open, (long)"/tmp/fz/p0", 02 | 04000 /* O_RDWR|O_NONBLOCK */, 0));
    ADD(sys3(SYS_open, (long)"/tmp/fz/d0", 010000000 /* O_PATH */, 0));
    int sv[2];
    if (sys2(SYS_pipe2, (long)sv, 0) == 0) {
        ADD(sv[0]);
        ADD(sv[1]);
    }
    if (sys4(SYS_socketpair, 1, 1 /* AF_UNIX, SOCK_STREAM */, 0, (long)sv) == 0) {
        ADD(sv[0]);
        ADD(sv[1]);
    }
    if (sys4(SYS_socketpair, 1, 2 /* SOCK_DGRAM */, 0, (long)sv) == 0) {
        ADD(sv[0]);
        ADD(sv[1]);
    }
    /* A listening socket at /tmp/fz/s0 (the first process gets the name,
     * the others keep an unbound socket), and an inet one. */
    const long listener = sys3(SYS_socket, 1, 1, 0);
    ADD(listener);
    struct {
        unsigned short family;
        char path[108];
    } address = {1, "/tmp/fz/s0"};
    sys3(SYS_bind, listener, (long)&address, sizeof(address));
    sys2(SYS_listen, listener, 4);
    ADD(sys3(SYS_socket, 2, 2 /* AF_INET, SOCK_DGRAM */, 0));
    ADD(sys2(SYS_eventfd2, 0, 0));
    ADD(sys2(SYS_timerfd_create, 1 /* CLOCK_MONOTONIC */, 0));
    unsigned long mask = 1UL << 9; /* SIGUSR1 - 1: signalfd on SIGUSR1 */
    ADD(sys4(SYS_signalfd4, -1, (long)&mask, 8, 0));
    const long epoll = sys1(SYS_epoll_create1, 0);
    ADD(epoll);
    struct {
        unsigned events;
        unsigned long data;
    } __attribute__((packed)) event = {1 /* EPOLLIN */, 0};
    sys4(SYS_epoll_ctl, epoll, 1 /* EPOLL_CTL_ADD */, pool[10], (long)&event);
    sys4(SYS_epoll_ctl, epoll, 1, pool[12], (long)&event);
    for (int bad = -1; n < POOL_SIZE; --bad) {
        ADD(bad); /* bad numbers fill the rest */
    }
#undef ADD
    (void)p;
}

static void setup_memory(unsigned long* r) {
    fm.read_only = (char*)map(PAGE, 3);
    for (int i = 0; i < PAGE; ++i) {
        fm.read_only[i] = (char)next_random(r);
    }
    sys3(SYS_mprotect, (long)fm.read_only, PAGE, 1);
    fm.no_access = (char*)map(PAGE, 0);
    fm.straddle = (char*)map(2 * PAGE, 3);
    memset(fm.straddle, 'a', PAGE);
    sys3(SYS_mprotect, (long)fm.straddle + PAGE, PAGE, 0);
    fm.play = (char*)map(PLAY_PAGES * PAGE, 3);
    for (unsigned i = 0; i < sizeof(arena); ++i) {
        arena[i] = (char)next_random(r);
    }
    for (unsigned i = 0; i + 1 < sizeof(long_name); ++i) {
        long_name[i] = i % 300 == 299 ? '/' : 'a';
    }
}

/* Every catchable signal interrupts (no SA_RESTART) and returns, but the
 * ones faults raise: a handler would return to the fault for ever. */
static void setup_signals(void) {
    for (int s = 1; s <= 64; ++s) {
        const int fault = s == 4 || s == 5 || s == 7 || s == 8 || s == 11 || s == 31;
        struct action a = {fault ? (void*)0 : (void*)noop_handler, SA_RESTORER, (void*)restore_rt,
                           0};
        sys4(SYS_rt_sigaction, s, (long)&a, 0, 8);
    }
    unsigned long none = 0;
    sys4(SYS_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)&none, 0, 8);
}

static void setup_process(unsigned long* r) {
    sys0(SYS_setsid); /* no call can then reach main's process group */
    for (int fd = 0; fd < 3; ++fd) {
        sys1(SYS_close, fd); /* no reading the console: a read would wait for a person */
    }
    if (!verbose) {
        /* Nor its termios: a random ioctl there changes the terminal
         * main prints to (under Linux its output stopped, the likely
         * reason; it still stops later, for a reason not found yet). */
        sys1(SYS_close, console);
    }
    setup_signals();
    setup_memory(r);
    setup_pool();
    sys1(SYS_chdir, (long)"/tmp/fz");
}

/* ---- threads ----------------------------------------------------------- */

struct thread_stack {
    _Alignas(16) char stack[THREAD_STACK];
    volatile int tid; /* set by CLONE_PARENT_SETTID, cleared by CLONE_CHILD_CLEARTID */
    unsigned long seed;
};
static struct thread_stack thread_stacks[THREADS];

/* Which of this process's threads runs: 1 + i on thread_stacks[i]'s
 * stack, else 0. */
static int thread_index(void) {
    const char* frame = __builtin_frame_address(0);
    for (int i = 0; i < THREADS; ++i) {
        if (frame >= thread_stacks[i].stack && frame < thread_stacks[i].stack + THREAD_STACK) {
            return 1 + i;
        }
    }
    return 0;
}

/* Notes the call about to be made, in the slot and the thread's record,
 * then counts it (the watchdog's sign of life). */
static void record_call(long number, const long* args) {
    struct call_record* own = &me->threads[thread_index()];
    me->number = number;
    own->returned = 0;
    own->number = number;
    for (int k = 0; k < 6; ++k) {
        me->args[k] = args[k];
        own->args[k] = args[k];
    }
    atomic_add_long(&me->calls, 1);
}

static void call_returned(void) {
    me->threads[thread_index()].returned = 1;
}

static void count_call(long number, long a0) {
    const long args[6] = {a0};
    record_call(number, args);
}

static void fuzz_loop(unsigned long* r, long max_calls);

/* The new thread pops its thread_stack from its stack and runs
 * fuzz_thread on it; it ends with exit (not exit_group). */
long fuzz_clone_thread(long flags, void* stack_top, struct thread_stack* t, volatile int* tid);
__asm__(".text\n"
        "fuzz_clone_thread:\n"
        "    and $-16, %rsi\n"
        "    sub $8, %rsi\n"
        "    mov %rdx, 0(%rsi)\n"
        "    mov %rcx, %rdx\n" /* parent_tid */
        "    mov %rcx, %r10\n" /* child_tid: the same word */
        "    xor %r8d, %r8d\n" /* tls */
        "    mov $56, %eax\n"
        "    syscall\n"
        "    test %rax, %rax\n"
        "    jnz 1f\n"
        "    xor %ebp, %ebp\n"
        "    pop %rdi\n"
        "    call fuzz_thread\n"
        "    xor %edi, %edi\n"
        "    mov $60, %eax\n"
        "    syscall\n"
        "    hlt\n"
        "1:  ret\n");

__attribute__((used)) static void fuzz_thread(struct thread_stack* t) {
    unsigned long r = t->seed;
    struct call_record* own = &me->threads[1 + (t - thread_stacks)];
    own->number = -1;
    own->tid = sys0(SYS_gettid);
    fuzz_loop(&r, CALLS_PER_THREAD);
}

#define CLONE_VM 0x100L
#define CLONE_FS 0x200L
#define CLONE_FILES 0x400L
#define CLONE_SIGHAND 0x800L
#define CLONE_THREAD 0x10000L
#define CLONE_SYSVSEM 0x40000L
#define CLONE_PARENT_SETTID 0x100000L
#define CLONE_CHILD_CLEARTID 0x200000L
#define CLONE_CHILD_SETTID 0x1000000L

/* The clone flags a child process may have: sharing files, a new mount,
 * UTS or IPC namespace, tid words. Never CLONE_VM (the child would run on
 * this stack) nor a new pid or user namespace (its pids would not be the
 * ones main sees). */
static long process_clone_flags(unsigned long* r) {
    static const long optional[] = {CLONE_FS,
                                    CLONE_FILES,
                                    CLONE_SYSVSEM,
                                    0x8000,
                                    0x20000,
                                    0x4000000,
                                    0x8000000,
                                    CLONE_PARENT_SETTID,
                                    CLONE_CHILD_SETTID,
                                    CLONE_CHILD_CLEARTID,
                                    0x2000,
                                    0x800000,
                                    0x80000000L};
    long flags = 0;
    for (unsigned long k = below(r, 3); k > 0; --k) {
        flags |= optional[below(r, COUNT(optional))];
    }
    return flags;
}

/* The signal a child's end sends its parent: SIGCHLD, or one main
 * ignores (a child's parent may become main). */
static long exit_signal(unsigned long* r) {
    static const long others[] = {0, 10, 23, 28, 34, 64};
    return one_in(r, 8) ? others[below(r, COUNT(others))] : SIGCHLD;
}

static int start_thread(unsigned long* r) {
    struct thread_stack* t = 0;
    for (int i = 0; i < THREADS; ++i) {
        if (thread_stacks[i].tid == 0) {
            t = &thread_stacks[i];
            break;
        }
    }
    if (!t) {
        return 0;
    }
    long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    if (one_in(r, 8)) { /* a stray flag: mostly EINVAL */
        flags ^= 1L << below(r, 32);
        flags |= CLONE_VM | CLONE_THREAD | CLONE_SIGHAND;
        flags &= ~(0x20000000L | 0x10000000L | 0x40000000L | 0xffL); /* no pid/user/net ns */
    }
    t->seed = next_random(r) | 1;
    t->tid = -1;
    atomic_add_long(&sh->calls, 1);
    count_call(SYS_clone, flags);
    if (fuzz_clone_thread(flags, t->stack + THREAD_STACK, t, &t->tid) < 0) {
        t->tid = 0;
    }
    return 1;
}

/* ---- the calls that make processes, exec, or end ----------------------- */

/* A new process: registers itself in the slot claimed for it, and fuzzes
 * on from the same place with a stream of its own. */
static void child_starts(int slot, unsigned long* r) {
    me = &sh->slots[slot];
    atomic_cas(&me->pid, -2, (int)sys0(SYS_getpid));
    for (int i = 0; i <= THREADS; ++i) { /* the threads are not this process's */
        me->threads[i].tid = 0;
    }
    me->threads[0].number = -1;
    me->threads[0].tid = sys0(SYS_gettid);
    *r = mix_seed(run_seed, me->stream);
    if (verbose == 1) {
        print_to(console, "process ");
        print_number_to(console, sys0(SYS_getpid));
        print_to(console, " stream ");
        print_number_to(console, (long)me->stream);
        print_to(console, "\n");
    }
    for (int i = 0; i < THREADS; ++i) {
        if (__builtin_frame_address(0) < (void*)thread_stacks[i].stack ||
            __builtin_frame_address(0) >= (void*)(thread_stacks[i].stack + THREAD_STACK)) {
            thread_stacks[i].tid = 0; /* those threads are not in this process */
        }
    }
}

/* Gives 1 if the call was made (and counted), 0 if skipped. */
static int special_call(const struct call* c, unsigned long* r) {
    switch (c->special) {
    case SPECIAL_CLONE:
    case SPECIAL_CLONE3:
    case SPECIAL_FORK: {
        if (c->special == SPECIAL_CLONE && one_in(r, 2)) {
            return start_thread(r);
        }
        const int slot = claim_slot();
        if (slot < 0) {
            return 0;
        }
        sh->slots[slot].stream = (next_random(r) & 0xffffffffUL) | 0x100000000UL;
        atomic_add_long(&sh->calls, 1);
        long pid;
        if (c->special == SPECIAL_FORK) {
            count_call(SYS_fork, 0);
            pid = sys0(SYS_fork);
        } else if (c->special == SPECIAL_CLONE) {
            const long flags = process_clone_flags(r) | exit_signal(r);
            count_call(SYS_clone, flags);
            pid = sys6(SYS_clone, flags, 0, (long)arena_room(r, 8), (long)arena_room(r, 8), 0, 0);
        } else {
            long* args = arena_room(r, 88);
            memset(args, 0, 88);
            args[0] = process_clone_flags(r);
            args[2] = (long)arena_room(r, 8); /* child_tid */
            args[3] = (long)arena_room(r, 8); /* parent_tid */
            args[4] = exit_signal(r);
            const long size = one_in(r, 8) ? gen_len(r) : 88;
            count_call(SYS_clone3, args[0]);
            pid = sys2(SYS_clone3, (long)args, size);
        }
        if (pid == 0) {
            child_starts(slot, r);
        } else if (pid < 0) {
            sh->slots[slot].pid = 0;
        }
        call_returned();
        return 1;
    }
    case SPECIAL_VFORK: {
        atomic_add_long(&sh->calls, 1);
        count_call(SYS_vfork, 0);
        if (sys0(SYS_vfork) == 0) { /* on the parent's stack: only system calls here */
            sys3(SYS_execve, (long)self_path, (long)exit_argv, (long)no_env);
            sys1(SYS_exit, 0);
        }
        return 1;
    }
    case SPECIAL_EXECVE: {
        long path = (long)self_path, argv = (long)exit_argv, envp = (long)no_env;
        if (one_in(r, 2)) { /* mostly failing */
            path = one_in(r, 2) ? gen_path(r) : path;
            argv = one_in(r, 2) ? gen_ptr(r) : argv;
            envp = one_in(r, 2) ? gen_ptr(r) : envp;
        }
        atomic_add_long(&sh->calls, 1);
        count_call(SYS_execve, path);
        sys3(SYS_execve, path, argv, envp);
        call_returned();
        return 1;
    }
    case SPECIAL_EXIT:
    case SPECIAL_SIGRETURN:
        if (!one_in(r, 8)) {
            return 0;
        }
        atomic_add_long(&sh->calls, 1);
        count_call(c->number, 0);
        sys1(c->number, (long)below(r, 256));
        return 1;
    }
    return 0;
}

static int memcmp_bytes(const char* a, const char* b, unsigned long n) {
    for (unsigned long i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static void print_call(const struct call* c, const long* a) {
    print_number_to(console, sys0(SYS_gettid));
    print_to(console, " ");
    print_to(console, c->name);
    for (int i = 0; i < 6; ++i) {
        print_to(console, i == 0 ? "(" : ", ");
        print_to(console, "0x");
        char hex[17];
        unsigned long v = (unsigned long)a[i];
        for (int d = 15; d >= 0; --d, v >>= 4) {
            hex[d] = "0123456789abcdef"[v & 15];
        }
        hex[16] = '\0';
        print_to(console, hex);
    }
    print_to(console, ")\n");
}

static void record_ipc_id(long number, long result) {
    if (result >= 0 && (number == SYS_shmget || number == SYS_semget || number == SYS_msgget)) {
        sh->ipc_ids[__atomic_fetch_add(&sh->ipc_next, 1, __ATOMIC_SEQ_CST) % IPC_IDS] = (int)result;
    }
}

/* Calls left out (argv[4], "name:name:..."), to find which one a finding
 * needs. */
static const char* left_out;

static int is_left_out(const char* name) {
    if (!left_out) {
        return 0;
    }
    const unsigned long length = rt_strlen(name);
    for (const char* p = left_out; *p;) {
        const char* end = p;
        while (*end && *end != ':') {
            ++end;
        }
        if ((unsigned long)(end - p) == length && memcmp_bytes(p, name, length)) {
            return 1;
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

static void fuzz_loop(unsigned long* r, long max_calls) {
    for (long i = 0; i < max_calls && sh->calls < sh->target; ++i) {
        const struct call* c = &calls[below(r, COUNT(calls))];
        if (is_left_out(c->name)) {
            --i;
            continue;
        }
        if (c->special) {
            i -= !special_call(c, r);
            continue;
        }
        long a[6];
        for (int k = 0; k < 6; ++k) {
            a[k] = generate(c->args[k], r);
        }
        if (atomic_add_long(&sh->calls, 1) >= sh->target) {
            break;
        }
        record_call(c->number, a);
        if (verbose == 1) {
            print_call(c, a);
        }
        const long result = sys6(c->number, a[0], a[1], a[2], a[3], a[4], a[5]);
        call_returned();
        record_ipc_id(c->number, result);
        if (verbose == 2 && (c->number == SYS_mount || c->number == SYS_umount2)) {
            print_call(c, a);
            print_to(console, "  -> ");
            print_number_to(console, result);
            print_to(console, "\n");
        }
    }
}

static void worker(int slot) {
    unsigned long r = 1;
    child_starts(slot, &r);
    setup_process(&r);
    fuzz_loop(&r, CALLS_PER_PROCESS);
    sys1(SYS_exit_group, 0);
}

/* ---- the signaller ----------------------------------------------------- */

static void signaller(unsigned long seed) {
    static const int signals[] = {10, 12, 14, 17, 28, 23, 13, 29, 1,  2,  15, 3,  18, 19,
                                  20, 21, 22, 27, 26, 24, 25, 30, 34, 40, 64, 18, 10, 12};
    unsigned long r = seed | 1;
    while (!sh->stop_signaller) {
        struct {
            long s, ns;
        } pause = {0, (long)below(&r, 2000000)};
        sys2(SYS_nanosleep, (long)&pause, 0);
        const int pid = sh->slots[below(&r, SLOTS)].pid;
        if (pid > 0) {
            sys2(SYS_kill, pid, signals[below(&r, COUNT(signals))]);
        }
    }
    sys1(SYS_exit_group, 0);
}

/* ---- main: the watchdog, the figures, the cleanup ---------------------- */

struct figures {
    long exited, hangs, unregistered, lost;
    long lingering; /* left at the end, no slot's: killed after LINGER_TICKS */
    long by_signal[65];
};
static struct figures fig;
static volatile int ticked;

static void on_alarm(int signal) {
    (void)signal;
    ticked = 1;
}

static int slot_of(long pid) {
    for (int i = 0; i < SLOTS; ++i) {
        if (sh->slots[i].pid == pid) {
            return i;
        }
    }
    return -1;
}

static const char* call_name(long number) {
    for (int i = 0; i < COUNT(calls); ++i) {
        if (calls[i].number == number) {
            return calls[i].name;
        }
    }
    return "(none yet)";
}

static void print_call_record(long number, const volatile long* args) {
    rt_print(call_name(number));
    rt_print("(");
    for (int k = 0; k < 6; ++k) {
        rt_print(k ? ", " : "");
        rt_print_hex((unsigned long)args[k]);
    }
    rt_print(")");
}

static void print_slot_call(const struct slot* s) {
    print_call_record(s->number, s->args);
}

static long parse_decimal(const char* text) {
    long value = 0;
    for (; *text >= '0' && *text <= '9'; ++text) {
        value = value * 10 + (*text - '0');
    }
    return value;
}

/* A /proc stat file read into text, which then starts at field 3 (the
 * state letter), past the name (whose parentheses may hold anything);
 * "?" if unreadable. */
static const char* read_stat(const char* path, char* text, long size) {
    const long fd = sys3(SYS_open, (long)path, 0, 0);
    const long n = fd >= 0 ? sys3(SYS_read, fd, (long)text, size - 1) : 0;
    sys1(SYS_close, fd);
    text[n > 0 ? n : 0] = 0;
    for (long i = n - 1; i > 1; --i) {
        if (text[i] == ')') {
            return i + 2 < n ? text + i + 2 : "?";
        }
    }
    return "?";
}

/* Field `field` (3 onwards) of what read_stat gave. */
static const char* stat_field(const char* fields, int field) {
    for (int at = 3; at < field && *fields; ++fields) {
        at += *fields == ' ';
    }
    return fields;
}

static void stat_path(long pid, char* path) {
    memcpy(path, "/proc/", 7);
    decimal(pid, path + 6);
    memcpy(path + rt_strlen(path), "/stat", 6);
}

/* A process's state letter from /proc/PID/stat ('?' if unreadable). */
static char process_state(long pid) {
    char path[40], text[512];
    stat_path(pid, path);
    return read_stat(path, text, sizeof(text))[0];
}

/* Its parent's pid (0 if unreadable). */
static long process_parent(long pid) {
    char path[40], text[512];
    stat_path(pid, path);
    return parse_decimal(stat_field(read_stat(path, text, sizeof(text)), 4));
}

/* "Threads:" from /proc/PID/status (0 if unreadable): under Linux a
 * zombie leader counts itself and the threads still alive. */
static long process_threads(long pid) {
    char path[40] = "/proc/";
    decimal(pid, path + 6);
    memcpy(path + rt_strlen(path), "/status", 8);
    static char text[2048];
    const long fd = sys3(SYS_open, (long)path, 0, 0);
    const long n = fd >= 0 ? sys3(SYS_read, fd, (long)text, sizeof(text) - 1) : 0;
    sys1(SYS_close, fd);
    text[n > 0 ? n : 0] = 0;
    for (long i = 0; i + 8 < n; ++i) {
        if ((i == 0 || text[i - 1] == '\n') && memcmp_bytes(text + i, "Threads:", 8)) {
            return parse_decimal(text + i + 8 + (text[i + 8] == '\t'));
        }
    }
    return 0;
}

/* A thread's user plus system clock ticks (fields 14 and 15). */
static long stat_cpu_ticks(const char* path, long* system) {
    char text[512];
    const char* fields = read_stat(path, text, sizeof(text));
    *system = parse_decimal(stat_field(fields, 15));
    return parse_decimal(stat_field(fields, 14));
}

/* Each thread of the slot's process, with its state from
 * /proc/PID/task/TID/stat and the call it is in: what a process that
 * hangs or will not die is doing (a thread blocked, or one running a long
 * call). */
static void print_threads(const struct slot* s) {
    char path[64] = "/proc/";
    decimal(s->pid, path + 6);
    memcpy(path + rt_strlen(path), "/task", 6);
    const long fd = sys3(SYS_open, (long)path, 0200000 /* O_DIRECTORY */, 0);
    char buffer[1024];
    long n;
    while (fd >= 0 && (n = sys3(SYS_getdents64, fd, (long)buffer, sizeof(buffer))) > 0) {
        for (long at = 0; at < n; at += *(unsigned short*)(buffer + at + 16)) {
            const char* name = buffer + at + 19;
            if (name[0] < '0' || name[0] > '9') {
                continue;
            }
            char task[600], stat[600]; /* a tid's name is a few digits */
            path_join(stat, path_join(task, path, name, -1), "stat", -1);
            char text[512];
            const char state[2] = {read_stat(stat, text, sizeof(text))[0], 0};
            rt_print("fuzz:   thread ");
            rt_print(name);
            rt_print(" state ");
            rt_print(state);
            if (state[0] == 'R') { /* running where: user mode or the kernel */
                long system0, system1;
                const long user0 = stat_cpu_ticks(stat, &system0);
                struct {
                    long s, ns;
                } t0, t1, pause = {0, 20000000};
                sys2(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&t0);
                do { /* the watchdog's SIGALRM ends each sleep early */
                    sys2(SYS_nanosleep, (long)&pause, 0);
                    sys2(SYS_clock_gettime, 1, (long)&t1);
                } while ((t1.s - t0.s) * 1000000000L + (t1.ns - t0.ns) < 200000000L);
                const long user1 = stat_cpu_ticks(stat, &system1);
                rt_print(" (");
                rt_print_number(user1 - user0);
                rt_print(" user, ");
                rt_print_number(system1 - system0);
                rt_print(" system ticks in 0.2 s)");
            }
            for (int i = 0; i <= THREADS; ++i) {
                if (s->threads[i].tid == parse_decimal(name) && s->threads[i].number != -1) {
                    rt_print(s->threads[i].returned ? ", back from " : ", in ");
                    print_call_record(s->threads[i].number, s->threads[i].args);
                }
            }
            rt_print("\n");
        }
    }
    sys1(SYS_close, fd);
}

/* A slot's process has been a zombie for 3 s. Under Linux a leader that
 * ended before its threads is one until they end: they hang, and are
 * killed. Else its parent has not waited: if no slot holds the parent
 * (the watchdog watches the others), it may never wait (asleep for ever)
 * and is killed, so that the zombie comes to main. Either way the slot is
 * not held for ever (under Linux, slots full of zombies once stopped a
 * soak: no new workers). */
static void end_stuck_zombie(const struct slot* s) {
    const long pid = s->pid;
    if (process_threads(pid) > 1) {
        ++fig.hangs;
        rt_print("fuzz: hang: pid ");
        rt_print_number(pid);
        rt_print(" (state Z, its threads live on) made no call for 3 s: killed\n");
        print_threads(s);
        sys2(SYS_kill, pid, SIGKILL);
        return;
    }
    const long parent = process_parent(pid);
    if (parent > 1 && parent != sys0(SYS_getpid) && slot_of(parent) < 0) {
        ++fig.hangs;
        rt_print("fuzz: hang: pid ");
        rt_print_number(parent);
        rt_print(" (state ");
        const char state[2] = {process_state(parent), 0};
        rt_print(state);
        rt_print(") has not reaped its child ");
        rt_print_number(pid);
        rt_print(" for 3 s: killed\n");
        sys2(SYS_kill, parent, SIGKILL);
    }
}

static void watchdog_tick(void) {
    for (int i = 0; i < SLOTS; ++i) {
        struct slot* s = &sh->slots[i];
        const long pid = s->pid;
        if (pid == 0) {
            continue;
        }
        if (s->calls != s->seen) {
            s->seen = s->calls;
            s->stalls = s->stalls < 0 ? s->stalls : 0;
            continue;
        }
        ++s->stalls;
        if (pid < 0) { /* claimed for a fork whose child never said so */
            if (s->stalls > STALL_KILL) {
                ++fig.lost;
                s->pid = 0;
            }
            continue;
        }
        if (s->stalls == STALL_CONT || s->stalls == STALL_KILL) {
            const char state = process_state(pid);
            if (sys2(SYS_kill, pid, 0) < 0 || state == '?') {
                ++fig.lost; /* reaped by a fuzzing parent */
                s->pid = 0;
                continue;
            }
            if (state == 'Z') { /* dead: its fuzzing parent has not waited yet */
                if (s->stalls == STALL_KILL) {
                    end_stuck_zombie(s);
                    s->stalls = 0;
                }
                continue;
            }
            if (s->stalls == STALL_CONT) {
                sys2(SYS_kill, pid, SIGCONT);
                continue;
            }
            ++fig.hangs;
            rt_print("fuzz: hang: pid ");
            rt_print_number(pid);
            rt_print(" (state ");
            char st[2] = {state, 0};
            rt_print(st);
            rt_print(", stream ");
            rt_print_number((long)s->stream);
            rt_print(") made no call for ");
            rt_print_number(STALL_KILL * TICK_MS / 1000);
            rt_print(" s, in ");
            print_slot_call(s);
            rt_print(": killed\n");
            print_threads(s);
            sys2(SYS_kill, pid, SIGKILL);
            s->stalls = -UNKILLABLE;
        } else if (s->stalls == 0 && process_state(pid) != 'Z') { /* counted up from -UNKILLABLE */
            rt_print("fuzz: FAIL: pid ");
            rt_print_number(pid);
            rt_print(" still there 10 s after SIGKILL, in ");
            print_slot_call(s);
            rt_print("\n");
            print_threads(s);
            ++check_failures;
            s->pid = 0;
        }
    }
}

/* What is still there (printed while the end of a run waits long). */
static void print_slots(void) {
    for (long pid = 2; pid < 400; ++pid) { /* every process whose parent is main */
        char path[40];
        stat_path(pid, path);
        char text[200];
        const long fd = sys3(SYS_open, (long)path, 0, 0);
        if (fd < 0) {
            continue;
        }
        const long n = sys3(SYS_read, fd, (long)text, sizeof(text) - 1);
        sys1(SYS_close, fd);
        text[n > 0 ? n : 0] = '\0';
        rt_print("fuzz: process ");
        rt_print(text);
        rt_print("\n");
    }
    for (int i = 0; i < SLOTS; ++i) {
        const struct slot* s = &sh->slots[i];
        if (s->pid != 0) {
            rt_print("fuzz: waiting for pid ");
            rt_print_number(s->pid);
            rt_print(" state ");
            const char st[2] = {s->pid > 0 ? process_state(s->pid) : '-', 0};
            rt_print(st);
            rt_print(" stalls ");
            rt_print_number(s->stalls);
            rt_print(" in ");
            print_slot_call(s);
            rt_print("\n");
        }
    }
}

static void account(long pid, int status) {
    const int slot = slot_of(pid);
    const int by_watchdog = slot >= 0 && sh->slots[slot].stalls < 0;
    if (slot >= 0) {
        sh->slots[slot].pid = 0;
    } else {
        ++fig.unregistered; /* vfork children, clone children with other exit signals */
    }
    if ((status & 0x7f) == 0) {
        ++fig.exited;
    } else if (!by_watchdog) {
        ++fig.by_signal[status & 0x7f];
    }
}

static int live_slots(void) {
    int n = 0;
    for (int i = 0; i < SLOTS; ++i) {
        n += sh->slots[i].pid != 0;
    }
    return n;
}

/* Runs `target` calls from WORKERS processes at a time; gives the rdtsc
 * cycles and the nanoseconds it took. */
static void run(long target, unsigned long* cycles, long* nanoseconds) {
    sh->calls = 0;
    sh->target = target;
    sh->stop_signaller = 0;
    struct {
        long s, ns;
    } t0, t1;
    sys2(SYS_clock_gettime, 1, (long)&t0);
    const unsigned long c0 = rt_rdtsc();
    const long signaller_pid = sys0(SYS_fork);
    if (signaller_pid == 0) {
        signaller(mix_seed(run_seed, 0x5157));
    }
    unsigned long next_stream = 1;
    long next_report = target / 10;
    long ticks_after = 0;
    long ticks_lingering = 0;
    int killed_lingering = 0;
    int signaller_live = signaller_pid > 0;
    for (;;) {
        while (sh->calls < target && live_slots() < WORKERS) {
            const int slot = claim_slot();
            sh->slots[slot].stream = next_stream++;
            const long pid = sys0(SYS_fork);
            if (pid == 0) {
                worker(slot);
            }
            if (pid < 0) {
                sh->slots[slot].pid = 0;
                break;
            }
        }
        if (sh->calls >= target && live_slots() == 0 && signaller_live) {
            sh->stop_signaller = 1;
            signaller_live = 0;
        }
        int status = 0;
        const long pid = sys4(SYS_wait4, -1, (long)&status, WALL | WUNTRACED, 0);
        if (pid > 0 && (status & 0xff) == 0x7f) {
            sys2(SYS_kill, pid, SIGCONT); /* stopped: main's children go on, to their end */
        } else if (pid > 0) {
            if (killed_lingering && pid != signaller_pid && slot_of(pid) < 0) {
                ++fig.lingering;
            } else if (pid != signaller_pid) {
                account(pid, status);
            }
        } else if (pid == -ECHILD) {
            break;
        }
        if (ticked) {
            ticked = 0;
            watchdog_tick();
            if (sh->calls >= target && ++ticks_after % 50 == 0) {
                print_slots();
            }
            /* The end, and only processes no slot holds are left: orphans
             * main adopted (a worker's children, or a process whose
             * threads outlived its leader, asleep for ever), which the
             * watchdog does not watch. A while later they are killed
             * (main is pid 1, which kill(-1) spares) and counted. */
            if (sh->calls >= target && live_slots() == 0 && !signaller_live &&
                ++ticks_lingering == LINGER_TICKS) {
                sys2(SYS_kill, -1, 9 /* SIGKILL */);
                killed_lingering = 1;
            }
            if (sh->calls >= next_report && next_report <= target) {
                rt_print("fuzz: ");
                rt_print_number(sh->calls);
                rt_print(" calls\n");
                next_report += target / 10;
            }
        }
    }
    *cycles = rt_rdtsc() - c0;
    sys2(SYS_clock_gettime, 1, (long)&t1);
    *nanoseconds = (t1.s - t0.s) * 1000000000L + (t1.ns - t0.ns);
}

/* ---- cleanup ----------------------------------------------------------- */

/* Gives 1 if path is gone. */
static int remove_tree(const char* path, int depth) {
    for (int i = 0; i < 16 && sys2(SYS_umount2, (long)path, 2 /* MNT_DETACH */) == 0; ++i) {
    }
    const long fd = sys3(SYS_open, (long)path, 0200000 | 0400000 /* O_NOFOLLOW */, 0);
    if (fd >= 0 && depth < 12) {
        char buffer[2048];
        long n;
        int removed = 1;
        /* Until a pass removes nothing (what cannot be removed stays). */
        while (removed && (n = sys3(SYS_getdents64, fd, (long)buffer, sizeof(buffer))) > 0) {
            removed = 0;
            for (long at = 0; at < n;) {
                const unsigned short length = *(unsigned short*)(buffer + at + 16);
                const unsigned char type = (unsigned char)buffer[at + 18];
                const char* name = buffer + at + 19;
                at += length;
                if (rt_strcmp(name, ".") == 0 || rt_strcmp(name, "..") == 0) {
                    continue;
                }
                char child[600];
                const unsigned long p = rt_strlen(path), q = rt_strlen(name);
                if (p + q + 2 > sizeof(child)) {
                    continue;
                }
                memcpy(child, path, p);
                child[p] = '/';
                memcpy(child + p + 1, name, q + 1);
                sys2(SYS_chmod, (long)child, 0700);
                if (type == 4 /* DT_DIR */) {
                    removed |= remove_tree(child, depth + 1);
                } else {
                    removed |= sys1(SYS_unlink, (long)child) == 0;
                }
            }
            sys3(SYS_lseek, fd, 0, 0); /* the entries moved: read again from the start */
        }
    }
    if (fd >= 0) {
        sys1(SYS_close, fd);
    }
    return sys1(SYS_rmdir, (long)path) == 0;
}

/* Every SysV object there is (the fuzzer's: no other test leaves any). */
static int remove_ipc(void) {
    int removed = 0;
    static const int stat_commands[3] = {13 /* SHM_STAT */, 18 /* SEM_STAT */, 11 /* MSG_STAT */};
    static long buffer[64];
    for (int kind = 0; kind < 3; ++kind) {
        for (long index = 0; index < 512; ++index) {
            long id;
            if (kind == 0) {
                id = sys3(SYS_shmctl, index, stat_commands[0], (long)buffer);
                if (id >= 0) {
                    removed += sys3(SYS_shmctl, id, 0 /* IPC_RMID */, 0) == 0;
                }
            } else if (kind == 1) {
                id = sys4(SYS_semctl, index, 0, stat_commands[1], (long)buffer);
                if (id >= 0) {
                    removed += sys4(SYS_semctl, id, 0, 0, 0) == 0;
                }
            } else {
                id = sys3(SYS_msgctl, index, stat_commands[2], (long)buffer);
                if (id >= 0) {
                    removed += sys3(SYS_msgctl, id, 0, 0) == 0;
                }
            }
        }
    }
    return removed;
}

static char saved_uname[390];

/* Files outside the scratch tree whose mode and owner calls can change
 * (devfs nodes take chmod and chown): put back after each run. */
static const char* const kept_files[] = {"/dev/null", "/dev/zero",    "/dev/urandom", "/dev",
                                         "/",         "/etc/motd",    "/bin/true",    "/dev/random",
                                         "/dev/shm",  "/proc/self/fd"};
static struct {
    unsigned mode, uid, gid;
    int known;
} kept[COUNT(kept_files)];

static void keep_files(void) {
    for (int i = 0; i < COUNT(kept_files); ++i) {
        unsigned char st[144];
        kept[i].known = sys2(SYS_lstat, (long)kept_files[i], (long)st) == 0;
        kept[i].mode = *(unsigned*)(st + 24) & 07777;
        kept[i].uid = *(unsigned*)(st + 28);
        kept[i].gid = *(unsigned*)(st + 32);
    }
}

static void restore_files(void) {
    for (int i = 0; i < COUNT(kept_files); ++i) {
        if (kept[i].known) {
            sys3(SYS_chown, (long)kept_files[i], kept[i].uid, kept[i].gid);
            sys2(SYS_chmod, (long)kept_files[i], kept[i].mode);
        }
    }
}

static void make_scratch(void) {
    remove_tree("/tmp/fz", 0);
    sys2(SYS_mkdir, (long)"/tmp/fz", 0777);
    sys2(SYS_mkdir, (long)"/tmp/fz/d0", 0777);
    sys2(SYS_mkdir, (long)"/tmp/fz/m0", 0777);
    sys2(SYS_mkdir, (long)"/tmp/fz/m1", 0777);
    sys3(SYS_mknod, (long)"/tmp/fz/p0", 0010644 /* S_IFIFO */, 0);
}

static void clean_up(void) {
    restore_files();
    const int gone = remove_tree("/tmp/fz", 0);
    const int objects = remove_ipc();
    rt_print("fuzz: clean-up: the scratch tree ");
    rt_print(gone ? "removed" : "NOT removed");
    rt_print(", ");
    rt_print_number(objects);
    rt_print(" SysV IPC objects removed\n");
    if (verbose) { /* the mount table after the clean-up */
        char text[4096];
        const long fd = sys3(SYS_open, (long)"/proc/self/mounts", 0, 0);
        const long n = fd >= 0 ? sys3(SYS_read, fd, (long)text, sizeof(text) - 1) : 0;
        sys1(SYS_close, fd);
        text[n > 0 ? n : 0] = '\0';
        rt_print(text);
    }
    sys2(SYS_sethostname, (long)(saved_uname + 65), (long)rt_strlen(saved_uname + 65));
    sys2(SYS_setdomainname, (long)(saved_uname + 5 * 65), (long)rt_strlen(saved_uname + 5 * 65));
    sys1(SYS_sync, 0);
}

/* ---- the figures ------------------------------------------------------- */

static void print_figures(long calls_made, unsigned long cycles, long nanoseconds) {
    rt_print("fuzz: ");
    rt_print_number(calls_made);
    rt_print(" calls in ");
    rt_print_number(nanoseconds / 1000000);
    rt_print(" ms (CLOCK_MONOTONIC): ");
    rt_print_number(nanoseconds > 0 ? calls_made * 1000000000L / nanoseconds : 0);
    rt_print(" calls/s; ");
    rt_print_number(calls_made > 0 ? (long)(cycles / (unsigned long)calls_made) : 0);
    rt_print(" rdtsc cycles per call (wall time of the whole run, setup and processes "
             "included, divided by the calls)\n");
    rt_print("fuzz: processes: ");
    rt_print_number(fig.exited);
    rt_print(" exited, ");
    long deaths = 0;
    for (int s = 1; s < 65; ++s) {
        deaths += fig.by_signal[s];
    }
    rt_print_number(deaths);
    rt_print(" died by a signal (");
    int first = 1;
    for (int s = 1; s < 65; ++s) {
        if (fig.by_signal[s]) {
            rt_print(first ? "" : ", ");
            rt_print("signal ");
            rt_print_number(s);
            rt_print(": ");
            rt_print_number(fig.by_signal[s]);
            first = 0;
        }
    }
    rt_print("), ");
    rt_print_number(fig.hangs);
    rt_print(" hangs killed by the watchdog; ");
    rt_print_number(fig.unregistered);
    rt_print(" of them unregistered (vfork, odd exit signals), ");
    rt_print_number(fig.lost);
    rt_print(" reaped by a fuzzing parent; ");
    rt_print_number(fig.lingering);
    rt_print(" left at the end (orphans main adopted) killed\n");
}

/* Under Linux as init: what Kite's boot provides. */
static void linux_init_setup(void) {
    sys2(SYS_mkdir, (long)"/proc", 0755);
    sys2(SYS_mkdir, (long)"/tmp", 01777);
    sys2(SYS_mkdir, (long)"/etc", 0755);
    sys6(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0, 0);
    sys6(SYS_mount, (long)"tmpfs", (long)"/tmp", (long)"tmpfs", 0, 0, 0);
    sys6(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0);
    const long fd = sys3(SYS_open, (long)"/etc/motd", 0101, 0644);
    sys3(SYS_write, fd, (long)"motd\n", 5);
    sys1(SYS_close, fd);
}

/* main's stack grows with the clean-up's recursion: its pages are taken
 * before the first figures, not during the run. */
__attribute__((noinline)) static void touch_stack(void) {
    volatile char room[96 * 1024];
    for (unsigned i = 0; i < sizeof(room); i += 512) {
        room[i] = 0;
    }
}

static long number_argument(const char* text, long otherwise) {
    if (!text || text[0] < '0' || text[0] > '9') {
        return otherwise;
    }
    long value = 0;
    for (; *text >= '0' && *text <= '9'; ++text) {
        value = value * 10 + (*text - '0');
    }
    return value;
}

/* Every number in syscall_list.h has its row. */
static void check_table(void) {
#define SYSCALL(n, name)                                                                           \
    do {                                                                                           \
        int found = 0;                                                                             \
        for (int i = 0; i < COUNT(calls); ++i) {                                                   \
            found |= calls[i].number == n;                                                         \
        }                                                                                          \
        if (!found) {                                                                              \
            rt_print("fuzz: no row for " #name "\n");                                              \
        }                                                                                          \
        CHECK(found);                                                                              \
    } while (0);
#include "syscalls/syscall_list.h"
#undef SYSCALL
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    /* What the fuzzer's execve runs: "--exit", or an argv it spoiled (a
     * NULL argv arrives as {""}), which must not start a run of its own. */
    if ((argc > 1 && rt_strcmp(argv[1], "--exit") == 0) || argc < 1 || argv[0][0] == '\0') {
        return 0;
    }
    const int is_init = sys0(SYS_getpid) == 1;
    if (!on_kite() && !is_init) {
        rt_print("fuzz_syscalls: SKIPPED on Linux but as init in a VM (random calls could touch "
                 "real files)\n");
        return 0;
    }
    if (is_init && !on_kite()) {
        linux_init_setup();
    }
    run_seed = (unsigned long)number_argument(argc > 1 ? argv[1] : 0, 1);
    const long target = number_argument(argc > 2 ? argv[2] : 0, DEFAULT_CALLS);
    verbose = argc > 3 && argv[3][0] == 'v' ? 1 : argc > 3 && argv[3][0] == 'm' ? 2 : 0;
    left_out = argc > 4 ? argv[4] : 0;
    self_path = argv[0];
    exit_argv[0] = argv[0];
    exit_argv[1] = "--exit";
    check_table();
    rt_print("fuzz: seed ");
    rt_print_number((long)run_seed);
    rt_print(", ");
    rt_print_number(target);
    rt_print(" calls, ");
    rt_print_number(COUNT(calls));
    rt_print(" system calls in the table\n");

    /* Low, below the program: a munmap of a long range from a generated
     * address seldom reaches it. */
    sh = (struct shared*)sys6(SYS_mmap, 0x100000, sizeof(struct shared), 3,
                              0x31 /* MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED */, -1, 0);
    CHECK((long)sh > 0);
    shared_futex_words = sh->futex_words;
    ipc_ids = sh->ipc_ids;
    sys2(SYS_prctl, 36 /* PR_SET_CHILD_SUBREAPER */, 1);
    sys2(SYS_dup2, 1, console);
    sys1(SYS_uname, (long)saved_uname);
    keep_files();
    /* main ignores what the calls could send it (F_SETOWN's SIGIO...), but
     * the watchdog's alarm and SIGCHLD (ignoring it would reap for us). */
    for (int s = 1; s <= 64; ++s) {
        struct action a = {(void*)1 /* SIG_IGN */, 0, 0, 0};
        if (s == SIGALRM) {
            a = (struct action){(void*)on_alarm, SA_RESTORER, (void*)restore_rt, 0};
        }
        if (s != SIGCHLD && s != SIGKILL && s != 19) {
            sys4(SYS_rt_sigaction, s, (long)&a, 0, 8);
        }
    }
    struct {
        long interval_s, interval_us, value_s, value_us;
    } tick = {0, TICK_MS * 1000, 0, TICK_MS * 1000};
    sys3(SYS_setitimer, 0 /* ITIMER_REAL */, (long)&tick, 0);

    /* A first, short run warms the caches the measured one will use. */
    char before[128], after[128];
    unsigned long cycles;
    long nanoseconds;
    make_scratch();
    run(target < 2000 ? target : 2000, &cycles, &nanoseconds);
    clean_up();
    memset(&fig, 0, sizeof(fig));
    touch_stack();
    const int have_stats = read_kite_stats(before, sizeof(before));

    make_scratch();
    run(target, &cycles, &nanoseconds);
    const long calls_made = sh->calls < target ? sh->calls : target;
    clean_up();
    struct {
        long interval_s, interval_us, value_s, value_us;
    } off = {0, 0, 0, 0};
    sys3(SYS_setitimer, 0, (long)&off, 0);
    print_figures(calls_made, cycles, nanoseconds);
    CHECK_EQ(calls_made, target);
    if (have_stats) {
        /* What the last processes held (kernel stacks, lazily detached
         * mounts) may come back a moment after their reaping: a second. */
        for (int tries = 0; tries < 100; ++tries) {
            CHECK(read_kite_stats(after, sizeof(after)));
            if (text_equal(before, after)) {
                break;
            }
            struct {
                long s, ns;
            } pause = {0, 10000000};
            sys2(SYS_nanosleep, (long)&pause, 0);
        }
        rt_print("fuzz: leak check: ");
        rt_print(text_equal(before, after) ? "ok" : "FAIL");
        rt_print(": before ");
        rt_print(before);
        rt_print("fuzz:                  after  ");
        rt_print(after);
        CHECK(text_equal(before, after));
    } else {
        rt_print("fuzz: leak check: not on Kite (no /proc/kite/memory)\n");
    }
    const int status = check_done("fuzz_syscalls");
    if (is_init && !on_kite()) {
        sys1(SYS_sync, 0);
        sys4(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc /* POWER_OFF */, 0);
    }
    return status;
}
