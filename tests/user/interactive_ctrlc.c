/* interactive_ctrlc: what a shell does with a foreground job. The child
 * gets a process group of its own and the terminal's foreground; it loops.
 * A person (or boot.ctrl_c_stops_foreground) presses Ctrl-C: the child dies
 * of SIGINT, this parent does not, takes the terminal back and says so.
 * Installed as /interactive/ctrlc: it needs someone at the keyboard, so it
 * is not among the /test programs. */
#include "check.h"

#define TIOCSPGRP 0x5410

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    long tty = sys3(SYS_open, (long)"/dev/tty", 2, 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys2(SYS_setpgid, 0, 0);
        for (volatile long i = 0;; ++i) {
        }
    }
    sys2(SYS_setpgid, pid, pid);
    int group = (int)pid;
    sys3(SYS_ioctl, tty, TIOCSPGRP, (long)&group);
    rt_print("child ");
    rt_print_number(pid);
    rt_print(" running in the foreground; press Ctrl-C\n");
    int status = -1;
    long waited = sys4(SYS_wait4, pid, (long)&status, 0, 0);
    int own = (int)sys1(SYS_getpgid, 0);
    sys3(SYS_ioctl, tty, TIOCSPGRP, (long)&own);
    rt_print(waited == pid ? "child ended by signal " : "wait failed ");
    rt_print_number(status & 0x7f);
    rt_print("\nparent still alive\n");
    return (status & 0x7f) == 2 ? 0 : 1;
}
