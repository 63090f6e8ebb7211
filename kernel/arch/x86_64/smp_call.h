// smp_call.h: running a function on other CPUs through an inter-processor
// interrupt and waiting until each has run it (the base of TLB shootdown
// and of the tests that prove CPUs run at once), and the reschedule IPI.
#pragma once

#include "lib/types.h"

namespace kite::smp_call {

// The IPI vectors: calls, and "switch threads if you should".
constexpr u8 vector = 0xF0;
constexpr u8 reschedule_vector = 0xF1;

using Function = void (*)(void* argument);

// A bit per CPU id.
using CpuMask = u64;
static_assert(sizeof(CpuMask) * 8 >= 16, "a bit per CPU (max_cpus)");

// Installs the handlers; before any CPU other than the boot CPU starts.
void init();

// Runs function(argument) on every online CPU in `cpus` but this one (in
// its IPI handler, interrupts off) and returns when all have returned. One
// call is in flight at a time machine-wide; a CPU waiting for its turn, or
// for the answers, runs any call addressed to it meanwhile, so interrupts
// may be on or off. The caller must hold no spinlock: a CPU spinning for it
// with interrupts off could never answer.
void on_cpus(CpuMask cpus, Function function, void* argument);

// The same on every online CPU, this one included, at the same time.
void on_every_cpu(Function function, void* argument);

// Asks CPU `id` to run Scheduler::preempt_if_needed (its need_resched is
// set); no answer is awaited.
void send_reschedule(u32 id);

// How many calls this CPU has answered (for tests).
[[nodiscard]] u64 answered(u32 cpu);

} // namespace kite::smp_call
