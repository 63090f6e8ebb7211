/* bench_sockets: cycles (rdtsc) for AF_UNIX stream sockets between two
 * processes: a 1-byte round trip (the parent writes a byte, the child
 * echoes it; two wakeups and two context switches per trip) and a 1 MiB
 * transfer from the child to the parent in 64 KiB writes, every byte
 * checked after the clock stops. Prints "UBENCH <name> <cycles>"; runs on
 * Kite and as /init under Linux. */
#include "check.h"

#define AF_UNIX 1
#define SOCK_STREAM 1

static long full_write(long fd, const unsigned char* from, long length) {
    long at = 0;
    while (at < length) {
        long n = sys3(SYS_write, fd, (long)from + at, length - at);
        if (n <= 0) {
            return -1;
        }
        at += n;
    }
    return at;
}

static unsigned char block[65536];
static unsigned char received[1 << 20];

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    int sv[2];
    if (sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv) != 0) {
        rt_print("bench_sockets: no AF_UNIX sockets\n");
        return 1;
    }
    const int trips = 2000;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_close, sv[0]);
        unsigned char c;
        for (int i = 0; i < trips; ++i) {
            if (sys3(SYS_read, sv[1], (long)&c, 1) != 1) {
                sys1(SYS_exit, 1);
            }
            c = (unsigned char)(c + 1);
            sys3(SYS_write, sv[1], (long)&c, 1);
        }
        for (long i = 0; i < (long)sizeof(block); ++i) {
            block[i] = (unsigned char)(i * 7 + 1);
        }
        /* the parent's go */
        if (sys3(SYS_read, sv[1], (long)&c, 1) != 1) {
            sys1(SYS_exit, 1);
        }
        for (int i = 0; i < 16; ++i) {
            block[0] = (unsigned char)i;
            if (full_write(sv[1], block, sizeof(block)) < 0) {
                sys1(SYS_exit, 1);
            }
        }
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, sv[1]);
    int intact = 1;
    unsigned long start = rt_rdtsc();
    for (int i = 0; i < trips; ++i) {
        unsigned char c = (unsigned char)i, back = 0;
        sys3(SYS_write, sv[0], (long)&c, 1);
        intact =
            intact && sys3(SYS_read, sv[0], (long)&back, 1) == 1 && back == (unsigned char)(i + 1);
    }
    unsigned long cycles = rt_rdtsc() - start;
    if (intact) {
        bench_report("unix_stream_round_trip", (long)(cycles / trips));
    } else {
        rt_print("bench_sockets: a round trip went wrong\n");
    }

    unsigned char go = 0;
    sys3(SYS_write, sv[0], (long)&go, 1);
    start = rt_rdtsc();
    long total = 0;
    while (total < (long)sizeof(received)) {
        long n = sys3(SYS_read, sv[0], (long)received + total, sizeof(received) - total);
        if (n <= 0) {
            break;
        }
        total += n;
    }
    cycles = rt_rdtsc() - start;
    intact = total == (long)sizeof(received);
    for (long i = 0; intact && i < total; ++i) {
        const unsigned char want =
            (i % 65536) == 0 ? (unsigned char)(i / 65536) : (unsigned char)((i % 65536) * 7 + 1);
        intact = received[i] == want;
    }
    int status = -1;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    if (intact && status == 0) {
        bench_report("unix_stream_1mib", (long)cycles);
    } else {
        rt_print("bench_sockets: the 1 MiB transfer went wrong\n");
    }
    sys1(SYS_close, sv[0]);
    if (!on_kite()) {
        sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793, 0x4321fedc,
             0);
    }
    return 0;
}
