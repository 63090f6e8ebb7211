// file_lock.h: the ABI of fcntl's record locks and of flock(2): Linux
// x86-64's struct flock, its lock types and the commands.
#pragma once

#include "lib/types.h"

namespace kite::abi {

// fcntl commands for locks (F_GETLK..F_SETLKW) and the OFD forms.
constexpr u64 F_GETLK = 5;
constexpr u64 F_SETLK = 6;
constexpr u64 F_SETLKW = 7;
constexpr u64 F_OFD_GETLK = 36;
constexpr u64 F_OFD_SETLK = 37;
constexpr u64 F_OFD_SETLKW = 38;

// l_type.
constexpr i16 F_RDLCK = 0;
constexpr i16 F_WRLCK = 1;
constexpr i16 F_UNLCK = 2;

struct Flock {
    i16 l_type;
    i16 l_whence; // SEEK_SET, SEEK_CUR, SEEK_END
    u32 padding;
    i64 l_start;
    i64 l_len; // 0: to the end of the file; negative: the bytes before l_start
    i32 l_pid;
    u32 padding_end;
};
static_assert(sizeof(Flock) == 32);
static_assert(__builtin_offsetof(Flock, l_whence) == 2);
static_assert(__builtin_offsetof(Flock, l_start) == 8);
static_assert(__builtin_offsetof(Flock, l_len) == 16);
static_assert(__builtin_offsetof(Flock, l_pid) == 24);

// flock(2) operations.
constexpr u64 LOCK_SH = 1;
constexpr u64 LOCK_EX = 2;
constexpr u64 LOCK_NB = 4;
constexpr u64 LOCK_UN = 8;

} // namespace kite::abi
