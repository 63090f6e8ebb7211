// tlb.h: TLB shootdown. A CPU that changes a user space's tables flushes
// its own TLB; the other CPUs that have those tables loaded are asked,
// through smp_call, to drop the range too, and the change is complete
// (its frames free to reuse) once all have answered. A CPU whose tables
// stay loaded only lazily (a kernel or idle thread runs, CpuLocal's
// lazy_space) loads the kernel's tables instead, which takes it out of the
// space's mask, so the next change skips it.
#pragma once

#include "lib/types.h"

namespace kite {
class AddressSpace;
}

namespace kite::tlb {

// Above this many pages a CPU reloads CR3 rather than invlpg each one.
constexpr u64 max_single_flushes = 32;

// [start, end) of `space`, on every CPU in its mask but this one. No
// spinlock may be held (smp_call.h).
void flush_others(AddressSpace& space, u64 start, u64 end);

// Every CPU drops every entry, global ones (the kernel half's) included.
void flush_everything_everywhere();

// How many flush requests this CPU has sent and answered (for tests and
// the figures).
struct Counts {
    u64 sent;
    u64 answered;
    u64 left_lazily;
};
[[nodiscard]] Counts counts();

} // namespace kite::tlb
