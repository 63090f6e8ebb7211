// signalfd.h: struct signalfd_siginfo, what a read of a signalfd returns
// for each signal (Linux's uapi/linux/signalfd.h): 128 bytes.
#pragma once

#include "lib/types.h"

namespace kite::abi {

struct SignalfdSiginfo {
    u32 signo;
    i32 errno_value;
    i32 code;
    u32 pid;
    u32 uid;
    i32 fd;
    u32 tid;
    u32 band;
    u32 overrun;
    u32 trapno;
    i32 status;
    i32 int_value;
    u64 ptr;
    u64 utime;
    u64 stime;
    u64 addr;
    u16 addr_lsb;
    u16 pad2;
    i32 syscall;
    u64 call_addr;
    u32 arch;
    u8 pad[28];
};
static_assert(sizeof(SignalfdSiginfo) == 128);
static_assert(__builtin_offsetof(SignalfdSiginfo, tid) == 24);
static_assert(__builtin_offsetof(SignalfdSiginfo, status) == 40);
static_assert(__builtin_offsetof(SignalfdSiginfo, ptr) == 48);
static_assert(__builtin_offsetof(SignalfdSiginfo, addr) == 72);
static_assert(__builtin_offsetof(SignalfdSiginfo, call_addr) == 88);
static_assert(__builtin_offsetof(SignalfdSiginfo, arch) == 96);

} // namespace kite::abi
