// pci_ecam.h: PCI Express's memory-mapped configuration space (ECAM):
// 4 KiB per function at base + (bus << 20 | device << 15 | function << 12),
// which also reaches the extended space from 0x100 to 0xFFF. Each bus's
// 1 MiB is mapped uncached the first time it is used (a machine has a few
// buses of the 256 an MCFG usually covers), and stays mapped.
#pragma once

#include "acpi/mcfg.h"
#include "arch/x86_64/pci_config.h"

namespace kite::pci_ecam {

// Starts using range (once, at boot).
void start(const acpi::EcamRange& range);

// The 4 KiB of a function, or null if its bus is outside the range or its
// window could not be mapped (the caller then falls back to the ports).
[[nodiscard]] volatile u8* function_base(pci_config::Address address);

} // namespace kite::pci_ecam
