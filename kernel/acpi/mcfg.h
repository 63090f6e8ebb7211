// mcfg.h: the MCFG table (PCI Firmware Specification 3.2, 4.1.2), which
// says where each PCI segment's memory-mapped configuration space (ECAM)
// lies, as pure code over a checked table's bytes (unit-tested on the host).
#pragma once

#include "acpi/acpi_tables.h"

namespace kite::acpi {

struct [[gnu::packed]] McfgHeader {
    SdtHeader header; // "MCFG"
    u8 reserved[8];
};
static_assert(sizeof(McfgHeader) == 44);

// One segment's range of buses. base_address is where bus 0 of the segment
// would be: bus b's 1 MiB lies at base_address + (b << 20), for b in
// [start_bus, end_bus].
struct [[gnu::packed]] McfgAllocation {
    u64 base_address;
    u16 segment;
    u8 start_bus;
    u8 end_bus;
    u32 reserved;
};
static_assert(sizeof(McfgAllocation) == 16);
static_assert(__builtin_offsetof(McfgAllocation, segment) == 8);
static_assert(__builtin_offsetof(McfgAllocation, end_bus) == 11);

// Configuration space per bus: 32 devices x 8 functions x 4 KiB.
constexpr u64 ecam_bus_size = 1 * MiB;

struct EcamRange {
    u64 base; // physical, of bus 0
    u8 start_bus;
    u8 end_bus;
};

// The allocation entries in a table of checked length `length` (see
// check_table); a trailing partial entry is ignored.
[[nodiscard]] usize mcfg_entry_count(u32 length);
[[nodiscard]] McfgAllocation mcfg_entry(const u8* table, u32 length, usize index);

// The first usable allocation for `segment` in an MCFG of checked length
// `length`: its buses in order, its base 1 MiB aligned and the range below
// max_physical (the CPU's physical address limit).
[[nodiscard]] ErrorOr<EcamRange> find_ecam(const u8* table, u32 length, u16 segment,
                                           u64 max_physical);

} // namespace kite::acpi
