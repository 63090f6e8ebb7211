// pci_config.h: PCI configuration space. Two ways reach it: the legacy
// I/O ports (configuration mechanism #1: an address at 0xCF8, the data at
// 0xCFC; every PC chipset has them, 256 bytes per function), and PCI
// Express's memory-mapped ECAM (4096 bytes per function), when ACPI's MCFG
// table says where it is. init() chooses once at boot and logs the choice;
// callers see the same functions either way.
#pragma once

#include "lib/types.h"

namespace kite::pci_config {

struct Address {
    u8 bus;
    u8 device;   // 0-31
    u8 function; // 0-7
};

constexpr u16 space_size = 256;           // the conventional header and capabilities
constexpr u16 extended_space_size = 4096; // with ECAM: PCIe extended capabilities

// Chooses ECAM (from acpi::find_table("MCFG"), unless the command line
// says pci=nommconf) or the ports. Called once, before any access.
void init();

// Whether offsets from space_size to extended_space_size are reachable.
[[nodiscard]] bool has_extended_space();

// offset is a byte offset aligned to the access size. Beyond what the
// chosen way reaches (space_size through the ports), reads return all
// ones, as for an absent function, and writes are dropped.
[[nodiscard]] u32 read32(Address address, u16 offset);
void write32(Address address, u16 offset, u32 value);
[[nodiscard]] u16 read16(Address address, u16 offset);
void write16(Address address, u16 offset, u16 value);
[[nodiscard]] u8 read8(Address address, u16 offset);

} // namespace kite::pci_config
