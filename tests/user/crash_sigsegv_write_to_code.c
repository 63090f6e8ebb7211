/* crash_sigsegv_write_to_code: must be killed by sigsegv (the test runner checks the
 * wait status); the kernel reports it and carries on. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    *(volatile char*)(void*)main = 0;
    rt_print("FAIL: still running after the fault\n");
    return 0;
}
