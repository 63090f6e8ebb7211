// backtrace.h: a call chain from saved frame pointers (the kernel is built
// with -fno-omit-frame-pointer), with symbol names from ksyms.
#pragma once

#include "lib/format.h"

namespace kite {

constexpr usize backtrace_max_frames = 24;

// Return addresses found by walking from rbp, at most capacity of them.
// Every read goes through probe_read_u64, so a corrupt chain ends the walk
// instead of faulting.
usize capture_backtrace(u64 rbp, u64* addresses, usize capacity);

// "backtrace:" and one line per frame: "  #n 0x... <symbol+0xoff>". Runs
// of the same return address (deep recursion) print as one line and a
// count; at most backtrace_max_frames lines are printed.
void print_backtrace(FormatSink& sink, u64 rbp);

// "0x... <symbol+0xoff>" for one code address. A return address points
// after its call instruction, so it is looked up one byte earlier (which
// matters when the call was a function's last instruction).
void print_code_address(FormatSink& sink, u64 address, bool is_return_address = false);

} // namespace kite
