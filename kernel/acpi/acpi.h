// acpi.h: the ACPI tables the firmware left in memory. acpi::init finds
// the RSDP (from the Multiboot2 tags, else by scanning the EBDA and the
// BIOS area), walks the XSDT or RSDT once, checks every table it lists and
// keeps a mapping of each good one for as long as the kernel runs; later
// look-ups (the MCFG for PCI, the MADT for more CPUs) only search that
// list, so they take no lock and map nothing.
#pragma once

#include "acpi/acpi_tables.h"
#include "acpi/madt.h"
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

// The RSDP found by searching the EBDA's first KiB and 0xE0000-0xFFFFF,
// as on a loader that passes none; source names the area. (init uses the
// loader's copy first; the kernel tests compare the two.)
[[nodiscard]] ErrorOr<RootPointer> scan_for_rsdp(const char*& source);

// The instance-th table (from 0) with this 4-character signature, in the
// root table's order.
[[nodiscard]] ErrorOr<Table> find_table(StringView signature, usize instance = 0);

// The MADT, parsed by init; null when the machine has none or it was
// refused (then Kite runs on the boot CPU with the 8259).
[[nodiscard]] const MadtInfo* madt();

} // namespace kite::acpi
