/* fork_wait: fork with copy-on-write memory, wait4 and the statuses it
 * reports, a chain of 200 nested forks, 200 children of one parent, clone
 * with fork's flags, and process groups and sessions. */
#include "check.h"

#define WNOHANG 1
#define SIGCHLD 17

static long wait_for(long pid, int* status) {
    return sys4(SYS_wait4, pid, (long)status, 0, 0);
}

/* Free frames, from Kite's /dev/kitestats ("free_frames N ..."); -1 if
 * it cannot be read (on Linux). */
static long free_frames(void) {
    char text[128];
    long fd = sys3(SYS_open, (long)"/dev/kitestats", 0, 0);
    if (fd < 0) {
        return -1;
    }
    long n = sys3(SYS_read, fd, (long)text, sizeof(text) - 1);
    sys1(SYS_close, fd);
    if (n <= 0) {
        return -1;
    }
    text[n] = '\0';
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

    /* WNOHANG: nothing to report yet. */
    long pipe_like_wait = sys0(SYS_fork);
    if (pipe_like_wait == 0) {
        struct {
            long s, ns;
        } nap = {0, 50 * 1000000L};
        sys2(SYS_nanosleep, (long)&nap, 0);
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(sys4(SYS_wait4, pipe_like_wait, (long)&status, WNOHANG, 0), 0);
    CHECK_EQ(wait_for(pipe_like_wait, &status), pipe_like_wait);
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
    if (on_kite()) {
        CHECK_ERRNO(sys2(SYS_clone, 0x100 /* CLONE_VM */ | SIGCHLD, 0), EINVAL);
    }

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
    CHECK_ERRNO(sys1(SYS_getpgid, 999999), ESRCH);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct {
            long s, ns;
        } nap = {0, 30 * 1000000L};
        sys2(SYS_nanosleep, (long)&nap, 0);
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
    CHECK_EQ(sys1(SYS_getppid, 0) >= 0, 1);
    CHECK_EQ(wait_for(pid, &status), pid);
    CHECK_EQ(status, 0);
    CHECK_ERRNO(sys2(SYS_setpgid, 999999, 0), ESRCH);
    CHECK_ERRNO(sys2(SYS_setpgid, 0, -1), EINVAL);
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
    return check_done("fork_wait");
}
