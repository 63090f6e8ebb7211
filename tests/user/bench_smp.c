/* bench_smp: figures for several CPUs (issue 16), on Kite and as /init
 * under Linux. Wall time (CLOCK_MONOTONIC, ns) of one CPU-bound process,
 * of four at once and of one process's four threads at once (the same work
 * each: speed-up = 4 * one / four); rdtsc cycles of a futex round trip
 * between two threads pinned to two CPUs and to one; of munmap of one
 * touched page while another thread of the process spins on a second CPU
 * (a TLB shootdown: one IPI and its answer) and with no other thread.
 * Prints "UBENCH <name> <value>"; the cross-CPU figures need two CPUs. */
#include "thread_lib.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define SPIN_ITERATIONS 20000000L
#define JOBS 4

static long now_ns(void) {
    struct {
        long s, ns;
    } t;
    sys2(SYS_clock_gettime, 1, (long)&t);
    return t.s * 1000000000L + t.ns;
}

static long pin(int cpu) {
    unsigned long mask = 1UL << cpu;
    return sys3(SYS_sched_setaffinity, 0, sizeof(mask), (long)&mask);
}

static void spin(void) {
    for (volatile long i = 0; i < SPIN_ITERATIONS; ++i) {
    }
}

static long processes_wall(int count) {
    const long start = now_ns();
    for (int i = 0; i < count; ++i) {
        if (sys0(SYS_fork) == 0) {
            spin();
            sys1(SYS_exit_group, 0);
        }
    }
    for (int i = 0; i < count; ++i) {
        int status;
        sys4(SYS_wait4, -1, (long)&status, 0, 0);
    }
    return now_ns() - start;
}

static struct test_thread threads[JOBS];
static int spinning(void* arg) {
    (void)arg;
    spin();
    return 0;
}

static long threads_wall(void) {
    const long start = now_ns();
    for (int i = 0; i < JOBS; ++i) {
        thread_start(&threads[i], spinning, 0);
    }
    for (int i = 0; i < JOBS; ++i) {
        thread_join(&threads[i]);
    }
    return now_ns() - start;
}

/* Ping-pong as bench_threads does it, each player pinned. */
#define TRIPS 2000
static volatile int ball;
static int pong_cpu;
static int pong(void* arg) {
    (void)arg;
    pin(pong_cpu);
    for (int i = 0; i < TRIPS; ++i) {
        while (atomic_load(&ball) != 1) {
            futex(&ball, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
        }
        __atomic_store_n(&ball, 0, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
    }
    return 0;
}

static long round_trip(int ping_cpu, int other_cpu) {
    pin(ping_cpu);
    pong_cpu = other_cpu;
    ball = 0;
    thread_start(&threads[0], pong, 0);
    const unsigned long start = rt_rdtsc();
    for (int i = 0; i < TRIPS; ++i) {
        __atomic_store_n(&ball, 1, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
        while (atomic_load(&ball) != 0) {
            futex(&ball, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
        }
    }
    const unsigned long cycles = rt_rdtsc() - start;
    thread_join(&threads[0]);
    return (long)(cycles / TRIPS);
}

/* munmap of one touched page, averaged; with a thread of this process
 * spinning on CPU 1 the space is loaded there, so each munmap must flush
 * that CPU too. */
#define UNMAPS 500
static volatile int stop_spinner;
static int spinner(void* arg) {
    (void)arg;
    pin(1);
    while (!atomic_load(&stop_spinner)) {
    }
    return 0;
}

static long munmap_cycles(int with_spinner) {
    pin(0);
    if (with_spinner) {
        stop_spinner = 0;
        thread_start(&threads[1], spinner, 0);
    }
    unsigned long total = 0;
    for (int i = 0; i < UNMAPS; ++i) {
        long page =
            sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *(volatile char*)page = 1;
        const unsigned long start = rt_rdtsc();
        sys2(SYS_munmap, page, 4096);
        total += rt_rdtsc() - start;
    }
    if (with_spinner) {
        __atomic_store_n(&stop_spinner, 1, __ATOMIC_SEQ_CST);
        thread_join(&threads[1]);
    }
    return (long)(total / UNMAPS);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    unsigned long cpus = 0;
    sys3(SYS_sched_getaffinity, 0, sizeof(cpus), (long)&cpus);
    int cpu_count = 0;
    for (unsigned long rest = cpus; rest; rest &= rest - 1) {
        ++cpu_count;
    }
    bench_report("smp_cpus", cpu_count);
    bench_report("smp_one_process_wall_ns", processes_wall(1));
    bench_report("smp_four_processes_wall_ns", processes_wall(JOBS));
    bench_report("smp_four_threads_wall_ns", threads_wall());
    bench_report("futex_round_trip_one_cpu", round_trip(0, 0));
    if (cpu_count >= 2 && (cpus & 3) == 3) {
        bench_report("futex_round_trip_two_cpus", round_trip(0, 1));
        bench_report("munmap_page_alone", munmap_cycles(0));
        bench_report("munmap_page_shootdown", munmap_cycles(1));
    }
    pin(0);
    return 0;
}
