// acpi.h: the ACPI tables the firmware left in memory. acpi::init finds
// the RSDP (from the Multiboot2 tags, else by scanning the EBDA and the
// BIOS area), walks the XSDT or RSDT once, checks every table it lists and
// keeps a mapping of each good one for as long as the kernel runs; later
// look-ups (the MCFG for PCI, the MADT for more CPUs) only search that
// list, so they take no lock and map nothing.
#pragma once

#include "boot/multiboot2.h"
#include "lib/error.h"
#include "lib/string_view.h"

namespace kite::acpi {

struct Table {
    PhysAddr address;
    const u8* bytes; // length bytes, checked: header, length, checksum
    u32 length;
};

// Called once at boot, after the kernel address space exists. A machine
// without ACPI (or with broken tables) is logged and has no tables.
void init(const BootInfo& info);

// The instance-th table (from 0) with this 4-character signature, in the
// root table's order.
[[nodiscard]] ErrorOr<Table> find_table(StringView signature, usize instance = 0);

} // namespace kite::acpi
