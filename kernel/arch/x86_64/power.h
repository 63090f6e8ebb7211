// power.h: turning the machine off or resetting it, for reboot(2).
#pragma once

namespace kite::power {

// Under QEMU with isa-debug-exit, exits with the PowerOff code (37), which
// a test tells from a pass, a failure and a triple fault; otherwise ACPI
// S5 through the PM1a control port of QEMU's and Bochs' chipsets. If
// nothing worked, the CPU stops.
[[noreturn]] void power_off();
// The keyboard controller's reset line, then a triple fault.
[[noreturn]] void reset();

} // namespace kite::power
