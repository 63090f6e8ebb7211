// partition_table.h: reading a disk's partition table, MBR or GPT, as pure
// code (unit-tested on the host with hostile tables). Every entry is
// checked against the disk's size; a bad table yields no partitions, a bad
// entry is skipped. Extended (logical) MBR partitions are not read.
#pragma once

#include "lib/types.h"

namespace kite::partitions {

struct [[gnu::packed]] MbrEntry {
    u8 status;
    u8 chs_first[3];
    u8 type;
    u8 chs_last[3];
    u32 first_lba;
    u32 sector_count;
};
static_assert(sizeof(MbrEntry) == 16);

struct [[gnu::packed]] Mbr {
    u8 boot_code[446];
    MbrEntry entries[4];
    u16 signature; // 0xAA55
};
static_assert(sizeof(Mbr) == 512);
static_assert(__builtin_offsetof(Mbr, entries) == 446);

struct [[gnu::packed]] GptHeader {
    char signature[8]; // "EFI PART"
    u32 revision;
    u32 header_size;
    u32 header_crc32;
    u32 reserved;
    u64 current_lba;
    u64 backup_lba;
    u64 first_usable_lba;
    u64 last_usable_lba;
    u8 disk_guid[16];
    u64 entries_lba;
    u32 entry_count;
    u32 entry_size;
    u32 entries_crc32;
};
static_assert(sizeof(GptHeader) == 92);

struct [[gnu::packed]] GptEntry {
    u8 type_guid[16]; // all zero: unused
    u8 unique_guid[16];
    u64 first_lba;
    u64 last_lba; // inclusive
    u64 attributes;
    u16 name[36];
};
static_assert(sizeof(GptEntry) == 128);

constexpr u8 mbr_type_extended_chs = 0x05;
constexpr u8 mbr_type_extended_lba = 0x0F;
constexpr u8 mbr_type_protective_gpt = 0xEE;

struct Partition {
    u32 number; // what Linux names it by: vda<number> (the MBR slot or GPT entry, from 1)
    u64 first_sector;
    u64 sector_count;
};

constexpr usize max_partitions = 16;

// What sector 0 says: no table, an MBR's partitions (in out, numbered by
// their slot: out[i].sector_count 0 for an empty slot), or a GPT to read.
enum class Kind : u8 { None, Mbr, Gpt };
[[nodiscard]] Kind read_mbr(const u8 (&sector0)[512], u64 disk_sectors, Partition (&out)[4]);

// A GPT header (sector 1): whether it is valid for this disk (signature,
// size, CRC, entry array inside the disk, entry size a multiple of 128).
[[nodiscard]] bool check_gpt_header(const u8 (&sector1)[512], u64 disk_sectors, GptHeader& out);

// The GPT entry array, read whole (entry_count * entry_size bytes): its CRC
// must match; used entries inside the usable area go to out in table
// order, at most max_partitions (each numbered by its entry's index). Returns how many, or -1 for a
// bad array.
[[nodiscard]] int read_gpt_entries(const GptHeader& header, const u8* entries, usize length,
                                   Partition (&out)[max_partitions]);

[[nodiscard]] u32 crc32(const u8* data, usize length);

} // namespace kite::partitions
