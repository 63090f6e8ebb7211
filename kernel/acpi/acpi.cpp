// acpi.cpp: see acpi.h. Tables lie in RAM the firmware reserved (ACPI
// reclaimable or NVS, or plain reserved on SeaBIOS). Below direct_map_end()
// they are read through the direct map; beyond it (a table above the
// highest RAM) through an mmio mapping, made once and kept, since the list
// of tables lives as long as the kernel.
#include "acpi/acpi.h"

#include "acpi/acpi_tables.h"
#include "arch/x86_64/mmio.h"
#include "console/console.h"
#include "mm/direct_map.h"

namespace kite::acpi {

namespace {

// QEMU lists 6-10 tables, a large server a few dozen.
constexpr usize max_tables = 64;
// Physical addresses beyond the architectural limit (52 bits) are bogus.
constexpr u64 max_physical = u64{1} << 52;
// Where the BIOS keeps the EBDA's segment, and the areas the spec says to
// search for the RSDP (ACPI 6.5, 5.2.5.1).
constexpr u64 ebda_pointer = 0x40E;
constexpr u64 ebda_search_length = 1 * KiB;
constexpr u64 bios_area = 0xE0000;
constexpr u64 bios_area_length = 0x20000;

Table tables[max_tables]; // written by init only
usize table_count = 0;
MadtInfo madt_info;
bool have_madt = false;

ErrorOr<const u8*> map_physical(u64 address, u64 length) {
    if (address == 0 || address >= max_physical || length > max_physical - address) {
        return Error(Errno::INVAL, "ACPI table address out of range");
    }
    if (in_direct_map(PhysAddr(address), length)) {
        return phys_to_virt<const u8>(PhysAddr(address));
    }
    // Firmware tables are memory, not registers: reading them through the
    // uncached mapping as plain bytes is only slower.
    volatile u8* mapped = TRY(mmio::map(PhysAddr(address), length));
    return const_cast<const u8*>(mapped);
}

// Maps the table at address and checks it (header, length, checksum).
ErrorOr<Table> map_table(u64 address) {
    const u8* header = TRY(map_physical(address, sizeof(SdtHeader)));
    u32 length;
    __builtin_memcpy(&length, header + __builtin_offsetof(SdtHeader, length), sizeof(length));
    if (length < sizeof(SdtHeader) || length > max_table_length) {
        return Error(Errno::INVAL, "ACPI table length out of range");
    }
    const u8* bytes = header;
    if (!in_direct_map(PhysAddr(address), length)) {
        bytes = TRY(map_physical(address, length));
    }
    const u32 checked = TRY(check_table(bytes, length));
    return Table{PhysAddr(address), bytes, checked};
}

} // namespace

ErrorOr<RootPointer> scan_for_rsdp(const char*& source) {
    const u64 ebda = u64{*phys_to_virt<const u16>(PhysAddr(ebda_pointer))} << 4;
    const struct {
        u64 start;
        u64 length;
        const char* name;
    } areas[] = {
        {ebda, ebda_search_length, "EBDA"},
        {bios_area, bios_area_length, "BIOS area"},
    };
    for (const auto& area : areas) {
        // An EBDA pointer outside conventional memory's top is garbage.
        if (area.start < 0x80000 || area.start + area.length > 0x100000) {
            continue;
        }
        const u8* bytes = phys_to_virt<const u8>(PhysAddr(area.start));
        const long offset = find_rsdp(bytes, area.length);
        if (offset >= 0) {
            source = area.name;
            return parse_rsdp(bytes + offset, area.length - static_cast<u64>(offset));
        }
    }
    return Error(Errno::NOENT, "no RSDP in the boot information, EBDA or BIOS area");
}

namespace {

// The RSDP GRUB copied into the boot information, else one found where
// the spec says to search. source says which.
ErrorOr<RootPointer> locate_rsdp(const BootInfo& info, const char*& source) {
    source = "boot information";
    auto from_loader = parse_rsdp(info.acpi_rsdp, info.acpi_rsdp_length);
    if (!from_loader.is_error()) {
        return from_loader.release_value();
    }
    return scan_for_rsdp(source);
}

void append_signature(char* names, usize capacity, usize& used, const u8* signature) {
    if (used + 5 >= capacity) {
        return;
    }
    names[used++] = ' ';
    for (usize i = 0; i < 4; ++i) {
        const char c = static_cast<char>(signature[i]);
        names[used++] = (c >= 0x21 && c <= 0x7E) ? c : '?';
    }
}

void load_madt() {
    auto table = find_table("APIC");
    if (table.is_error()) {
        kprintln("acpi: no MADT");
        return;
    }
    auto parsed = parse_madt(table.value().bytes, table.value().length, madt_info);
    if (parsed.is_error()) {
        kprintln("acpi: MADT refused: {}", parsed.error().what());
        return;
    }
    have_madt = true;
    kprintln("acpi: MADT: {} CPUs ({} disabled), {} I/O APICs, {} overrides, {} entries dropped",
             madt_info.cpu_count, madt_info.disabled_cpus, madt_info.io_apic_count,
             madt_info.override_count, madt_info.dropped);
}

} // namespace

void init(const BootInfo& info) {
    const char* source;
    auto located = locate_rsdp(info, source);
    if (located.is_error()) {
        kprintln("acpi: no tables ({})", located.error().what());
        return;
    }
    const RootPointer root = located.value();
    const char* root_name = root.extended ? "XSDT" : "RSDT";
    auto root_table = map_table(root.address);
    if (root_table.is_error() || !has_signature(root_table.value().bytes, root_name)) {
        kprintln("acpi: {} at {:#x} unusable ({}); no tables", root_name, root.address,
                 root_table.is_error() ? root_table.error().what() : "wrong signature");
        return;
    }
    const Table& list = root_table.value();
    char names[max_tables * 5 + 1];
    usize used = 0;
    usize skipped = 0;
    // A hostile root table of 1 MiB would list 128Ki entries: past the
    // list's capacity they are counted, not mapped or logged one by one.
    const usize entries = root_entry_count(list.length, root.extended);
    for (usize i = 0; i < entries; ++i) {
        if (table_count == max_tables) {
            skipped += entries - i;
            break;
        }
        const u64 address = root_entry(list.bytes, list.length, root.extended, i);
        auto table = map_table(address);
        if (table.is_error()) {
            if (skipped++ < max_tables) {
                kprintln("acpi: table at {:#x} skipped: {}", address, table.error().what());
            }
            continue;
        }
        tables[table_count++] = table.value();
        append_signature(names, sizeof(names), used, table.value().bytes);
    }
    names[used] = '\0';
    kprintln("acpi: RSDP revision {} ({}), {} at {:#x}:{}", root.revision, source, root_name,
             root.address, StringView(names, used));
    if (skipped) {
        kprintln("acpi: {} of the {}'s {} entries skipped", skipped, root_name, entries);
    }
    load_madt();
}

ErrorOr<Table> find_table(StringView signature, usize instance) {
    for (usize i = 0; i < table_count; ++i) {
        if (has_signature(tables[i].bytes, signature) && instance-- == 0) {
            return tables[i];
        }
    }
    return Error(Errno::NOENT, "no such ACPI table");
}

const MadtInfo* madt() {
    return have_madt ? &madt_info : nullptr;
}

} // namespace kite::acpi
