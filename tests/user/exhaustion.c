/* exhaustion: running out of a kernel object gives an errno, never a panic
 * or a hang, other processes go on working meanwhile, and releasing it
 * gives everything back (the harness's leak check after the run, and the
 * /proc/kite/memory figures here, must come back exactly).
 *  - Tasks (Kite only: on the build machine this would be a fork bomb):
 *    children that wait on a pipe are forked until fork fails, which must
 *    be EAGAIN at kernel.threads-max; a thread then fails the same way,
 *    and a process made before answers over a pipe all the while.
 *  - Zombies count as tasks until reaped (Kite only, as above).
 *  - The kernel heap (Kite only): processes full of pipes until ENOMEM.
 *  - POSIX timers, queued real-time signals and semaphore sets (Kite only).
 *  - Argument strings too big for execve: E2BIG (both).
 *  - Memory maps of one process (both): one-page mappings that cannot merge
 *    are made until mmap fails with ENOMEM, at vm.max_map_count (Linux's
 *    65530 on Kite) plus one; then splits fail; munmap gives them back. */
#include "exhaustion.h"

/* Reaps `count` children, whichever end first; returns how many it did. */
static long reap_children(long count) {
    long reaped = 0;
    int status;
    while (reaped < count && sys4(SYS_wait4, -1, (long)&status, 0, 0) > 0) {
        ++reaped;
    }
    return reaped;
}

static char thread_stack[16384] __attribute__((aligned(16)));

static void check_tasks(void) {
    const long max = read_number("/proc/sys/kernel/threads-max");
    CHECK(max >= 20);
    struct witness w = start_witness();
    CHECK(witness_answers(&w, 1));
    int hold[2];
    sys2(SYS_pipe2, (long)hold, 0);
    long made = 0, error = 0;
    for (;;) {
        const long pid = sys0(SYS_fork);
        if (pid == 0) {
            char byte;
            sys1(SYS_close, hold[1]);
            sys3(SYS_read, hold[0], (long)&byte, 1); /* until the parent closes its end */
            sys1(SYS_exit_group, 0);
        }
        if (pid < 0) {
            error = pid;
            break;
        }
        if (++made > max) {
            break; /* the limit did not hold */
        }
    }
    CHECK_EQ(error, -EAGAIN);
    CHECK(made <= max && made >= max - 16); /* the others: init, the harness, this, ... */
    /* Full: a thread is refused too, and the machine still works. */
    CHECK_EQ(sys6(SYS_clone, 0x00010f00 /* VM|FS|FILES|SIGHAND|THREAD */,
                  (long)(thread_stack + sizeof(thread_stack)), 0, 0, 0, 0),
             -EAGAIN);
    CHECK(witness_answers(&w, 41));
    CHECK(sys0(SYS_getpid) > 0);
    rt_print("exhaustion: tasks full\n");
    sys1(SYS_close, hold[1]);
    sys1(SYS_close, hold[0]);
    CHECK_EQ(reap_children(made), made);
    CHECK(witness_answers(&w, 99));
    rt_print("exhaustion: tasks released\n");

    /* Zombies hold their place until reaped. */
    made = 0;
    error = 0;
    for (;;) {
        const long pid = sys0(SYS_fork);
        if (pid == 0) {
            sys1(SYS_exit_group, 0);
        }
        if (pid < 0) {
            error = pid;
            break;
        }
        if (++made > max) {
            break;
        }
    }
    CHECK_EQ(error, -EAGAIN);
    CHECK(made <= max && made >= max - 16);
    CHECK_EQ(reap_children(made), made);
    const long again = sys0(SYS_fork);
    if (again == 0) {
        sys1(SYS_exit_group, 0);
    }
    CHECK(again > 0);
    CHECK_EQ(reap_children(1), 1);

    stop_witness(&w);
    rt_print("exhaustion: ");
    rt_print_number(max);
    rt_print(" tasks at most; fork and clone then gave EAGAIN\n");
}

/* Kernel memory (Kite only): children each make pipes (a 64 KiB buffer in
 * the kernel heap apiece) until pipe2 fails, and more children are made
 * until one fails for want of memory (ENOMEM) rather than descriptors
 * (EMFILE). The heap has a limit below all of RAM, so meanwhile a process
 * made before still answers, and the parent's own pages still fault in. */
static void check_kernel_heap(void) {
    struct witness w = start_witness();
    int hold[2], report[2];
    sys2(SYS_pipe2, (long)hold, 0);
    sys2(SYS_pipe2, (long)report, 0);
    long children = 0, out_of_memory = 0;
    while (!out_of_memory && children < 64) {
        const long pid = sys0(SYS_fork);
        if (pid == 0) {
            sys1(SYS_close, hold[1]);
            sys1(SYS_close, report[0]);
            int fds[2];
            long result;
            while ((result = sys2(SYS_pipe2, (long)fds, 0)) == 0) {
            }
            const unsigned char error = (unsigned char)-result;
            sys3(SYS_write, report[1], (long)&error, 1);
            char byte;
            sys3(SYS_read, hold[0], (long)&byte, 1); /* keeps the pipes until released */
            sys1(SYS_exit_group, 0);
        }
        if (pid < 0) {
            CHECK_EQ(pid, -ENOMEM); /* fork itself found the heap full */
            out_of_memory = 1;
            break;
        }
        ++children;
        unsigned char error = 0;
        CHECK_EQ(sys3(SYS_read, report[0], (long)&error, 1), 1);
        CHECK(error == EMFILE || error == ENOMEM);
        out_of_memory = error == ENOMEM;
    }
    CHECK(out_of_memory);
    CHECK(witness_answers(&w, 7));
    static char touch[64 * 4096];
    for (unsigned i = 0; i < sizeof(touch); i += 4096) {
        touch[i] = 1; /* new pages for this process: frames are left */
    }
    sys1(SYS_close, hold[1]);
    sys1(SYS_close, hold[0]);
    CHECK_EQ(reap_children(children), children);
    CHECK(witness_answers(&w, 8));
    stop_witness(&w);
    sys1(SYS_close, report[0]);
    sys1(SYS_close, report[1]);
    rt_print("exhaustion: the kernel heap ran out after ");
    rt_print_number(children);
    rt_print(" processes full of pipes; ENOMEM, and the rest went on\n");
}

/* The small per-process objects (Kite only: Linux bounds these by
 * RLIMIT_SIGPENDING and its own sysctls, with other numbers): POSIX
 * timers, queued real-time signals, System V semaphore sets. Each runs
 * out with its errno, a witness still answers, and all of it goes. */
static void check_small_objects(void) {
    struct witness w = start_witness();
    int timers[64];
    int made = 0;
    long error = 0;
    for (; made < 64; ++made) {
        error = sys3(SYS_timer_create, 1 /* CLOCK_MONOTONIC */, 0, (long)&timers[made]);
        if (error < 0) {
            break;
        }
    }
    CHECK_EQ(error, -EAGAIN);
    CHECK_EQ(made, 32);
    CHECK(witness_answers(&w, 1));
    for (int i = 0; i < made; ++i) {
        CHECK_EQ(sys1(SYS_timer_delete, timers[i]), 0);
    }
    CHECK_EQ(sys3(SYS_timer_create, 1, 0, (long)&timers[0]), 0);
    CHECK_EQ(sys1(SYS_timer_delete, timers[0]), 0);

    /* Real-time signals queue one entry each while blocked. */
    const int rt = 34; /* SIGRTMIN */
    unsigned long set = 1UL << (rt - 1);
    sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&set, 0, 8);
    struct {
        int signo, errno_, code, pad;
        long rest[14];
    } info = {rt, 0, -1 /* SI_QUEUE */, 0, {0}};
    const long self = sys0(SYS_getpid);
    long queued = 0;
    for (; queued < 1000; ++queued) {
        error = sys3(SYS_rt_sigqueueinfo, self, rt, (long)&info);
        if (error < 0) {
            break;
        }
    }
    CHECK_EQ(error, -EAGAIN);
    struct {
        unsigned long soft, hard;
    } pending_limit;
    CHECK_EQ(sys2(SYS_getrlimit, 11 /* RLIMIT_SIGPENDING */, (long)&pending_limit), 0);
    CHECK_EQ(queued, (long)pending_limit.soft); /* nobody else has any waiting */
    CHECK(witness_answers(&w, 2));
    struct {
        long s, ns;
    } zero = {0, 0};
    long taken = 0;
    while (sys4(SYS_rt_sigtimedwait, (long)&set, 0, (long)&zero, 8) == rt) {
        ++taken;
    }
    CHECK_EQ(taken, queued);
    sys4(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&set, 0, 8);

    /* System V semaphore sets, up to the system's number of them. */
    static long sets[512];
    long count = 0;
    for (; count < 512; ++count) {
        sets[count] = sys3(SYS_semget, 0 /* IPC_PRIVATE */, 1, 01600);
        if (sets[count] < 0) {
            error = sets[count];
            break;
        }
    }
    CHECK_EQ(error, -ENOSPC);
    CHECK(count > 0 && count < 512);
    CHECK(witness_answers(&w, 3));
    for (long i = 0; i < count; ++i) {
        CHECK_EQ(sys4(SYS_semctl, sets[i], 0, 0 /* IPC_RMID */, 0), 0);
    }
    const long again = sys3(SYS_semget, 0, 1, 01600);
    CHECK(again >= 0);
    sys4(SYS_semctl, again, 0, 0, 0);
    stop_witness(&w);
    rt_print("exhaustion: 32 POSIX timers (EAGAIN), ");
    rt_print_number(queued);
    rt_print(" queued signals (RLIMIT_SIGPENDING, EAGAIN), ");
    rt_print_number(count);
    rt_print(" semaphore sets (ENOSPC)\n");
}

/* An execve whose strings are too big is E2BIG, and the caller goes on
 * (both: one argument of 200 KiB passes Kite's 256 KiB total but not
 * Linux's 128 KiB per string, so two of them are used). */
static void check_arguments(void) {
    static char big[200 * 1024];
    memset(big, 'x', sizeof(big) - 1);
    char* argv[] = {"/bin/true", big, big, 0};
    char* envp[] = {0};
    CHECK_ERRNO(sys3(SYS_execve, (long)"/bin/true", (long)argv, (long)envp), E2BIG);
}

/* Lines of /proc/self/maps but Linux's [vsyscall] (a page in every
 * process that is no mapping of its own and is not counted). */
static long count_maps(void) {
    static char text[65536];
    static const char vsyscall[] = "[vsyscall]";
    const long fd = sys2(SYS_open, (long)"/proc/self/maps", 0);
    if (fd < 0) {
        return fd;
    }
    long lines = 0, n;
    unsigned matched = 0;
    while ((n = sys3(SYS_read, fd, (long)text, sizeof(text))) > 0) {
        for (long i = 0; i < n; ++i) {
            lines += text[i] == '\n';
            matched = text[i] == vsyscall[matched] ? matched + 1 : text[i] == vsyscall[0];
            if (matched == sizeof(vsyscall) - 1) {
                --lines;
                matched = 0;
            }
        }
    }
    sys1(SYS_close, fd);
    return n < 0 ? n : lines;
}

/* vm.max_map_count, counted as Linux counts: mmap refuses a new mapping
 * once a process has more than that many, a split (mprotect or munmap
 * inside one mapping) once it has that many. */
static void check_maps(void) {
    const long max = read_number("/proc/sys/vm/max_map_count");
    if (on_kite()) {
        CHECK_EQ(max, 65530); /* Linux's default */
    }
    if (max < 100 || max > (1 << 20)) {
        rt_print("exhaustion: maps skipped, vm.max_map_count is ");
        rt_print_number(max);
        rt_print("\n");
        return;
    }
    struct witness w = start_witness();
    const long before = count_maps();
    CHECK(before > 0);
    /* Alternate protections so that no two neighbours merge; a hole of a
     * page after each keeps them apart as well. */
    const long page = 4096, room = (max + 16) * 2 * page;
    const long area = sys6(SYS_mmap, 0, room, 0, 0x22 | 0x4000, -1, 0);
    CHECK(area > 0);
    CHECK_EQ(sys2(SYS_munmap, area, room), 0);
    long made = 0, error = 0;
    for (; made < max + 16; ++made) {
        const long at = area + made * 2 * page;
        const long got =
            sys6(SYS_mmap, at, page, made & 1 ? 1 : 3, 0x32 /* PRIVATE, ANONYMOUS, FIXED */, -1, 0);
        if (got < 0) {
            error = got;
            break;
        }
    }
    CHECK_EQ(error, -ENOMEM);
    CHECK_EQ(count_maps(), max + 1);
    CHECK(witness_answers(&w, 7)); /* another process goes on */

    /* At max, a mapping of three pages (apart from the others) cannot be
     * split, and stays whole. */
    CHECK_EQ(sys2(SYS_munmap, area, page), 0);
    CHECK_EQ(sys2(SYS_munmap, area + 2 * page, page), 0);
    const long three = area + (made + 2) * 2 * page;
    CHECK_EQ(sys6(SYS_mmap, three, 3 * page, 3, 0x32, -1, 0), three);
    CHECK_EQ(count_maps(), max);
    CHECK_ERRNO(sys3(SYS_mprotect, three + page, page, 1), ENOMEM);
    CHECK_ERRNO(sys2(SYS_munmap, three + page, page), ENOMEM);
    CHECK_EQ(count_maps(), max);
    *(volatile char*)(three + page) = 1; /* still writable */
    /* Unmapping whole ones makes room again. */
    CHECK_EQ(sys2(SYS_munmap, area + 4 * page, page), 0);
    CHECK_EQ(sys2(SYS_munmap, three + page, page), 0);
    CHECK_EQ(count_maps(), max);
    CHECK_EQ(sys2(SYS_munmap, area, room), 0);
    CHECK_EQ(count_maps(), before);
    CHECK(witness_answers(&w, 9));
    stop_witness(&w);
    rt_print("exhaustion: ");
    rt_print_number(made);
    rt_print(" maps in one process (vm.max_map_count ");
    rt_print_number(max);
    rt_print("), then ENOMEM; no split at the limit\n");
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    char before[256], after[256];
    /* A process's table of POSIX timers is made at its first timer and
     * kept until it ends: made here, before the figures are taken. */
    int timer;
    if (sys3(SYS_timer_create, 1, 0, (long)&timer) == 0) {
        sys1(SYS_timer_delete, timer);
    }
    memory_line(before, sizeof(before));
    if (on_kite()) {
        check_tasks();
        check_kernel_heap();
        check_small_objects();
    }
    check_arguments();
    check_maps();
    memory_line(after, sizeof(after));
    if (on_kite()) {
        /* The heap exactly back; free frames differ by the pages this
         * process touched meanwhile (its buffers), which go at its exit:
         * the harness's leak check after the run counts those. */
        CHECK_EQ(rt_strcmp(heap_figures(before), heap_figures(after)), 0);
    }
    return check_done("exhaustion");
}
