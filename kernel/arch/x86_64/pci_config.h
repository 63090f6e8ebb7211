// pci_config.h: PCI configuration space through the legacy I/O ports
// (configuration mechanism #1: an address at 0xCF8, the data at 0xCFC).
// Every chipset QEMU emulates has it; the PCIe memory-mapped form (ECAM)
// would be needed only for extended space beyond 256 bytes.
#pragma once

#include "lib/types.h"

namespace kite::pci_config {

struct Address {
    u8 bus;
    u8 device;   // 0-31
    u8 function; // 0-7
};

// offset is a byte offset below 256, aligned to the access size.
[[nodiscard]] u32 read32(Address address, u8 offset);
void write32(Address address, u8 offset, u32 value);
[[nodiscard]] u16 read16(Address address, u8 offset);
void write16(Address address, u8 offset, u16 value);
[[nodiscard]] u8 read8(Address address, u8 offset);

} // namespace kite::pci_config
