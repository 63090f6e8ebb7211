// stack_poison.h: a debug mode (kite.stack_poison=1) that fills the unused
// part of a thread's kernel stack with stack_poison_byte at the start of
// every system call, so that a structure copied out with bytes nobody set
// (padding, a field a path forgot) carries the pattern to user space,
// where a test can see it (tests/user/padding.c). Off, it costs nothing:
// the dispatch table is only rerouted when it is on.
#pragma once

#include "lib/types.h"

namespace kite::stack_poison {

constexpr u8 stack_poison_byte = 0xA5;

// Fills [bottom, rsp - margin) with the pattern: everything below the
// caller's frame that a deeper call may use without writing first.
void fill_below(u64 bottom, u64 rsp);

} // namespace kite::stack_poison
