// acpi_tables.h: the layouts of the ACPI tables Kite reads (ACPI 6.5,
// sections 5.2.5-5.2.8) and their checks, as pure code over bytes that the
// caller has mapped: unit-tested on the host with hostile tables. Nothing
// here reads past the `available` bytes it is given, whatever a table's
// length field says; the caller maps the physical memory (acpi.cpp).
#pragma once

#include "lib/error.h"
#include "lib/string_view.h"

namespace kite::acpi {

// The Root System Description Pointer. Revision 0 (ACPI 1.0) ends after
// rsdt_address (20 bytes, covered by checksum); revision 2 and later add
// the XSDT's 64-bit address, covered by extended_checksum over 36 bytes.
struct [[gnu::packed]] Rsdp {
    char signature[8]; // "RSD PTR "
    u8 checksum;
    char oem_id[6];
    u8 revision;
    u32 rsdt_address;
    u32 length; // revision >= 2: of the whole structure
    u64 xsdt_address;
    u8 extended_checksum;
    u8 reserved[3];
};
static_assert(sizeof(Rsdp) == 36);
static_assert(__builtin_offsetof(Rsdp, revision) == 15);
static_assert(__builtin_offsetof(Rsdp, rsdt_address) == 16);
static_assert(__builtin_offsetof(Rsdp, xsdt_address) == 24);
static_assert(__builtin_offsetof(Rsdp, extended_checksum) == 32);

constexpr usize rsdp_v1_size = 20;
constexpr usize rsdp_v2_size = sizeof(Rsdp);

// The header every System Description Table starts with; length counts
// the header and the checksum byte makes all length bytes sum to 0.
struct [[gnu::packed]] SdtHeader {
    char signature[4];
    u32 length;
    u8 revision;
    u8 checksum;
    char oem_id[6];
    char oem_table_id[8];
    u32 oem_revision;
    u32 creator_id;
    u32 creator_revision;
};
static_assert(sizeof(SdtHeader) == 36);
static_assert(__builtin_offsetof(SdtHeader, length) == 4);
static_assert(__builtin_offsetof(SdtHeader, checksum) == 9);
static_assert(__builtin_offsetof(SdtHeader, oem_revision) == 24);

// The largest table accepted (a DSDT of a big server is a few hundred KiB;
// the tables Kite reads are far smaller). Bounds what a length can make
// the kernel map.
constexpr u32 max_table_length = 1 * MiB;

// The sum of length bytes, mod 256 (0 for a valid table).
[[nodiscard]] u8 checksum(const u8* bytes, usize length);

// Where the root table is: the XSDT (64-bit entries) for revision >= 2
// with a nonzero XSDT address, else the RSDT (32-bit entries).
struct RootPointer {
    u8 revision;
    u64 address; // physical
    bool extended;
};

// Checks an RSDP of which `available` bytes may be read: signature, the
// 20-byte checksum and, for revision >= 2, its length and the extended
// checksum.
[[nodiscard]] ErrorOr<RootPointer> parse_rsdp(const u8* bytes, usize available);

// The offset of the first valid RSDP on a 16-byte boundary of
// [area, area + length) (how the spec says to search the EBDA and the BIOS
// area), or -1.
[[nodiscard]] long find_rsdp(const u8* area, usize length);

// Checks a table: its header fits, its length is at least the header's,
// at most max_table_length and at most `available`, and its checksum.
// Returns its length.
[[nodiscard]] ErrorOr<u32> check_table(const u8* bytes, usize available);

// Whether a table's 4-character signature is `signature`.
[[nodiscard]] bool has_signature(const u8* header, StringView signature);

// The entries of a checked RSDT (4-byte entries) or XSDT (8-byte),
// `length` being its checked length. A trailing partial entry is ignored.
[[nodiscard]] usize root_entry_count(u32 length, bool extended);
[[nodiscard]] u64 root_entry(const u8* table, u32 length, bool extended, usize index);

} // namespace kite::acpi
