/* limits: the port's access, umask, chmod/fchmod, getrlimit/setrlimit
 * (Linux's struct rlimit and RLIMIT_* numbers) and sysconf, with their
 * errno values, the same on Kite and on Linux. Works in a fresh file
 * under /tmp and removes it. */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void test_access_and_modes(const char* path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(access(path, F_OK) == 0);
    CHECK(access(path, R_OK | W_OK) == 0);
    CHECK_ERRNO(access("/tmp/no/such/file", F_OK), ENOENT);
    CHECK_ERRNO(access(path, 0x40), EINVAL); /* no such mode bit */
    struct stat st;
    CHECK(chmod(path, 0751) == 0 && stat(path, &st) == 0 && (st.st_mode & 0777) == 0751);
    CHECK(fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
    CHECK_ERRNO(chmod("/tmp/no/such/file", 0600), ENOENT);
    CHECK_ERRNO(fchmod(-1, 0600), EBADF);
    close(fd);
    /* umask gives back the mask before, and a new file's mode obeys it. */
    mode_t old = umask(077);
    CHECK(umask(027) == 077);
    CHECK(unlink(path) == 0);
    fd = open(path, O_WRONLY | O_CREAT, 0666);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
    close(fd);
    umask(old);
    CHECK(unlink(path) == 0);
}

static void test_limits(void) {
    struct rlimit before, now;
    CHECK(getrlimit(RLIMIT_NOFILE, &before) == 0 && before.rlim_cur > 16);
    CHECK(sysconf(_SC_OPEN_MAX) == (long)before.rlim_cur);
    struct rlimit lower = {16, before.rlim_max};
    CHECK(setrlimit(RLIMIT_NOFILE, &lower) == 0);
    CHECK(getrlimit(RLIMIT_NOFILE, &now) == 0 && now.rlim_cur == 16);
    CHECK(sysconf(_SC_OPEN_MAX) == 16);
    CHECK_ERRNO(dup2(0, 16), EBADF); /* fd 16 is past the limit */
    CHECK(setrlimit(RLIMIT_NOFILE, &before) == 0);
    struct rlimit inverted = {before.rlim_max, 16}; /* soft above hard */
    CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &inverted), EINVAL);
    CHECK_ERRNO(getrlimit(99, &now), EINVAL);
    CHECK_ERRNO(getrlimit(RLIMIT_NOFILE, (struct rlimit*)0x10), EFAULT);
}

static void test_sysconf(void) {
    CHECK(sysconf(_SC_PAGESIZE) == 4096);
    CHECK(sysconf(_SC_CLK_TCK) == CLOCKS_PER_SEC); /* the unit the port's times() counts in */
    CHECK(sysconf(_SC_ARG_MAX) >= 128 * 1024);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    CHECK_ERRNO(sysconf(-1), EINVAL);
}

int main(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/libc_limits.%d", (int)getpid());
    test_access_and_modes(path);
    test_limits();
    test_sysconf();
    return check_finish("libc_limits");
}
