// signals.h: Linux's signal numbers as the kernel spells them (from
// signal_list.h, in kite::abi::signals: INT is SIGINT) and a signal's bit in
// a sigset_t. Safe next to a host <signal.h>: no SIG-prefixed names here
// (those are in api/signal_action.h).
#pragma once

#include "lib/types.h"

namespace kite::abi::signals {

enum : int {
#define SIGNAL(number, name) name = number,
#include "api/signal_list.h"
#undef SIGNAL
};
constexpr int count = 64;

// A signal's bit in a Linux sigset_t.
constexpr u64 bit(int signal) {
    return u64{1} << (signal - 1);
}

} // namespace kite::abi::signals
