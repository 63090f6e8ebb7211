// signals.h: the process layer's view of signals: Linux's numbers, flags
// and frames (api/signals.h), reachable as signals::name, plus which
// signals cannot be blocked and which stop a process.
#pragma once

#include "api/signal_action.h"
#include "api/signals.h"

namespace kite::signals {

using namespace abi::signals;

constexpr u64 unblockable = bit(KILL) | bit(STOP);
constexpr u64 stop_signals = bit(STOP) | bit(TSTP) | bit(TTIN) | bit(TTOU);
// The signals the CPU raises for the instruction it ran (Linux's
// SYNCHRONOUS_MASK): taken before any other.
constexpr u64 synchronous_signals =
    bit(SEGV) | bit(BUS) | bit(ILL) | bit(TRAP) | bit(FPE) | bit(SYS);

} // namespace kite::signals
