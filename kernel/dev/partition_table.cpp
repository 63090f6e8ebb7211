// partition_table.cpp: see partition_table.h.
#include "dev/partition_table.h"

namespace kite::partitions {

u32 crc32(const u8* data, usize length) {
    u32 crc = 0xFFFFFFFF;
    for (usize i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
        }
    }
    return ~crc;
}

Kind read_mbr(const u8 (&sector0)[512], u64 disk_sectors, Partition (&out)[4]) {
    Mbr mbr;
    __builtin_memcpy(&mbr, sector0, sizeof(mbr));
    for (Partition& p : out) {
        p = {0, 0, 0};
    }
    if (mbr.signature != 0xAA55) {
        return Kind::None;
    }
    bool any = false;
    for (usize i = 0; i < 4; ++i) {
        const MbrEntry& e = mbr.entries[i];
        if (e.type == mbr_type_protective_gpt) {
            return Kind::Gpt;
        }
        if (e.status != 0 && e.status != 0x80) {
            return Kind::None; // a boot sector that is not a partition table
        }
        if (e.type == 0 || e.sector_count == 0 || e.type == mbr_type_extended_chs ||
            e.type == mbr_type_extended_lba) {
            continue;
        }
        if (e.first_lba == 0 || e.first_lba >= disk_sectors ||
            e.sector_count > disk_sectors - e.first_lba) {
            continue; // past the end of the disk
        }
        out[i] = {static_cast<u32>(i + 1), e.first_lba, e.sector_count};
        any = true;
    }
    return any ? Kind::Mbr : Kind::None;
}

bool check_gpt_header(const u8 (&sector1)[512], u64 disk_sectors, GptHeader& out) {
    __builtin_memcpy(&out, sector1, sizeof(out));
    if (__builtin_memcmp(out.signature, "EFI PART", 8) != 0 ||
        out.header_size < sizeof(GptHeader) || out.header_size > 512) {
        return false;
    }
    u8 copy[512];
    __builtin_memcpy(copy, sector1, out.header_size);
    __builtin_memset(copy + 16, 0, 4); // the CRC is computed with its own field zero
    if (crc32(copy, out.header_size) != out.header_crc32) {
        return false;
    }
    if (out.entry_size < sizeof(GptEntry) || out.entry_size % sizeof(GptEntry) != 0 ||
        out.entry_size > 4096 || out.entry_count == 0 || out.entry_count > 1024) {
        return false;
    }
    const u64 bytes = u64{out.entry_count} * out.entry_size;
    const u64 sectors = (bytes + 511) / 512;
    return out.entries_lba >= 2 && out.entries_lba < disk_sectors &&
           sectors <= disk_sectors - out.entries_lba &&
           out.first_usable_lba <= out.last_usable_lba && out.last_usable_lba < disk_sectors;
}

int read_gpt_entries(const GptHeader& header, const u8* entries, usize length,
                     Partition (&out)[max_partitions]) {
    const u64 bytes = u64{header.entry_count} * header.entry_size;
    if (length < bytes || crc32(entries, bytes) != header.entries_crc32) {
        return -1;
    }
    int found = 0;
    for (u32 i = 0; i < header.entry_count && found < static_cast<int>(max_partitions); ++i) {
        GptEntry e;
        __builtin_memcpy(&e, entries + u64{i} * header.entry_size, sizeof(e));
        bool used = false;
        for (u8 byte : e.type_guid) {
            used |= byte != 0;
        }
        if (!used || e.first_lba < header.first_usable_lba || e.last_lba < e.first_lba ||
            e.last_lba > header.last_usable_lba) {
            continue;
        }
        out[found++] = {i + 1, e.first_lba, e.last_lba - e.first_lba + 1};
    }
    return found;
}

} // namespace kite::partitions
