// madt.cpp: see madt.h.
#include "acpi/madt.h"

namespace kite::acpi {

namespace {

// APIC IDs 0xFF (xAPIC) and 0xFFFFFFFF (x2APIC) are broadcast addresses,
// never a CPU's.
constexpr u32 xapic_broadcast = 0xFF;
constexpr u32 x2apic_broadcast = 0xFFFFFFFF;

template <typename T>
T read_entry(const u8* at) {
    T entry;
    __builtin_memcpy(&entry, at, sizeof(T));
    return entry;
}

bool known_cpu(const MadtInfo& info, u32 apic_id) {
    for (usize i = 0; i < info.cpu_count; ++i) {
        if (info.cpus[i].apic_id == apic_id) {
            return true;
        }
    }
    return false;
}

void add_cpu(MadtInfo& info, u32 apic_id, u32 uid, u32 flags, u32 broadcast) {
    if (!(flags & local_apic_enabled)) {
        ++info.disabled_cpus;
        return;
    }
    if (apic_id == broadcast || known_cpu(info, apic_id) || info.cpu_count == MadtInfo::max_cpus) {
        ++info.dropped;
        return;
    }
    info.cpus[info.cpu_count++] = {apic_id, uid};
}

void add_io_apic(MadtInfo& info, const MadtIoApic& entry) {
    // Its registers are one page; an address of 0 or inside the first MiB
    // (the BIOS's) is nonsense. Inputs of two I/O APICs must not overlap,
    // which is checked when they are programmed (each knows its size only
    // from its own register).
    if (entry.address == 0 || entry.address < 1 * MiB || entry.address % 16 != 0 ||
        info.io_apic_count == MadtInfo::max_io_apics) {
        ++info.dropped;
        return;
    }
    for (usize i = 0; i < info.io_apic_count; ++i) {
        if (info.io_apics[i].address == entry.address || info.io_apics[i].id == entry.io_apic_id) {
            ++info.dropped;
            return;
        }
    }
    info.io_apics[info.io_apic_count++] = {entry.io_apic_id, entry.address, entry.gsi_base};
}

void add_override(MadtInfo& info, const MadtInterruptOverride& entry) {
    // Only ISA overrides exist, for IRQs 0-15, one each.
    if (entry.bus != 0 || entry.source >= 16 || info.override_count == MadtInfo::max_overrides) {
        ++info.dropped;
        return;
    }
    for (usize i = 0; i < info.override_count; ++i) {
        if (info.overrides[i].isa_irq == entry.source) {
            ++info.dropped;
            return;
        }
    }
    info.overrides[info.override_count++] = {entry.source, entry.gsi, entry.flags};
}

void add_nmi(MadtInfo& info, u32 uid, u8 lint, u16 flags) {
    if (lint > 1 || info.nmi_count == MadtInfo::max_nmis) {
        ++info.dropped;
        return;
    }
    info.nmis[info.nmi_count++] = {uid, lint, flags};
}

// One entry of `length` bytes (at least 2, inside the table); false if it
// is shorter than its type says.
bool parse_entry(const u8* at, u8 length, MadtInfo& info, u64& address_override) {
    const auto type = static_cast<MadtEntryType>(at[0]);
    switch (type) {
    case MadtEntryType::LocalApic: {
        if (length < sizeof(MadtLocalApic)) {
            return false;
        }
        const auto entry = read_entry<MadtLocalApic>(at);
        add_cpu(info, entry.apic_id, entry.processor_uid, entry.flags, xapic_broadcast);
        return true;
    }
    case MadtEntryType::LocalX2Apic: {
        if (length < sizeof(MadtLocalX2Apic)) {
            return false;
        }
        const auto entry = read_entry<MadtLocalX2Apic>(at);
        add_cpu(info, entry.x2apic_id, entry.processor_uid, entry.flags, x2apic_broadcast);
        return true;
    }
    case MadtEntryType::IoApic:
        if (length < sizeof(MadtIoApic)) {
            return false;
        }
        add_io_apic(info, read_entry<MadtIoApic>(at));
        return true;
    case MadtEntryType::InterruptOverride:
        if (length < sizeof(MadtInterruptOverride)) {
            return false;
        }
        add_override(info, read_entry<MadtInterruptOverride>(at));
        return true;
    case MadtEntryType::LocalApicNmi: {
        if (length < sizeof(MadtLocalApicNmi)) {
            return false;
        }
        const auto entry = read_entry<MadtLocalApicNmi>(at);
        add_nmi(info, entry.processor_uid == 0xFF ? MadtInfo::all_processors : entry.processor_uid,
                entry.lint, entry.flags);
        return true;
    }
    case MadtEntryType::LocalX2ApicNmi: {
        if (length < sizeof(MadtLocalX2ApicNmi)) {
            return false;
        }
        const auto entry = read_entry<MadtLocalX2ApicNmi>(at);
        add_nmi(info, entry.processor_uid, entry.lint, entry.flags);
        return true;
    }
    case MadtEntryType::LocalApicAddress:
        if (length < sizeof(MadtLocalApicAddress)) {
            return false;
        }
        address_override = read_entry<MadtLocalApicAddress>(at).address;
        return true;
    case MadtEntryType::NmiSource:
        return true; // an I/O APIC input wired to NMI: Kite leaves it masked
    }
    return true; // a type Kite does not use (GIC, platform sources, ...)
}

bool usable_local_apic_address(u64 address) {
    return address != 0 && address % 4096 == 0 && address < (u64{1} << 52);
}

} // namespace

ErrorOr<void> parse_madt(const u8* table, u32 length, MadtInfo& out) {
    out = MadtInfo{};
    if (length < sizeof(MadtHeader) || !has_signature(table, "APIC")) {
        return Error(Errno::INVAL, "not a MADT");
    }
    const auto header = read_entry<MadtHeader>(table);
    out.has_8259 = header.flags & madt_pcat_compatible;
    u64 address_override = 0;
    u32 offset = sizeof(MadtHeader);
    while (offset + 2 <= length) {
        const u8 entry_length = table[offset + 1];
        if (entry_length < 2 || entry_length > length - offset) {
            ++out.dropped; // the rest of the table cannot be walked
            break;
        }
        if (!parse_entry(table + offset, entry_length, out, address_override)) {
            ++out.dropped;
        }
        offset += entry_length;
    }
    out.local_apic_address = header.local_apic_address;
    if (address_override != 0) {
        if (usable_local_apic_address(address_override)) {
            out.local_apic_address = address_override;
        } else {
            ++out.dropped;
        }
    }
    if (!usable_local_apic_address(out.local_apic_address)) {
        return Error(Errno::INVAL, "MADT has no usable local APIC address");
    }
    return {};
}

IsaRoute isa_route(const MadtInfo& info, u8 isa_irq) {
    for (usize i = 0; i < info.override_count; ++i) {
        const MadtInfo::Override& entry = info.overrides[i];
        if (entry.isa_irq == isa_irq) {
            return {entry.gsi, (entry.flags & inti_polarity_mask) == inti_polarity_active_low,
                    (entry.flags & inti_trigger_mask) == inti_trigger_level};
        }
    }
    return {isa_irq, false, false};
}

bool lint_is_nmi(const MadtInfo& info, u32 apic_id, u8 lint) {
    // NMI entries name processors by ACPI UID, not APIC ID.
    u32 uid = MadtInfo::all_processors;
    for (usize i = 0; i < info.cpu_count; ++i) {
        if (info.cpus[i].apic_id == apic_id) {
            uid = info.cpus[i].processor_uid;
        }
    }
    for (usize i = 0; i < info.nmi_count; ++i) {
        const MadtInfo::Nmi& nmi = info.nmis[i];
        if (nmi.lint == lint &&
            (nmi.processor_uid == MadtInfo::all_processors || nmi.processor_uid == uid)) {
            return true;
        }
    }
    return false;
}

} // namespace kite::acpi
