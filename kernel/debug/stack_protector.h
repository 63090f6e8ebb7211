// stack_protector.h: the kernel's stack canary (-fstack-protector-strong).
//
// Every function with a local array, or a local whose address is taken,
// stores __stack_chk_guard in its frame, between those locals and the saved
// frame pointer and return address, and compares it as it returns; a
// mismatch calls __stack_chk_fail (arch/x86_64/stack_chk_fail.asm), which
// panics: "stack protector: stack smashed in <function>", with the
// registers and a backtrace. A buffer overrun that reaches the return
// address must go through the canary first, and cannot put it back without
// knowing it.
//
// The guard is one global (-mstack-protector-guard=global, see
// kernel/CMakeLists.txt), random from the kernel's generator, set by init()
// as the first thing kernel_main does once exceptions are reported.
#pragma once

#include "lib/types.h"

extern "C" kite::u64 __stack_chk_guard;

namespace kite::stack_protector {

// What the guard holds from the link until init(): what the global
// constructors and the start of kernel_main run with.
constexpr u64 boot_guard = 0x4b4954452d535000; // "KITE-SP" and a zero byte

// Replaces the boot guard with a random one from random::fill (after
// random::seed_early). Only safe while no protected frame that will return
// is on any stack: it runs on the boot stack before any other thread
// exists, and kernel_main, the one protected frame below it, never returns.
void init();

} // namespace kite::stack_protector
