// mcfg.cpp: see mcfg.h.
#include "acpi/mcfg.h"

namespace kite::acpi {

usize mcfg_entry_count(u32 length) {
    if (length < sizeof(McfgHeader)) {
        return 0;
    }
    return (length - sizeof(McfgHeader)) / sizeof(McfgAllocation);
}

McfgAllocation mcfg_entry(const u8* table, u32 length, usize index) {
    McfgAllocation entry{};
    if (index < mcfg_entry_count(length)) {
        __builtin_memcpy(&entry, table + sizeof(McfgHeader) + index * sizeof(McfgAllocation),
                         sizeof(entry));
    }
    return entry;
}

ErrorOr<EcamRange> find_ecam(const u8* table, u32 length, u16 segment, u64 max_physical) {
    if (length < sizeof(McfgHeader) || !has_signature(table, "MCFG")) {
        return Error(Errno::INVAL, "not an MCFG table");
    }
    const usize count = mcfg_entry_count(length);
    for (usize i = 0; i < count; ++i) {
        const McfgAllocation entry = mcfg_entry(table, length, i);
        if (entry.segment != segment || entry.start_bus > entry.end_bus) {
            continue;
        }
        if (entry.base_address == 0 || entry.base_address % ecam_bus_size != 0) {
            continue;
        }
        // The window's end, computed without overflow: base < 2^64 and the
        // end bus adds at most 256 MiB.
        const u64 span = (u64{entry.end_bus} + 1) * ecam_bus_size;
        if (entry.base_address > max_physical || span > max_physical - entry.base_address) {
            continue;
        }
        return EcamRange{entry.base_address, entry.start_bus, entry.end_bus};
    }
    return Error(Errno::NOENT, "no MCFG allocation for the segment");
}

} // namespace kite::acpi
