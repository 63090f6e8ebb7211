// signals.h: Linux signal numbers, as Kite uses Linux's ABI. Names drop the
// SIG prefix so they never collide with <signal.h> macros in host builds:
// Signal::INT is SIGINT.
#pragma once

namespace kite {

enum class Signal : int {
    INT = 2,
    QUIT = 3,
    TSTP = 20,
    TTIN = 21,
};

} // namespace kite
