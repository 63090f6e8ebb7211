// partition_table_test.cpp: MBR and GPT parsing, with good and hostile tables.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dev/partition_table.h"

using namespace kite;
using namespace kite::partitions;

namespace {

void set_mbr_entry(u8 (&sector)[512], int slot, u8 type, u32 first, u32 count, u8 status = 0) {
    MbrEntry e{};
    e.status = status;
    e.type = type;
    e.first_lba = first;
    e.sector_count = count;
    std::memcpy(sector + 446 + 16 * slot, &e, sizeof(e));
    sector[510] = 0x55;
    sector[511] = 0xAA;
}

// A disk image's first sectors with a GPT of `entries` entries.
struct Gpt {
    u8 header[512] = {};
    std::vector<u8> entries;
};

Gpt make_gpt(u64 disk_sectors, u32 count, std::vector<std::pair<u64, u64>> used) {
    Gpt gpt;
    gpt.entries.assign(count * 128, 0);
    for (size_t i = 0; i < used.size(); ++i) {
        GptEntry e{};
        if (used[i].first) {
            e.type_guid[0] = 0xAF;
            e.first_lba = used[i].first;
            e.last_lba = used[i].second;
        }
        std::memcpy(gpt.entries.data() + i * 128, &e, sizeof(e));
    }
    GptHeader h{};
    std::memcpy(h.signature, "EFI PART", 8);
    h.revision = 0x10000;
    h.header_size = 92;
    h.current_lba = 1;
    h.backup_lba = disk_sectors - 1;
    h.first_usable_lba = 34;
    h.last_usable_lba = disk_sectors - 34;
    h.entries_lba = 2;
    h.entry_count = count;
    h.entry_size = 128;
    h.entries_crc32 = crc32(gpt.entries.data(), gpt.entries.size());
    std::memcpy(gpt.header, &h, sizeof(h));
    h.header_crc32 = crc32(gpt.header, 92);
    std::memcpy(gpt.header, &h, sizeof(h));
    return gpt;
}

} // namespace

TEST(PartitionTable, Crc32MatchesTheStandardCheckValue) {
    const char* text = "123456789";
    EXPECT_EQ(crc32(reinterpret_cast<const u8*>(text), 9), 0xCBF43926u);
}

TEST(PartitionTable, MbrPrimaryPartitionsKeepTheirSlotNumbers) {
    u8 sector[512] = {};
    set_mbr_entry(sector, 0, 0x83, 2048, 1000, 0x80);
    set_mbr_entry(sector, 2, 0x83, 4096, 500);
    Partition out[4];
    ASSERT_EQ(read_mbr(sector, 100000, out), Kind::Mbr);
    EXPECT_EQ(out[0].number, 1u);
    EXPECT_EQ(out[0].first_sector, 2048u);
    EXPECT_EQ(out[0].sector_count, 1000u);
    EXPECT_EQ(out[1].sector_count, 0u);
    EXPECT_EQ(out[2].number, 3u);
    EXPECT_EQ(out[2].first_sector, 4096u);
}

TEST(PartitionTable, MbrEntriesPastTheDiskAreSkipped) {
    u8 sector[512] = {};
    set_mbr_entry(sector, 0, 0x83, 2048, 0xFFFFFFFF);
    set_mbr_entry(sector, 1, 0x83, 99999, 2);
    Partition out[4];
    EXPECT_EQ(read_mbr(sector, 100000, out), Kind::None);
}

TEST(PartitionTable, NoSignatureOrBadStatusIsNoTable) {
    u8 sector[512] = {};
    Partition out[4];
    EXPECT_EQ(read_mbr(sector, 100000, out), Kind::None);
    set_mbr_entry(sector, 0, 0x83, 2048, 100, 0x12); // not 0 or 0x80: a boot sector's code
    EXPECT_EQ(read_mbr(sector, 100000, out), Kind::None);
}

TEST(PartitionTable, GptIsReadAndNumberedByEntry) {
    u8 mbr[512] = {};
    set_mbr_entry(mbr, 0, mbr_type_protective_gpt, 1, 0xFFFFFFFF);
    Partition slots[4];
    ASSERT_EQ(read_mbr(mbr, 100000, slots), Kind::Gpt);
    Gpt gpt = make_gpt(100000, 128, {{2048, 4095}, {0, 0}, {8192, 9999}});
    GptHeader header;
    ASSERT_TRUE(check_gpt_header(gpt.header, 100000, header));
    Partition out[max_partitions];
    ASSERT_EQ(read_gpt_entries(header, gpt.entries.data(), gpt.entries.size(), out), 2);
    EXPECT_EQ(out[0].number, 1u);
    EXPECT_EQ(out[0].first_sector, 2048u);
    EXPECT_EQ(out[0].sector_count, 2048u);
    EXPECT_EQ(out[1].number, 3u);
    EXPECT_EQ(out[1].sector_count, 1808u);
}

TEST(PartitionTable, GptWithBadCrcsOrBoundsIsRefused) {
    Gpt gpt = make_gpt(100000, 128, {{2048, 4095}});
    GptHeader header;
    u8 corrupt[512];
    std::memcpy(corrupt, gpt.header, 512);
    corrupt[40] ^= 1; // first usable LBA: the header CRC no longer matches
    EXPECT_FALSE(check_gpt_header(corrupt, 100000, header));
    EXPECT_FALSE(check_gpt_header(gpt.header, 20, header)); // entries past the disk
    ASSERT_TRUE(check_gpt_header(gpt.header, 100000, header));
    gpt.entries[5] ^= 1;
    Partition out[max_partitions];
    EXPECT_EQ(read_gpt_entries(header, gpt.entries.data(), gpt.entries.size(), out), -1);
    EXPECT_EQ(read_gpt_entries(header, gpt.entries.data(), 100, out), -1); // too short
}

TEST(PartitionTable, GptEntriesOutsideTheUsableAreaAreSkipped) {
    Gpt gpt = make_gpt(100000, 4, {{10, 20}, {5000, 4000}, {2048, 99999}, {2048, 3000}});
    GptHeader header;
    ASSERT_TRUE(check_gpt_header(gpt.header, 100000, header));
    Partition out[max_partitions];
    ASSERT_EQ(read_gpt_entries(header, gpt.entries.data(), gpt.entries.size(), out), 1);
    EXPECT_EQ(out[0].number, 4u);
}

TEST(PartitionTable, RandomSectorsNeverCrash) {
    u32 seed = 12345;
    auto next = [&] { return seed = seed * 1103515245 + 12345; };
    for (int round = 0; round < 20000; ++round) {
        u8 sector[512];
        for (u8& b : sector) {
            b = static_cast<u8>(next() >> 16);
        }
        if (round & 1) {
            sector[510] = 0x55;
            sector[511] = 0xAA;
            std::memcpy(sector, "EFI PART", 8);
        }
        Partition out[4];
        (void)read_mbr(sector, 1 + next() % 100000, out);
        for (const Partition& p : out) {
            EXPECT_TRUE(p.sector_count == 0 || p.first_sector > 0);
        }
        GptHeader header;
        if (check_gpt_header(sector, 1 + next() % 100000, header)) {
            ADD_FAILURE() << "a random header passed its CRC";
        }
    }
}
