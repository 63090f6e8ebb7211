// smp_boot.h: starting the application processors (every CPU the MADT lists
// beside the boot CPU) with INIT-SIPI-SIPI through the real-mode trampoline
// (ap_trampoline.asm). Each gets its own GDT, TSS and IST stacks, the shared
// IDT, its CpuLocal (GS base), the boot CPU's control registers (paging,
// protections, FPU/SSE) and syscall MSRs, and its local APIC. Then it idles:
// interrupts on, halted until an IPI (smp_call.h) wakes it. Scheduling
// threads on it is the next step (issue 16).
#pragma once

#include "acpi/madt.h"
#include "lib/types.h"

namespace kite::smp_boot {

// Starts the CPUs one at a time and logs each. A CPU that does not answer
// within a second is reported, sent INIT again (so a late start cannot run
// the trampoline meant for the next CPU) and left off. Needs the local
// APIC (irq::init chose the I/O APICs), the heap and the clock.
void start_application_processors(const acpi::MadtInfo& madt);

// CPUs the MADT listed that did not start (no answer, or past max_cpus).
[[nodiscard]] u32 left_off();

} // namespace kite::smp_boot
