/* bench_threads: cycles (rdtsc) for a thread create + join, a futex wake
 * round trip between two threads (two wakes, two context switches), a
 * contended mutex handed between two threads, and clone(CLONE_VM|
 * CLONE_VFORK) + exec + wait (posix_spawn's way). Prints "UBENCH <name>
 * <cycles>"; runs on Kite and as /init under Linux. */
#include "thread_lib.h"

#define SIGCHLD 17

static struct test_thread threads[2];

static int nothing(void* arg) {
    return (int)(long)arg;
}

/* Ping-pong: each side waits until the word is its own value, then hands
 * it over and wakes the other. */
static volatile int ball;
static int trips;

static int pong(void* arg) {
    (void)arg;
    for (int i = 0; i < trips; ++i) {
        while (atomic_load(&ball) != 1) {
            futex(&ball, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
        }
        __atomic_store_n(&ball, 0, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    }
    return 0;
}

/* Hand-off: both threads take the mutex in turn (a turn word under it),
 * so every lock finds it held and every unlock wakes the other. */
static struct mutex lock;
static struct condvar turned;
static volatile int turn;
static int handoffs;

static int take_turns(void* arg) {
    int me = (int)(long)arg;
    for (int i = 0; i < handoffs; ++i) {
        mutex_lock(&lock);
        while (turn != me) {
            condvar_wait(&turned, &lock);
        }
        turn = 1 - me;
        condvar_broadcast(&turned);
        mutex_unlock(&lock);
    }
    return 0;
}

/* The spawned child: exec at once, on a stack of its own in the parent's
 * memory (posix_spawn's way). */
static char** spawn_argv;
static int exec_child(void* path) {
    char* child_envp[] = {0};
    sys3(SYS_execve, (long)path, (long)spawn_argv, (long)child_envp);
    return 1;
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc >= 2 && text_equal(argv[1], "--exit")) {
        return 0;
    }
    /* thread create + join */
    const int creates = 200;
    unsigned long start = rt_rdtsc();
    for (int i = 0; i < creates; ++i) {
        thread_start(&threads[0], nothing, 0);
        thread_join(&threads[0]);
    }
    bench_report("thread_create_join", (long)((rt_rdtsc() - start) / creates));

    /* futex wake round trip */
    trips = 2000;
    ball = 0;
    thread_start(&threads[0], pong, 0);
    start = rt_rdtsc();
    for (int i = 0; i < trips; ++i) {
        __atomic_store_n(&ball, 1, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
        while (atomic_load(&ball) != 0) {
            futex(&ball, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
        }
    }
    bench_report("futex_round_trip", (long)((rt_rdtsc() - start) / trips));
    thread_join(&threads[0]);

    /* contended mutex hand-off */
    handoffs = 1000;
    turn = 0;
    start = rt_rdtsc();
    thread_start(&threads[0], take_turns, (void*)0);
    thread_start(&threads[1], take_turns, (void*)1);
    thread_join(&threads[0]);
    thread_join(&threads[1]);
    bench_report("mutex_handoff", (long)((rt_rdtsc() - start) / (2 * handoffs)));

    /* clone(CLONE_VM|CLONE_VFORK) + exec + wait */
    const int spawns = 50;
    char* child_argv[] = {argv[0], "--exit", 0};
    spawn_argv = child_argv;
    start = rt_rdtsc();
    for (int i = 0; i < spawns; ++i) {
        struct test_thread* t = &threads[0];
        t->fn = exec_child;
        t->arg = argv[0];
        long pid = thread_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, t->stack + sizeof(t->stack), t,
                                &t->tid, 0);
        int status;
        sys4(SYS_wait4, pid, (long)&status, 0, 0);
    }
    bench_report("vfork_exec_wait", (long)((rt_rdtsc() - start) / spawns));
    return 0;
}
