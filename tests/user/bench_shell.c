/* bench_shell: cycles (rdtsc) for two scripts run by Kite's /bin/sh
 * (issue 14's figures): a 100 000-iteration arithmetic loop and a loop that
 * forks and execs /bin/true 1000 times. Each runs as `/bin/sh -c SCRIPT` in
 * a child, from fork to the child's exit. Prints "UBENCH sh_<name>
 * <cycles>". Under Linux (as /init, with no /bin/sh) it prints nothing. */
#include "check.h"

static const char arith_loop[] = "i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done";
static const char fork_loop[] = "i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i + 1)); done";

/* Cycles from fork to the exit of `sh -c script`; -1 if it failed. */
static long time_script(const char* script) {
    unsigned long start = rt_rdtsc();
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char* argv[] = {"/bin/sh", "-c", (char*)script, 0};
        char* envp[] = {"PATH=/bin", 0};
        sys3(SYS_execve, (long)argv[0], (long)argv, (long)envp);
        sys1(SYS_exit, 127);
    }
    int status = -1;
    if (pid < 0 || sys4(SYS_wait4, pid, (long)&status, 0, 0) != pid || status != 0)
        return -1;
    return (long)(rt_rdtsc() - start);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    if (!on_kite()) {
        sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793, 0x4321fedc,
             0);
        return 0;
    }
    bench_report("sh_arith_loop_100k", time_script(arith_loop));
    bench_report("sh_fork_1000", time_script(fork_loop));
    return 0;
}
