/* prctl: PR_SET_PDEATHSIG/PR_GET_PDEATHSIG (the signal comes when the
 * thread that made the process ends: the whole parent, or just one of its
 * threads; fork clears it, exec keeps it) and PR_SET_CHILD_SUBREAPER/
 * PR_GET_CHILD_SUBREAPER (orphans, zombies among them, go to the nearest
 * subreaper ancestor; fork does not pass it on), with Linux's errors.
 * Every wait is on a pipe or a child, never on time. */
#include "check.h"
#include "thread_lib.h"

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define SIGUSR1 10
#define SIGUSR2 12
#define P_PID 1
#define WEXITED 4
#define WNOWAIT 0x01000000

static char* program;

static long prctl(long option, long argument) {
    return sys6(SYS_prctl, option, argument, 0, 0, 0, 0);
}
static int pdeath_signal(void) {
    int value = -1;
    prctl(PR_GET_PDEATHSIG, (long)&value);
    return value;
}
static int subreaper(void) {
    int value = -1;
    prctl(PR_GET_CHILD_SUBREAPER, (long)&value);
    return value;
}
static int wait_status(long pid) {
    int status = -1;
    if (sys4(SYS_wait4, pid, (long)&status, 0, 0) != pid) {
        return -1;
    }
    return status;
}
static void wait_byte(int fd) {
    char byte;
    sys3(SYS_read, fd, (long)&byte, 1);
}
static void send_byte(int fd) {
    sys3(SYS_write, fd, (long)"x", 1);
}

static int in_child(void (*part)(void)) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        check_failures = 0;
        part();
        sys1(SYS_exit_group, check_failures == 0 ? 0 : 1);
    }
    return wait_status(pid);
}
#define CHECK_CHILD(part) CHECK_EQ(in_child(part), 0)

static void errors(void) {
    CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, 65), EINVAL);
    CHECK_ERRNO(prctl(PR_SET_PDEATHSIG, -1), EINVAL);
    CHECK_ERRNO(prctl(PR_GET_PDEATHSIG, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(prctl(PR_GET_CHILD_SUBREAPER, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(prctl(9999, 0), EINVAL);
    CHECK_EQ(pdeath_signal(), 0);
    CHECK_EQ(prctl(PR_SET_PDEATHSIG, 64), 0);
    CHECK_EQ(pdeath_signal(), 64);
    CHECK_EQ(prctl(PR_SET_PDEATHSIG, 0), 0);
    CHECK_EQ(pdeath_signal(), 0);
    CHECK_EQ(subreaper(), 0);
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 7), 0);
    CHECK_EQ(subreaper(), 1);
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
    CHECK_EQ(subreaper(), 0);
}

/* Fork clears both; exec keeps the death signal (and the subreaper). */
static void inheritance(void) {
    CHECK_EQ(prctl(PR_SET_PDEATHSIG, SIGUSR2), 0);
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit_group, pdeath_signal() == 0 && subreaper() == 0 ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) { /* set again: the fork cleared them */
        prctl(PR_SET_PDEATHSIG, SIGUSR2);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        const char* argv[] = {program, "--report", 0};
        const char* envp[] = {0};
        sys3(SYS_execve, (long)"/proc/self/exe", (long)argv, (long)envp);
        sys1(SYS_exit_group, 126);
    }
    CHECK_EQ(wait_status(pid), 0);
}

/* T (a subreaper) forks P, P forks C, C asks for SIGUSR1 at its parent's
 * death and waits; P ends: C gets the signal and comes to T. */
static void parent_death(void) {
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int ready[2];
    CHECK_EQ(sys1(SYS_pipe, (long)ready), 0);
    volatile int* shared = (volatile int*)sys6(SYS_mmap, 0, 4096, 3, 0x21, -1, 0);
    long parent = sys0(SYS_fork);
    if (parent == 0) {
        long child = sys0(SYS_fork);
        if (child == 0) {
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            *shared = (int)sys0(SYS_getpid);
            send_byte(ready[1]);
            for (;;) {
                sys0(SYS_pause);
            }
        }
        wait_byte(ready[0]);
        sys1(SYS_exit_group, 0);
    }
    CHECK_EQ(wait_status(parent), 0);
    /* C is T's now; the signal ended it. */
    CHECK_EQ(wait_status(*shared) & 0x7f, SIGUSR1);
}

/* The parent is a thread: when the thread that forked C ends, C gets the
 * signal although its parent process goes on (and stays its parent). */
static struct test_thread forker;
static int ready_pipe[2];
static volatile long thread_child;

static int forking_thread(void* unused) {
    (void)unused;
    long child = sys0(SYS_fork);
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGUSR1);
        send_byte(ready_pipe[1]);
        for (;;) {
            sys0(SYS_pause);
        }
    }
    thread_child = child;
    wait_byte(ready_pipe[0]);
    return 0; /* the thread ends: exit, not exit_group */
}

static void parent_thread_death(void) {
    CHECK_EQ(sys1(SYS_pipe, (long)ready_pipe), 0);
    CHECK(thread_start(&forker, forking_thread, 0) > 0);
    thread_join(&forker);
    CHECK(thread_child > 0);
    CHECK_EQ(wait_status(thread_child) & 0x7f, SIGUSR1); /* still this process's child */
}

/* T (a subreaper) forks P; P forks a live child L and a child Z that
 * exits; P ends without reaping: both come to T, which reaps them. */
static void subreaper_adopts(void) {
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int go[2];
    CHECK_EQ(sys1(SYS_pipe, (long)go), 0);
    volatile int* shared = (volatile int*)sys6(SYS_mmap, 0, 4096, 3, 0x21, -1, 0);
    const long self = sys0(SYS_getpid);
    long parent = sys0(SYS_fork);
    if (parent == 0) {
        sys1(SYS_close, go[1]);
        long live = sys0(SYS_fork);
        if (live == 0) {
            wait_byte(go[0]); /* until T says P is gone */
            sys1(SYS_exit_group, sys0(SYS_getppid) == self ? 5 : 6);
        }
        long zombie = sys0(SYS_fork);
        if (zombie == 0) {
            sys1(SYS_exit_group, 7);
        }
        char info[128];
        sys6(SYS_waitid, P_PID, zombie, (long)info, WEXITED | WNOWAIT, 0, 0); /* a zombie now */
        shared[0] = (int)live;
        shared[1] = (int)zombie;
        sys1(SYS_exit_group, 0);
    }
    CHECK_EQ(wait_status(parent), 0);
    send_byte(go[1]);
    CHECK_EQ(wait_status(shared[1]), 7 << 8);
    CHECK_EQ(wait_status(shared[0]), 5 << 8);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    program = argv[0];
    if (argc > 1 && text_equal(argv[1], "--report")) {
        return (pdeath_signal() == SIGUSR2 ? 0 : 2) + (subreaper() == 1 ? 0 : 4);
    }
    CHECK_CHILD(errors);
    CHECK_CHILD(inheritance);
    CHECK_CHILD(parent_death);
    CHECK_CHILD(parent_thread_death);
    CHECK_CHILD(subreaper_adopts);
    return check_done("prctl");
}
