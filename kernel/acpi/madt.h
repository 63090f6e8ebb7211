// madt.h: the MADT ("APIC" table, ACPI 6.5 section 5.2.12), which lists the
// CPUs' local APICs, the I/O APICs, how ISA interrupts are wired to the I/O
// APICs' inputs (overrides) and which local APIC pin carries NMI. Pure code
// over a checked table's bytes, unit-tested on the host with hostile tables:
// an entry that runs past the table, is shorter than its type, or says
// something impossible is dropped and counted, never trusted.
#pragma once

#include "acpi/acpi_tables.h"

namespace kite::acpi {

struct [[gnu::packed]] MadtHeader {
    SdtHeader header;       // "APIC"
    u32 local_apic_address; // physical, unless an address override follows
    u32 flags;              // bit 0: the machine also has the 8259 pair
};
static_assert(sizeof(MadtHeader) == 44);

// Each entry starts with its type and its length (which counts these two).
enum class MadtEntryType : u8 {
    LocalApic = 0,
    IoApic = 1,
    InterruptOverride = 2,
    NmiSource = 3,
    LocalApicNmi = 4,
    LocalApicAddress = 5,
    LocalX2Apic = 9,
    LocalX2ApicNmi = 10,
};

struct [[gnu::packed]] MadtLocalApic {
    u8 type, length; // 0, 8
    u8 processor_uid;
    u8 apic_id;
    u32 flags; // bit 0: enabled; bit 1: may be enabled later
};
static_assert(sizeof(MadtLocalApic) == 8);

struct [[gnu::packed]] MadtIoApic {
    u8 type, length; // 1, 12
    u8 io_apic_id;
    u8 reserved;
    u32 address;  // physical, of its two registers
    u32 gsi_base; // the global system interrupt of its input 0
};
static_assert(sizeof(MadtIoApic) == 12);

struct [[gnu::packed]] MadtInterruptOverride {
    u8 type, length; // 2, 10
    u8 bus;          // 0: ISA
    u8 source;       // the ISA IRQ
    u32 gsi;         // where it arrives instead of GSI == source
    u16 flags;       // polarity (bits 0-1) and trigger mode (bits 2-3)
};
static_assert(sizeof(MadtInterruptOverride) == 10);

struct [[gnu::packed]] MadtLocalApicNmi {
    u8 type, length;  // 4, 6
    u8 processor_uid; // 0xFF: every processor
    u16 flags;
    u8 lint; // 0 or 1
};
static_assert(sizeof(MadtLocalApicNmi) == 6);

struct [[gnu::packed]] MadtLocalApicAddress {
    u8 type, length; // 5, 12
    u16 reserved;
    u64 address;
};
static_assert(sizeof(MadtLocalApicAddress) == 12);

struct [[gnu::packed]] MadtLocalX2Apic {
    u8 type, length; // 9, 16
    u16 reserved;
    u32 x2apic_id;
    u32 flags;
    u32 processor_uid;
};
static_assert(sizeof(MadtLocalX2Apic) == 16);

struct [[gnu::packed]] MadtLocalX2ApicNmi {
    u8 type, length; // 10, 12
    u16 flags;
    u32 processor_uid; // 0xFFFFFFFF: every processor
    u8 lint;
    u8 reserved[3];
};
static_assert(sizeof(MadtLocalX2ApicNmi) == 12);

// Polarity and trigger mode of an override or NMI entry (MPS INTI flags):
// 0 in either field means "as the bus says" (ISA: active high, edge).
constexpr u16 inti_polarity_mask = 0x3;
constexpr u16 inti_polarity_active_low = 0x3;
constexpr u16 inti_trigger_mask = 0xC;
constexpr u16 inti_trigger_level = 0xC;

constexpr u32 madt_pcat_compatible = 1;
constexpr u32 local_apic_enabled = 1;
constexpr u32 local_apic_online_capable = 2;

// What Kite keeps of a MADT, in fixed arrays (the parser allocates
// nothing). Entries past an array's capacity are counted in `dropped`.
struct MadtInfo {
    static constexpr usize max_cpus = 64;
    static constexpr usize max_io_apics = 8;
    static constexpr usize max_overrides = 16; // one per ISA IRQ at most
    static constexpr usize max_nmis = 8;

    struct Cpu {
        u32 apic_id;
        u32 processor_uid;
    };
    struct IoApic {
        u8 id;
        u32 address;
        u32 gsi_base;
    };
    struct Override {
        u8 isa_irq;
        u32 gsi;
        u16 flags;
    };
    struct Nmi {
        u32 processor_uid; // all_processors: every one
        u8 lint;
        u16 flags;
    };
    static constexpr u32 all_processors = 0xFFFFFFFF;

    u64 local_apic_address = 0;
    bool has_8259 = false;
    Cpu cpus[max_cpus]{};
    usize cpu_count = 0; // enabled CPUs only, in table order (boot CPU first)
    IoApic io_apics[max_io_apics]{};
    usize io_apic_count = 0;
    Override overrides[max_overrides]{};
    usize override_count = 0;
    Nmi nmis[max_nmis]{};
    usize nmi_count = 0;
    usize disabled_cpus = 0; // listed but not enabled (Kite has no CPU hot-plug)
    usize dropped = 0;       // malformed, impossible, duplicate or past capacity
};

// Parses a MADT of checked length `length` (see check_table). Fails only
// if the table is not a MADT or has no usable local APIC address; bad
// entries are dropped and counted, and the walk stops at an entry whose
// length is under 2 or runs past the table (counted too).
[[nodiscard]] ErrorOr<void> parse_madt(const u8* table, u32 length, MadtInfo& out);

// The GSI and flags an ISA IRQ arrives with: its override, else GSI == irq,
// active high, edge-triggered.
struct IsaRoute {
    u32 gsi;
    bool active_low;
    bool level_triggered;
};
[[nodiscard]] IsaRoute isa_route(const MadtInfo& info, u8 isa_irq);

// Whether the CPU with this local APIC ID has NMI wired to its pin LINT`lint`.
[[nodiscard]] bool lint_is_nmi(const MadtInfo& info, u32 apic_id, u8 lint);

} // namespace kite::acpi
