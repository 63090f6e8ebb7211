/* syscalls.c: the system calls newlib needs, over Linux's ABI (which Kite
 * implements). Every call goes through port_result, which turns a -errno
 * return into -1 with errno set to newlib's value for that error. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux.h"

#define CALL(name, a, b, c) port_result(linux_syscall(SYS_##name, a, b, c))

char** environ;

/* newlib declares read and write to return int for this target
 * (_READ_WRITE_RETURN_TYPE); a single call moves less than 2 GiB anyway. */
_READ_WRITE_RETURN_TYPE read(int fd, void* buffer, size_t count) {
    return (_READ_WRITE_RETURN_TYPE)CALL(read, fd, buffer, count);
}
_READ_WRITE_RETURN_TYPE write(int fd, const void* buffer, size_t count) {
    return (_READ_WRITE_RETURN_TYPE)CALL(write, fd, buffer, count);
}
int close(int fd) {
    return (int)CALL(close, fd, 0, 0);
}
off_t lseek(int fd, off_t offset, int whence) {
    return CALL(lseek, fd, offset, whence);
}
int unlink(const char* path) {
    return (int)CALL(unlink, path, 0, 0);
}
int link(const char* from, const char* to) {
    return (int)CALL(link, from, to, 0);
}
int symlink(const char* target, const char* path) {
    return (int)CALL(symlink, target, path, 0);
}
ssize_t readlink(const char* restrict path, char* restrict buffer, size_t size) {
    return (ssize_t)CALL(readlink, path, buffer, size);
}
int rename(const char* from, const char* to) {
    return (int)CALL(rename, from, to, 0);
}
int mkdir(const char* path, mode_t mode) {
    return (int)CALL(mkdir, path, mode, 0);
}
int rmdir(const char* path) {
    return (int)CALL(rmdir, path, 0, 0);
}
int chdir(const char* path) {
    return (int)CALL(chdir, path, 0, 0);
}
int dup(int fd) {
    return (int)CALL(dup, fd, 0, 0);
}
int dup2(int from, int to) {
    return (int)CALL(dup2, from, to, 0);
}
int pipe(int fds[2]) {
    return (int)CALL(pipe, fds, 0, 0);
}
pid_t getpid(void) {
    return (pid_t)CALL(getpid, 0, 0, 0);
}
pid_t getppid(void) {
    return (pid_t)CALL(getppid, 0, 0, 0);
}
pid_t fork(void) {
    return (pid_t)CALL(fork, 0, 0, 0);
}
int setpgid(pid_t pid, pid_t group) {
    return (int)CALL(setpgid, pid, group, 0);
}
pid_t getpgid(pid_t pid) {
    return (pid_t)CALL(getpgid, pid, 0, 0);
}
pid_t getpgrp(void) {
    return getpgid(0);
}
pid_t setsid(void) {
    return (pid_t)CALL(setsid, 0, 0, 0);
}
uid_t getuid(void) {
    return (uid_t)CALL(getuid, 0, 0, 0);
}
uid_t geteuid(void) {
    return (uid_t)CALL(geteuid, 0, 0, 0);
}
gid_t getgid(void) {
    return (gid_t)CALL(getgid, 0, 0, 0);
}
gid_t getegid(void) {
    return (gid_t)CALL(getegid, 0, 0, 0);
}

int execve(const char* path, char* const argv[], char* const envp[]) {
    return (int)CALL(execve, path, argv, envp);
}

void _exit(int status) {
    linux_syscall(SYS_exit_group, status, 0, 0);
    for (;;) /* exit_group does not return */
        __asm__ volatile("ud2");
}

int open(const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    int mode = (flags & O_CREAT) ? va_arg(args, int) : 0;
    va_end(args);
    return (int)CALL(open, path, port_open_flags_to_linux(flags), mode);
}

int fcntl(int fd, int command, ...) {
    va_list args;
    va_start(args, command);
    long argument = va_arg(args, long);
    va_end(args);
    switch (command) {
    case F_DUPFD:
    case F_GETFD:
    case F_SETFD:
        return (int)CALL(fcntl, fd, command, argument); /* same numbers and FD_CLOEXEC */
    case F_DUPFD_CLOEXEC:
        return (int)CALL(fcntl, fd, 1030, argument);
    case F_GETFL: {
        long flags = CALL(fcntl, fd, 3, 0);
        return flags < 0 ? -1 : port_open_flags_from_linux((int)flags);
    }
    case F_SETFL:
        return (int)CALL(fcntl, fd, 4, port_open_flags_to_linux((int)argument));
    default:
        return port_fail(EINVAL);
    }
}

static void stat_from_linux(const struct abi_stat* from, struct stat* to) {
    memset(to, 0, sizeof(*to));
    to->st_dev = (dev_t)from->dev;
    to->st_ino = (ino_t)from->ino;
    to->st_mode = (mode_t)from->mode; /* S_IF* and permission bits match */
    to->st_nlink = (nlink_t)from->nlink;
    to->st_uid = (uid_t)from->uid;
    to->st_gid = (gid_t)from->gid;
    to->st_rdev = (dev_t)from->rdev;
    to->st_size = from->size;
    to->st_blksize = from->blksize;
    to->st_blocks = from->blocks;
    to->st_atim.tv_sec = from->atime;
    to->st_atim.tv_nsec = from->atime_nsec;
    to->st_mtim.tv_sec = from->mtime;
    to->st_mtim.tv_nsec = from->mtime_nsec;
    to->st_ctim.tv_sec = from->ctime;
    to->st_ctim.tv_nsec = from->ctime_nsec;
}

static int stat_call(long number, long argument, struct stat* result) {
    struct abi_stat raw;
    long status = port_result(linux_syscall(number, argument, &raw, 0));
    if (status == 0)
        stat_from_linux(&raw, result);
    return (int)status;
}

int fstat(int fd, struct stat* result) {
    return stat_call(SYS_fstat, fd, result);
}
int stat(const char* path, struct stat* result) {
    return stat_call(SYS_stat, (long)path, result);
}
int lstat(const char* path, struct stat* result) {
    return stat_call(SYS_lstat, (long)path, result);
}

int isatty(int fd) {
    struct abi_termios termios; /* only success matters */
    return port_result(linux_syscall(SYS_ioctl, fd, LINUX_TCGETS, &termios)) == 0;
}

/* sbrk over brk: Linux's brk returns the new break, or the old one when it
 * cannot move, and never -errno. */
void* sbrk(ptrdiff_t increment) {
    static char* current;
    if (!current)
        current = (char*)linux_syscall(SYS_brk, 0, 0, 0);
    char* old = current;
    char* wanted = old + increment;
    char* got = (char*)linux_syscall(SYS_brk, wanted, 0, 0);
    if (got != wanted) {
        port_fail(ENOMEM);
        return (void*)-1;
    }
    current = got;
    return old;
}

/* The wait status has Linux's layout, which newlib's W* macros share, but
 * the signal numbers in it are Linux's: translate them. WNOHANG and
 * WUNTRACED are 1 and 2 in both. */
pid_t waitpid(pid_t pid, int* status, int options) {
    int raw = 0;
    pid_t child =
        (pid_t)port_result(sys6(SYS_wait4, pid, status ? (long)&raw : 0, options, 0, 0, 0));
    if (child > 0 && status) {
        if ((raw & 0xff) == 0x7f) /* stopped: signal in bits 8..15 */
            raw = (raw & ~0xff00) | (port_signal_from_linux((raw >> 8) & 0xff) << 8);
        else if ((raw & 0x7f) != 0) { /* killed: signal in bits 0..6, core flag 0x80 */
            /* A signal newlib cannot name (SIGSTKFLT, SIGPWR) keeps Linux's
             * number rather than reading as a normal exit. */
            int signal = port_signal_from_linux(raw & 0x7f);
            raw = (raw & ~0x7f) | (signal ? signal : (raw & 0x7f));
        }
        *status = raw;
    }
    return child;
}
pid_t wait(int* status) {
    return waitpid(-1, status, 0);
}

int kill(pid_t pid, int signal) {
    int linux_signal = signal == 0 ? 0 : port_signal_to_linux(signal);
    if (signal != 0 && linux_signal == 0) {
        return port_fail(EINVAL);
    }
    return (int)CALL(kill, pid, linux_signal, 0);
}

int gettimeofday(struct timeval* time, void* zone) {
    return (int)CALL(gettimeofday, time, zone, 0); /* same layout: two longs */
}

int clock_gettime(clockid_t clock, struct timespec* time) {
    /* newlib: CLOCK_REALTIME 1, CLOCK_MONOTONIC 4; Linux: 0 and 1. The
     * CPU-time clocks are 2 and 3 in both. */
    long linux_clock = clock == CLOCK_REALTIME    ? 0
                       : clock == CLOCK_MONOTONIC ? 1
                       : clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID
                           ? (long)clock
                           : -1;
    if (linux_clock < 0) {
        return port_fail(EINVAL);
    }
    return (int)CALL(clock_gettime, linux_clock, time, 0);
}

int nanosleep(const struct timespec* wanted, struct timespec* remaining) {
    return (int)CALL(nanosleep, wanted, remaining, 0);
}

unsigned sleep(unsigned seconds) {
    struct timespec wanted = {seconds, 0}, remaining = {0, 0};
    if (nanosleep(&wanted, &remaining) == 0)
        return 0;
    return (unsigned)remaining.tv_sec + (remaining.tv_nsec > 0);
}

/* times: Linux counts in USER_HZ (100 per second), newlib's CLK_TCK and
 * CLOCKS_PER_SEC are 1000 for this target (newlib's clock() sums the four
 * times() fields), so every value is scaled to newlib's unit. */
clock_t times(struct tms* buffer) {
    long linux_times[4];
    long elapsed = CALL(times, linux_times, 0, 0);
    if (elapsed == -1) /* port_result's error value; any other value is a time */
        return (clock_t)-1;
    const long scale = CLOCKS_PER_SEC / 100;
    if (buffer) {
        buffer->tms_utime = (clock_t)(linux_times[0] * scale);
        buffer->tms_stime = (clock_t)(linux_times[1] * scale);
        buffer->tms_cutime = (clock_t)(linux_times[2] * scale);
        buffer->tms_cstime = (clock_t)(linux_times[3] * scale);
    }
    return (clock_t)(elapsed * scale);
}

char* getcwd(char* buffer, size_t size) {
    long length = CALL(getcwd, buffer, size, 0);
    return length < 0 ? NULL : buffer;
}

/* newlib leaves the exec family out for bare targets. */
int execv(const char* path, char* const argv[]) {
    return execve(path, argv, environ);
}

int execvp(const char* file, char* const argv[]) {
    if (strchr(file, '/'))
        return execv(file, argv);
    const char* path = getenv("PATH");
    if (!path)
        path = "/bin";
    int error = ENOENT;
    char candidate[256];
    while (*path) {
        size_t length = strcspn(path, ":");
        /* An empty entry means the current directory. */
        int n = length ? snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)length, path, file)
                       : snprintf(candidate, sizeof(candidate), "%s", file);
        if (n > 0 && (size_t)n < sizeof(candidate)) {
            execv(candidate, argv);
            if (errno != ENOENT && errno != ENOTDIR)
                error = errno; /* e.g. EACCES: remember, keep looking, report it */
        }
        path += length + (path[length] == ':');
    }
    return port_fail(error);
}

int uname(struct utsname* name) {
    return (int)CALL(uname, name, 0, 0);
}
