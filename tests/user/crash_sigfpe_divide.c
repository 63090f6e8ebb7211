/* crash_sigfpe_divide: must be killed by SIGFPE (the test runner checks the
 * wait status); the kernel reports it and carries on. The division is in
 * assembly: a compiler may rewrite 1 / x without dividing. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    __asm__ volatile("mov $1, %%eax\n"
                     "xor %%edx, %%edx\n"
                     "xor %%ecx, %%ecx\n"
                     "div %%rcx\n"
                     :
                     :
                     : "rax", "rcx", "rdx");
    rt_print("FAIL: still running after the fault\n");
    return 0;
}
