// system_info.h: Linux x86-64's struct sysinfo (sysinfo(2)) and the
// constants of reboot(2) and syslog(2).
#pragma once

#include "lib/types.h"

namespace kite::abi {

struct SysInfo {
    i64 uptime;   // seconds since boot
    u64 loads[3]; // 1, 5, 15 minutes, fixed point with SI_LOAD_SHIFT bits
    u64 totalram;
    u64 freeram;
    u64 sharedram;
    u64 bufferram;
    u64 totalswap;
    u64 freeswap;
    u16 procs;
    u16 pad;
    u64 totalhigh;
    u64 freehigh;
    u32 mem_unit; // the memory fields count units of this many bytes
};
static_assert(sizeof(SysInfo) == 112);
static_assert(__builtin_offsetof(SysInfo, totalram) == 32);
static_assert(__builtin_offsetof(SysInfo, procs) == 80);
static_assert(__builtin_offsetof(SysInfo, totalhigh) == 88);
static_assert(__builtin_offsetof(SysInfo, mem_unit) == 104);
constexpr u32 SI_LOAD_SHIFT = 16;

// reboot(2): the magic numbers, then the commands.
constexpr u32 LINUX_REBOOT_MAGIC1 = 0xfee1dead;
constexpr u32 LINUX_REBOOT_MAGIC2 = 672274793;
constexpr u32 LINUX_REBOOT_MAGIC2A = 85072278;
constexpr u32 LINUX_REBOOT_MAGIC2B = 369367448;
constexpr u32 LINUX_REBOOT_MAGIC2C = 537993216;
constexpr u32 LINUX_REBOOT_CMD_RESTART = 0x01234567;
constexpr u32 LINUX_REBOOT_CMD_HALT = 0xCDEF0123;
constexpr u32 LINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF;
constexpr u32 LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
constexpr u32 LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;
constexpr u32 LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4;

// syslog(2) actions.
enum SyslogAction : i32 {
    SYSLOG_ACTION_CLOSE = 0,
    SYSLOG_ACTION_OPEN = 1,
    SYSLOG_ACTION_READ = 2,
    SYSLOG_ACTION_READ_ALL = 3,
    SYSLOG_ACTION_READ_CLEAR = 4,
    SYSLOG_ACTION_CLEAR = 5,
    SYSLOG_ACTION_CONSOLE_OFF = 6,
    SYSLOG_ACTION_CONSOLE_ON = 7,
    SYSLOG_ACTION_CONSOLE_LEVEL = 8,
    SYSLOG_ACTION_SIZE_UNREAD = 9,
    SYSLOG_ACTION_SIZE_BUFFER = 10,
};

} // namespace kite::abi
