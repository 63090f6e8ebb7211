// Host tests for kernel/dev/ata/ata_identify.cpp and ata_taskfile.cpp: the
// size, command set and model IDENTIFY data gives (QEMU's words for its
// disks, then edge cases Linux's ata_id_* helpers decide), and the
// registers of 28- and 48-bit transfers.
#include "dev/ata/ata_identify.h"
#include "dev/ata/ata_taskfile.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using namespace kite;
using namespace kite::ata;

// Words as QEMU's ide_identify() fills them for a disk of this many
// sectors (hw/ide/core.c): LBA, and word 83 with LBA48 and both flushes.
IdentifyData qemu_disk(u64 sectors) {
    IdentifyData d{};
    d.words[0] = 0x0040;
    const char* model = "QEMU HARDDISK";
    for (u32 i = 0; i < 40; ++i) {
        const char c = i < std::strlen(model) ? model[i] : ' ';
        u16& w = d.words[27 + i / 2];
        w = static_cast<u16>(i % 2 ? (w | static_cast<u8>(c)) : (static_cast<u8>(c) << 8));
    }
    d.words[49] = 1 << 9 | 1 << 8;
    const u64 lba28 = sectors < (1u << 28) ? sectors : (1u << 28) - 1;
    d.words[60] = static_cast<u16>(lba28);
    d.words[61] = static_cast<u16>(lba28 >> 16);
    d.words[83] = 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10;
    for (u32 i = 0; i < 4; ++i) {
        d.words[100 + i] = static_cast<u16>(sectors >> (16 * i));
    }
    return d;
}

TEST(AtaIdentify, QemuDisks) {
    auto small = parse_identify(qemu_disk(32768));
    ASSERT_FALSE(small.is_error());
    EXPECT_EQ(small.value().sectors, 32768u);
    EXPECT_TRUE(small.value().lba48);
    EXPECT_TRUE(small.value().dma);
    EXPECT_EQ(small.value().flush_command, command::flush_cache_ext);
    EXPECT_STREQ(small.value().model, "QEMU HARDDISK");
    // 200 GiB: words 60-61 stop at 2^28 - 1; the 48-bit count is the size.
    auto big = parse_identify(qemu_disk(419430400));
    ASSERT_FALSE(big.is_error());
    EXPECT_EQ(big.value().sectors, 419430400u);
}

TEST(AtaIdentify, WithoutLba48TheLba28CountCounts) {
    IdentifyData d = qemu_disk(100000);
    d.words[83] = 1 << 14 | 1 << 12; // FLUSH CACHE only
    auto info = parse_identify(d);
    ASSERT_FALSE(info.is_error());
    EXPECT_FALSE(info.value().lba48);
    EXPECT_EQ(info.value().sectors, 100000u);
    EXPECT_EQ(info.value().flush_command, command::flush_cache);
}

TEST(AtaIdentify, Word83IsIgnoredUnlessMarkedValid) {
    IdentifyData d = qemu_disk(100000);
    d.words[83] = 0xFFFF; // bits 15:14 are 11: not a valid word
    auto info = parse_identify(d);
    ASSERT_FALSE(info.is_error());
    EXPECT_FALSE(info.value().lba48);
    EXPECT_EQ(info.value().flush_command, 0);
}

TEST(AtaIdentify, Lba48WithoutACountFallsBackTo28Bits) {
    IdentifyData d = qemu_disk(100000);
    for (u32 i = 100; i < 104; ++i) {
        d.words[i] = 0;
    }
    auto info = parse_identify(d);
    ASSERT_FALSE(info.is_error());
    EXPECT_FALSE(info.value().lba48);
    EXPECT_EQ(info.value().sectors, 100000u);
    EXPECT_EQ(info.value().flush_command, command::flush_cache);
}

TEST(AtaIdentify, RefusesWhatItCannotUse) {
    IdentifyData atapi = qemu_disk(1000);
    atapi.words[0] = 0x85C0;
    EXPECT_EQ(parse_identify(atapi).error().code(), Errno::NODEV);
    IdentifyData chs = qemu_disk(1000);
    chs.words[49] = 0;
    EXPECT_EQ(parse_identify(chs).error().code(), Errno::NODEV);
    IdentifyData empty = qemu_disk(0);
    EXPECT_EQ(parse_identify(empty).error().code(), Errno::NODEV);
}

TEST(AtaIdentify, ModelIsTrimmedAndPrintable) {
    IdentifyData d = qemu_disk(1000);
    d.words[27] = 0x0141; // '\x01' 'A'
    auto info = parse_identify(d);
    ASSERT_FALSE(info.is_error());
    EXPECT_STREQ(info.value().model, "?AMU HARDDISK");
    for (u32 i = 27; i < 47; ++i) {
        d.words[i] = 0x2020;
    }
    EXPECT_STREQ(parse_identify(d).value().model, "");
}

TEST(AtaTaskfile, Lba28WhereTheRangeFits) {
    const Taskfile t = read_write(false, 0x0ABCDEF1, 8, true, false);
    EXPECT_FALSE(t.lba48);
    EXPECT_EQ(t.command, command::read_sectors);
    EXPECT_EQ(t.device, device_lba | 0x0A);
    EXPECT_EQ(t.count[0], 8);
    EXPECT_EQ(t.lba[0], 0xF1);
    EXPECT_EQ(t.lba[1], 0xDE);
    EXPECT_EQ(t.lba[2], 0xBC);
    EXPECT_EQ(command::write_sectors, read_write(true, 0, 1, false, false).command);
}

TEST(AtaTaskfile, Lba48PastTheLast28BitSector) {
    // Linux's rule: the end must be below 2^28, so the range ending at
    // 2^28 - 1 already takes 48 bits.
    EXPECT_FALSE(read_write(false, (1u << 28) - 9, 8, true, false).lba48);
    EXPECT_TRUE(read_write(false, (1u << 28) - 8, 8, true, false).lba48);
    const u64 lba = 419430400 - 8; // 200 GiB's last 4 KiB
    const Taskfile t = read_write(true, lba, 8, true, false);
    EXPECT_TRUE(t.lba48);
    EXPECT_EQ(t.command, command::write_sectors_ext);
    EXPECT_EQ(t.device, device_lba);
    EXPECT_EQ(t.count[0], 8);
    EXPECT_EQ(t.count[1], 0);
    for (u32 i = 0; i < 6; ++i) {
        EXPECT_EQ(t.lba[i], static_cast<u8>(lba >> (8 * i))) << i;
    }
}

TEST(AtaTaskfile, DmaCommands) {
    EXPECT_EQ(read_write(false, 0, 8, true, true).command, command::read_dma);
    EXPECT_EQ(read_write(true, 0, 8, true, true).command, command::write_dma);
    EXPECT_EQ(read_write(false, 1u << 28, 8, true, true).command, command::read_dma_ext);
    EXPECT_EQ(read_write(true, 1u << 28, 8, true, true).command, command::write_dma_ext);
}

TEST(AtaTaskfile, CountsAbove255) {
    const Taskfile t28 = read_write(false, 0, 256, true, false);
    EXPECT_FALSE(t28.lba48);
    EXPECT_EQ(t28.count[0], 0); // 256 in 28 bits
    const Taskfile t48 = read_write(false, 0, 257, true, false);
    EXPECT_TRUE(t48.lba48);
    EXPECT_EQ(t48.count[0], 1);
    EXPECT_EQ(t48.count[1], 1);
}

} // namespace
