// termios.h: Linux's kernel struct termios (what TCGETS/TCSETS copy) and the
// flag values Kite's line discipline understands. Values are Linux's.
#pragma once

#include "lib/types.h"

namespace kite {

using tcflag_t = u32;
using cc_t = u8;

constexpr usize termios_control_chars = 19;

struct Termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[termios_control_chars];
};
static_assert(sizeof(Termios) == 36);
static_assert(__builtin_offsetof(Termios, c_cc) == 17);

// c_cc indices
enum : u8 {
    VINTR = 0,
    VQUIT = 1,
    VERASE = 2,
    VKILL = 3,
    VEOF = 4,
    VTIME = 5,
    VMIN = 6,
    VSWTC = 7,
    VSTART = 8,
    VSTOP = 9,
    VSUSP = 10,
    VEOL = 11,
    VREPRINT = 12,
    VDISCARD = 13,
    VWERASE = 14,
    VLNEXT = 15,
    VEOL2 = 16,
};

// c_iflag
constexpr tcflag_t IGNCR = 0000200;
constexpr tcflag_t ICRNL = 0000400;
constexpr tcflag_t INLCR = 0000100;
constexpr tcflag_t IXON = 0002000;
// c_oflag
constexpr tcflag_t OPOST = 0000001;
constexpr tcflag_t ONLCR = 0000004;
// c_cflag
constexpr tcflag_t B38400 = 0000017;
constexpr tcflag_t CS8 = 0000060;
constexpr tcflag_t CREAD = 0000200;
// c_lflag
constexpr tcflag_t ISIG = 0000001;
constexpr tcflag_t ICANON = 0000002;
constexpr tcflag_t ECHO = 0000010;
constexpr tcflag_t ECHOE = 0000020;
constexpr tcflag_t ECHOK = 0000040;
constexpr tcflag_t ECHONL = 0000100;
constexpr tcflag_t ECHOCTL = 0001000;
constexpr tcflag_t ECHOKE = 0004000;
constexpr tcflag_t IEXTEN = 0100000;

// What a Linux console starts with: canonical, echoing, signals on.
Termios default_termios();

} // namespace kite
