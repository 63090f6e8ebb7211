/* fuzz_args.h: the fuzzer's argument generators, one per argument type.
 * Each call in fuzz_calls.h names the type of each of its arguments; a
 * generator gives a value of that type that is now valid, now just wrong
 * (a closed descriptor, a read-only page, a length one past a page, a flag
 * no call knows), so the kernel sees both its good paths and its error
 * paths. Everything a generator may name belongs to the fuzzing process
 * or to its scratch directory, never to the test run: paths that can be
 * changed are under /tmp/fz, processes that can be signalled are the
 * fuzzer's own (see fuzz_pid), mounts happen only on /tmp/fz/m0 and m1.
 *
 * A value is one of: a generic value (small numbers, boundaries, random
 * bits), a descriptor from the process's pool, a pointer into one of the
 * process's mappings (or into none), or a pointer to a structure the
 * generator has just filled in with plausible contents in the arena. */
#ifndef KITE_FUZZ_ARGS_H
#define KITE_FUZZ_ARGS_H

#include "check.h"

#define PAGE 4096L
#define COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))

/* ---- randomness: xorshift64, one state per thread ---------------------- */

static unsigned long next_random(unsigned long* state) {
    unsigned long x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}
static unsigned long below(unsigned long* r, unsigned long n) {
    return next_random(r) % n;
}
static int one_in(unsigned long* r, unsigned long n) {
    return below(r, n) == 0;
}
/* The seed of stream `index` of run `seed` (splitmix64's finaliser). */
static unsigned long mix_seed(unsigned long seed, unsigned long index) {
    unsigned long z = seed * 0x9e3779b97f4a7c15UL + index * 0xbf58476d1ce4e5b9UL + 1;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    z ^= z >> 31;
    return z ? z : 1;
}

/* ---- what the process fuzzes with (made by fuzz_setup_process) --------- */

enum { POOL_SIZE = 24, ARENA_SIZE = 65536, PLAY_PAGES = 64 };

struct fuzz_memory {
    int pool[POOL_SIZE]; /* descriptors of every kind, made at start */
    char* read_only;     /* a page of random bytes, PROT_READ */
    char* no_access;     /* a PROT_NONE page */
    char* straddle;      /* a rw page whose next page is PROT_NONE */
    char* play;          /* PLAY_PAGES pages where mmap and friends play */
    volatile int futex_words[8];
};
static struct fuzz_memory fm;
/* Structures and buffers the generators fill in. Calls read and write it at
 * random, so nothing of the fuzzer's own lives here. */
static char arena[ARENA_SIZE] __attribute__((aligned(4096)));
/* Futex words other processes see too (in the shared page, set by main). */
static volatile int* shared_futex_words;
/* Pids of the fuzzer's processes (the registry in the shared page). */
static long fuzz_registered_pid(unsigned long* r);

static void noop_handler(int signal) {
    (void)signal;
}
#include "signal_action.h"

/* ---- the argument types ------------------------------------------------ */

enum arg_type {
    A_NONE,
    A_INT,         /* small numbers, boundaries, random bits */
    A_SMALL,       /* 0..8: counts of iovecs, pollfds, semaphores */
    A_LEN,         /* lengths near the boundaries: page +-1, powers of two, -1 */
    A_OFF,         /* file offsets */
    A_FD,          /* a descriptor of any kind, or a bad number */
    A_DIRFD,       /* AT_FDCWD or a descriptor */
    A_PTR,         /* a pointer into any kind of mapping, or none */
    A_ADDR,        /* a page address for mmap, munmap, mprotect, madvise, shmat */
    A_PATH,        /* a file name: read-only places, the scratch tree, bad ones */
    A_LINK_TARGET, /* what a symbolic link says: names inside the scratch tree */
    A_MOUNT_PATH,  /* /tmp/fz/m0 or m1 (mount targets and sources), or bad */
    A_FS_TYPE,     /* "tmpfs", "proc", ... */
    A_MOUNT_DATA,  /* "size=64k", ... */
    A_MODE,        /* permission bits, with file-type bits for mknod */
    A_DEV,         /* a device number for mknod (no consoles, no disks) */
    A_UID,         /* 0, 1000, -1, random */
    A_SIG,         /* a signal number, 0..64 and beyond */
    A_PID,         /* 0, self, own group, another fuzzer process, none */
    A_TIMES,       /* -> timespec/timeval/itimerval/itimerspec, short times */
    A_TIMEOUT_MS,  /* poll and epoll_wait: 0, a few ms, -1 (until a signal) */
    A_FUTEX,       /* -> a futex word (this process's, shared, or any pointer) */
    A_FUTEX_VALUE, /* a futex word's value now, or another */
    A_IOVEC,       /* -> 1..4 iovecs of any pointers and lengths */
    A_SOCKADDR,    /* -> a Unix (path in scratch, abstract) or inet address */
    A_SOCKLEN,     /* an address length: 0, 2, 16, 110, -1 */
    A_LENPTR,      /* -> an int holding a length (accept, getsockopt...) */
    A_MSGHDR,      /* -> a msghdr: address, iovecs, SCM_RIGHTS with fds */
    A_SIGSET,      /* -> a signal mask */
    A_SIGSETSIZE,  /* 8, mostly */
    A_SIGACTION,   /* -> a sigaction: default, ignore, a handler, a bad one */
    A_STACK,       /* -> a stack_t for sigaltstack */
    A_SIGEVENT,    /* -> a sigevent for timer_create */
    A_POLLFD,      /* -> pollfds on pool descriptors */
    A_FDSET,       /* -> an fd_set for select */
    A_NFDS,        /* select's n */
    A_EPOLL_EVENT, /* -> an epoll_event */
    A_RLIMIT,      /* -> an rlimit */
    A_FLOCK,       /* fcntl's third argument: a number, flags or -> struct flock */
    A_SEMBUF,      /* -> sembufs */
    A_OPEN_HOW,    /* -> openat2's open_how */
    A_IPC_KEY,     /* IPC_PRIVATE or one of the fuzzer's keys */
    A_IPC_ID,      /* an id a fuzzer's get returned, or another */
    A_TIMER_ID,    /* a POSIX timer id: 0..3, or another */
    A_BAD_MAGIC,   /* reboot's first argument: never LINUX_REBOOT_MAGIC1 */
    A_SYSLOG,      /* syslog's action: reads, not the clear or console switches */
    A_FLAGS_BASE = 64,
};
/* F(set): any OR of the set's flags, sometimes with a stray bit;
 * E(set): one value of the set, sometimes another. */
#define F(set) (A_FLAGS_BASE + 2 * (set))
#define E(set) (A_FLAGS_BASE + 2 * (set) + 1)

/* ---- flag and value sets (Linux x86-64 values) ------------------------- */

#define SET(name, ...) static const long set_##name[] = {__VA_ARGS__};
SET(OPEN, 0, 1, 2, 0100, 0200, 0400, 01000, 02000, 04000, 010000, 040000, 0100000, 0200000, 0400000,
    01000000, 02000000, 010000000, 020200000)
SET(PROT, 1, 2, 4, 0x01000000)
SET(MAP, 1, 2, 3, 0x10, 0x20, 0x100, 0x4000, 0x8000, 0x10000, 0x20000, 0x100000)
SET(MSYNC, 1, 2, 4)
/* Not MADV_HWPOISON or MADV_SOFT_OFFLINE (100, 101): under Linux, as root,
 * they inject memory failures (init was killed by an "MCE"), which is no
 * test of the kernel's answers. Nor MADV_REMOVE (9): under Linux it
 * empties shared memory for every process that maps it, the fuzzer's own
 * shared page included (a soak lost its counts and never ended); Kite
 * refuses it (EINVAL). 102 stands for an unknown advice. */
SET(MADV, 0, 1, 2, 3, 4, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 102)
SET(WHENCE, 0, 1, 2, 3, 4)
SET(ACCESS, 0, 1, 2, 4)
SET(SIGHOW, 0, 1, 2, 3)
SET(IOCTL, 0x5401, 0x5402, 0x5403, 0x5404, 0x540b, 0x540e, 0x540f, 0x5410, 0x5413, 0x5414, 0x541b,
    0x5421, 0x5422, 0x5450, 0x5451, 0x5452, 0x5460, 0x80086601, 0x40086602, 0x8912, 0x8933,
    0xc0185879, 0x541c)
SET(ITIMER, 0, 1, 2, 3)
SET(DOMAIN, 1, 2, 10, 16, 17, 0, 3, 45)
SET(SOCKTYPE, 1, 2, 3, 5, 6, 10, 04000, 02000000)
SET(MSG, 1, 2, 4, 8, 0x20, 0x40, 0x100, 0x4000, 0x8000, 0x40000000, 0x10000)
SET(SHUT, 0, 1, 2, 3)
SET(SOCKLEVEL, 1, 0, 6, 17, 41, 263)
SET(SOCKOPT, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 15, 16, 17, 18, 19, 20, 21, 29, 30, 31, 38)
SET(WAIT, 1, 2, 4, 8, 0x01000000, 0x20000000, 0x40000000, 0x80000000)
SET(IPCGET, 01000, 02000, 04000, 0600, 0400, 0777, 0x800, 0x40000000)
SET(SHMAT, 010000, 020000, 040000, 0100000)
SET(IPCCTL, 0, 1, 2, 3, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
SET(MSGFLG, 04000, 010000, 020000, 040000)
SET(FCNTL, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1024, 1025, 1026, 1030, 1031, 1032, 1033, 1034, 36,
    37, 38)
SET(FLOCK, 1, 2, 4, 8, 32, 64, 128)
SET(RLIMIT, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
SET(RUSAGE, 0, -1, 1, -2)
SET(PRIO, 0, 1, 2, 3)
SET(POLICY, 0, 1, 2, 3, 5, 6, 7)
SET(PRCTL, 1, 2, 3, 4, 8, 15, 16, 22, 23, 36, 37, 38, 39, 43, 44, 47, 0x59616d61)
SET(ARCH, 0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012, 0x2001)
SET(MS, 1, 2, 4, 8, 16, 32, 64, 1024, 2048, 4096, 8192, 16384, 32768, 1 << 17, 1 << 18, 1 << 19,
    1 << 20, 1 << 21, 1 << 24)
SET(UMOUNT, 1, 2, 4, 8)
SET(FUTEX, 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 128, 129, 137, 138, 256 | 9, 128 | 3, 128 | 4,
    128 | 5)
SET(CLOCK, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, -1, -6)
SET(TIMER, 1)
SET(EPOLLOP, 1, 2, 3)
SET(EPOLL, 1, 2, 4, 8, 16, 0x2000, 1 << 28, 1 << 29, 1 << 30, 1U << 31)
SET(IDTYPE, 0, 1, 2, 3)
SET(AT, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x6000, 0x8000)
SET(TFD, 04000, 02000000)
SET(TFDSET, 1, 2)
SET(FALLOC, 1, 2, 8, 16, 32)
SET(CLOEXEC, 02000000, 04000)
SET(RENAME, 1, 2, 4)
SET(GRND, 1, 2, 4)
SET(RWF, 1, 2, 4, 8, 16)
SET(CLOSERANGE, 2, 4)
SET(RESOLVE, 1, 2, 4, 8, 16, 32)
SET(SA, 1, 2, 4, 0x08000000, 0x10000000, 0x40000000, 0x80000000, SA_RESTORER)
#undef SET

/* clang-format off */
#define SETS(X) \
    X(OPEN) \
    X(PROT) \
    X(MAP) \
    X(MSYNC) \
    X(MADV) \
    X(WHENCE) \
    X(ACCESS) \
    X(SIGHOW) \
    X(IOCTL) \
    X(ITIMER) \
    X(DOMAIN) \
    X(SOCKTYPE) \
    X(MSG) \
    X(SHUT) \
    X(SOCKLEVEL) \
    X(SOCKOPT) \
    X(WAIT) \
    X(IPCGET) \
    X(SHMAT) \
    X(IPCCTL) \
    X(MSGFLG) \
    X(FCNTL) \
    X(FLOCK) \
    X(RLIMIT) \
    X(RUSAGE) \
    X(PRIO) \
    X(POLICY) \
    X(PRCTL) \
    X(ARCH) \
    X(MS) \
    X(UMOUNT) \
    X(FUTEX) \
    X(CLOCK) \
    X(TIMER) \
    X(EPOLLOP) \
    X(EPOLL) \
    X(IDTYPE) \
    X(AT) \
    X(TFD) \
    X(TFDSET) \
    X(FALLOC) \
    X(CLOEXEC) \
    X(RENAME) \
    X(GRND) \
    X(RWF) \
    X(CLOSERANGE) \
    X(RESOLVE) \
    X(SA)
/* clang-format on */
enum {
#define SET_ID(name) S_##name,
    SETS(SET_ID)
#undef SET_ID
};
static const struct {
    const long* values;
    int count;
} value_sets[] = {
#define SET_ROW(name) {set_##name, COUNT(set_##name)},
    SETS(SET_ROW)
#undef SET_ROW
};

static long gen_flags(unsigned long* r, int set, int one_of) {
    const long* values = value_sets[set].values;
    const int count = value_sets[set].count;
    if (one_in(r, 16)) {
        return (long)(next_random(r) & 0xffffffffUL); /* anything */
    }
    long value = values[below(r, (unsigned long)count)];
    if (!one_of) {
        for (unsigned long extra = below(r, 3); extra > 0; --extra) {
            value |= values[below(r, (unsigned long)count)];
        }
    }
    if (one_in(r, 8)) {
        value |= 1L << below(r, 32); /* a stray bit */
    }
    return value;
}

/* ---- generic values ---------------------------------------------------- */

static long gen_int(unsigned long* r) {
    static const long boundaries[] = {0,
                                      1,
                                      -1,
                                      2,
                                      0x7fffffff,
                                      -0x80000000L,
                                      0x80000000L,
                                      0xffff,
                                      0x10000,
                                      0x7fffffffffffffffL,
                                      (long)0x8000000000000000UL};
    switch (below(r, 4)) {
    case 0:
        return (long)below(r, 17);
    case 1:
        return boundaries[below(r, COUNT(boundaries))];
    case 2:
        return (long)(next_random(r) & 0xffffffffUL);
    default:
        return (long)next_random(r);
    }
}

static long gen_len(unsigned long* r) {
    static const long lengths[] = {0,       1,        7,    8,          16,          24,
                                   64,      PAGE - 1, PAGE, PAGE + 1,   2 * PAGE,    65536,
                                   1 << 20, 16 << 20, -1,   0x7fffffff, 0x80000000L, 1L << 40};
    switch (below(r, 4)) {
    case 0:
        return (long)below(r, 4 * PAGE);
    case 1:
        return (long)below(r, 256);
    default:
        return lengths[below(r, COUNT(lengths))];
    }
}

static long gen_off(unsigned long* r) {
    static const long offsets[] = {
        0, 1, PAGE, -1, -PAGE, 1L << 31, 1L << 32, 0x7fffffffffffffffL, (4L << 20) - 1};
    return one_in(r, 2) ? (long)below(r, 3 * PAGE) : offsets[below(r, COUNT(offsets))];
}

/* ---- descriptors ------------------------------------------------------- */

static long gen_fd(unsigned long* r) {
    static const long bad[] = {-1, 1023, 1024, 0x7fffffff, -100, 100000, (long)0x100000003UL};
    switch (below(r, 8)) {
    case 0:
        return bad[below(r, COUNT(bad))];
    case 1:
        return (long)below(r, 40); /* whatever is open there now */
    default:
        return fm.pool[below(r, POOL_SIZE)];
    }
}

/* ---- pointers ---------------------------------------------------------- */

static long gen_ptr(unsigned long* r) {
    static const long bad[] = {0,
                               UNMAPPED_ADDRESS,
                               KERNEL_ADDRESS,
                               0x0000800000000000L,        /* first non-canonical */
                               (long)0x7ffffffff000UL,     /* last user page */
                               (long)0xdead000000000000UL, /* non-canonical */
                               (long)0xffff800000000000UL, /* kernel half, direct map */
                               (long)0xfffffffffffff000UL};
    switch (below(r, 16)) {
    case 0:
    case 1:
        return bad[below(r, COUNT(bad))] + (one_in(r, 4) ? (long)below(r, PAGE) : 0);
    case 2:
        return (long)(fm.read_only + below(r, PAGE));
    case 3:
        return (long)(fm.no_access + below(r, PAGE));
    case 4: /* the last bytes of a page whose next page faults */
        return (long)(fm.straddle + PAGE - 1 - below(r, 64));
    case 5:
        return (long)(fm.play + below(r, PLAY_PAGES * PAGE));
    case 6:
        /* the stack, or the bytes before the read-only page */
        return one_in(r, 8) ? (long)__builtin_frame_address(0) - (long)below(r, 256)
                            : (long)(fm.read_only - below(r, 16));
    case 7:
        return one_in(r, 8) ? (long)&gen_ptr : (long)(arena + ARENA_SIZE - below(r, 64)); /* code */
    default:
        return (long)(arena + below(r, ARENA_SIZE));
    }
}

/* Room in the arena for a structure of `size` bytes. */
static void* arena_room(unsigned long* r, unsigned long size) {
    return arena + (below(r, (ARENA_SIZE - size) / 8) * 8);
}

static long gen_addr(unsigned long* r) {
    switch (below(r, 8)) {
    case 0:
        return gen_ptr(r) & ~(PAGE - 1);
    case 1:
        return gen_ptr(r); /* misaligned, mostly */
    case 2:
        return one_in(r, 4) ? 0 : (long)0x40000000L + (long)below(r, 64) * PAGE;
    default:
        return (long)(fm.play + below(r, PLAY_PAGES) * PAGE);
    }
}

/* ---- file names -------------------------------------------------------- */

/* The scratch tree: main makes /tmp/fz (the processes' working directory)
 * with d0 and m0, m1 in it and removes it all at the end. */
static const char* const scratch_names[] = {"f0",
                                            "f1",
                                            "d0",
                                            "d1",
                                            "l0",
                                            "s0",
                                            "p0",
                                            "d0/f0",
                                            "d0/d1",
                                            "d1/l0",
                                            "/tmp/fz/f0",
                                            "/tmp/fz/d0",
                                            "/tmp/fz/d1/f1",
                                            "/tmp/fz/l0",
                                            ".",
                                            "d0/..",
                                            "l0/f0"};
/* Read-only places (the initrd, devfs, procfs) and names that are not. */
static const char* const fixed_paths[] = {"/",
                                          "/dev",
                                          "/dev/null",
                                          "/dev/zero",
                                          "/dev/urandom",
                                          "/etc/motd",
                                          "/bin/true",
                                          "/proc/self/maps",
                                          "/proc/self/fd",
                                          "/proc/kite/memory",
                                          "/proc/self/stat",
                                          "/nonexistent/x",
                                          "",
                                          "/etc/motd/x",
                                          "/proc/self/fd/0"};

static char long_name[4200];

static long gen_path(unsigned long* r) {
    switch (below(r, 16)) {
    case 0:
        return gen_ptr(r); /* not a string, mostly */
    case 1:                /* a name running into a page that faults */
        return (long)(fm.straddle + PAGE - 1 - below(r, 8));
    case 2:
        return (long)(long_name + below(r, 200)); /* longer than PATH_MAX */
    case 3:
    case 4:
    case 5:
        return (long)fixed_paths[below(r, COUNT(fixed_paths))];
    default:
        return (long)scratch_names[below(r, COUNT(scratch_names))];
    }
}

static long gen_link_target(unsigned long* r) {
    static const char* const targets[] = {"f0", "d0", "d1/f0", "l0", "x", "", "d0/d1/f1"};
    return one_in(r, 8) ? gen_ptr(r) : (long)targets[below(r, COUNT(targets))];
}

static long gen_mount_path(unsigned long* r) {
    static const char* const paths[] = {"/tmp/fz/m0", "/tmp/fz/m1", "/tmp/fz/m0/", "none"};
    return one_in(r, 8) ? gen_ptr(r) : (long)paths[below(r, COUNT(paths))];
}

static long gen_fs_type(unsigned long* r) {
    static const char* const types[] = {"tmpfs",    "proc",  "ramfs", "ext2",
                                        "devtmpfs", "sysfs", "bogus", ""};
    return one_in(r, 8) ? gen_ptr(r) : (long)types[below(r, COUNT(types))];
}

static long gen_mount_data(unsigned long* r) {
    static const char* const data[] = {"size=64k", "mode=700",    "",
                                       "size=1",   "nr_inodes=2", "size=-1,mode=x"};
    return one_in(r, 4) ? gen_ptr(r) : (long)data[below(r, COUNT(data))];
}

/* ---- numbers with meanings --------------------------------------------- */

static long gen_mode(unsigned long* r) {
    static const long types[] = {0, 0010000, 0020000, 0040000, 0060000, 0100000, 0140000, 0170000};
    return (long)below(r, 010000) | (one_in(r, 2) ? types[below(r, COUNT(types))] : 0);
}

static long gen_dev(unsigned long* r) {
    static const long devices[] = {
        0, (1 << 8) | 3, (1 << 8) | 5, (1 << 8) | 8, (1 << 8) | 9, 0x7fff7fff};
    return devices[below(r, COUNT(devices))];
}

static long gen_uid(unsigned long* r) {
    static const long uids[] = {0, 1, 1000, -1, 65534, 0x7fffffff};
    return uids[below(r, COUNT(uids))];
}

static long gen_sig(unsigned long* r) {
    static const long odd[] = {-1, 65, 128, 0x7fffffff};
    return one_in(r, 16) ? odd[below(r, COUNT(odd))] : (long)below(r, 65);
}

/* Processes a call may name: never one outside the fuzzer (no -1, not the
 * main process or its parent, nor the signaller). */
static long gen_pid(unsigned long* r) {
    switch (below(r, 8)) {
    case 0:
        return 0;
    case 1:
        return sys0(SYS_getpid);
    case 2:
        return sys0(SYS_gettid);
    case 3:
        return -sys0(SYS_getpgrp);
    case 4:
        return 0x3ffffff0; /* no such process */
    case 5:
        return one_in(r, 2) ? -0x3ffffff0 : (long)0x80000000L;
    default:
        return fuzz_registered_pid(r);
    }
}

/* Short times: a few microseconds or milliseconds, zero, or invalid. */
static long gen_time_field(unsigned long* r) {
    static const long odd[] = {0, 999999, 999999999, 1000000000, -1, 1};
    switch (below(r, 4)) {
    case 0:
        return odd[below(r, COUNT(odd))];
    case 1:
        return (long)below(r, 3000000); /* up to 3 ms in ns, 3 s in us (rare: seconds field 0) */
    default:
        return (long)below(r, 3000);
    }
}

static long gen_times(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    long* t = arena_room(r, 4 * sizeof(long));
    for (int i = 0; i < 4; ++i) {
        t[i] = (i % 2 == 0 && !one_in(r, 32)) ? 0 : gen_time_field(r); /* seconds mostly 0 */
    }
    return (long)t;
}

static long gen_timeout_ms(unsigned long* r) {
    static const long timeouts[] = {0, 1, 2, 5, -1, -2};
    return timeouts[below(r, COUNT(timeouts))];
}

static long gen_futex(unsigned long* r) {
    switch (below(r, 4)) {
    case 0:
        return gen_ptr(r) & ~3L;
    case 1:
        return (long)&shared_futex_words[below(r, 8)];
    default:
        return (long)&fm.futex_words[below(r, 8)];
    }
}

static long gen_futex_value(unsigned long* r) {
    return one_in(r, 2) ? (long)below(r, 3) : gen_int(r);
}

static long gen_iovec(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    long* v = arena_room(r, 8 * sizeof(long));
    for (int i = 0; i < 4; ++i) {
        v[2 * i] = one_in(r, 2) ? (long)(arena + below(r, ARENA_SIZE)) : gen_ptr(r);
        v[2 * i + 1] = one_in(r, 2) ? (long)below(r, 512) : gen_len(r);
    }
    return (long)v;
}

static long gen_sockaddr(unsigned long* r) {
    static const char* const names[] = {"/tmp/fz/s0", "/tmp/fz/s1", "s0", "", "/tmp/fz/d0/s2"};
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    unsigned char* a = arena_room(r, 112);
    memset(a, 0, 112);
    switch (below(r, 4)) {
    case 0: /* AF_INET, a port on loopback */
        a[0] = 2;
        a[2] = 0x1f;
        a[3] = (unsigned char)below(r, 4);
        a[4] = 127;
        a[7] = 1;
        break;
    case 1: /* an abstract Unix name */
        a[0] = 1;
        a[3] = 'f';
        a[4] = (unsigned char)('0' + below(r, 3));
        break;
    default: {
        a[0] = 1;
        const char* name = names[below(r, COUNT(names))];
        for (int i = 0; name[i] != '\0'; ++i) {
            a[2 + i] = (unsigned char)name[i];
        }
    }
    }
    if (one_in(r, 16)) {
        a[0] = (unsigned char)next_random(r);
    }
    return (long)a;
}

static long gen_socklen(unsigned long* r) {
    static const long lengths[] = {110, 110, 16, 0, 2, 3, 12, 111, -1, 0x10000};
    return lengths[below(r, COUNT(lengths))];
}

static long gen_lenptr(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    int* n = arena_room(r, 8);
    *n = (int)gen_socklen(r);
    return (long)n;
}

static long gen_msghdr(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    long* m = arena_room(r, 7 * sizeof(long) + 64);
    m[0] = one_in(r, 2) ? 0 : gen_sockaddr(r); /* name */
    m[1] = gen_socklen(r);
    m[2] = gen_iovec(r);
    m[3] = (long)below(r, 5); /* iovlen */
    m[4] = 0;                 /* control */
    m[5] = 0;
    m[6] = 0;
    if (one_in(r, 2)) { /* SCM_RIGHTS (or SCM_CREDENTIALS) with pool descriptors */
        int* c = (int*)&m[7];
        const int fds = (int)below(r, 5);
        ((long*)c)[0] = 16 + 4 * fds; /* cmsg_len */
        c[2] = 1;                     /* SOL_SOCKET */
        c[3] = one_in(r, 8) ? 2 : 1;  /* SCM_CREDENTIALS, SCM_RIGHTS */
        for (int i = 0; i < fds; ++i) {
            c[4 + i] = (int)gen_fd(r);
        }
        m[4] = (long)c;
        m[5] = one_in(r, 8) ? gen_len(r) : (16 + 4 * fds + 7) & ~7;
    }
    return (long)m;
}

static long gen_sigset(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    unsigned long* set = arena_room(r, 8);
    switch (below(r, 8)) {
    case 0:
        *set = ~0UL; /* everything: a sleep only SIGKILL ends */
        break;
    case 1:
        *set = 0;
        break;
    default:
        *set = next_random(r) & next_random(r);
    }
    return (long)set;
}

static long gen_sigsetsize(unsigned long* r) {
    return one_in(r, 8) ? gen_len(r) : 8;
}

static long gen_sigaction(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    struct action* a = arena_room(r, sizeof(struct action));
    switch (below(r, 4)) {
    case 0:
        a->handler = (void*)0; /* SIG_DFL */
        break;
    case 1:
        a->handler = (void*)1; /* SIG_IGN */
        break;
    case 2:
        a->handler = (void*)gen_ptr(r);
        break;
    default:
        a->handler = (void*)noop_handler;
    }
    a->flags = (unsigned long)gen_flags(r, S_SA, 0) | (one_in(r, 8) ? 0 : SA_RESTORER);
    a->restorer = one_in(r, 8) ? (void*)gen_ptr(r) : (void*)restore_rt;
    a->mask = next_random(r) & next_random(r);
    return (long)a;
}

static long gen_stack(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    long* s = arena_room(r, 3 * sizeof(long));
    static const long flags[] = {0, 1, 2, 1L << 31, 4};
    s[0] = one_in(r, 2) ? (long)(arena + ARENA_SIZE / 2) : gen_ptr(r);
    s[1] = flags[below(r, COUNT(flags))];
    s[2] = one_in(r, 2) ? 16384 : gen_len(r);
    return (long)s;
}

static long gen_sigevent(unsigned long* r) {
    if (one_in(r, 4)) {
        return one_in(r, 2) ? 0 : gen_ptr(r);
    }
    int* e = arena_room(r, 64);
    static const int notify[] = {0, 1, 2, 4, 5};
    e[0] = (int)next_random(r); /* sigval */
    e[2] = (int)gen_sig(r);
    e[3] = notify[below(r, COUNT(notify))];
    e[4] = one_in(r, 2) ? (int)sys0(SYS_gettid) : (int)gen_int(r);
    return (long)e;
}

static long gen_pollfd(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    int* p = arena_room(r, 8 * 8);
    for (int i = 0; i < 8; ++i) {
        p[2 * i] = (int)gen_fd(r);
        p[2 * i + 1] = one_in(r, 4) ? (int)next_random(r) : (int)below(r, 8); /* events, revents */
    }
    return (long)p;
}

static long gen_fdset(unsigned long* r) {
    if (one_in(r, 4)) {
        return one_in(r, 2) ? 0 : gen_ptr(r);
    }
    unsigned long* set = arena_room(r, 128);
    memset(set, 0, 128);
    set[0] = next_random(r) & 0xffffffUL;
    if (one_in(r, 8)) {
        set[15] = next_random(r);
    }
    return (long)set;
}

static long gen_nfds(unsigned long* r) {
    static const long counts[] = {0, 1, 8, 24, 64, 1024, 1025, -1};
    return counts[below(r, COUNT(counts))];
}

static long gen_epoll_event(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    unsigned* e = arena_room(r, 16);
    e[0] = (unsigned)gen_flags(r, S_EPOLL, 0);
    e[1] = (unsigned)next_random(r);
    e[2] = (unsigned)next_random(r);
    return (long)e;
}

static long gen_rlimit(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    static const long values[] = {0, 1, 16, 1024, 1 << 20, -1, 0x7fffffff};
    long* l = arena_room(r, 16);
    l[0] = values[below(r, COUNT(values))];
    l[1] = one_in(r, 2) ? -1 : values[below(r, COUNT(values))];
    return (long)l;
}

static long gen_flock(unsigned long* r) {
    switch (below(r, 4)) {
    case 0:
        return gen_int(r);
    case 1:
        return gen_flags(r, S_OPEN, 0);
    case 2:
        return gen_pid(r);
    default: {
        short* f = arena_room(r, 32);
        f[0] = (short)below(r, 4); /* F_RDLCK, F_WRLCK, F_UNLCK, bad */
        f[1] = (short)below(r, 4); /* whence */
        ((long*)f)[1] = gen_off(r);
        ((long*)f)[2] = one_in(r, 2) ? (long)below(r, 100) : gen_off(r);
        ((int*)f)[6] = (int)gen_pid(r);
        return (long)f;
    }
    }
}

static long gen_sembuf(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    short* s = arena_room(r, 8 * 6);
    for (int i = 0; i < 8; ++i) {
        s[3 * i] = (short)below(r, 4);
        s[3 * i + 1] = (short)((long)below(r, 5) - 2);
        s[3 * i + 2] = (short)(one_in(r, 2) ? 04000 : (one_in(r, 2) ? 010000 : 0)); /* NOWAIT,
                                                                                        UNDO */
    }
    return (long)s;
}

static long gen_open_how(unsigned long* r) {
    if (one_in(r, 8)) {
        return gen_ptr(r);
    }
    long* h = arena_room(r, 32);
    h[0] = gen_flags(r, S_OPEN, 0);
    h[1] = gen_mode(r);
    h[2] = one_in(r, 2) ? 0 : gen_flags(r, S_RESOLVE, 0);
    h[3] = one_in(r, 8) ? 1 : 0;
    return (long)h;
}

/* SysV IPC: keys of the fuzzer only (main removes what they name at the
 * end), and ids the gets returned (recorded in the shared page). */
#define FUZZ_IPC_KEY 0x46757a00L /* "Fuz\0" */
static volatile int* ipc_ids;    /* IPC_IDS of them, in the shared page */
enum { IPC_IDS = 64 };

static long gen_ipc_key(unsigned long* r) {
    return one_in(r, 2) ? 0 /* IPC_PRIVATE */ : FUZZ_IPC_KEY + (long)below(r, 4);
}

static long gen_ipc_id(unsigned long* r) {
    return one_in(r, 4) ? gen_int(r) : ipc_ids[below(r, IPC_IDS)];
}

static long gen_syslog(unsigned long* r) {
    /* Not 4 and 5 either: clearing the kernel's log would hide it from
     * the tests after this one. */
    static const long actions[] = {0, 1, 2, 3, 9, 10, 11, -1, 0x7fffffff};
    return actions[below(r, COUNT(actions))];
}

static long gen_bad_magic(unsigned long* r) {
    const long value = (long)(next_random(r) & 0xffffffffUL);
    return value == 0xfee1deadL ? 0 : value;
}

static long generate(int type, unsigned long* r) {
    if (type >= A_FLAGS_BASE) {
        return gen_flags(r, (type - A_FLAGS_BASE) / 2, (type - A_FLAGS_BASE) % 2);
    }
    switch ((enum arg_type)type) {
    case A_NONE:
        return one_in(r, 4) ? gen_int(r) : 0;
    case A_INT:
        return gen_int(r);
    case A_SMALL:
        return (long)below(r, 9);
    case A_LEN:
        return gen_len(r);
    case A_OFF:
        return gen_off(r);
    case A_FD:
        return gen_fd(r);
    case A_DIRFD:
        return one_in(r, 2) ? -100 /* AT_FDCWD */ : gen_fd(r);
    case A_PTR:
        return gen_ptr(r);
    case A_ADDR:
        return gen_addr(r);
    case A_PATH:
        return gen_path(r);
    case A_LINK_TARGET:
        return gen_link_target(r);
    case A_MOUNT_PATH:
        return gen_mount_path(r);
    case A_FS_TYPE:
        return gen_fs_type(r);
    case A_MOUNT_DATA:
        return gen_mount_data(r);
    case A_MODE:
        return gen_mode(r);
    case A_DEV:
        return gen_dev(r);
    case A_UID:
        return gen_uid(r);
    case A_SIG:
        return gen_sig(r);
    case A_PID:
        return gen_pid(r);
    case A_TIMES:
        return gen_times(r);
    case A_TIMEOUT_MS:
        return gen_timeout_ms(r);
    case A_FUTEX:
        return gen_futex(r);
    case A_FUTEX_VALUE:
        return gen_futex_value(r);
    case A_IOVEC:
        return gen_iovec(r);
    case A_SOCKADDR:
        return gen_sockaddr(r);
    case A_SOCKLEN:
        return gen_socklen(r);
    case A_LENPTR:
        return gen_lenptr(r);
    case A_MSGHDR:
        return gen_msghdr(r);
    case A_SIGSET:
        return gen_sigset(r);
    case A_SIGSETSIZE:
        return gen_sigsetsize(r);
    case A_SIGACTION:
        return gen_sigaction(r);
    case A_STACK:
        return gen_stack(r);
    case A_SIGEVENT:
        return gen_sigevent(r);
    case A_POLLFD:
        return gen_pollfd(r);
    case A_FDSET:
        return gen_fdset(r);
    case A_NFDS:
        return gen_nfds(r);
    case A_EPOLL_EVENT:
        return gen_epoll_event(r);
    case A_RLIMIT:
        return gen_rlimit(r);
    case A_FLOCK:
        return gen_flock(r);
    case A_SEMBUF:
        return gen_sembuf(r);
    case A_OPEN_HOW:
        return gen_open_how(r);
    case A_IPC_KEY:
        return gen_ipc_key(r);
    case A_IPC_ID:
        return gen_ipc_id(r);
    case A_TIMER_ID:
        return one_in(r, 8) ? gen_int(r) : (long)below(r, 4);
    case A_BAD_MAGIC:
        return gen_bad_magic(r);
    case A_SYSLOG:
        return gen_syslog(r);
    case A_FLAGS_BASE:
        break;
    }
    return 0;
}

#endif
