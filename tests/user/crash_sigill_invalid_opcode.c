/* crash_sigill_invalid_opcode: must be killed by sigill (the test runner checks the
 * wait status); the kernel reports it and carries on. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    __asm__ volatile("ud2");
    rt_print("FAIL: still running after the fault\n");
    return 0;
}
