/* bench_exec: cycles (rdtsc) per execve of a small static program (this
 * one, 20 times over: each run execs the next with the remaining count and
 * the start time in argv). Prints "UBENCH exec <cycles>". */
#include "check.h"

#define RUNS 20

static long parse(const char* s, int* ok) {
    long v = 0;
    *ok = *s >= '0' && *s <= '9';
    for (; *s >= '0' && *s <= '9'; ++s) {
        v = v * 10 + (*s - '0');
    }
    return v;
}

static char* format(char* out, unsigned long v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char* p = out;
    while (n) {
        *p++ = digits[--n];
    }
    *p = '\0';
    return out;
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    int numeric = 0;
    long left = argc >= 3 ? parse(argv[1], &numeric) : 0;
    unsigned long start = rt_rdtsc();
    if (numeric) {
        int ok;
        start = (unsigned long)parse(argv[2], &ok);
    } else {
        left = RUNS;
    }
    if (left == 0) {
        bench_report("exec", (long)((rt_rdtsc() - start) / RUNS));
        if (!on_kite()) {
            sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793,
                 0x4321fedc, 0);
        }
        return 0;
    }
    char count[24], time[24];
    char* next[] = {argv[0], format(count, (unsigned long)left - 1), format(time, start), 0};
    char* environment[] = {0};
    sys3(SYS_execve, (long)argv[0], (long)next, (long)environment);
    rt_print("bench_exec: execve failed\n");
    return 1;
}
