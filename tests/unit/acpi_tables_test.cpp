// acpi_tables_test.cpp: the RSDP, root-table and MCFG parsers of
// kernel/acpi/, with good tables and hostile ones. Every table is built in
// a vector of exactly its bytes, so AddressSanitizer catches any read past
// what the parser was given.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "acpi/acpi_tables.h"
#include "acpi/mcfg.h"

using namespace kite;
using namespace kite::acpi;

namespace {

void fix_checksum(std::vector<u8>& bytes, usize at, usize length) {
    bytes[at] = 0;
    bytes[at] = static_cast<u8>(-checksum(bytes.data(), length));
}

std::vector<u8> make_rsdp(u8 revision, u32 rsdt, u64 xsdt) {
    Rsdp r{};
    std::memcpy(r.signature, "RSD PTR ", 8);
    std::memcpy(r.oem_id, "KITE  ", 6);
    r.revision = revision;
    r.rsdt_address = rsdt;
    r.length = sizeof(Rsdp);
    r.xsdt_address = xsdt;
    std::vector<u8> bytes(revision >= 2 ? sizeof(Rsdp) : rsdp_v1_size);
    std::memcpy(bytes.data(), &r, bytes.size());
    fix_checksum(bytes, __builtin_offsetof(Rsdp, checksum), rsdp_v1_size);
    if (revision >= 2) {
        fix_checksum(bytes, __builtin_offsetof(Rsdp, extended_checksum), sizeof(Rsdp));
    }
    return bytes;
}

// A table with this signature and body, its length and checksum right.
std::vector<u8> make_table(const char* signature, const std::vector<u8>& body) {
    std::vector<u8> bytes(sizeof(SdtHeader) + body.size());
    SdtHeader h{};
    std::memcpy(h.signature, signature, 4);
    h.length = static_cast<u32>(bytes.size());
    h.revision = 1;
    std::memcpy(bytes.data(), &h, sizeof(h));
    std::memcpy(bytes.data() + sizeof(h), body.data(), body.size());
    fix_checksum(bytes, __builtin_offsetof(SdtHeader, checksum), bytes.size());
    return bytes;
}

template <typename T>
void append(std::vector<u8>& out, T value) {
    const usize at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &value, sizeof(T));
}

std::vector<u8> mcfg_body(const std::vector<McfgAllocation>& entries) {
    std::vector<u8> body(8, 0); // reserved
    for (const McfgAllocation& e : entries) {
        append(body, e);
    }
    return body;
}

constexpr u64 max_physical = u64{1} << 52;

} // namespace

TEST(AcpiRsdp, Revision0GivesTheRsdt) {
    const auto bytes = make_rsdp(0, 0x7fe22d0, 0);
    auto root = parse_rsdp(bytes.data(), bytes.size());
    ASSERT_FALSE(root.is_error()) << root.error().what();
    EXPECT_EQ(root.value().address, 0x7fe22d0u);
    EXPECT_FALSE(root.value().extended);
    EXPECT_EQ(root.value().revision, 0);
}

TEST(AcpiRsdp, Revision2GivesTheXsdt) {
    const auto bytes = make_rsdp(2, 0x1000, 0x1'2345'6000);
    auto root = parse_rsdp(bytes.data(), bytes.size());
    ASSERT_FALSE(root.is_error()) << root.error().what();
    EXPECT_EQ(root.value().address, 0x1'2345'6000u);
    EXPECT_TRUE(root.value().extended);
}

TEST(AcpiRsdp, Revision2WithoutAnXsdtFallsBackToTheRsdt) {
    const auto bytes = make_rsdp(2, 0x1000, 0);
    auto root = parse_rsdp(bytes.data(), bytes.size());
    ASSERT_FALSE(root.is_error());
    EXPECT_EQ(root.value().address, 0x1000u);
    EXPECT_FALSE(root.value().extended);
}

TEST(AcpiRsdp, HostileOnesAreRefused) {
    auto bytes = make_rsdp(0, 0x1000, 0);
    EXPECT_TRUE(parse_rsdp(nullptr, 20).is_error());
    EXPECT_TRUE(parse_rsdp(bytes.data(), 19).is_error()) << "shorter than 20 bytes";
    EXPECT_TRUE(parse_rsdp(bytes.data(), 0).is_error());

    auto bad_sum = bytes;
    bad_sum[12] ^= 1;
    EXPECT_TRUE(parse_rsdp(bad_sum.data(), bad_sum.size()).is_error()) << "checksum";

    auto bad_signature = make_rsdp(0, 0x1000, 0);
    bad_signature[0] = 'X';
    fix_checksum(bad_signature, __builtin_offsetof(Rsdp, checksum), rsdp_v1_size);
    EXPECT_TRUE(parse_rsdp(bad_signature.data(), bad_signature.size()).is_error());

    auto no_rsdt = make_rsdp(0, 0, 0);
    EXPECT_TRUE(parse_rsdp(no_rsdt.data(), no_rsdt.size()).is_error());
}

TEST(AcpiRsdp, Revision2IsCheckedWhole) {
    auto v2 = make_rsdp(2, 0x1000, 0x2000);
    // Only the first 20 bytes mapped: the extended part cannot be read.
    EXPECT_TRUE(parse_rsdp(v2.data(), 20).is_error());
    EXPECT_TRUE(parse_rsdp(v2.data(), 35).is_error());

    auto bad_extended = v2;
    bad_extended[__builtin_offsetof(Rsdp, xsdt_address)] ^= 0x10; // not in the 20-byte sum
    EXPECT_TRUE(parse_rsdp(bad_extended.data(), bad_extended.size()).is_error());

    auto short_length = v2;
    short_length[__builtin_offsetof(Rsdp, length)] = 20;
    fix_checksum(short_length, __builtin_offsetof(Rsdp, extended_checksum), sizeof(Rsdp));
    EXPECT_TRUE(parse_rsdp(short_length.data(), short_length.size()).is_error());

    // A huge length field is not followed past the 36 bytes.
    auto huge_length = v2;
    const u32 huge = 0xFFFFFFFF;
    std::memcpy(huge_length.data() + __builtin_offsetof(Rsdp, length), &huge, 4);
    fix_checksum(huge_length, __builtin_offsetof(Rsdp, extended_checksum), sizeof(Rsdp));
    EXPECT_FALSE(parse_rsdp(huge_length.data(), huge_length.size()).is_error());
}

TEST(AcpiRsdp, SearchFindsItOnA16ByteBoundaryOnly) {
    std::vector<u8> area(4096, 0);
    const auto rsdp = make_rsdp(0, 0x1000, 0);
    std::memcpy(area.data() + 0x230, rsdp.data(), rsdp.size());
    EXPECT_EQ(find_rsdp(area.data(), area.size()), 0x230);

    std::vector<u8> misaligned(4096, 0);
    std::memcpy(misaligned.data() + 0x238, rsdp.data(), rsdp.size());
    EXPECT_EQ(find_rsdp(misaligned.data(), misaligned.size()), -1);

    // A signature whose checksum fails is passed over for a later good one.
    std::vector<u8> decoy(4096, 0);
    std::memcpy(decoy.data() + 0x10, "RSD PTR ", 8);
    std::memcpy(decoy.data() + 0x800, rsdp.data(), rsdp.size());
    EXPECT_EQ(find_rsdp(decoy.data(), decoy.size()), 0x800);

    // At the very end: 20 bytes fit, the scan reads no further.
    std::vector<u8> tail(0x100 + 20, 0);
    std::memcpy(tail.data() + 0x100, rsdp.data(), rsdp.size());
    EXPECT_EQ(find_rsdp(tail.data(), tail.size()), 0x100);
    EXPECT_EQ(find_rsdp(tail.data(), tail.size() - 1), -1);
    EXPECT_EQ(find_rsdp(tail.data(), 0), -1);
}

TEST(AcpiTable, AGoodTableIsAccepted) {
    const auto table = make_table("APIC", std::vector<u8>(44, 7));
    auto length = check_table(table.data(), table.size());
    ASSERT_FALSE(length.is_error()) << length.error().what();
    EXPECT_EQ(length.value(), 80u);
    EXPECT_TRUE(has_signature(table.data(), "APIC"));
    EXPECT_FALSE(has_signature(table.data(), "MCFG"));
    EXPECT_FALSE(has_signature(table.data(), "API"));
}

TEST(AcpiTable, HostileTablesAreRefused) {
    auto table = make_table("APIC", std::vector<u8>(44, 7));
    EXPECT_TRUE(check_table(nullptr, 100).is_error());
    EXPECT_TRUE(check_table(table.data(), 35).is_error()) << "header cut";

    auto bad_sum = table;
    bad_sum[50] ^= 1;
    EXPECT_TRUE(check_table(bad_sum.data(), bad_sum.size()).is_error()) << "checksum";

    // A length past the bytes given: refused before summing them.
    auto long_length = table;
    const u32 past = static_cast<u32>(table.size() + 1);
    std::memcpy(long_length.data() + 4, &past, 4);
    EXPECT_TRUE(check_table(long_length.data(), long_length.size()).is_error());
    const u32 huge = 0xFFFFFFFF;
    std::memcpy(long_length.data() + 4, &huge, 4);
    EXPECT_TRUE(check_table(long_length.data(), long_length.size()).is_error());

    // A zero length, and one shorter than the header.
    for (u32 small : {0u, 1u, 35u}) {
        auto t = table;
        std::memcpy(t.data() + 4, &small, 4);
        fix_checksum(t, __builtin_offsetof(SdtHeader, checksum), t.size());
        EXPECT_TRUE(check_table(t.data(), t.size()).is_error()) << small;
    }

    // Longer than any table Kite accepts, even when that much is mapped.
    std::vector<u8> body(max_table_length, 0);
    auto big = make_table("SSDT", body);
    EXPECT_TRUE(check_table(big.data(), big.size()).is_error());
}

TEST(AcpiRootTable, RsdtAndXsdtEntries) {
    std::vector<u8> rsdt_body;
    append<u32>(rsdt_body, 0x7fe1000);
    append<u32>(rsdt_body, 0x7fe2000);
    const auto rsdt = make_table("RSDT", rsdt_body);
    const u32 length = check_table(rsdt.data(), rsdt.size()).value();
    ASSERT_EQ(root_entry_count(length, false), 2u);
    EXPECT_EQ(root_entry(rsdt.data(), length, false, 0), 0x7fe1000u);
    EXPECT_EQ(root_entry(rsdt.data(), length, false, 1), 0x7fe2000u);
    EXPECT_EQ(root_entry(rsdt.data(), length, false, 2), 0u) << "past the last entry";

    // XSDT entries are 8 bytes at offset 36: unaligned.
    std::vector<u8> xsdt_body;
    append<u64>(xsdt_body, 0x1'0000'1000);
    append<u64>(xsdt_body, 0x7fe3000);
    xsdt_body.push_back(0xAA); // a partial entry, ignored
    const auto xsdt = make_table("XSDT", xsdt_body);
    const u32 xlength = check_table(xsdt.data(), xsdt.size()).value();
    ASSERT_EQ(root_entry_count(xlength, true), 2u);
    EXPECT_EQ(root_entry(xsdt.data(), xlength, true, 0), 0x1'0000'1000u);
    EXPECT_EQ(root_entry(xsdt.data(), xlength, true, 1), 0x7fe3000u);

    EXPECT_EQ(root_entry_count(0, true), 0u);
    EXPECT_EQ(root_entry_count(36, false), 0u);
    EXPECT_EQ(root_entry(rsdt.data(), 36, false, 0), 0u);
}

TEST(AcpiMcfg, QemuQ35sAllocation) {
    const auto mcfg = make_table("MCFG", mcfg_body({{0xb0000000, 0, 0, 255, 0}}));
    const u32 length = check_table(mcfg.data(), mcfg.size()).value();
    EXPECT_EQ(length, 60u);
    ASSERT_EQ(mcfg_entry_count(length), 1u);
    auto range = find_ecam(mcfg.data(), length, 0, max_physical);
    ASSERT_FALSE(range.is_error()) << range.error().what();
    EXPECT_EQ(range.value().base, 0xb0000000u);
    EXPECT_EQ(range.value().start_bus, 0);
    EXPECT_EQ(range.value().end_bus, 255);
    EXPECT_TRUE(find_ecam(mcfg.data(), length, 1, max_physical).is_error()) << "segment 1";
}

TEST(AcpiMcfg, BadAllocationsAreSkippedForAGoodOne) {
    const auto mcfg = make_table("MCFG", mcfg_body({
                                             {0xe0000000, 1, 0, 255, 0}, // other segment
                                             {0xe0000000, 0, 9, 3, 0},   // buses reversed
                                             {0xe0080000, 0, 0, 15, 0},  // not 1 MiB aligned
                                             {0, 0, 0, 15, 0},           // no base
                                             {0xFFFFFFFFFFF00000, 0, 0, 255, 0}, // wraps around
                                             {(u64{1} << 52) - MiB, 0, 0, 1, 0}, // past the limit
                                             {0xf0000000, 0, 0, 63, 0},          // good
                                         }));
    const u32 length = check_table(mcfg.data(), mcfg.size()).value();
    ASSERT_EQ(mcfg_entry_count(length), 7u);
    auto range = find_ecam(mcfg.data(), length, 0, max_physical);
    ASSERT_FALSE(range.is_error());
    EXPECT_EQ(range.value().base, 0xf0000000u);
    EXPECT_EQ(range.value().end_bus, 63);
}

TEST(AcpiMcfg, HostileLengthsReadNothingPastTheTable) {
    // No allocation at all, and a table that ends inside the reserved bytes.
    const auto empty = make_table("MCFG", mcfg_body({}));
    EXPECT_EQ(mcfg_entry_count(static_cast<u32>(empty.size())), 0u);
    EXPECT_TRUE(
        find_ecam(empty.data(), static_cast<u32>(empty.size()), 0, max_physical).is_error());
    const auto cut = make_table("MCFG", std::vector<u8>(4, 0));
    EXPECT_EQ(mcfg_entry_count(static_cast<u32>(cut.size())), 0u);
    EXPECT_TRUE(find_ecam(cut.data(), static_cast<u32>(cut.size()), 0, max_physical).is_error());

    // A partial last entry (15 of 16 bytes) is not read.
    auto body = mcfg_body({{0xb0000000, 0, 0, 255, 0}});
    body.resize(body.size() - 1);
    const auto partial = make_table("MCFG", body);
    const u32 length = check_table(partial.data(), partial.size()).value();
    EXPECT_EQ(mcfg_entry_count(length), 0u);
    EXPECT_TRUE(find_ecam(partial.data(), length, 0, max_physical).is_error());
    EXPECT_EQ(mcfg_entry(partial.data(), length, 0).base_address, 0u);

    // The largest length counts entries without overflow (nothing is read).
    EXPECT_EQ(mcfg_entry_count(0xFFFFFFFF), (0xFFFFFFFFull - 44) / 16);

    // Another table's bytes are not an MCFG.
    const auto apic = make_table("APIC", mcfg_body({{0xb0000000, 0, 0, 255, 0}}));
    EXPECT_TRUE(find_ecam(apic.data(), static_cast<u32>(apic.size()), 0, max_physical).is_error());
}
