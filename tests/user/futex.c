/* futex: every futex operation C libraries use, against Linux's answers:
 * WAIT (EAGAIN on a changed word, timeouts relative and absolute, on the
 * monotonic and real-time clocks, EINTR from a handler), WAKE and its
 * counts, bitsets, REQUEUE and CMP_REQUEUE, WAKE_OP's operations and
 * comparisons, private and process-shared words (a MAP_SHARED word across
 * fork), the argument errors, and robust lists released at thread exit. */
#include "signal_action.h"
#include "thread_lib.h"

#define SIGUSR1 10
#define SA_RESTORER 0x04000000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_OP(op, oparg, cmp, cmparg)                                                           \
    (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))

struct timespec {
    long seconds, nanoseconds;
};

static struct test_thread threads[8];

static long now_ns(int clock) {
    struct timespec t = {0, 0};
    sys2(SYS_clock_gettime, clock, (long)&t);
    return t.seconds * 1000000000L + t.nanoseconds;
}

static struct timespec at_ns(long ns) {
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    return t;
}

/* ---- arguments and the word check ---- */

static volatile int word;

static void arguments(void) {
    word = 5;
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 4, 0, 0, 0), EAGAIN);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 4, 0, 0, 0), EAGAIN);
    CHECK_ERRNO(sys6(SYS_futex, (long)&word + 1, FUTEX_WAIT, 5, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_futex, (long)&word + 2, FUTEX_WAKE, 1, 0, 0, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_futex, UNMAPPED_ADDRESS, FUTEX_WAIT, 0, 0, 0, 0), EFAULT);
    CHECK_ERRNO(sys6(SYS_futex, UNMAPPED_ADDRESS, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0),
                EFAULT);
    CHECK_ERRNO(sys6(SYS_futex, KERNEL_ADDRESS, FUTEX_WAKE, 1, 0, 0, 0), EFAULT);
    /* Nobody waits: waking finds none, on private or shared words. */
    CHECK_EQ(futex(&word, FUTEX_WAKE, 1, 0, 0, 0), 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0x7fffffff, 0, 0, 0), 0);
    /* A private wake of an unmapped word is no error (no page is read). */
    CHECK_EQ(sys6(SYS_futex, UNMAPPED_ADDRESS, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0), 0);
    /* Empty bitsets. */
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET, 5, 0, 0, 0), EINVAL);
    CHECK_ERRNO(futex(&word, FUTEX_WAKE_BITSET, 1, 0, 0, 0), EINVAL);
    /* Timeouts that are no time. */
    struct timespec bad = {0, 1000000000L};
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 5, (long)&bad, 0, 0), EINVAL);
    bad.seconds = -1;
    bad.nanoseconds = 0;
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 5, (long)&bad, 0, 0), EINVAL);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 5, UNMAPPED_ADDRESS, 0, 0), EFAULT);
    /* FUTEX_CLOCK_REALTIME only where an absolute timeout is. */
    CHECK_ERRNO(futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, 0, 0, 0), ENOSYS);
    CHECK_ERRNO(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0), ENOSYS);
    /* Unknown operations and the priority-inheritance ones Kite lacks. */
    CHECK_ERRNO(futex(&word, 2 /* FUTEX_FD, long gone */, 0, 0, 0, 0), ENOSYS);
    CHECK_ERRNO(futex(&word, 99, 0, 0, 0, 0), ENOSYS);
    /* Negative requeue counts. */
    static volatile int other;
    CHECK_ERRNO(futex(&word, FUTEX_REQUEUE, -1, 1, &other, 0), EINVAL);
    CHECK_ERRNO(futex(&word, FUTEX_CMP_REQUEUE, 1, -1, &other, 5), EINVAL);
    CHECK_ERRNO(futex(&word, FUTEX_CMP_REQUEUE, 1, 1, &other, 4), EAGAIN);
    CHECK_EQ(futex(&word, FUTEX_CMP_REQUEUE, 1, 1, &other, 5), 0);
    /* WAKE_OP with an unknown operation or comparison. */
    CHECK_ERRNO(futex(&word, FUTEX_WAKE_OP, 1, 1, &other, FUTEX_OP(5, 0, 0, 0)), ENOSYS);
    CHECK_ERRNO(futex(&word, FUTEX_WAKE_OP, 1, 1, &other, FUTEX_OP(0, 0, 6, 0)), ENOSYS);
    CHECK_ERRNO(
        futex(&word, FUTEX_WAKE_OP, 1, 1, (volatile int*)UNMAPPED_ADDRESS, FUTEX_OP(0, 0, 0, 0)),
        EFAULT);
}

/* ---- timeouts ---- */

static void timeouts(void) {
    word = 0;
    /* Relative, on the monotonic clock: it has passed when the call returns. */
    struct timespec rel = {0, 20000000L};
    long start = now_ns(1);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 0, (long)&rel, 0, 0), ETIMEDOUT);
    CHECK(now_ns(1) - start >= 20000000L);
    /* Zero: at once, but the word is still checked first. */
    struct timespec zero = {0, 0};
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 0, (long)&zero, 0, 0), ETIMEDOUT);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 1, (long)&zero, 0, 0), EAGAIN);
    /* Absolute (WAIT_BITSET), monotonic and real-time. */
    struct timespec past = at_ns(now_ns(1) - 1000000L);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET, 0, (long)&past, 0, ~0), ETIMEDOUT);
    struct timespec epoch = {0, 0};
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET, 0, (long)&epoch, 0, ~0), ETIMEDOUT);
    struct timespec soon = at_ns(now_ns(1) + 20000000L);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, (long)&soon, 0, ~0),
                ETIMEDOUT);
    CHECK(now_ns(1) >= soon.seconds * 1000000000L + soon.nanoseconds);
    struct timespec real_soon = at_ns(now_ns(0) + 20000000L);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, (long)&real_soon, 0, ~0),
                ETIMEDOUT);
    CHECK(now_ns(0) >= real_soon.seconds * 1000000000L + real_soon.nanoseconds);
}

/* ---- wake counts and bitsets ---- */

static volatile int wait_results[8];

struct waiter_arg {
    volatile int* word;
    int bitset;
    int index;
    int expected; /* the word's value while the waiter should sleep */
};
static struct waiter_arg waiter_args[8];

static int waiter_thread(void* raw) {
    struct waiter_arg* a = raw;
    long r = futex(a->word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, a->expected, 0, 0, a->bitset);
    wait_results[a->index] = (int)r;
    return (int)r;
}

static void start_waiters(volatile int* w, int n, int first, int bitset) {
    for (int i = first; i < first + n; ++i) {
        waiter_args[i].word = w;
        waiter_args[i].bitset = bitset;
        waiter_args[i].index = i;
        waiter_args[i].expected = *w;
        wait_results[i] = 1;
        thread_start(&threads[i], waiter_thread, &waiter_args[i]);
    }
}

static void join_all(int first, int n) {
    for (int i = first; i < first + n; ++i) {
        thread_join(&threads[i]);
    }
}

static void wakes_and_bitsets(void) {
    word = 0;
    start_waiters(&word, 3, 0, ~0);
    wait_for_waiters(&word, 3);
    /* A count of 0 wakes one, as Linux's loop does. */
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0), 1);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0), 1);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 5, 0, 0, 0), 1);
    join_all(0, 3);
    CHECK_EQ(wait_results[0] | wait_results[1] | wait_results[2], 0);

    /* A private waiter is not woken by a shared wake of the same word
     * (they are two futexes), only by a private one. */
    start_waiters(&word, 1, 0, ~0);
    wait_for_waiters(&word, 1);
    CHECK_EQ(futex(&word, FUTEX_WAKE, 1, 0, 0, 0), 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0), 1);
    join_all(0, 1);

    /* Bitsets: a wake reaches only waiters sharing a bit. */
    start_waiters(&word, 2, 0, 1);
    start_waiters(&word, 2, 2, 2);
    wait_for_waiters(&word, 4);
    CHECK_EQ(futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 10, 0, 0, 4), 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 10, 0, 0, 2), 2);
    join_all(2, 2);
    CHECK_EQ(futex_waiters(&word), 2);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, 0, 0, 0), 2);
    join_all(0, 2);
}

/* ---- requeue ---- */

static volatile int first_word, second_word;

static void requeues(void) {
    first_word = second_word = 0;
    start_waiters(&first_word, 4, 0, ~0);
    wait_for_waiters(&first_word, 4);
    /* Wake one, move two: three counted; one stays. */
    CHECK_EQ(futex(&first_word, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 2, &second_word, 0), 3);
    CHECK_EQ(futex_waiters(&first_word), 1);
    CHECK_EQ(futex_waiters(&second_word), 2);
    /* CMP_REQUEUE checks the first word. */
    first_word = 7;
    CHECK_ERRNO(futex(&first_word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, 1, &second_word, 0),
                EAGAIN);
    CHECK_EQ(futex(&first_word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, 5, &second_word, 7), 1);
    CHECK_EQ(futex_waiters(&first_word), 0);
    /* The moved waiters wake on the second word. */
    CHECK_EQ(futex(&second_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, 0, 0, 0), 3);
    join_all(0, 4);
    CHECK_EQ(wait_results[0] | wait_results[1] | wait_results[2] | wait_results[3], 0);
}

/* ---- wake_op ---- */

static void wake_ops(void) {
    static volatile int target;
    struct {
        int op, oparg, cmp, cmparg, before, after, second_woken;
    } cases[] = {
        {0, 9, 0, 3, 3, 9, 1},       /* SET; old == 3 */
        {1, 2, 1, 3, 3, 5, 0},       /* ADD; old != 3 fails */
        {2, 4, 2, 5, 3, 7, 1},       /* OR; old < 5 */
        {3, 1, 3, 2, 3, 2, 0},       /* ANDN; old <= 2 fails */
        {4, 6, 4, 2, 3, 5, 1},       /* XOR; old > 2 */
        {8 | 0, 4, 5, 3, 3, 16, 1},  /* SET 1 << 4; old >= 3 */
        {8 | 1, 1, 0, -1, -1, 1, 1}, /* ADD 1 << 1 to -1; old == -1 */
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        word = 0;
        target = cases[i].before;
        start_waiters(&word, 1, 0, ~0);
        start_waiters(&target, 1, 1, ~0);
        wait_for_waiters(&word, 1);
        wait_for_waiters(&target, 1);
        long woken = futex(&word, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, &target,
                           FUTEX_OP(cases[i].op, cases[i].oparg, cases[i].cmp, cases[i].cmparg));
        CHECK_EQ(woken, 1 + cases[i].second_woken);
        CHECK_EQ(target, cases[i].after);
        join_all(0, 1);
        if (!cases[i].second_woken) {
            CHECK_EQ(futex(&target, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0), 1);
        }
        join_all(1, 1);
    }
}

/* ---- signals ---- */

static volatile int handled;
static void on_usr1(int signal) {
    (void)signal;
    handled = 1;
}

static void interrupted(void) {
    struct action a = {(void*)on_usr1, SA_RESTORER, (void*)restore_rt, 0};
    sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8);
    word = 0;
    handled = 0;
    start_waiters(&word, 1, 0, ~0);
    wait_for_waiters(&word, 1);
    CHECK_EQ(sys3(SYS_tgkill, sys0(SYS_getpid), threads[0].tid, SIGUSR1), 0);
    join_all(0, 1);
    CHECK_EQ(handled, 1);
    CHECK_EQ(wait_results[0], -EINTR); /* a handler without SA_RESTART */
    struct action dfl = {0, SA_RESTORER, (void*)restore_rt, 0};
    sys4(SYS_rt_sigaction, SIGUSR1, (long)&dfl, 0, 8);
}

/* ---- process-shared words ---- */

static void shared_across_fork(void) {
    volatile int* shared = (volatile int*)sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
                                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK((long)shared > 0);
    shared[0] = 0;
    shared[1] = 0;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        /* The child waits on the shared word; the parent wakes it. */
        __atomic_store_n(&shared[1], 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST) == 0) {
            futex(&shared[0], FUTEX_WAIT, 0, 0, 0, 0);
        }
        sys1(SYS_exit, 0);
    }
    while (__atomic_load_n(&shared[1], __ATOMIC_SEQ_CST) == 0) {
        sys0(SYS_sched_yield);
    }
    /* A shared wake reaches the other process's waiter once it sleeps;
     * retried until it has. */
    __atomic_store_n(&shared[0], 1, __ATOMIC_SEQ_CST);
    long woken = 0;
    for (int i = 0; i < 100000 && woken == 0; ++i) {
        int status = 0;
        if (sys4(SYS_wait4, pid, (long)&status, 1 /* WNOHANG */, 0) == pid) {
            woken = -1; /* it saw the word before sleeping: fine, no wake needed */
            break;
        }
        woken = futex(&shared[0], FUTEX_WAKE, 1, 0, 0, 0);
        sys0(SYS_sched_yield);
    }
    CHECK(woken != 0);
    if (woken > 0) {
        int status = -1;
        CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
        CHECK_EQ(status, 0);
    }
    sys2(SYS_munmap, (long)shared, 4096);
}

/* ---- robust lists ---- */

struct robust_entry {
    struct robust_entry* next;
    volatile int lock; /* the futex word: the owner's tid, FUTEX_WAITERS */
};
struct robust_head {
    struct robust_entry* list;
    long futex_offset;
    struct robust_entry* pending;
};

static struct robust_head heads[2];
static struct robust_entry entries[3];

static int robust_owner_thread(void* arg) {
    (void)arg;
    int tid = (int)sys0(SYS_gettid);
    struct robust_head* head = &heads[0];
    head->futex_offset = (long)((char*)&entries[0].lock - (char*)&entries[0]);
    /* Two locks held, one not ours (left alone), one being taken. */
    entries[0].lock = tid | (int)FUTEX_WAITERS;
    entries[1].lock = tid + 1;
    entries[2].lock = tid;
    entries[0].next = &entries[1];
    entries[1].next = (struct robust_entry*)head;
    head->list = &entries[0];
    head->pending = &entries[2];
    if (sys2(SYS_set_robust_list, (long)head, sizeof(*head)) != 0) {
        return 1;
    }
    long got_head = 0, got_len = 0;
    sys3(SYS_get_robust_list, 0, (long)&got_head, (long)&got_len);
    return got_head == (long)head && got_len == 24 ? 0 : 2;
}

static void robust_lists(void) {
    CHECK_ERRNO(sys2(SYS_set_robust_list, (long)&heads[1], 23), EINVAL);
    CHECK_ERRNO(sys2(SYS_set_robust_list, (long)&heads[1], 25), EINVAL);
    long head = 0, len = 0;
    CHECK_EQ(sys2(SYS_set_robust_list, (long)&heads[1], 24), 0);
    CHECK_EQ(sys3(SYS_get_robust_list, 0, (long)&head, (long)&len), 0);
    CHECK_EQ(head, (long)&heads[1]);
    CHECK_EQ(len, 24);
    CHECK_EQ(sys3(SYS_get_robust_list, sys0(SYS_gettid), (long)&head, (long)&len), 0);
    CHECK_ERRNO(sys3(SYS_get_robust_list, 0x7ffffff0, (long)&head, (long)&len), ESRCH);
    CHECK_ERRNO(sys3(SYS_get_robust_list, 0, UNMAPPED_ADDRESS, (long)&len), EFAULT);
    CHECK_ERRNO(sys3(SYS_get_robust_list, 0, (long)&head, UNMAPPED_ADDRESS), EFAULT);
    sys2(SYS_set_robust_list, 0, 24);

    /* A thread dies holding robust locks: each is marked FUTEX_OWNER_DIED
     * (FUTEX_WAITERS kept) and a waiter woken; others' locks stay. */
    struct test_thread* t = &threads[0];
    long tid = thread_start(t, robust_owner_thread, 0);
    CHECK(tid > 0);
    CHECK_EQ(thread_join(t), 0);
    CHECK_EQ((unsigned)entries[0].lock, FUTEX_WAITERS | FUTEX_OWNER_DIED);
    CHECK_EQ(entries[1].lock, (int)tid + 1);
    CHECK_EQ((unsigned)entries[2].lock, FUTEX_OWNER_DIED);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    arguments();
    timeouts();
    wakes_and_bitsets();
    requeues();
    wake_ops();
    interrupted();
    shared_across_fork();
    robust_lists();
    return check_done("futex");
}
