// constants.h: the kernel's spelling of constants_list.h, in kite::abi:
// O_CREAT, AT_FDCWD, S_IFDIR and DT_DIR, PROT_READ, MAP_SHARED, WNOHANG
// (__WALL is WALL), P_PID, CLD_EXITED, clock_id::MONOTONIC. Terminal values are in
// api/termios.h, signal values in api/signals.h and api/signal_action.h,
// errno in lib/error.h: each apart, so that a host test can include the
// ones whose names its C library does not define as macros.
#pragma once

#include "lib/types.h"

namespace kite::abi {

// Linux's open(2) flags (fs/open_file.h brings them into kite).
enum OpenFlags : u32 {
#define OPEN_ACCESS(name, value) O_##name = value,
#define OPEN_FLAG(name, value) O_##name = value,
#include "api/constants_list.h"
};

#define AT_VALUE(name, value) constexpr int AT_##name = value;
#define FILE_TYPE(mode_name, mode, dirent_name, dirent_type)                                       \
    constexpr u32 mode_name = mode;                                                                \
    constexpr u8 dirent_name = dirent_type;
#define PROT_FLAG(name, value) constexpr u32 PROT_##name = value;
#define MAP_FLAG(name, value) constexpr u64 MAP_##name = value;
#define WAIT_OPTION(name, value) constexpr u64 W##name = value;
#define WAIT_ID_TYPE(name, value) constexpr u64 P_##name = value;
#define CHILD_CODE(name, value) constexpr i32 CLD_##name = value;
#define CLONE_FLAG(name, value) constexpr u64 CLONE_##name = value;
#define POLL_EVENT(name, value) constexpr u32 POLL##name = value;
#include "api/constants_list.h"

// The time families in namespaces of their own, without C's prefixes
// (clock_id::MONOTONIC is CLOCK_MONOTONIC): a host <time.h> defines
// CLOCK_REALTIME and its kin as macros.
namespace clock_id {
#define CLOCK_ID(name, value) constexpr i64 name = value;
#include "api/constants_list.h"
} // namespace clock_id
namespace itimer {
#define ITIMER_WHICH(name, value) constexpr i64 name = value;
#include "api/constants_list.h"
} // namespace itimer
namespace sigev {
#define SIGEV_NOTIFY(name, value) constexpr int name = value;
#include "api/constants_list.h"
} // namespace sigev
namespace rusage_who {
#define RUSAGE_WHO(name, value) constexpr i64 name = value;
#include "api/constants_list.h"
} // namespace rusage_who
constexpr u64 timer_abstime = 1; // TIMER_ABSTIME: clock_nanosleep's and timer_settime's flag

} // namespace kite::abi
