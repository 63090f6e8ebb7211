// linux_types.h: structures that cross the system-call boundary, in Linux
// x86-64's layout (what glibc, musl and raw-syscall programs expect).
#pragma once

#include "lib/types.h"

namespace kite::abi {

struct Stat {
    u64 dev;
    u64 ino;
    u64 nlink;
    u32 mode;
    u32 uid;
    u32 gid;
    u32 pad0;
    u64 rdev;
    i64 size;
    i64 blksize;
    i64 blocks;
    i64 atime, atime_nsec;
    i64 mtime, mtime_nsec;
    i64 ctime, ctime_nsec;
    i64 unused[3];
};
static_assert(sizeof(Stat) == 144);
static_assert(__builtin_offsetof(Stat, mode) == 24);
static_assert(__builtin_offsetof(Stat, size) == 48);
static_assert(__builtin_offsetof(Stat, mtime) == 88);

struct Timespec {
    i64 seconds;
    i64 nanoseconds;
};
static_assert(sizeof(Timespec) == 16);

struct Timeval {
    i64 seconds;
    i64 microseconds;
};
static_assert(sizeof(Timeval) == 16);

// times(): clock ticks of USER_HZ (100 per second).
struct Tms {
    i64 user;
    i64 system;
    i64 children_user;
    i64 children_system;
};
static_assert(sizeof(Tms) == 32);
constexpr u64 user_hz = 100;

struct Timezone {
    i32 minutes_west;
    i32 dst_time;
};
static_assert(sizeof(Timezone) == 8);

struct Utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};
static_assert(sizeof(Utsname) == 390);

struct Iovec {
    u64 base;
    u64 length;
};
static_assert(sizeof(Iovec) == 16);

struct Dirent64Header { // followed by the NUL-terminated name
    u64 ino;
    i64 off;
    u16 reclen;
    u8 type;
};
static_assert(__builtin_offsetof(Dirent64Header, type) == 18);
constexpr usize dirent64_name_offset = 19;

// st_mode file types and d_type values.
constexpr u32 S_IFREG = 0100000;
constexpr u32 S_IFDIR = 0040000;
constexpr u32 S_IFLNK = 0120000;
constexpr u32 S_IFCHR = 0020000;
constexpr u32 S_IFIFO = 0010000;
constexpr u8 DT_FIFO = 1;
constexpr u8 DT_CHR = 2;
constexpr u8 DT_DIR = 4;
constexpr u8 DT_REG = 8;
constexpr u8 DT_LNK = 10;

constexpr int AT_FDCWD = -100;
constexpr u32 AT_SYMLINK_NOFOLLOW = 0x100;
constexpr u32 AT_EMPTY_PATH = 0x1000;

} // namespace kite::abi
