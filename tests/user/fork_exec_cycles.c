/* fork_exec_cycles: many fork + exec + exit + wait cycles; on Kite the free
 * frames and heap usage (from /proc/kite/memory) must be exactly what they
 * were before. The exec target is this program with "--exit". */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc >= 2 && text_equal(argv[1], "--exit")) {
        return 0;
    }
    const int cycles = on_kite() ? 2000 : 300;
    char before[128], after[128];
    if (on_kite()) {
        CHECK(read_kite_stats(before, sizeof(before)));
    }
    int failures = 0;
    for (int i = 0; i < cycles; ++i) {
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            char* child_argv[] = {argv[0], "--exit", 0};
            char* child_envp[] = {0};
            sys3(SYS_execve, (long)argv[0], (long)child_argv, (long)child_envp);
            sys1(SYS_exit, 99);
        }
        int status = -1;
        if (pid < 0 || sys4(SYS_wait4, pid, (long)&status, 0, 0) != pid || status != 0) {
            ++failures;
        }
    }
    CHECK_EQ(failures, 0);
    if (on_kite()) {
        CHECK(read_kite_stats(after, sizeof(after)));
        rt_print("before: ");
        rt_print(before);
        rt_print("after:  ");
        rt_print(after);
        CHECK(text_equal(before, after));
    }
    return check_done("fork_exec_cycles");
}
