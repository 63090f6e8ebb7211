/* limits.c: what a program asks about its own limits and permissions:
 * access, umask, chmod/fchmod, getrlimit/setrlimit (Linux's layout, see
 * the port's sys/resource.h) and sysconf. */
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux.h"

_Static_assert(sizeof(struct rlimit) == 16, "Linux's struct rlimit: two 64-bit values");
_Static_assert(F_OK == 0 && X_OK == 1 && W_OK == 2 && R_OK == 4, "access modes as Linux's");

int access(const char* path, int mode) {
    return (int)port_result(linux_syscall(SYS_access, path, mode, 0));
}

mode_t umask(mode_t mask) {
    return (mode_t)linux_syscall(SYS_umask, mask & 0777, 0, 0); /* never fails */
}

int chmod(const char* path, mode_t mode) {
    return (int)port_result(linux_syscall(SYS_chmod, path, mode, 0));
}

int fchmod(int fd, mode_t mode) {
    return (int)port_result(linux_syscall(SYS_fchmod, fd, mode, 0));
}

int getrlimit(int resource, struct rlimit* limit) {
    return (int)port_result(linux_syscall(SYS_getrlimit, resource, limit, 0));
}

int setrlimit(int resource, const struct rlimit* limit) {
    return (int)port_result(linux_syscall(SYS_setrlimit, resource, limit, 0));
}

/* A limit the kernel keeps, or -1 (no errno change) when it has none. */
static long limit_value(int resource) {
    struct rlimit limit;
    if (getrlimit(resource, &limit) < 0 || limit.rlim_cur == RLIM_INFINITY)
        return -1;
    return (long)limit.rlim_cur;
}

/* The CPUs this process may run on: the bits sched_getaffinity sets. */
static long cpu_count(void) {
    unsigned long mask[16] = {0};
    long bytes = linux_syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (bytes <= 0)
        return 1;
    long count = 0;
    for (unsigned i = 0; i < (unsigned long)bytes / sizeof mask[0]; i++)
        count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : 1;
}

long sysconf(int name) {
    switch (name) {
    case _SC_ARG_MAX:
        return 256 * 1024; /* the kernel's bound on argv and envp strings together (proc/exec.h) */
    case _SC_CHILD_MAX:
        return limit_value(RLIMIT_NPROC);
    case _SC_CLK_TCK:
        return CLOCKS_PER_SEC; /* the unit the port's times() reports in */
    case _SC_OPEN_MAX:
        return limit_value(RLIMIT_NOFILE);
    case _SC_PAGESIZE:
        return 4096;
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:
        return cpu_count();
    default:
        return port_fail(EINVAL);
    }
}
