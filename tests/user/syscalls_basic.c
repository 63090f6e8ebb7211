/* syscalls_basic: identity calls, uname, arch_prctl, set_tid_address,
 * sched_yield, and an unknown system call number. */
#include "check.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    const long pid = sys0(SYS_getpid);
    CHECK(pid > 0);
    CHECK_EQ(sys0(SYS_gettid), pid);
    CHECK(sys0(SYS_getppid) >= 0);
    CHECK_EQ(sys0(SYS_getuid), sys0(SYS_geteuid));
    CHECK_EQ(sys0(SYS_getgid), sys0(SYS_getegid));
    if (on_kite()) {
        CHECK_EQ(sys0(SYS_getuid), 0);
        CHECK_EQ(sys0(SYS_getgid), 0);
    }
    CHECK_EQ(sys0(SYS_sched_yield), 0);

    /* Numbers Linux has never used are ENOSYS. */
    CHECK_ERRNO(sys0(500), ENOSYS);
    CHECK_ERRNO(sys0(100000), ENOSYS);
    CHECK_ERRNO(sys0(-1), ENOSYS);

    char name[390];
    CHECK_EQ(sys1(SYS_uname, (long)name), 0);
    CHECK(text_equal(name + 65 * 4, "x86_64"));
    CHECK(text_equal(name, on_kite() ? "Kite" : "Linux"));
    CHECK_ERRNO(sys1(SYS_uname, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys1(SYS_uname, KERNEL_ADDRESS), EFAULT);

    int tid_slot = 0;
    CHECK_EQ(sys1(SYS_set_tid_address, (long)&tid_slot), pid);

    /* FS base for thread-local storage: set, read back, use through %fs. */
    static unsigned long tls_block[4] = {0, 0x1122334455667788UL, 0, 0};
    CHECK_EQ(sys2(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, (long)tls_block), 0);
    unsigned long base = 0;
    CHECK_EQ(sys2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, (long)&base), 0);
    CHECK_EQ(base, (unsigned long)tls_block);
    unsigned long through_fs;
    __asm__ volatile("mov %%fs:8, %0" : "=r"(through_fs));
    CHECK_EQ(through_fs, 0x1122334455667788UL);
    CHECK_ERRNO(sys2(SYS_arch_prctl, 0x9999, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_arch_prctl, 0x1003, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_arch_prctl, 0x1002, KERNEL_ADDRESS), EPERM);
    return check_done("syscalls_basic");
}
