/* process_races: walks of the process table (kill(-1, 0), setsid, getsid
 * and getpgid of a busy child, and on Kite the process list /proc)
 * run while another process forks children that exit and are reaped all
 * the time. Kite once walked the list with nothing guarding it: with
 * kite.heap_debug=1 a walk reached a freed entry and the kernel took a #GP.
 * The checks are that every call answers as Linux does and that the kernel
 * survives. */
#include "check.h"

#define CHURN_ROUNDS 1500
#define WNOHANG 1

static long wait_for(long pid, int options) {
    int status = -1;
    long got = sys4(SYS_wait4, pid, (long)&status, options, 0);
    return got == pid ? status : got;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    /* A group leader (of our own group, or of a session, as under Kite's
     * test runner): setsid is then always EPERM, after a walk. */
    const long made_leader = sys2(SYS_setpgid, 0, 0);
    CHECK(made_leader == 0 || (made_leader == -EPERM && sys1(SYS_getsid, 0) == sys0(SYS_getpid)));
    const long session = sys1(SYS_getsid, 0);
    long churner = sys0(SYS_fork);
    if (churner == 0) {
        for (int i = 0; i < CHURN_ROUNDS; ++i) {
            long pid = sys0(SYS_fork);
            if (pid == 0) {
                sys1(SYS_exit, 0);
            }
            if (pid < 0 || wait_for(pid, 0) != 0) {
                sys1(SYS_exit, 2);
            }
        }
        sys1(SYS_exit, 0);
    }
    CHECK(churner > 0);
    static char list[16384];
    long walks = 0;
    int status = -1;
    while (sys4(SYS_wait4, churner, (long)&status, WNOHANG, 0) == 0) {
        const long signalled = sys2(SYS_kill, -1, 0); /* ESRCH: nobody else left */
        CHECK(signalled == 0 || signalled == -ESRCH);
        CHECK_ERRNO(sys0(SYS_setsid), EPERM);
        CHECK_EQ(sys1(SYS_getsid, churner), session);
        CHECK_EQ(sys1(SYS_getpgid, churner), sys1(SYS_getpgid, 0));
        if (on_kite()) {
            /* The /proc listing walks the process table. */
            long processes = sys3(SYS_open, (long)"/proc", 0200000 /* O_DIRECTORY */, 0);
            CHECK(processes >= 0);
            CHECK(sys3(SYS_getdents64, processes, (long)list, sizeof(list)) > 0);
            sys1(SYS_close, processes);
        }
        ++walks;
    }
    CHECK_EQ(status, 0); /* the churner made and reaped every child */
    CHECK(walks > 0);
    /* Gone now: the lookups say so. */
    CHECK_ERRNO(sys1(SYS_getsid, churner), ESRCH);
    CHECK_ERRNO(sys1(SYS_getpgid, churner), ESRCH);
    return check_done("process_races");
}
