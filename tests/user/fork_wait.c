/* fork_wait: fork with copy-on-write memory, wait4 and the statuses it
 * reports, a chain of 200 nested forks, 200 children of one parent, clone
 * with fork's flags, and process groups and sessions. */
#include "check.h"

#define WNOHANG 1
#define SIGCHLD 17

static long wait_for(long pid, int* status) {
    return sys4(SYS_wait4, pid, (long)status, 0, 0);
}

/* Free frames, from Kite's /proc/kite/memory ("free_frames N ..."); -1 if
 * it cannot be read (on Linux). */
static long free_frames(void) {
    char text[128];
    if (!read_kite_stats(text, sizeof(text))) {
        return -1;
    }
    long value = 0;
    const char* p = text;
    while (*p && (*p < '0' || *p > '9')) {
        ++p;
    }
    while (*p >= '0' && *p <= '9') {
        value = value * 10 + (*p++ - '0');
    }
    return value;
}

/* On Kite: a write to a shared page copies exactly that page (one frame),
 * a second write copies nothing, and once the other sharer has gone a
 * write copies nothing either (the last owner gets the frame writable). */
static void copy_on_write_costs(void) {
    const long pages = 8;
    long area = sys6(SYS_mmap, 0, pages * 4096, 3, 0x22, -1, 0);
    long* values = (long*)area;
    for (long i = 0; i < pages; ++i) {
        values[i * 512] = i;
    }
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        free_frames(); /* the first call copies this stack's pages */
        const long before = free_frames();
        values[1 * 512] = 101;
        const long after_one = free_frames();
        values[1 * 512] = 102;
        const long after_again = free_frames();
        values[2 * 512] = 201;
        values[3 * 512] = 301;
        values[4 * 512] = 401;
        const long after_three = free_frames();
        int ok =
            before - after_one == 1 && after_one == after_again && after_again - after_three == 3;
        sys1(SYS_exit_group, ok ? 0 : 1);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 0);
    free_frames();
    const long before = free_frames();
    for (long i = 0; i < pages; ++i) {
        values[i * 512] = -i; /* the child is gone: every page is this process's alone */
    }
    CHECK_EQ(free_frames(), before);
    sys2(SYS_munmap, area, pages * 4096);
}

static void copy_on_write(void) {
    const long pages = 16;
    long area = sys6(SYS_mmap, 0, pages * 4096, 3, 0x22, -1, 0);
    long* values = (long*)area;
    for (long i = 0; i < pages; ++i) {
        values[i * 512] = 1000 + i;
    }
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        /* The child sees the parent's values and writes its own. */
        int ok = values[5 * 512] == 1005;
        values[5 * 512] = 2005;
        ok = ok && values[5 * 512] == 2005 && values[6 * 512] == 1006;
        sys1(SYS_exit_group, ok ? 0 : 1);
    }
    CHECK(pid > 0);
    values[6 * 512] = 3006; /* the parent's write after fork is its own too */
    int status = -1;
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 0); /* the child saw what it should */
    CHECK_EQ(values[5 * 512], 1005);
    CHECK_EQ(values[6 * 512], 3006);
    sys2(SYS_munmap, area, pages * 4096);
}

static void statuses(void) {
    int status;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, 3);
    }
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 3 << 8); /* WIFEXITED, WEXITSTATUS 3 */

    pid = sys0(SYS_fork);
    if (pid == 0) {
        volatile long* nowhere = (volatile long*)UNMAPPED_ADDRESS;
        *nowhere = 1; /* SIGSEGV */
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status & 0x7f, 11); /* WIFSIGNALED, WTERMSIG SIGSEGV (Linux may add the core bit) */

    CHECK_ERRNO(wait_for(-1, &status), ECHILD);
    CHECK_ERRNO(wait_for(99999, &status), ECHILD);
    CHECK_ERRNO(sys4(SYS_wait4, -1, (long)&status, 0x100, 0), EINVAL);

    /* WNOHANG: nothing to report yet (the child waits for the parent's
     * byte, so it cannot have exited, however late the parent runs). */
    int go[2];
    CHECK_EQ(sys1(SYS_pipe, (long)go), 0);
    long pipe_like_wait = sys0(SYS_fork);
    if (pipe_like_wait == 0) {
        char byte;
        sys1(SYS_exit, sys3(SYS_read, go[0], (long)&byte, 1) == 1 ? 0 : 1);
    }
    CHECK_EQ(sys4(SYS_wait4, pipe_like_wait, (long)&status, WNOHANG, 0), 0);
    CHECK_EQ(sys3(SYS_write, go[1], (long)"x", 1), 1);
    CHECK_EQ(wait_for(pipe_like_wait, &status), pipe_like_wait);
    CHECK_EQ(status, 0);
    sys1(SYS_close, go[0]);
    sys1(SYS_close, go[1]);
    /* A bad status pointer is EFAULT (and, as on Linux, the child is gone). */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, 0);
    }
    CHECK_ERRNO(wait_for(pid, (int*)UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(wait_for(pid, &status), ECHILD);
}

static long chain(int depth) {
    if (depth == 0) {
        return 0;
    }
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit_group, chain(depth - 1) == 0 ? 0 : 1);
    }
    if (pid < 0) {
        return 1;
    }
    int status = -1;
    return wait_for(pid, &status) == pid && status == 0 ? 0 : 1;
}

static void many(void) {
    CHECK_EQ(chain(200), 0);
    long children[200];
    for (int i = 0; i < 200; ++i) {
        children[i] = sys0(SYS_fork);
        if (children[i] == 0) {
            sys1(SYS_exit, i % 100);
        }
    }
    int statuses_ok = 1;
    for (int i = 0; i < 200; ++i) {
        int status = -1;
        statuses_ok = statuses_ok && children[i] > 0 &&
                      wait_for(children[i], &status) == children[i] && status == (i % 100) << 8;
    }
    CHECK(statuses_ok);
    int status;
    CHECK_ERRNO(wait_for(-1, &status), ECHILD);
}

static void clone_and_groups(void) {
    int status;
    long pid = sys2(SYS_clone, SIGCHLD, 0);
    if (pid == 0) {
        sys1(SYS_exit, 7);
    }
    CHECK(pid > 0);
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 7 << 8);
    /* The other forms of clone are tests/user/clone.c's. */

    const long self = sys0(SYS_getpid);
    /* Linux reports a group or session whose leader lives outside the
     * caller's PID namespace as 0 (CI runs in such a container), so only
     * Kite, where every leader is visible, must give a positive id. */
    const long group = sys1(SYS_getpgid, 0);
    const long session = sys1(SYS_getsid, 0);
    CHECK(on_kite() ? group > 0 : group >= 0);
    CHECK(on_kite() ? session > 0 : session >= 0);
    CHECK_EQ(sys1(SYS_getpgid, self), group);
    CHECK_EQ(sys1(SYS_getsid, self), session);
    CHECK_ERRNO(sys1(SYS_getpgid, 0x7fffffff /* above any pid_max */), ESRCH);
    /* The child waits until the parent has put it in a group of its own. */
    int moved[2];
    CHECK_EQ(sys1(SYS_pipe, (long)moved), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        sys3(SYS_read, moved[0], (long)&byte, 1);
        /* In its own group now (the parent put it there), so it may not
         * start a session; its own child may. */
        int ok = sys1(SYS_getpgid, 0) == sys0(SYS_getpid);
        ok = ok && sys0(SYS_setsid) == -EPERM;
        long grandchild = sys0(SYS_fork);
        if (grandchild == 0) {
            int leader = sys0(SYS_setsid) == sys0(SYS_getpid) &&
                         sys1(SYS_getsid, 0) == sys0(SYS_getpid) &&
                         sys1(SYS_getpgid, 0) == sys0(SYS_getpid);
            sys1(SYS_exit, leader ? 0 : 1);
        }
        int inner = -1;
        ok = ok && sys4(SYS_wait4, grandchild, (long)&inner, 0, 0) == grandchild && inner == 0;
        sys1(SYS_exit, ok ? 0 : 1);
    }
    CHECK_EQ(sys2(SYS_setpgid, pid, 0), 0);
    CHECK_EQ(sys1(SYS_getpgid, pid), pid);
    CHECK_EQ(sys3(SYS_write, moved[1], (long)"x", 1), 1);
    CHECK_EQ(sys1(SYS_getppid, 0) >= 0, 1);
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 0);
    sys1(SYS_close, moved[0]);
    sys1(SYS_close, moved[1]);
    CHECK_ERRNO(sys2(SYS_setpgid, 0x7fffffff, 0), ESRCH);
    CHECK_ERRNO(sys2(SYS_setpgid, 0, -1), EINVAL);
    /* A negative group is EINVAL before the process is looked for, and a
     * pgid of 0 means the pid given, so setpgid(-1, 0) asks for group -1
     * (Kite answered ESRCH); a negative pid with a valid group is ESRCH. */
    CHECK_ERRNO(sys2(SYS_setpgid, -1, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_setpgid, -5, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_setpgid, -1, -1), EINVAL);
    CHECK_ERRNO(sys2(SYS_setpgid, 0x7fffffff, -1), EINVAL);
    CHECK_ERRNO(sys2(SYS_setpgid, -1, 1), ESRCH);
    CHECK_ERRNO(sys1(SYS_getpgid, -1), ESRCH);
    CHECK_ERRNO(sys1(SYS_getsid, -1), ESRCH);
}

#define WUNTRACED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define P_ALL 0
#define P_PID 1
#define P_PGID 2

struct child_info { /* siginfo_t, as waitid fills it for SIGCHLD */
    int signo, error, code, padding, pid;
    unsigned uid;
    int status, rest[25];
};

static long wait_id(long idtype, long id, struct child_info* info, long options) {
    for (int i = 0; i < 32; ++i) {
        ((int*)info)[i] = -1;
    }
    return sys6(SYS_waitid, idtype, id, (long)info, options, 0, 0);
}

static long paused_child(void) {
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        for (;;) {
            sys0(SYS_pause);
        }
    }
    return pid;
}

/* waitid: exits, kills, stops and continues as si_code/si_status; WNOWAIT
 * leaves the child; WNOHANG with nothing ready zeroes the fields; wait4's
 * WCONTINUED; wait4's rusage carries the child's CPU time. */
static void waitid_and_continued(void) {
    struct child_info info;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, 5);
    }
    CHECK_EQ(wait_id(P_PID, pid, &info, WEXITED), 0);
    CHECK_EQ(info.signo, SIGCHLD);
    CHECK_EQ(info.code, 1); /* CLD_EXITED */
    CHECK_EQ(info.pid, pid);
    CHECK_EQ(info.status, 5);

    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, 6);
    }
    CHECK_EQ(wait_id(P_ALL, 0, &info, WEXITED | WNOWAIT), 0);
    CHECK_EQ(info.pid, pid);
    int status = -1;
    CHECK_EQ(wait_for(pid, &status), pid); /* still there to be reaped */
    CHECK_EQ(status, 6 << 8);

    pid = paused_child();
    CHECK_EQ(wait_id(P_PID, pid, &info, WEXITED | WNOHANG), 0);
    CHECK_EQ(info.signo, 0);
    CHECK_EQ(info.pid, 0);
    CHECK_EQ(sys2(SYS_kill, pid, 19 /* SIGSTOP */), 0);
    CHECK_EQ(wait_id(P_PGID, 0, &info, WUNTRACED), 0);
    CHECK_EQ(info.code, 5); /* CLD_STOPPED */
    CHECK_EQ(info.status, 19);
    CHECK_EQ(sys2(SYS_kill, pid, 18 /* SIGCONT */), 0);
    CHECK_EQ(wait_id(P_PID, pid, &info, WCONTINUED), 0);
    CHECK_EQ(info.code, 6); /* CLD_CONTINUED */
    CHECK_EQ(info.status, 18);
    CHECK_EQ(sys2(SYS_kill, pid, 19), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, WUNTRACED, 0), pid);
    CHECK_EQ(sys2(SYS_kill, pid, 18), 0);
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, WCONTINUED, 0), pid);
    CHECK_EQ(status, 0xffff); /* WIFCONTINUED */
    CHECK_EQ(sys2(SYS_kill, pid, 9), 0);
    CHECK_EQ(wait_id(P_PID, pid, &info, WEXITED), 0);
    CHECK_EQ(info.code, 2); /* CLD_KILLED */
    CHECK_EQ(info.status, 9);

    CHECK_ERRNO(wait_id(P_ALL, 0, &info, 0), EINVAL);
    CHECK_ERRNO(wait_id(7, 0, &info, WEXITED), EINVAL);
    CHECK_ERRNO(wait_id(P_PID, 0, &info, WEXITED), EINVAL);
    CHECK_ERRNO(wait_id(P_ALL, 0, &info, WEXITED), ECHILD);

    /* The child's CPU time comes back in wait4's rusage. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        long times[4] = {0, 0, 0, 0};
        volatile unsigned long sink = 0;
        const long start = sys1(SYS_times, 0);
        while (times[0] < 5 && sys1(SYS_times, (long)times) - start < 1000) {
            for (int i = 0; i < 100000; ++i) {
                sink = sink * 31 + (unsigned long)i;
            }
        }
        sys1(SYS_exit, 0);
    }
    long usage[18];
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, (long)usage), pid);
    CHECK(usage[0] * 1000000 + usage[1] >= 50000); /* ru_utime: the 5 ticks it burned */
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    const long parent = sys0(SYS_getpid);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, sys0(SYS_getppid) == parent ? 0 : 1);
    }
    int status = -1;
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 0);
    copy_on_write();
    if (on_kite()) {
        copy_on_write_costs();
    }
    statuses();
    many();
    clone_and_groups();
    waitid_and_continued();
    return check_done("fork_wait");
}
