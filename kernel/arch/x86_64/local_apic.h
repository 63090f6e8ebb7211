// local_apic.h: each CPU's local APIC, in xAPIC mode (its registers in one
// uncached page, at the same physical address on every CPU; each CPU sees
// its own). It takes interrupts from the I/O APIC and from other CPUs
// (IPIs), needs an end-of-interrupt for each, and starts the application
// processors (INIT and STARTUP IPIs).
//
// x2APIC mode (registers as MSRs) is not used: QEMU 7.2's TCG has none. A
// CPU the firmware left in x2APIC mode is refused, and Kite keeps the 8259.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite::local_apic {

// Where the local APIC's spurious interrupts arrive (its low 4 bits must be
// 1s on old APICs); no handler runs and no EOI is sent for it.
constexpr u8 spurious_vector = 0xFF;

// Maps the registers at `physical` (the MADT's address) once, for every
// CPU. Fails if the CPU has no APIC or the firmware left it in x2APIC mode.
[[nodiscard]] ErrorOr<void> map(u64 physical);
[[nodiscard]] bool available();
// Whether this CPU's local APIC is mapped and enabled (enable_this_cpu ran).
[[nodiscard]] bool enabled_here();

// Enables this CPU's local APIC: spurious vector, task priority 0, LINT0
// masked (the 8259's virtual wire is not used), LINT1 as NMI if
// `lint1_nmi` (what the MADT says for this CPU), the timer masked.
void enable_this_cpu(bool lint1_nmi);

[[nodiscard]] u32 id();
void end_of_interrupt();
// Whether vector is in service at this CPU's local APIC (set from its
// acceptance until its EOI): an interrupt that is not came from elsewhere
// (a spurious 8259 one).
[[nodiscard]] bool in_service(u8 vector);

// Fixed interrupts to one CPU by APIC ID, and to all but this one.
void send_ipi(u32 apic_id, u8 vector);
void send_ipi_to_others(u8 vector);
// NMI to all others (a panic stops them).
void send_nmi_to_others();
// The start-up sequence's two kinds: INIT resets the target to wait for a
// STARTUP, which starts it in real mode at page * 4 KiB.
void send_init(u32 apic_id);
void send_startup(u32 apic_id, u8 page);
// Whether the last IPI was accepted (xAPIC: delivery status idle).
[[nodiscard]] bool wait_for_delivery();

// The timer, counting down at the bus clock divided by 16.
void start_timer_one_shot_masked(u32 count);
[[nodiscard]] u32 timer_current_count();
void start_timer_periodic(u8 vector, u32 count);
void stop_timer();

} // namespace kite::local_apic
