/* crash_sigsegv_kernel_read: must be killed by sigsegv (the test runner checks the
 * wait status); the kernel reports it and carries on. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    volatile long x = *(volatile long*)KERNEL_ADDRESS;
    (void)x;
    rt_print("FAIL: still running after the fault\n");
    return 0;
}
