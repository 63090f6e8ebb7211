/* types.h: the structures that cross the system-call boundary, in Linux
 * x86-64's layout (what glibc, musl and raw-syscall programs expect). Plain
 * C and C++: the kernel sees them in kite::abi (with C++ names beside the C
 * ones, lib/types.h's u64 is unsigned long), user space as struct abi_*.
 * The field types are C's own so that user code needs no <stdint.h>. */
#ifndef KITE_API_TYPES_H
#define KITE_API_TYPES_H

#ifdef __cplusplus
#define ABI_ASSERT(condition) static_assert(condition, #condition)
namespace kite::abi {
#else
#define ABI_ASSERT(condition) _Static_assert(condition, #condition)
#endif

struct abi_stat {
    unsigned long dev;
    unsigned long ino;
    unsigned long nlink;
    unsigned int mode;
    unsigned int uid;
    unsigned int gid;
    unsigned int pad0;
    unsigned long rdev;
    long size;
    long blksize;
    long blocks;
    long atime, atime_nsec;
    long mtime, mtime_nsec;
    long ctime, ctime_nsec;
    long unused[3];
};
ABI_ASSERT(sizeof(struct abi_stat) == 144);
ABI_ASSERT(__builtin_offsetof(struct abi_stat, mode) == 24);
ABI_ASSERT(__builtin_offsetof(struct abi_stat, size) == 48);
ABI_ASSERT(__builtin_offsetof(struct abi_stat, mtime) == 88);

/* getdents64's record; the NUL-terminated name follows at byte 19. */
struct abi_dirent64 {
    unsigned long ino;
    long off;
    unsigned short reclen;
    unsigned char type;
};
#define ABI_DIRENT64_NAME_OFFSET 19
ABI_ASSERT(__builtin_offsetof(struct abi_dirent64, type) + 1 == ABI_DIRENT64_NAME_OFFSET);

struct abi_timespec {
    long seconds;
    long nanoseconds;
};
ABI_ASSERT(sizeof(struct abi_timespec) == 16);

struct abi_timeval {
    long seconds;
    long microseconds;
};
ABI_ASSERT(sizeof(struct abi_timeval) == 16);

/* times(): clock ticks of USER_HZ. */
struct abi_tms {
    long user;
    long system;
    long children_user;
    long children_system;
};
ABI_ASSERT(sizeof(struct abi_tms) == 32);
#define ABI_USER_HZ 100

struct abi_timezone {
    int minutes_west;
    int dst_time;
};
ABI_ASSERT(sizeof(struct abi_timezone) == 8);

/* struct pollfd: poll(2)'s array, read in and its revents written back. */
struct abi_pollfd {
    int fd;
    short events;
    short revents;
};
ABI_ASSERT(sizeof(struct abi_pollfd) == 8);
ABI_ASSERT(__builtin_offsetof(struct abi_pollfd, revents) == 6);

/* struct rusage: user and system time, then 14 counters Kite does not keep. */
struct abi_rusage {
    long user_seconds, user_microseconds;
    long system_seconds, system_microseconds;
    long counters[14];
};
ABI_ASSERT(sizeof(struct abi_rusage) == 144);

/* setitimer's struct itimerval and timer_settime's struct itimerspec: the
 * period comes first, then the time to the next expiry. */
struct abi_itimerval {
    struct abi_timeval interval;
    struct abi_timeval value;
};
ABI_ASSERT(sizeof(struct abi_itimerval) == 32);
ABI_ASSERT(__builtin_offsetof(struct abi_itimerval, value) == 16);

struct abi_itimerspec {
    struct abi_timespec interval;
    struct abi_timespec value;
};
ABI_ASSERT(sizeof(struct abi_itimerspec) == 32);
ABI_ASSERT(__builtin_offsetof(struct abi_itimerspec, value) == 16);

/* timer_create's struct sigevent (the kernel's: 64 bytes, the thread id of
 * SIGEV_THREAD_ID at offset 16). */
struct abi_sigevent {
    unsigned long value; /* union sigval */
    int signo;
    int notify;
    int thread_id;
    int padding[11];
};
ABI_ASSERT(sizeof(struct abi_sigevent) == 64);
ABI_ASSERT(__builtin_offsetof(struct abi_sigevent, notify) == 12);
ABI_ASSERT(__builtin_offsetof(struct abi_sigevent, thread_id) == 16);

struct abi_utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};
ABI_ASSERT(sizeof(struct abi_utsname) == 390);

struct abi_iovec {
    unsigned long base;
    unsigned long length;
};
ABI_ASSERT(sizeof(struct abi_iovec) == 16);

/* The kernel's struct termios (what TCGETS/TCSETS copy; not glibc's, which
 * adds speeds). */
#define ABI_NCCS 19
struct abi_termios {
    unsigned int c_iflag;
    unsigned int c_oflag;
    unsigned int c_cflag;
    unsigned int c_lflag;
    unsigned char c_line;
    unsigned char c_cc[ABI_NCCS];
};
ABI_ASSERT(sizeof(struct abi_termios) == 36);
ABI_ASSERT(__builtin_offsetof(struct abi_termios, c_cc) == 17);

/* TIOCGWINSZ's struct winsize. */
struct abi_winsize {
    unsigned short rows, columns, x_pixels, y_pixels;
};
ABI_ASSERT(sizeof(struct abi_winsize) == 8);

/* rt_sigaction's struct kernel_sigaction (sigset_t of 8 bytes). */
struct abi_sigaction {
    unsigned long handler;
    unsigned long flags;
    unsigned long restorer;
    unsigned long mask;
};
ABI_ASSERT(sizeof(struct abi_sigaction) == 32);

/* The SIGCHLD part of the siginfo_t that waitid fills (the rest of its 128
 * bytes is left as it was, as Linux does). */
struct abi_child_siginfo {
    int signo;
    int error;
    int code;
    int padding;
    int pid;
    unsigned int uid;
    int status;
};
ABI_ASSERT(sizeof(struct abi_child_siginfo) == 28);
ABI_ASSERT(__builtin_offsetof(struct abi_child_siginfo, pid) == 16);
ABI_ASSERT(__builtin_offsetof(struct abi_child_siginfo, status) == 24);

/* clone3's struct clone_args as Linux 5.7 has it (CLONE_ARGS_SIZE_VER2);
 * a caller may pass the first 64 bytes only (VER0), or more, if zero. */
struct abi_clone_args {
    unsigned long flags;
    unsigned long pidfd;
    unsigned long child_tid;
    unsigned long parent_tid;
    unsigned long exit_signal;
    unsigned long stack;
    unsigned long stack_size;
    unsigned long tls;
    unsigned long set_tid;
    unsigned long set_tid_size;
    unsigned long cgroup;
};
ABI_ASSERT(sizeof(struct abi_clone_args) == 88);
ABI_ASSERT(__builtin_offsetof(struct abi_clone_args, set_tid) == 64);
#define ABI_CLONE_ARGS_SIZE_VER0 64

#ifdef __cplusplus
using Stat = abi_stat;
using Dirent64Header = abi_dirent64;
constexpr unsigned long dirent64_name_offset = ABI_DIRENT64_NAME_OFFSET;
using Timespec = abi_timespec;
using Timeval = abi_timeval;
using Tms = abi_tms;
constexpr unsigned long user_hz = ABI_USER_HZ;
using Timezone = abi_timezone;
using Rusage = abi_rusage;
using Itimerval = abi_itimerval;
using Itimerspec = abi_itimerspec;
using Sigevent = abi_sigevent;
using PollFd = abi_pollfd;
using Utsname = abi_utsname;
using Iovec = abi_iovec;
using Termios = abi_termios;
using WindowSize = abi_winsize;
using SigAction = abi_sigaction;
using ChildSiginfo = abi_child_siginfo;
using CloneArgs = abi_clone_args;
constexpr unsigned long clone_args_size_ver0 = ABI_CLONE_ARGS_SIZE_VER0;
} // namespace kite::abi
#endif

#undef ABI_ASSERT

#endif
