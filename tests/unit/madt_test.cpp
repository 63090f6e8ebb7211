// madt_test.cpp: kernel/acpi/madt's parser, with QEMU's table and hostile
// ones. Each table lives in a vector of exactly its bytes, so
// AddressSanitizer catches a read past what the parser was given.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "acpi/madt.h"

using namespace kite;
using namespace kite::acpi;

namespace {

template <typename T>
void append(std::vector<u8>& out, const T& value) {
    const usize at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &value, sizeof(T));
}

// A MADT with these entry bytes, its length and checksum right.
std::vector<u8> make_madt(u32 local_apic_address, u32 flags, const std::vector<u8>& entries) {
    MadtHeader h{};
    std::memcpy(h.header.signature, "APIC", 4);
    h.header.length = static_cast<u32>(sizeof(h) + entries.size());
    h.header.revision = 5;
    h.local_apic_address = local_apic_address;
    h.flags = flags;
    std::vector<u8> bytes;
    append(bytes, h);
    bytes.insert(bytes.end(), entries.begin(), entries.end());
    bytes[9] = 0;
    bytes[9] = static_cast<u8>(-checksum(bytes.data(), bytes.size()));
    return bytes;
}

void local_apic(std::vector<u8>& out, u8 uid, u8 apic_id, u32 flags = local_apic_enabled) {
    append(out, MadtLocalApic{0, 8, uid, apic_id, flags});
}
void io_apic(std::vector<u8>& out, u8 id, u32 address, u32 gsi_base) {
    append(out, MadtIoApic{1, 12, id, 0, address, gsi_base});
}
void override_entry(std::vector<u8>& out, u8 source, u32 gsi, u16 flags) {
    append(out, MadtInterruptOverride{2, 10, 0, source, gsi, flags});
}

// What QEMU's q35 and i440fx machines give with -smp 4: four local APICs,
// one I/O APIC at 0xFEC00000, IRQ 0 on GSI 2 and the PCI lines 5, 9, 10,
// 11 level-triggered active high, and LINT1 as NMI on every CPU.
std::vector<u8> qemu_entries() {
    std::vector<u8> e;
    for (u8 cpu = 0; cpu < 4; ++cpu) {
        local_apic(e, cpu, cpu);
    }
    io_apic(e, 0, 0xFEC00000, 0);
    override_entry(e, 0, 2, 0);
    for (u8 irq : {5, 9, 10, 11}) {
        override_entry(e, irq, irq, 0x000D);
    }
    append(e, MadtLocalApicNmi{4, 6, 0xFF, 0, 1});
    return e;
}

MadtInfo parse(const std::vector<u8>& table) {
    MadtInfo info;
    auto result = parse_madt(table.data(), static_cast<u32>(table.size()), info);
    EXPECT_FALSE(result.is_error()) << (result.is_error() ? result.error().what() : "");
    return info;
}

} // namespace

TEST(Madt, QemusTable) {
    const MadtInfo info = parse(make_madt(0xFEE00000, madt_pcat_compatible, qemu_entries()));
    EXPECT_EQ(info.local_apic_address, 0xFEE00000u);
    EXPECT_TRUE(info.has_8259);
    ASSERT_EQ(info.cpu_count, 4u);
    for (u32 i = 0; i < 4; ++i) {
        EXPECT_EQ(info.cpus[i].apic_id, i);
        EXPECT_EQ(info.cpus[i].processor_uid, i);
    }
    ASSERT_EQ(info.io_apic_count, 1u);
    EXPECT_EQ(info.io_apics[0].address, 0xFEC00000u);
    EXPECT_EQ(info.io_apics[0].gsi_base, 0u);
    EXPECT_EQ(info.override_count, 5u);
    ASSERT_EQ(info.nmi_count, 1u);
    EXPECT_EQ(info.nmis[0].processor_uid, MadtInfo::all_processors);
    EXPECT_EQ(info.nmis[0].lint, 1);
    EXPECT_EQ(info.dropped, 0u);
    EXPECT_EQ(info.disabled_cpus, 0u);

    const IsaRoute timer = isa_route(info, 0);
    EXPECT_EQ(timer.gsi, 2u);
    EXPECT_FALSE(timer.active_low);
    EXPECT_FALSE(timer.level_triggered);
    const IsaRoute keyboard = isa_route(info, 1); // no override: identity, ISA defaults
    EXPECT_EQ(keyboard.gsi, 1u);
    EXPECT_FALSE(keyboard.level_triggered);
    const IsaRoute pci = isa_route(info, 11);
    EXPECT_EQ(pci.gsi, 11u);
    EXPECT_TRUE(pci.level_triggered);
    EXPECT_FALSE(pci.active_low);
}

TEST(Madt, X2ApicEntriesAndTheAddressOverride) {
    std::vector<u8> e;
    local_apic(e, 0, 0);
    append(e, MadtLocalX2Apic{9, 16, 0, 300, local_apic_enabled, 7});
    append(e, MadtLocalApicAddress{5, 12, 0, 0x1'0000'0000});
    append(e, MadtLocalX2ApicNmi{10, 12, 0x5, 7, 0, {}});
    const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
    ASSERT_EQ(info.cpu_count, 2u);
    EXPECT_EQ(info.cpus[1].apic_id, 300u);
    EXPECT_EQ(info.cpus[1].processor_uid, 7u);
    EXPECT_EQ(info.local_apic_address, 0x1'0000'0000u);
    EXPECT_FALSE(info.has_8259);
    ASSERT_EQ(info.nmi_count, 1u);
    EXPECT_EQ(info.nmis[0].processor_uid, 7u);
    EXPECT_EQ(info.nmis[0].flags, 0x5);
}

TEST(Madt, DisabledDuplicateAndBroadcastCpusAreLeftOut) {
    std::vector<u8> e;
    local_apic(e, 0, 0);
    local_apic(e, 1, 1, 0);                         // disabled
    local_apic(e, 2, 2, local_apic_online_capable); // hot-pluggable: not now
    local_apic(e, 3, 0);                            // APIC ID 0 again
    local_apic(e, 4, 0xFF);                         // the broadcast ID
    append(e, MadtLocalX2Apic{9, 16, 0, 0xFFFFFFFF, local_apic_enabled, 5});
    local_apic(e, 6, 6);
    const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
    ASSERT_EQ(info.cpu_count, 2u);
    EXPECT_EQ(info.cpus[0].apic_id, 0u);
    EXPECT_EQ(info.cpus[1].apic_id, 6u);
    EXPECT_EQ(info.disabled_cpus, 2u);
    EXPECT_EQ(info.dropped, 3u);
}

TEST(Madt, ImpossibleIoApicsAndOverridesAreDropped) {
    std::vector<u8> e;
    local_apic(e, 0, 0);
    io_apic(e, 0, 0, 0);                                 // address 0
    io_apic(e, 1, 0xA0000, 0);                           // inside the first MiB
    io_apic(e, 2, 0xFEC00004, 0);                        // misaligned
    io_apic(e, 3, 0xFEC00000, 0);                        // good
    io_apic(e, 4, 0xFEC00000, 24);                       // same registers again
    io_apic(e, 3, 0xFEC01000, 24);                       // same ID again
    override_entry(e, 16, 16, 0);                        // no ISA IRQ 16
    override_entry(e, 9, 20, 0x000F);                    // good
    override_entry(e, 9, 21, 0);                         // IRQ 9 again
    append(e, MadtInterruptOverride{2, 10, 1, 4, 4, 0}); // not the ISA bus
    append(e, MadtLocalApicNmi{4, 6, 0xFF, 0, 2});       // there is no LINT2
    const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
    ASSERT_EQ(info.io_apic_count, 1u);
    EXPECT_EQ(info.io_apics[0].id, 3);
    ASSERT_EQ(info.override_count, 1u);
    const IsaRoute route = isa_route(info, 9);
    EXPECT_EQ(route.gsi, 20u);
    EXPECT_TRUE(route.active_low);
    EXPECT_TRUE(route.level_triggered);
    EXPECT_EQ(info.nmi_count, 0u);
    EXPECT_EQ(info.dropped, 9u);
}

TEST(Madt, CapacitiesAreNeverExceeded) {
    std::vector<u8> e;
    for (u32 i = 0; i < 100; ++i) {
        append(e, MadtLocalX2Apic{9, 16, 0, i, local_apic_enabled, i});
    }
    for (u32 i = 0; i < 20; ++i) {
        io_apic(e, static_cast<u8>(i), 0xFEC00000 + i * 0x1000, i * 24);
    }
    for (u32 i = 0; i < 20; ++i) {
        append(e, MadtLocalApicNmi{4, 6, static_cast<u8>(i), 0, 1});
    }
    const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
    EXPECT_EQ(info.cpu_count, MadtInfo::max_cpus);
    EXPECT_EQ(info.io_apic_count, MadtInfo::max_io_apics);
    EXPECT_EQ(info.nmi_count, MadtInfo::max_nmis);
    EXPECT_EQ(info.dropped, (100 - MadtInfo::max_cpus) + (20 - MadtInfo::max_io_apics) +
                                (20 - MadtInfo::max_nmis));
}

TEST(Madt, HostileLengthsReadNothingPastTheTable) {
    // An entry shorter than its type: dropped, the walk goes on.
    {
        std::vector<u8> e;
        append(e, MadtLocalApic{0, 6, 0, 0, 1}); // claims 6 bytes, needs 8
        e.resize(e.size() - 2);
        local_apic(e, 1, 1);
        const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
        EXPECT_EQ(info.cpu_count, 1u);
        EXPECT_EQ(info.cpus[0].apic_id, 1u);
        EXPECT_EQ(info.dropped, 1u);
    }
    // Length 0 would loop for ever, length 1 would read a header past
    // itself; an entry longer than what is left would read past the table.
    for (u8 bad_length : {0, 1, 9}) {
        std::vector<u8> e;
        local_apic(e, 0, 0);
        e.push_back(0);
        e.push_back(bad_length);
        e.push_back(0);
        const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
        EXPECT_EQ(info.cpu_count, 1u) << int{bad_length};
        EXPECT_EQ(info.dropped, 1u) << int{bad_length};
    }
    // A trailing single byte is too short for an entry header.
    {
        std::vector<u8> e;
        local_apic(e, 0, 0);
        e.push_back(0);
        const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
        EXPECT_EQ(info.cpu_count, 1u);
    }
    // The header alone, and less than a header.
    {
        const auto table = make_madt(0xFEE00000, 0, {});
        MadtInfo info;
        EXPECT_FALSE(parse_madt(table.data(), static_cast<u32>(table.size()), info).is_error());
        EXPECT_EQ(info.cpu_count, 0u);
        EXPECT_TRUE(parse_madt(table.data(), sizeof(MadtHeader) - 1, info).is_error());
    }
    // Unknown entry types are stepped over by their length.
    {
        std::vector<u8> e = {0x7F, 5, 1, 2, 3};
        local_apic(e, 0, 4);
        const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
        ASSERT_EQ(info.cpu_count, 1u);
        EXPECT_EQ(info.cpus[0].apic_id, 4u);
        EXPECT_EQ(info.dropped, 0u);
    }
}

TEST(Madt, BadLocalApicAddressesAreRefused) {
    MadtInfo info;
    for (u32 address : {0u, 0xFEE00010u}) {
        const auto table = make_madt(address, 0, {});
        EXPECT_TRUE(parse_madt(table.data(), static_cast<u32>(table.size()), info).is_error())
            << address;
    }
    // A bad override is dropped and the header's address kept.
    std::vector<u8> e;
    append(e, MadtLocalApicAddress{5, 12, 0, u64{1} << 60});
    const MadtInfo kept = parse(make_madt(0xFEE00000, 0, e));
    EXPECT_EQ(kept.local_apic_address, 0xFEE00000u);
    EXPECT_EQ(kept.dropped, 1u);
    // Not a MADT at all.
    auto facp = make_madt(0xFEE00000, 0, {});
    std::memcpy(facp.data(), "FACP", 4);
    EXPECT_TRUE(parse_madt(facp.data(), static_cast<u32>(facp.size()), info).is_error());
}

TEST(Madt, NmiPinsAreFoundByApicIdThroughTheProcessorUid) {
    std::vector<u8> e;
    local_apic(e, 7, 0); // UID 7, APIC ID 0
    local_apic(e, 8, 1);
    append(e, MadtLocalApicNmi{4, 6, 8, 0, 0}); // only UID 8, on LINT0
    const MadtInfo info = parse(make_madt(0xFEE00000, 0, e));
    EXPECT_TRUE(lint_is_nmi(info, 1, 0));
    EXPECT_FALSE(lint_is_nmi(info, 1, 1));
    EXPECT_FALSE(lint_is_nmi(info, 0, 0));

    const MadtInfo qemu = parse(make_madt(0xFEE00000, 0, qemu_entries()));
    for (u32 id = 0; id < 4; ++id) {
        EXPECT_TRUE(lint_is_nmi(qemu, id, 1));
        EXPECT_FALSE(lint_is_nmi(qemu, id, 0));
    }
}
