// termios.h: the terminal layer's names for Linux's kernel struct termios
// and the values Kite's line discipline understands (api/termios.h), brought
// into kite, and the attributes a console starts with.
#pragma once

#include "api/termios.h"

namespace kite {

using abi::cc_t;
using abi::tcflag_t;
using abi::Termios;
using abi::termios_control_chars;

#define TERMIOS_CC(name, index) using abi::name;
#define TERMIOS_IFLAG(name, value) using abi::name;
#define TERMIOS_OFLAG(name, value) using abi::name;
#define TERMIOS_CFLAG(name, value) using abi::name;
#define TERMIOS_LFLAG(name, value) using abi::name;
#include "api/constants_list.h"

// What a Linux console starts with: canonical, echoing, signals on.
Termios default_termios();

} // namespace kite
