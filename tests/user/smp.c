/* smp: several CPUs at once (issue 16). The CPUs are those of the caller's
 * affinity mask. A thread pinned to each CPU in turn is there when
 * sched_setaffinity returns (getcpu) and stays; threads pinned to
 * different CPUs add to one counter under a futex mutex and it ends exact;
 * a futex ping-pong between two CPUs loses no wakeup (a lost one hangs);
 * a thread on another CPU faults at once on a page the first unmapped (the
 * TLB shootdown); 8 CPU-bound processes all make progress; parallel
 * fork/exec/exit storms give back every frame (on Kite); /proc/stat and
 * /proc/cpuinfo have a line and a block for each CPU. With one CPU, the
 * checks that need two print SKIP. */
#include "thread_lib.h"
#include "wait_helpers.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define SIGKILL 9
#define SIGSEGV 11
#define MAX_CPUS 64

static int cpu_count;
static unsigned long all_cpus;

static long set_affinity(unsigned long mask) {
    return sys3(SYS_sched_setaffinity, 0, sizeof(mask), (long)&mask);
}
static long pin(int cpu) {
    return set_affinity(1UL << cpu);
}
static int current_cpu(void) {
    unsigned cpu = 12345, node = 12345;
    if (sys3(SYS_getcpu, (long)&cpu, (long)&node, 0) != 0 || node != 0) {
        return -1;
    }
    return (int)cpu;
}
static void spin(long n) {
    for (volatile long i = 0; i < n; ++i) {
    }
}

static void every_cpu_in_turn(void) {
    for (int cpu = 0; cpu < MAX_CPUS; ++cpu) {
        if (!(all_cpus & (1UL << cpu))) {
            continue;
        }
        CHECK_EQ(pin(cpu), 0);
        CHECK_EQ(current_cpu(), cpu); /* moved before the call returned */
        spin(200000);                 /* preempted meanwhile, it stays */
        CHECK_EQ(current_cpu(), cpu);
        unsigned long mask = 0;
        CHECK_EQ(sys3(SYS_sched_getaffinity, 0, 8, (long)&mask), 8);
        CHECK_EQ(mask, 1UL << cpu);
    }
    CHECK_EQ(set_affinity(all_cpus), 0);
    CHECK_EQ(sys3(SYS_getcpu, 0, 0, 0), 0); /* both pointers may be null */
    CHECK_ERRNO(sys3(SYS_getcpu, UNMAPPED_ADDRESS, 0, 0), EFAULT);
    CHECK_ERRNO(sys3(SYS_getcpu, 0, UNMAPPED_ADDRESS, 0), EFAULT);
}

/* Threads, each pinned to its own CPU (round robin over those there are). */
#define WORKERS 4
#define COUNTER_ROUNDS 20000
static struct test_thread workers[WORKERS];
struct work {
    int cpu;
    int ran_on;
};
static struct work work[WORKERS];
static struct mutex counter_lock;
static volatile long counter;

static int nth_cpu(int n) {
    n %= cpu_count;
    for (int cpu = 0; cpu < MAX_CPUS; ++cpu) {
        if ((all_cpus & (1UL << cpu)) && n-- == 0) {
            return cpu;
        }
    }
    return 0;
}

static int counting(void* arg) {
    struct work* w = arg;
    if (pin(w->cpu) != 0) {
        return 1;
    }
    w->ran_on = current_cpu();
    for (int i = 0; i < COUNTER_ROUNDS; ++i) {
        mutex_lock(&counter_lock);
        counter = counter + 1; /* a load and a store: only the lock keeps it exact */
        mutex_unlock(&counter_lock);
    }
    return 0;
}

static void counter_under_a_futex_mutex(void) {
    counter = 0;
    for (int i = 0; i < WORKERS; ++i) {
        work[i].cpu = nth_cpu(i);
        work[i].ran_on = -1;
        CHECK(thread_start(&workers[i], counting, &work[i]) > 0);
    }
    for (int i = 0; i < WORKERS; ++i) {
        CHECK_EQ(thread_join(&workers[i]), 0);
        CHECK_EQ(work[i].ran_on, work[i].cpu);
    }
    CHECK_EQ(counter, (long)WORKERS * COUNTER_ROUNDS);
}

/* Two players hand a ball back and forth through one futex word: each
 * waits until the ball is its own, passes it and wakes the other. */
#define PING_ROUNDS 3000
static volatile int ball;
static int playing(void* arg) {
    struct work* w = arg;
    const int me = w == &work[0] ? 0 : 1;
    if (pin(w->cpu) != 0) {
        return 1;
    }
    w->ran_on = current_cpu();
    for (int round = 0; round < PING_ROUNDS; ++round) {
        while (atomic_load(&ball) != me) {
            futex(&ball, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, !me, 0, 0, 0);
        }
        __atomic_store_n(&ball, !me, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    }
    return 0;
}

static void futex_ping_pong(void) {
    if (cpu_count < 2) {
        rt_print("smp: SKIP: futex ping-pong between two CPUs (one CPU)\n");
        return;
    }
    ball = 0;
    for (int i = 0; i < 2; ++i) {
        work[i].cpu = nth_cpu(i);
        work[i].ran_on = -1;
        CHECK(thread_start(&workers[i], playing, &work[i]) > 0);
    }
    for (int i = 0; i < 2; ++i) {
        CHECK_EQ(thread_join(&workers[i]), 0);
        CHECK_EQ(work[i].ran_on, work[i].cpu);
    }
    CHECK_EQ(ball, 0); /* an even number of passes */
}

/* In a child process: a reader thread on the second CPU keeps reading a
 * page (its TLB holds the translation); the main thread, on the first,
 * unmaps it and only then tells the reader, whose next read must fault.
 * A stale translation would let it read on and exit 3. */
static volatile int phase;
static volatile long reads;
static volatile char* shared_page;
static int reading(void* arg) {
    struct work* w = arg;
    if (pin(w->cpu) != 0) {
        sys1(SYS_exit_group, 4);
    }
    char sum = 0;
    while (atomic_load(&phase) != 2) {
        sum += shared_page[0];
        reads = reads + 1;
    }
    sum += shared_page[0]; /* unmapped by now: SIGSEGV */
    (void)sum;
    sys1(SYS_exit_group, 3);
    return 0;
}

static void munmap_is_seen_at_once(void) {
    if (cpu_count < 2) {
        rt_print("smp: SKIP: munmap seen by a thread on another CPU (one CPU)\n");
        return;
    }
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        if (pin(nth_cpu(0)) != 0) {
            sys1(SYS_exit_group, 5);
        }
        long page =
            sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page < 0) {
            sys1(SYS_exit_group, 6);
        }
        shared_page = (volatile char*)page;
        shared_page[0] = 1;
        work[0].cpu = nth_cpu(1);
        if (thread_start(&workers[0], reading, &work[0]) <= 0) {
            sys1(SYS_exit_group, 7);
        }
        while (reads < 100000) {
            sys0(SYS_sched_yield);
        }
        if (sys2(SYS_munmap, page, 4096) != 0) {
            sys1(SYS_exit_group, 8);
        }
        __atomic_store_n(&phase, 2, __ATOMIC_SEQ_CST);
        for (;;) {
            sleep_ms(1000); /* the reader's fault ends the process */
        }
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status & 0x7f, SIGSEGV); /* killed by the reader's fault */
}

/* 8 children that only compute, each counting in a shared page: all of
 * them count (the parent looks every 10 ms, for at most a minute). */
#define HOGS 8
static void cpu_bound_processes_all_progress(void) {
    long page = sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(page > 0);
    if (page <= 0) {
        return;
    }
    volatile long* counts = (volatile long*)page;
    long pids[HOGS];
    for (int i = 0; i < HOGS; ++i) {
        pids[i] = sys0(SYS_fork);
        if (pids[i] == 0) {
            for (;;) {
                counts[i] = counts[i] + 1;
            }
        }
        CHECK(pids[i] > 0);
    }
    int all = 0;
    for (int tries = 0; tries < 6000 && !all; ++tries) {
        sleep_ms(10);
        all = 1;
        for (int i = 0; i < HOGS; ++i) {
            all = all && counts[i] > 1000;
        }
    }
    CHECK(all);
    for (int i = 0; i < HOGS; ++i) {
        if (pids[i] > 0) {
            CHECK_EQ(sys2(SYS_kill, pids[i], SIGKILL), 0);
            int status = -1;
            CHECK_EQ(sys4(SYS_wait4, pids[i], (long)&status, 0, 0), pids[i]);
            CHECK_EQ(status & 0x7f, SIGKILL);
        }
    }
    CHECK_EQ(sys2(SYS_munmap, page, 4096), 0);
}

/* One forker per CPU, each running fork + exec + exit + wait cycles at the
 * same time; on Kite every frame and heap object is back afterwards. */
#define STORM_CYCLES 100
static void fork_exec_storms(const char* self) {
    char before[128];
    const int kite = on_kite();
    if (kite) {
        CHECK(read_kite_stats(before, sizeof(before)));
    }
    const int forkers = cpu_count < 8 ? cpu_count : 8;
    long pids[8];
    for (int f = 0; f < forkers; ++f) {
        pids[f] = sys0(SYS_fork);
        if (pids[f] == 0) {
            int failures = 0;
            for (int i = 0; i < STORM_CYCLES; ++i) {
                long pid = sys0(SYS_fork);
                if (pid == 0) {
                    char* argv[] = {(char*)self, "--exit", 0};
                    char* envp[] = {0};
                    sys3(SYS_execve, (long)self, (long)argv, (long)envp);
                    sys1(SYS_exit, 99);
                }
                int status = -1;
                if (pid < 0 || sys4(SYS_wait4, pid, (long)&status, 0, 0) != pid || status != 0) {
                    ++failures;
                }
            }
            sys1(SYS_exit_group, failures == 0 ? 0 : 1);
        }
        CHECK(pids[f] > 0);
    }
    for (int f = 0; f < forkers; ++f) {
        int status = -1;
        CHECK_EQ(sys4(SYS_wait4, pids[f], (long)&status, 0, 0), pids[f]);
        CHECK_EQ(status, 0);
    }
    if (kite) {
        check_kite_stats_unchanged(before);
    }
}

/* How many lines of the file start with prefix and then a digit (digit
 * 0) or anything (digit 1 means "and then a digit", 0 "and then a tab"). */
static char file_text[65536];
static int count_lines(const char* path, const char* prefix, int then_digit) {
    long fd = sys3(SYS_open, (long)path, 0, 0);
    if (fd < 0) {
        return -1;
    }
    long size = 0, n;
    while (size < (long)sizeof(file_text) - 1 &&
           (n = sys3(SYS_read, fd, (long)(file_text + size), sizeof(file_text) - 1 - size)) > 0) {
        size += n;
    }
    sys1(SYS_close, fd);
    file_text[size] = '\0';
    int count = 0;
    for (const char* line = file_text; *line;) {
        int i = 0;
        while (prefix[i] && line[i] == prefix[i]) {
            ++i;
        }
        if (!prefix[i] && (then_digit ? line[i] >= '0' && line[i] <= '9' : line[i] == '\t')) {
            ++count;
        }
        while (*line && *line != '\n') {
            ++line;
        }
        if (*line) {
            ++line;
        }
    }
    return count;
}

/* /proc/stat has a cpuN line and /proc/cpuinfo a block for each CPU
 * (Linux's list every online CPU, which a cpuset may keep from the test). */
static void per_cpu_proc_files(void) {
    const int stat_lines = count_lines("/proc/stat", "cpu", 1);
    const int blocks = count_lines("/proc/cpuinfo", "processor", 0);
    CHECK(stat_lines >= cpu_count && blocks >= cpu_count);
    if (on_kite()) {
        CHECK_EQ(stat_lines, cpu_count);
        CHECK_EQ(blocks, cpu_count);
    }
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc >= 2 && text_equal(argv[1], "--exit")) {
        return 0;
    }
    CHECK_EQ(sys3(SYS_sched_getaffinity, 0, 8, (long)&all_cpus), 8);
    for (unsigned long rest = all_cpus; rest; rest &= rest - 1) {
        ++cpu_count;
    }
    CHECK(cpu_count >= 1);
    every_cpu_in_turn();
    per_cpu_proc_files();
    counter_under_a_futex_mutex();
    futex_ping_pong();
    munmap_is_seen_at_once();
    cpu_bound_processes_all_progress();
    fork_exec_storms(argv[0]);
    return check_done("smp");
}
