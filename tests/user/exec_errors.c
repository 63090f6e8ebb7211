/* exec_errors: execve of things that are not runnable programs fails with
 * the right errno and leaves the caller running; then (on Kite) a "#!"
 * script runs with this program as its interpreter.
 *
 * argv[1] is the directory of the test data (made by make_initrd.py). */
#include "check.h"

static const char* data_directory;

static long exec_data(const char* name) {
    char path[512];
    unsigned long n = rt_strlen(data_directory);
    memcpy(path, data_directory, n);
    path[n] = '/';
    memcpy(path + n + 1, name, rt_strlen(name) + 1);
    char* argv[] = {path, 0};
    char* envp[] = {0};
    return sys3(SYS_execve, (long)path, (long)argv, (long)envp);
}

/* Run as "#!/test/exec_errors --as-interpreter": check the argument list
 * the kernel built from the script's first line. */
static int interpreter(int argc, char** argv) {
    CHECK_EQ(argc, 3);
    CHECK(text_equal(argv[1], "--as-interpreter"));
    CHECK(text_equal(argv[2], "/test/data/script"));
    return check_done("exec_errors as the #! interpreter");
}

/* execve with no arguments at all (argv NULL, or empty): Linux (since
 * 5.18) gives the program one, "", so that argv[1] is never envp's first;
 * and a NULL envp is an empty environment. The child says what it got in
 * its exit status. */
static void no_arguments(const char* self) {
    char* empty[] = {0};
    for (int variant = 0; variant < 2; ++variant) {
        const long pid = sys0(SYS_fork);
        if (pid == 0) {
            sys3(SYS_execve, (long)self, variant ? (long)empty : 0, 0);
            sys1(SYS_exit_group, 1);
        }
        int status = -1;
        CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
        CHECK_EQ(status, 42 << 8);
    }
}

int main(int argc, char** argv, char** envp) {
    if (argc == 1 && argv[0][0] == '\0') { /* run by no_arguments */
        return argv[1] == 0 && envp[0] == 0 ? 42 : 43;
    }
    if (argc >= 2 && text_equal(argv[1], "--as-interpreter")) {
        return interpreter(argc, argv);
    }
    data_directory = argc >= 2 ? argv[1] : "/test/data";
    char* no_args[] = {0};
    CHECK_ERRNO(exec_data("no-such-program"), ENOENT);
    CHECK_ERRNO(exec_data("not_executable"), EACCES);
    CHECK_ERRNO(exec_data("not_elf"), ENOEXEC);
    CHECK_ERRNO(exec_data("other_machine_elf"), ENOEXEC);
    CHECK_ERRNO(sys3(SYS_execve, (long)"/dev/null", (long)no_args, (long)no_args), EACCES);
    CHECK_ERRNO(sys3(SYS_execve, (long)"/", (long)no_args, (long)no_args), EACCES);
    CHECK_ERRNO(sys3(SYS_execve, UNMAPPED_ADDRESS, (long)no_args, (long)no_args), EFAULT);
    CHECK_ERRNO(sys3(SYS_execve, (long)argv[0], UNMAPPED_ADDRESS, (long)no_args), EFAULT);
    char* bad_entry[] = {(char*)KERNEL_ADDRESS, 0};
    CHECK_ERRNO(sys3(SYS_execve, (long)argv[0], (long)bad_entry, (long)no_args), EFAULT);
    if (on_kite()) {
        /* Linux reports these differently (EIO for a short file; a missing
         * interpreter for PT_INTERP); Kite refuses them all as ENOEXEC. */
        CHECK_ERRNO(exec_data("truncated_elf"), ENOEXEC);
        CHECK_ERRNO(exec_data("dynamic_elf"), ENOEXEC);
    }
    no_arguments(argv[0]);
    /* Still here, with the same process. */
    CHECK(sys0(SYS_getpid) > 0);
    if (!on_kite() || check_failures > 0) {
        return check_done("exec_errors");
    }
    check_done("exec_errors (before the script)");
    char* script_argv[] = {"/test/data/script", 0};
    sys3(SYS_execve, (long)"/test/data/script", (long)script_argv, (long)no_args);
    rt_print("FAIL: the #! script did not run\n");
    return 1;
}
