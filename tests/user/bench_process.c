/* bench_process: cycles (rdtsc) for fork+exit+wait of a small process,
 * fork+exec+wait, a one-byte pipe round trip between two processes (two
 * context switches), and a copy-on-write fault per page. Prints
 * "UBENCH <name> <cycles>"; runs on Kite and as /init under Linux. */
#include "check.h"

static void reap(long pid) {
    int status;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    if (argc >= 2 && text_equal(argv[1], "--exit")) {
        return 0;
    }
    /* fork + exit + wait */
    const int forks = 200;
    unsigned long start = rt_rdtsc();
    for (int i = 0; i < forks; ++i) {
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            sys1(SYS_exit, 0);
        }
        reap(pid);
    }
    bench_report("fork_exit_wait", (long)((rt_rdtsc() - start) / forks));

    /* fork + exec + wait */
    const int execs = 50;
    start = rt_rdtsc();
    for (int i = 0; i < execs; ++i) {
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            char* child_argv[] = {argv[0], "--exit", 0};
            char* child_envp[] = {0};
            sys3(SYS_execve, (long)argv[0], (long)child_argv, (long)child_envp);
            sys1(SYS_exit, 1);
        }
        reap(pid);
    }
    bench_report("fork_exec_wait", (long)((rt_rdtsc() - start) / execs));

    /* pipe round trip: parent -> child -> parent, one byte each way */
    int there[2], back[2];
    sys1(SYS_pipe, (long)there);
    sys1(SYS_pipe, (long)back);
    const int trips = 2000;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_close, there[1]); /* else its own copy keeps the pipe open */
        sys1(SYS_close, back[0]);
        char c;
        while (sys3(SYS_read, there[0], (long)&c, 1) == 1) {
            sys3(SYS_write, back[1], (long)&c, 1);
        }
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, there[0]);
    sys1(SYS_close, back[1]);
    char c = 'x';
    start = rt_rdtsc();
    for (int i = 0; i < trips; ++i) {
        sys3(SYS_write, there[1], (long)&c, 1);
        sys3(SYS_read, back[0], (long)&c, 1);
    }
    bench_report("pipe_round_trip", (long)((rt_rdtsc() - start) / trips));
    sys1(SYS_close, there[1]);
    sys1(SYS_close, back[0]);
    reap(pid);

    /* copy-on-write fault per page: the child writes to pages it shares */
    const long pages = 256;
    char* area = (char*)sys6(SYS_mmap, 0, pages * 4096, 3, 0x22, -1, 0);
    for (long i = 0; i < pages; ++i) {
        area[i * 4096] = 1;
    }
    int result[2];
    sys1(SYS_pipe, (long)result);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_close, result[0]);
        unsigned long t0 = rt_rdtsc();
        for (long i = 0; i < pages; ++i) {
            area[i * 4096] = 2;
        }
        long per_page = (long)((rt_rdtsc() - t0) / pages);
        sys3(SYS_write, result[1], (long)&per_page, sizeof(per_page));
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, result[1]);
    long per_page = 0;
    sys3(SYS_read, result[0], (long)&per_page, sizeof(per_page));
    reap(pid);
    bench_report("cow_fault_per_page", per_page);

    if (!on_kite()) {
        sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793, 0x4321fedc,
             0);
    }
    return 0;
}
