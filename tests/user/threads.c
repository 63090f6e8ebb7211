/* threads: thread groups as pthreads makes them. Threads share memory,
 * descriptors, the directory and signal handlers; getpid is the group's,
 * gettid each thread's; the tid word is cleared and woken at a thread's
 * exit (join); exit ends one thread and exit_group all; exec and fatal
 * signals from a non-main thread take the whole group; wait4 sees the
 * group; tkill and tgkill reach one thread and kill any that does not
 * block the signal; a mutex and condition variable over futexes hold up
 * under 8 threads; and threads leave nothing behind (Kite's counters). */
#include "signal_action.h"
#include "thread_lib.h"

#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGCHLD 17
#define SIGKILL_NUMBER 9
#define SA_RESTORER 0x04000000
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define O_RDONLY 0

static struct test_thread threads[MAX_TEST_THREADS];
static const char* self_path;
static char** self_envp;

static long wait_status(long pid) {
    int status = -1;
    long got = sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return got == pid ? status : -1000 + got;
}

static long set_action(int signal, void* handler) {
    struct action a = {handler, SA_RESTORER, (void*)restore_rt, 0};
    return sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static long block(int how, int signal) {
    unsigned long set = 1UL << (signal - 1);
    return sys4(SYS_rt_sigprocmask, how, (long)&set, 0, 8);
}

/* ---- identity and sharing ---- */

static volatile int shared_word;
static volatile long seen_pid, seen_tid;
static volatile unsigned long seen_fs;
static int pipe_fds[2];

static int identity_thread(void* arg) {
    seen_pid = sys0(SYS_getpid);
    seen_tid = sys0(SYS_gettid);
    sys2(SYS_arch_prctl, ARCH_GET_FS, (long)&seen_fs);
    shared_word = (int)(long)arg;
    /* Descriptors are shared: this pipe is the main thread's. */
    sys3(SYS_write, pipe_fds[1], (long)"t", 1);
    /* So is the directory. */
    sys1(SYS_chdir, (long)"/");
    return 17;
}

static void identity_and_sharing(void) {
    char cwd_before[256];
    CHECK(sys2(SYS_getcwd, (long)cwd_before, sizeof(cwd_before)) > 0);
    CHECK_EQ(sys2(SYS_pipe2, (long)pipe_fds, 0), 0);
    struct test_thread* t = &threads[0];
    long tid = thread_start(t, identity_thread, (void*)42);
    CHECK(tid > 0);
    CHECK(tid != sys0(SYS_getpid));
    CHECK_EQ(thread_join(t), 17);
    CHECK_EQ(t->tid, 0); /* CLONE_CHILD_CLEARTID */
    CHECK_EQ(seen_pid, sys0(SYS_getpid));
    CHECK_EQ(seen_tid, tid); /* CLONE_PARENT_SETTID gave the same id */
    CHECK_EQ(seen_fs, (unsigned long)t->tls);
    CHECK_EQ(shared_word, 42);
    char c = 0;
    CHECK_EQ(sys3(SYS_read, pipe_fds[0], (long)&c, 1), 1);
    CHECK_EQ(c, 't');
    char cwd[256];
    CHECK_EQ(sys2(SYS_getcwd, (long)cwd, sizeof(cwd)), 2);
    CHECK_EQ(cwd[0], '/');
    sys1(SYS_chdir, (long)cwd_before);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);
    /* The main thread's tid is the pid. */
    CHECK_EQ(sys0(SYS_gettid), sys0(SYS_getpid));
}

/* ---- many threads ---- */

static volatile int counter;

static int count_thread(void* arg) {
    atomic_add(&counter, (int)(long)arg);
    return (int)(long)arg;
}

static void hundred_threads(void) {
    counter = 0;
    int started = 0;
    for (int i = 0; i < 100; ++i) {
        started += thread_start(&threads[i], count_thread, (void*)(long)(i + 1)) > 0;
    }
    CHECK_EQ(started, 100);
    int results = 0;
    for (int i = 0; i < 100; ++i) {
        results += thread_join(&threads[i]) == i + 1;
    }
    CHECK_EQ(results, 100);
    CHECK_EQ(counter, 5050);
}

/* ---- mutex and condition variable, 8 threads ---- */

static struct mutex lock;
static struct condvar changed;
static volatile int guarded;    /* incremented under the lock */
static volatile int turn;       /* whose turn it is, 0..7, under the lock */
static volatile int turns_seen; /* how many turns were taken in order */

#define WORKOUT_THREADS 8
#define WORKOUT_ROUNDS 40

static int workout_thread(void* arg) {
    int me = (int)(long)arg;
    for (int round = 0; round < WORKOUT_ROUNDS; ++round) {
        for (int i = 0; i < 25; ++i) {
            mutex_lock(&lock);
            int v = guarded;
            if (i % 5 == 0) {
                sys0(SYS_sched_yield); /* hold the lock across a switch now and then */
            }
            guarded = v + 1;
            mutex_unlock(&lock);
        }
        /* Take turns in a fixed order: each waits on the condition until
         * it is its own. */
        mutex_lock(&lock);
        while (turn != me) {
            condvar_wait(&changed, &lock);
        }
        ++turns_seen;
        turn = (turn + 1) % WORKOUT_THREADS;
        condvar_broadcast(&changed);
        mutex_unlock(&lock);
    }
    return 0;
}

static void mutex_workout(void) {
    guarded = 0;
    turn = 0;
    turns_seen = 0;
    for (int i = 0; i < WORKOUT_THREADS; ++i) {
        CHECK(thread_start(&threads[i], workout_thread, (void*)(long)i) > 0);
    }
    for (int i = 0; i < WORKOUT_THREADS; ++i) {
        thread_join(&threads[i]);
    }
    CHECK_EQ(guarded, WORKOUT_THREADS * WORKOUT_ROUNDS * 25);
    CHECK_EQ(turns_seen, WORKOUT_THREADS * WORKOUT_ROUNDS);
    CHECK_EQ(lock.state, 0);
}

/* ---- a thread ends while others sleep in futex_wait ---- */

static volatile int gate;

static int gate_thread(void* arg) {
    (void)arg;
    while (atomic_load(&gate) == 0) {
        futex(&gate, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
    }
    return 1;
}

static int quick_thread(void* arg) {
    return (int)(long)arg;
}

static void exit_while_others_wait(void) {
    gate = 0;
    for (int i = 0; i < 4; ++i) {
        CHECK(thread_start(&threads[i], gate_thread, 0) > 0);
    }
    wait_for_waiters(&gate, 4);
    CHECK(thread_start(&threads[4], quick_thread, (void*)9) > 0);
    CHECK_EQ(thread_join(&threads[4]), 9);
    CHECK_EQ(futex_waiters(&gate), 4); /* still asleep */
    __atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
    CHECK_EQ(futex(&gate, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0x7fffffff, 0, 0, 0), 4);
    int done = 0;
    for (int i = 0; i < 4; ++i) {
        done += thread_join(&threads[i]);
    }
    CHECK_EQ(done, 4);
}

/* ---- ends of the group, in a child process each ---- */

static volatile int never; /* no one wakes this */

static int sleeper_thread(void* arg) {
    (void)arg;
    while (atomic_load(&never) == 0) {
        futex(&never, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
    }
    return 0;
}

static int exit_group_thread(void* arg) {
    sys1(SYS_exit_group, (long)arg);
    return 0;
}

static int segv_thread(void* arg) {
    (void)arg;
    *(volatile int*)UNMAPPED_ADDRESS = 1;
    return 0;
}

static int tgkill_segv_thread(void* arg) {
    (void)arg;
    sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), SIGSEGV);
    return 0;
}

static int exec_thread(void* arg) {
    (void)arg;
    char* argv[] = {(char*)self_path, "--leader-check", 0};
    sys3(SYS_execve, (long)self_path, (long)argv, (long)self_envp);
    return 99;
}

static int late_exit_thread(void* arg) {
    /* Runs on after the main thread has ended with exit. */
    volatile int* main_tid = arg;
    while (atomic_load(main_tid) != 0) {
        futex(main_tid, FUTEX_WAIT, atomic_load(main_tid), 0, 0, 0);
    }
    sys1(SYS_exit, 9);
    return 0;
}

/* A child with two sleeping threads whose last thread runs `fn`; gives
 * the child's wait status. */
static long group_end(int (*fn)(void*), void* arg) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        never = 0;
        thread_start(&threads[0], sleeper_thread, 0);
        thread_start(&threads[1], sleeper_thread, 0);
        wait_for_waiters(&never, 2);
        thread_start(&threads[2], fn, arg);
        for (;;) {
            futex(&never, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
        }
    }
    return wait_status(pid);
}

static volatile int main_tid_word;

static void group_ends(void) {
    CHECK_EQ(group_end(exit_group_thread, (void*)7), 7 << 8);
    CHECK_EQ(group_end(segv_thread, 0) & 0x7f, SIGSEGV);
    CHECK_EQ(group_end(tgkill_segv_thread, 0) & 0x7f, SIGSEGV);
    /* exec from a non-main thread: the others go, the exec'ing thread
     * takes the pid, and the new program finds itself alone. */
    CHECK_EQ(group_end(exec_thread, 0), 5 << 8);

    /* The main thread ends with exit while another thread goes on: the
     * process lives until its last thread ends, and wait4 reports the
     * last thread's status, as Linux does. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        main_tid_word = 1;
        thread_start(&threads[0], late_exit_thread, (void*)&main_tid_word);
        /* set_tid_address: the main thread's own word, cleared as it ends. */
        sys1(SYS_set_tid_address, (long)&main_tid_word);
        sys1(SYS_exit, 3);
    }
    CHECK_EQ(wait_status(pid), 9 << 8);

    /* wait4 sees processes, not threads: a thread is no child. */
    struct test_thread* t = &threads[0];
    gate = 0;
    long tid = thread_start(t, gate_thread, 0);
    CHECK(tid > 0);
    int status;
    CHECK_ERRNO(sys4(SYS_wait4, tid, (long)&status, 1 /* WNOHANG */, 0), ECHILD);
    CHECK_ERRNO(sys4(SYS_wait4, tid, (long)&status, 0x40000000 /* __WALL */, 0), ECHILD);
    __atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
    futex(&gate, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    thread_join(t);
}

/* ---- a group stop: reported once every thread has stopped ---- */

static volatile long* spin_counter;

static int spinner_thread(void* arg) {
    (void)arg;
    for (;;) {
        __atomic_fetch_add(spin_counter, 1, __ATOMIC_SEQ_CST);
    }
    return 0;
}

static void group_stop(void) {
    spin_counter =
        (volatile long*)sys6(SYS_mmap, 0, 4096, 3, 0x21 /* MAP_SHARED|ANONYMOUS */, -1, 0);
    CHECK((long)spin_counter > 0);
    *spin_counter = 0;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        thread_start(&threads[0], spinner_thread, 0);
        for (;;) {
            sys0(SYS_pause);
        }
    }
    while (__atomic_load_n(spin_counter, __ATOMIC_SEQ_CST) == 0) {
        sys0(SYS_sched_yield);
    }
    CHECK_EQ(sys2(SYS_kill, pid, 19 /* SIGSTOP */), 0);
    int status = 0;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 2 /* WUNTRACED */, 0), pid);
    CHECK_EQ(status & 0xff, 0x7f);
    /* Reported stopped: the spinning thread is stopped too. */
    long before = __atomic_load_n(spin_counter, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 200; ++i) {
        sys0(SYS_sched_yield);
    }
    CHECK_EQ(__atomic_load_n(spin_counter, __ATOMIC_SEQ_CST), before);
    CHECK_EQ(sys2(SYS_kill, pid, 18 /* SIGCONT */), 0);
    int moved = 0;
    for (int i = 0; i < 1000000 && !moved; ++i) {
        moved = __atomic_load_n(spin_counter, __ATOMIC_SEQ_CST) != before;
        sys0(SYS_sched_yield);
    }
    CHECK(moved);
    sys2(SYS_kill, pid, SIGKILL_NUMBER);
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    CHECK_EQ(status & 0x7f, SIGKILL_NUMBER);
    sys2(SYS_munmap, (long)spin_counter, 4096);
}

/* ---- signals and threads ---- */

static volatile long handled_by;
static volatile int handled_count;

static void on_usr(int signal) {
    (void)signal;
    handled_by = sys0(SYS_gettid);
    atomic_add(&handled_count, 1);
}

static volatile int signal_ready;

static int unblocked_thread(void* arg) {
    (void)arg;
    block(SIG_UNBLOCK, SIGUSR1);
    atomic_add(&signal_ready, 1);
    while (atomic_load(&handled_count) == 0) {
        futex(&handled_count, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
    }
    return 0;
}

static void signals_and_threads(void) {
    CHECK_EQ(set_action(SIGUSR1, (void*)on_usr), 0);
    /* A process-directed signal goes to a thread that does not block it. */
    CHECK_EQ(block(SIG_BLOCK, SIGUSR1), 0);
    handled_count = 0;
    signal_ready = 0;
    struct test_thread* t = &threads[0];
    long tid = thread_start(t, unblocked_thread, 0); /* starts blocked: the mask is inherited */
    CHECK(tid > 0);
    while (atomic_load(&signal_ready) == 0) {
        sys0(SYS_sched_yield);
    }
    CHECK_EQ(sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1), 0);
    thread_join(t);
    CHECK_EQ(handled_by, tid);
    CHECK_EQ(handled_count, 1);

    /* tgkill reaches the named thread even though another could take it. */
    CHECK_EQ(block(SIG_UNBLOCK, SIGUSR1), 0);
    handled_count = 0;
    gate = 0;
    tid = thread_start(t, gate_thread, 0);
    CHECK(tid > 0);
    wait_for_waiters(&gate, 1);
    handled_by = 0;
    CHECK_EQ(sys3(SYS_tgkill, sys0(SYS_getpid), tid, SIGUSR1), 0);
    while (atomic_load(&handled_count) == 0) {
        sys0(SYS_sched_yield);
    }
    CHECK_EQ(handled_by, tid);
    /* A handler that interrupts futex_wait does not end the wait for good:
     * gate_thread waits again. */
    wait_for_waiters(&gate, 1);
    __atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
    futex(&gate, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    CHECK_EQ(thread_join(t), 1);

    /* tkill and tgkill to oneself; the pending set is per thread. */
    handled_count = 0;
    CHECK_EQ(sys2(SYS_tkill, sys0(SYS_gettid), SIGUSR1), 0);
    CHECK_EQ(handled_count, 1);
    CHECK_EQ(block(SIG_BLOCK, SIGUSR2), 0);
    CHECK_EQ(set_action(SIGUSR2, (void*)on_usr), 0);
    CHECK_EQ(sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), SIGUSR2), 0);
    unsigned long pending = 0;
    CHECK_EQ(sys2(SYS_rt_sigpending, (long)&pending, 8), 0);
    CHECK_EQ(pending, 1UL << (SIGUSR2 - 1));
    CHECK_ERRNO(sys2(SYS_rt_sigpending, (long)&pending, 16), EINVAL);
    CHECK_ERRNO(sys2(SYS_rt_sigpending, UNMAPPED_ADDRESS, 8), EFAULT);
    handled_count = 0;
    CHECK_EQ(block(SIG_UNBLOCK, SIGUSR2), 0); /* delivered on the way out of this call */
    CHECK_EQ(handled_count, 1);
    CHECK_EQ(sys2(SYS_rt_sigpending, (long)&pending, 8), 0);
    CHECK_EQ(pending, 0);

    /* Bad ids and signals. */
    long self = sys0(SYS_getpid);
    CHECK_ERRNO(sys2(SYS_tkill, 0, SIGUSR1), EINVAL);
    CHECK_ERRNO(sys2(SYS_tkill, -1, SIGUSR1), EINVAL);
    CHECK_ERRNO(sys3(SYS_tgkill, 0, self, SIGUSR1), EINVAL);
    CHECK_ERRNO(sys3(SYS_tgkill, self, 0, SIGUSR1), EINVAL);
    CHECK_ERRNO(sys3(SYS_tgkill, self, self, 65), EINVAL);
    CHECK_ERRNO(sys3(SYS_tgkill, self, 0x7ffffff0, 0), ESRCH);
    CHECK_ERRNO(sys3(SYS_tgkill, self + 0x100000, self, 0), ESRCH);
    CHECK_EQ(sys3(SYS_tgkill, self, self, 0), 0);
    CHECK_ERRNO(sys2(SYS_tkill, 0x7ffffff0, 0), ESRCH);
    set_action(SIGUSR1, 0);
    set_action(SIGUSR2, 0);
}

/* ---- clone flags a thread must come with ---- */

static void refused_flags(void) {
    /* Linux's own rules. */
    CHECK_ERRNO(sys6(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_clone, CLONE_SIGHAND | CLONE_FS, 0, 0, 0, 0, 0), EINVAL);
    if (on_kite()) {
        /* rseq is refused as Linux allows (C libraries then go without). */
        static char rseq_area[32] __attribute__((aligned(32)));
        CHECK_ERRNO(sys4(334 /* rseq */, (long)rseq_area, 32, 0, 0x53053053), ENOSYS);
        /* Kite's: a thread shares descriptors and directory too. */
        CHECK_ERRNO(sys6(SYS_clone, CLONE_THREAD | CLONE_VM | CLONE_SIGHAND, 0, 0, 0, 0, 0),
                    EINVAL);
    }
}

/* ---- threads opening and closing descriptors in one table at once ---- */

static volatile int descriptor_errors;

static int descriptor_thread(void* arg) {
    (void)arg;
    for (int i = 0; i < 300; ++i) {
        int p[2];
        if (sys2(SYS_pipe2, (long)p, 0) != 0) {
            atomic_add(&descriptor_errors, 1);
            continue;
        }
        long d = sys1(SYS_dup, p[0]);
        if (d < 0 || sys3(SYS_write, p[1], (long)"x", 1) != 1) {
            atomic_add(&descriptor_errors, 1);
        }
        char c;
        if (sys3(SYS_read, d, (long)&c, 1) != 1 || c != 'x') {
            atomic_add(&descriptor_errors, 1);
        }
        sys1(SYS_close, d);
        sys1(SYS_close, p[0]);
        sys1(SYS_close, p[1]);
        if (i % 16 == 0) {
            sys0(SYS_sched_yield);
        }
    }
    return 0;
}

static void shared_descriptors(void) {
    int before[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)before, 0), 0);
    sys1(SYS_close, before[0]);
    sys1(SYS_close, before[1]);
    descriptor_errors = 0;
    for (int i = 0; i < 4; ++i) {
        CHECK(thread_start(&threads[i], descriptor_thread, 0) > 0);
    }
    for (int i = 0; i < 4; ++i) {
        thread_join(&threads[i]);
    }
    CHECK_EQ(descriptor_errors, 0);
    /* Every descriptor the threads made is closed again. */
    int after[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)after, 0), 0);
    CHECK_EQ(after[0], before[0]);
    CHECK_EQ(after[1], before[1]);
    sys1(SYS_close, after[0]);
    sys1(SYS_close, after[1]);
}

/* ---- nothing left behind ---- */

static int leak_exit_group_thread(void* arg) {
    (void)arg;
    sys1(SYS_exit_group, 0);
    return 0;
}

static void no_leaks(void) {
    char before[128], after[128];
    if (!read_kite_stats(before, sizeof(before))) {
        return; /* Linux has no such counters */
    }
    int ok = 0;
    for (int i = 0; i < 500; ++i) {
        ok +=
            thread_start(&threads[0], quick_thread, (void*)1) > 0 && thread_join(&threads[0]) == 1;
    }
    CHECK_EQ(ok, 500);
    int groups = 0;
    for (int i = 0; i < 500; ++i) {
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            thread_start(&threads[0], leak_exit_group_thread, 0);
            for (;;) {
                futex(&never, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
            }
        }
        groups += wait_status(pid) == 0;
    }
    CHECK_EQ(groups, 500);
    /* A joined thread may not have left the CPU yet when its tid word is
     * cleared: wait until the scheduler has reaped it. */
    int same = 0;
    for (int i = 0; i < 10000 && !same; ++i) {
        sys0(SYS_sched_yield);
        read_kite_stats(after, sizeof(after));
        same = rt_strcmp(before, after) == 0;
    }
    if (!same) {
        rt_print("before: ");
        rt_print(before);
        rt_print("after:  ");
        rt_print(after);
    }
    CHECK(same);
}

int main(int argc, char** argv, char** envp) {
    if (argc == 2 && text_equal(argv[1], "--leader-check")) {
        /* After exec from a thread: alone, with the pid as tid. */
        return sys0(SYS_gettid) == sys0(SYS_getpid) ? 5 : 6;
    }
    self_path = argv[0];
    self_envp = envp;
    identity_and_sharing();
    hundred_threads();
    mutex_workout();
    exit_while_others_wait();
    group_ends();
    group_stop();
    signals_and_threads();
    refused_flags();
    shared_descriptors();
    no_leaks();
    return check_done("threads");
}
