/* bench_wait: cycles (rdtsc) for waiting on many descriptors when one is
 * ready: poll on 1 pipe and on 64 pipes (the last one readable), and
 * epoll_wait (level-triggered) over 1000 eventfds of which one is
 * readable: poll's cost grows with the descriptors asked, epoll's does
 * not. Prints "UBENCH <name> <cycles>"; runs on Kite and as /init under
 * Linux. */
#include "check.h"

#define POLLIN 1
#define EPOLLIN 1
#define EPOLL_CTL_ADD 1
#define EFD_NONBLOCK 04000

struct pollfd {
    int fd;
    short events;
    short revents;
};

struct epoll_event {
    unsigned events;
    unsigned long data;
} __attribute__((packed));

static struct pollfd polled[64];
static long eventfds[1000];

/* Cycles per poll of the first `count` entries of polled[], one ready. */
static long time_poll(int count) {
    const int calls = 2000;
    long ready = 0;
    unsigned long start = rt_rdtsc();
    for (int i = 0; i < calls; ++i) {
        ready += sys3(SYS_poll, (long)polled, count, 0);
    }
    unsigned long cycles = rt_rdtsc() - start;
    return ready == calls ? (long)(cycles / calls) : -1;
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    int pipes[64][2];
    for (int i = 0; i < 64; ++i) {
        if (sys1(SYS_pipe, (long)pipes[i]) != 0) {
            rt_print("bench_wait: no pipe\n");
            return 1;
        }
    }
    /* One pipe readable: the first for poll of 1, the last for poll of 64. */
    sys3(SYS_write, pipes[0][1], (long)"x", 1);
    polled[0] = (struct pollfd){pipes[0][0], POLLIN, 0};
    long one = time_poll(1);
    char c;
    sys3(SYS_read, pipes[0][0], (long)&c, 1);
    sys3(SYS_write, pipes[63][1], (long)"x", 1);
    for (int i = 0; i < 64; ++i) {
        polled[i] = (struct pollfd){pipes[i][0], POLLIN, 0};
    }
    long sixty_four = time_poll(64);
    if (one < 0 || sixty_four < 0) {
        rt_print("bench_wait: poll did not report one ready pipe\n");
        return 1;
    }
    bench_report("poll_1_pipe", one);
    bench_report("poll_64_pipes", sixty_four);
    for (int i = 0; i < 64; ++i) {
        sys1(SYS_close, pipes[i][0]);
        sys1(SYS_close, pipes[i][1]);
    }

    long ep = sys1(SYS_epoll_create1, 0);
    for (int i = 0; i < 1000; ++i) {
        eventfds[i] = sys2(SYS_eventfd2, 0, EFD_NONBLOCK);
        struct epoll_event e = {EPOLLIN, (unsigned long)i};
        if (ep < 0 || eventfds[i] < 0 ||
            sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, eventfds[i], (long)&e)) {
            rt_print("bench_wait: no epoll or eventfd\n");
            return 1;
        }
    }
    unsigned long count = 1;
    sys3(SYS_write, eventfds[500], (long)&count, 8);
    const int calls = 2000;
    long right = 0;
    struct epoll_event out[8];
    unsigned long start = rt_rdtsc();
    for (int i = 0; i < calls; ++i) {
        right += sys4(SYS_epoll_wait, ep, (long)out, 8, 0) == 1 && out[0].data == 500;
    }
    unsigned long cycles = rt_rdtsc() - start;
    if (right != calls) {
        rt_print("bench_wait: epoll_wait did not report the one ready eventfd\n");
        return 1;
    }
    bench_report("epoll_wait_1_ready_of_1000", (long)(cycles / calls));
    for (int i = 0; i < 1000; ++i) {
        sys1(SYS_close, eventfds[i]);
    }
    sys1(SYS_close, ep);
    if (!on_kite()) {
        sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793, 0x4321fedc,
             0);
    }
    return 0;
}
