// smp_call.h: running a function on every online CPU through an
// inter-processor interrupt, and waiting until each has run it. The base of
// TLB shootdown and of the tests that prove CPUs run at once.
#pragma once

#include "lib/types.h"

namespace kite::smp_call {

// The IPI vector calls arrive at.
constexpr u8 vector = 0xF0;

using Function = void (*)(void* argument);

// Installs the handler; before any CPU other than the boot CPU starts.
void init();

// Runs function(argument) on every other online CPU (in its IPI handler,
// interrupts off) and on this one, at the same time, and returns when all
// have returned. One call at a time machine-wide; the caller must have
// interrupts on (a CPU waiting for its turn still answers the call before
// it) and must not hold a spinlock.
void on_every_cpu(Function function, void* argument);

// How many calls this CPU has answered (for tests).
[[nodiscard]] u64 answered(u32 cpu);

} // namespace kite::smp_call
