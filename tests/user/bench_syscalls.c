/* bench_syscalls: cycles (rdtsc) per system-call round trip: getpid, an
 * unknown number, a 1-byte read of /dev/zero and a 1-byte pread of a tmpfs
 * file (/tmp: under Linux as init, a tmpfs is mounted there). Median of 5 rounds.
 * Prints "UBENCH <name> <cycles>". Runs as a Kite benchmark program and as
 * /init under Linux (../shared/peer-linux), where it powers off at the end. */
#include "check.h"

#define ROUNDS 5
#define CALLS 20000

static long zero_fd;
static long file_fd;
static char byte;

static long median(long* v) {
    for (int i = 1; i < ROUNDS; ++i) {
        for (int j = i; j > 0 && v[j] < v[j - 1]; --j) {
            long t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[ROUNDS / 2];
}

#define MEASURE(name, call)                                                                        \
    do {                                                                                           \
        long results[ROUNDS];                                                                      \
        for (int r = 0; r < ROUNDS; ++r) {                                                         \
            unsigned long start = rt_rdtsc();                                                      \
            for (int i = 0; i < CALLS; ++i) {                                                      \
                call;                                                                              \
            }                                                                                      \
            results[r] = (long)((rt_rdtsc() - start) / CALLS);                                     \
        }                                                                                          \
        bench_report(name, median(results));                                                       \
    } while (0)

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    zero_fd = sys3(SYS_open, (long)"/dev/zero", 0, 0);
    MEASURE("getpid", sys0(SYS_getpid));
    MEASURE("unknown_syscall", sys0(500));
    MEASURE("read_dev_zero_1_byte", sys3(SYS_read, zero_fd, (long)&byte, 1));
    if (!on_kite()) {
        sys2(83 /* mkdir */, (long)"/tmp", 01777);
        sys6(165 /* mount */, (long)"tmpfs", (long)"/tmp", (long)"tmpfs", 0, 0, 0);
    }
    file_fd = sys3(SYS_open, (long)"/tmp/bench_pread", 0102 /* O_RDWR|O_CREAT */, 0644);
    if (file_fd >= 0 && sys3(SYS_write, file_fd, (long)"x", 1) == 1) {
        MEASURE("pread_tmpfs_1_byte", sys4(SYS_pread64, file_fd, (long)&byte, 1, 0));
        sys1(SYS_unlink, (long)"/tmp/bench_pread");
    }
    if (!on_kite()) { /* /init under Linux must not exit: power off instead */
        sys4(169 /* reboot */, 0xfee1dead, 672274793, 0x4321fedc, 0);
    }
    return 0;
}
