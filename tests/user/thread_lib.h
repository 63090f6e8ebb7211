/* thread_lib.h: threads for the system-call tests, made as pthreads makes
 * them (clone with CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
 * CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID on a
 * stack of their own), joined through the cleared tid word and a futex,
 * plus a futex mutex and condition variable. CHECK is not thread-safe:
 * threads report through memory and the main thread checks. */
#ifndef KITE_THREAD_LIB_H
#define KITE_THREAD_LIB_H

#include "check.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define PTHREAD_FLAGS                                                                              \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |            \
     CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define ARCH_GET_FS 0x1003

#define THREAD_STACK_SIZE 16384
#define MAX_TEST_THREADS 128

/* One thread: its stack, its TLS block (whose first word points to itself,
 * as the x86-64 TLS ABI wants), and the tid word the kernel clears. */
struct test_thread {
    _Alignas(16) char stack[THREAD_STACK_SIZE];
    unsigned long tls[4];
    volatile int tid;    /* CLONE_PARENT_SETTID, then cleared at exit */
    volatile int result; /* what fn returned, read after the join */
    int (*fn)(void*);
    void* arg;
};

/* The clone itself: the child pops the struct pointer from its new stack,
 * runs thread_main on it and ends with exit (not exit_group). */
long thread_clone(long flags, void* stack_top, struct test_thread* t, volatile int* tid_word,
                  void* tls);
__asm__(".text\n"
        "thread_clone:\n"
        "    and $-16, %rsi\n"
        "    sub $8, %rsi\n"      /* after the pop, the call leaves rsp+8 aligned */
        "    mov %rdx, 0(%rsi)\n" /* t, for the child */
        "    mov %rcx, %rdx\n"    /* parent_tid */
        "    mov %rcx, %r10\n"    /* child_tid: the same word */
        "    mov $56, %eax\n"     /* tls is already in r8 */
        "    syscall\n"
        "    test %rax, %rax\n"
        "    jnz 1f\n"
        "    xor %ebp, %ebp\n"
        "    pop %rdi\n"
        "    call thread_main\n"
        "    mov %eax, %edi\n"
        "    mov $60, %eax\n"
        "    syscall\n"
        "    hlt\n"
        "1:  ret\n");

__attribute__((used)) static int thread_main(struct test_thread* t) {
    t->result = t->fn(t->arg);
    return 0;
}

__attribute__((unused)) static long futex(volatile int* word, long op, long value, long timeout,
                                          volatile int* word2, long value3) {
    return sys6(SYS_futex, (long)word, op, value, timeout, (long)word2, value3);
}

/* Starts fn(arg) on a new thread; gives its tid (or -errno). */
__attribute__((unused)) static long thread_start(struct test_thread* t, int (*fn)(void*),
                                                 void* arg) {
    t->fn = fn;
    t->arg = arg;
    t->result = -1;
    t->tid = -1;
    t->tls[0] = (unsigned long)&t->tls[0];
    return thread_clone(PTHREAD_FLAGS, t->stack + sizeof(t->stack), t, &t->tid, t->tls);
}

/* Waits until the thread has ended: the kernel clears its tid word and
 * wakes the futex on it, as pthread_join relies on. */
__attribute__((unused)) static int thread_join(struct test_thread* t) {
    for (;;) {
        int tid = t->tid;
        if (tid == 0) {
            return t->result;
        }
        futex(&t->tid, FUTEX_WAIT, tid, 0, 0, 0);
    }
}

__attribute__((unused)) static int atomic_add(volatile int* word, int n) {
    return __atomic_fetch_add(word, n, __ATOMIC_SEQ_CST);
}
__attribute__((unused)) static int atomic_load(volatile int* word) {
    return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}

/* How many threads wait on the word now, without waking any: a requeue
 * of every waiter from the word to itself returns their number. */
__attribute__((unused)) static long futex_waiters(volatile int* word) {
    return futex(word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, 0x7fffffff, word, *word);
}

/* Yields until n threads wait on the word (the test's way to know that a
 * thread has gone to sleep, without guessing a time). */
__attribute__((unused)) static void wait_for_waiters(volatile int* word, long n) {
    while (futex_waiters(word) < n) {
        sys0(SYS_sched_yield);
    }
}

/* A mutex as Drepper's "Futexes are tricky" (0 free, 1 locked, 2 locked
 * with waiters) and a condition variable over a sequence number. */
struct mutex {
    volatile int state;
};
__attribute__((unused)) static void mutex_lock(struct mutex* m) {
    int c = 0;
    if (__atomic_compare_exchange_n(&m->state, &c, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        return;
    }
    if (c != 2) {
        c = __atomic_exchange_n(&m->state, 2, __ATOMIC_SEQ_CST);
    }
    while (c != 0) {
        futex(&m->state, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, 0, 0, 0);
        c = __atomic_exchange_n(&m->state, 2, __ATOMIC_SEQ_CST);
    }
}
__attribute__((unused)) static void mutex_unlock(struct mutex* m) {
    if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_SEQ_CST) != 1) {
        __atomic_store_n(&m->state, 0, __ATOMIC_SEQ_CST);
        futex(&m->state, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    }
}

struct condvar {
    volatile int sequence;
};
__attribute__((unused)) static void condvar_wait(struct condvar* c, struct mutex* m) {
    int seen = c->sequence;
    mutex_unlock(m);
    futex(&c->sequence, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, seen, 0, 0, 0);
    mutex_lock(m);
}
__attribute__((unused)) static void condvar_broadcast(struct condvar* c) {
    atomic_add(&c->sequence, 1);
    futex(&c->sequence, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0x7fffffff, 0, 0, 0);
}

#endif
