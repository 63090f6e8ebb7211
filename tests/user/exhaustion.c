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
 *  - Memory maps of one process (both): one-page mappings that cannot merge
 *    are made until mmap fails with ENOMEM; munmap gives them back. */
#include "check.h"

static long read_number(const char* path) {
    char text[64];
    const long fd = sys2(SYS_open, (long)path, 0);
    if (fd < 0) {
        return -1;
    }
    const long n = sys3(SYS_read, fd, (long)text, sizeof(text) - 1);
    sys1(SYS_close, fd);
    long value = 0;
    for (long i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return n > 0 ? value : -1;
}

/* /proc/kite/memory's first two figures (free frames, heap bytes in use)
 * as one line to compare: the whole text up to the first newline. */
static void memory_line(char* out, unsigned size) {
    const long fd = sys2(SYS_open, (long)"/proc/kite/memory", 0);
    long n = fd >= 0 ? sys3(SYS_read, fd, (long)out, size - 1) : 0;
    sys1(SYS_close, fd);
    out[n > 0 ? n : 0] = 0;
}

/* A process that answers each byte it reads with the byte plus one. */
struct witness {
    long pid;
    int to, from;
};

static struct witness start_witness(void) {
    int ask[2], answer[2];
    sys2(SYS_pipe2, (long)ask, 0);
    sys2(SYS_pipe2, (long)answer, 0);
    struct witness w = {sys0(SYS_fork), ask[1], answer[0]};
    if (w.pid == 0) {
        unsigned char byte;
        sys1(SYS_close, ask[1]);
        sys1(SYS_close, answer[0]);
        while (sys3(SYS_read, ask[0], (long)&byte, 1) == 1) {
            ++byte;
            sys3(SYS_write, answer[1], (long)&byte, 1);
        }
        sys1(SYS_exit_group, 0);
    }
    sys1(SYS_close, ask[0]);
    sys1(SYS_close, answer[1]);
    return w;
}

static int witness_answers(const struct witness* w, unsigned char byte) {
    unsigned char reply = 0;
    return sys3(SYS_write, w->to, (long)&byte, 1) == 1 &&
           sys3(SYS_read, w->from, (long)&reply, 1) == 1 && reply == (unsigned char)(byte + 1);
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
    long reaped = 0;
    int status;
    while (reaped < made && sys4(SYS_wait4, -1, (long)&status, 0, 0) > 0) {
        ++reaped;
    }
    CHECK_EQ(reaped, made);
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
    reaped = 0;
    while (reaped < made && sys4(SYS_wait4, -1, (long)&status, 0, 0) > 0) {
        ++reaped;
    }
    CHECK_EQ(reaped, made);
    const long again = sys0(SYS_fork);
    if (again == 0) {
        sys1(SYS_exit_group, 0);
    }
    CHECK(again > 0);
    CHECK_EQ(sys4(SYS_wait4, again, (long)&status, 0, 0), again);

    sys1(SYS_close, w.to);
    CHECK_EQ(sys4(SYS_wait4, w.pid, (long)&status, 0, 0), w.pid);
    sys1(SYS_close, w.from);
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
    int status;
    long reaped = 0;
    while (reaped < children && sys4(SYS_wait4, -1, (long)&status, 0, 0) > 0) {
        ++reaped;
    }
    CHECK_EQ(reaped, children);
    CHECK(witness_answers(&w, 8));
    sys1(SYS_close, w.to);
    CHECK_EQ(sys4(SYS_wait4, w.pid, (long)&status, 0, 0), w.pid);
    sys1(SYS_close, w.from);
    sys1(SYS_close, report[0]);
    sys1(SYS_close, report[1]);
    rt_print("exhaustion: the kernel heap ran out after ");
    rt_print_number(children);
    rt_print(" processes full of pipes; ENOMEM, and the rest went on\n");
}

static void check_maps(void) {
    /* Alternate protections so that no two neighbours merge; a hole of a
     * page after each keeps them apart as well. */
    const long page = 4096;
    const long area = sys6(SYS_mmap, 0, 140000 * 2 * page, 0, 0x22 | 0x4000, -1, 0);
    CHECK(area > 0);
    CHECK_EQ(sys2(SYS_munmap, area, 140000 * 2 * page), 0);
    long made = 0, error = 0;
    for (; made < 140000; ++made) {
        const long at = area + made * 2 * page;
        const long got =
            sys6(SYS_mmap, at, page, made & 1 ? 1 : 3, 0x32 /* PRIVATE, ANONYMOUS, FIXED */, -1, 0);
        if (got < 0) {
            error = got;
            break;
        }
    }
    CHECK_EQ(error, -ENOMEM);
    CHECK(made >= 500);
    /* Still usable: unmapping one makes room for one. */
    CHECK_EQ(sys2(SYS_munmap, area, page), 0);
    CHECK_EQ(sys6(SYS_mmap, area, page, 3, 0x32, -1, 0), area);
    CHECK_EQ(sys2(SYS_munmap, area, made * 2 * page), 0);
    rt_print("exhaustion: ");
    rt_print_number(made);
    rt_print(" maps in one process, then ENOMEM\n");
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    char before[256], after[256];
    memory_line(before, sizeof(before));
    if (on_kite()) {
        check_tasks();
        check_kernel_heap();
    }
    check_maps();
    memory_line(after, sizeof(after));
    if (on_kite()) {
        CHECK_EQ(rt_strcmp(before, after), 0);
    }
    return check_done("exhaustion");
}
