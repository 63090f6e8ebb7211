// io_apic.h: the I/O APICs, as an InterruptController for the 16 ISA lines.
// Each ISA IRQ reaches the input the MADT's overrides name (on QEMU and most
// PCs the PIT's IRQ 0 arrives on input 2), with the polarity and trigger
// mode they give, and is delivered to the boot CPU's local APIC at vector
// first_vector + line. The 8259 pair is remapped and fully masked, and
// LINT0 masked, so it delivers nothing.
#pragma once

#include "acpi/madt.h"
#include "interrupts/controller.h"
#include "lib/error.h"

namespace kite::io_apic {

// The controller for this machine's I/O APICs. Fails (and maps nothing
// more) if the MADT lists none, or none answers, or the local APIC is
// unusable; the caller then keeps the 8259.
[[nodiscard]] ErrorOr<InterruptController*> controller(const acpi::MadtInfo& madt);

} // namespace kite::io_apic
