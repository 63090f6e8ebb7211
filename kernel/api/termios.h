// termios.h: the terminal's side of constants_list.h as the kernel spells
// it, in kite::abi: the TCGETS/TIOC* ioctls, c_cc indexes (VINTR...) and
// termios flags (ICANON...), with the structures they copy (api/types.h).
#pragma once

#include "api/types.h"
#include "lib/types.h"

namespace kite::abi {

using tcflag_t = u32;
using cc_t = u8;
constexpr usize termios_control_chars = ABI_NCCS;

#define IOCTL(name, value) constexpr u64 name = value;
#define TERMIOS_CC(name, index) constexpr u8 name = index;
#define TERMIOS_IFLAG(name, value) constexpr tcflag_t name = value;
#define TERMIOS_OFLAG(name, value) constexpr tcflag_t name = value;
#define TERMIOS_CFLAG(name, value) constexpr tcflag_t name = value;
#define TERMIOS_LFLAG(name, value) constexpr tcflag_t name = value;
#define TERMIOS_ACTION(name, value) constexpr u32 name = value;
#include "api/constants_list.h"

} // namespace kite::abi
