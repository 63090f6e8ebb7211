// protections.h: the CPU's own protections of the kernel against user
// memory and user programs, turned on at boot where the CPU has them:
//   NX    no-execute pages (EFER.NXE, boot.asm)
//   WP    read-only pages bind ring 0 too (CR0.WP, boot.asm)
//   SMEP  ring 0 cannot execute a user page (CR4.SMEP)
//   SMAP  ring 0 cannot touch a user page outside a user-copy window
//         (CR4.SMAP; the window is stac ... clac, macros.inc)
//   UMIP  sgdt, sidt, sldt, smsw and str fault in ring 3 (CR4.UMIP)
// FSGSBASE stays off: with it a user could load any GS base, and the entry
// stubs pick swapgs by the saved CS alone. PCID is not used.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/format.h"

namespace kite::protections {

// Enables what the CPU offers, patches the user-copy windows in (stac and
// clac are invalid opcodes without SMAP) and prints one line naming the
// protections in force. Before any user page exists, interrupts off.
void init();

[[nodiscard]] bool smep();
[[nodiscard]] bool smap();
[[nodiscard]] bool umip();

// What a kernel-mode page fault on a user address broke, if anything.
enum class Violation : u8 { None, Smep, Smap };
[[nodiscard]] Violation violation(const InterruptFrame& frame, u64 cr2);
// A sentence for the panic report ("SMAP: ..."), or empty for None.
[[nodiscard]] StringView describe(Violation violation);

} // namespace kite::protections
