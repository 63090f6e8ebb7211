/* sleepers: up to a thousand processes asleep at once, half in pause()
 * and half in a long nanosleep(), all with a deadline on the kernel's
 * timer list (Kite once had a fixed table of 256 timed sleepers and
 * panicked past it). Fewer when the machine holds fewer tasks
 * (kernel.threads-max, about 920 in 128 MiB, as on Linux): that less 64
 * for the rest of the system, and never under 512. Each child says it is
 * about to sleep through a pipe; the parent then kills them all and
 * checks that each died of SIGKILL. */
#include "check.h"

#define MOST_SLEEPERS 1000
#define SIGKILL 9

static long threads_max(void) {
    char text[32];
    const long fd = sys2(SYS_open, (long)"/proc/sys/kernel/threads-max", 0);
    const long n = fd >= 0 ? sys3(SYS_read, fd, (long)text, sizeof(text)) : 0;
    sys1(SYS_close, fd);
    long value = 0;
    for (long i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return n > 0 ? value : MOST_SLEEPERS + 64;
}

struct timespec_ {
    long seconds;
    long nanoseconds;
};

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    const int SLEEPERS =
        threads_max() - 64 < MOST_SLEEPERS ? (int)threads_max() - 64 : MOST_SLEEPERS;
    CHECK(SLEEPERS >= 512);
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    static long pids[MOST_SLEEPERS];
    int started = 0;
    for (int i = 0; i < SLEEPERS; ++i) {
        long pid = sys0(SYS_fork);
        if (pid == 0) {
            sys1(SYS_close, fds[0]);
            sys3(SYS_write, fds[1], (long)"s", 1);
            if (i % 2 == 0) {
                sys0(SYS_pause);
            } else {
                struct timespec_ long_time = {100000, 0};
                sys2(SYS_nanosleep, (long)&long_time, 0);
            }
            sys1(SYS_exit, 1); /* woken: wrong */
        }
        CHECK(pid > 0);
        if (pid <= 0) {
            break;
        }
        pids[started++] = pid;
    }
    sys1(SYS_close, fds[1]);
    /* Every child has written its byte just before sleeping. */
    int ready = 0;
    char buffer[64];
    while (ready < started) {
        long n = sys3(SYS_read, fds[0], (long)buffer, sizeof(buffer));
        if (n <= 0) {
            break;
        }
        ready += (int)n;
    }
    CHECK_EQ(ready, started);
    sys1(SYS_close, fds[0]);
    for (int i = 0; i < started; ++i) {
        CHECK_EQ(sys2(SYS_kill, pids[i], SIGKILL), 0);
    }
    int killed = 0;
    for (int i = 0; i < started; ++i) {
        int status = -1;
        if (sys4(SYS_wait4, pids[i], (long)&status, 0, 0) == pids[i] &&
            (status & 0x7f) == SIGKILL) {
            ++killed;
        }
    }
    CHECK_EQ(started, SLEEPERS);
    CHECK_EQ(killed, started);
    return check_done("sleepers");
}
