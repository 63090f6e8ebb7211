/* spin: CPU-bound work that never makes a system call until it is done.
 * argv[1] is an iteration count (a small default when it is not a number);
 * the kernel's preemption test runs two of these at once. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)envp;
    long iterations = 1000000;
    if (argc >= 2 && argv[1][0] >= '0' && argv[1][0] <= '9') {
        iterations = 0;
        for (const char* p = argv[1]; *p >= '0' && *p <= '9'; ++p) {
            iterations = iterations * 10 + (*p - '0');
        }
    }
    for (volatile long i = 0; i < iterations; ++i) {
    }
    return 0;
}
