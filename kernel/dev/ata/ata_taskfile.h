// ata_taskfile.h: the register values of the commands the driver issues
// (ACS-3; ATA8-APT for the registers). A read or write uses the 28-bit
// commands when its range fits in them, as Linux does (fewer register
// writes), and the 48-bit EXT ones otherwise. Pure: the host unit tests
// check it (tests/unit/ata_test.cpp).
#pragma once

#include "lib/types.h"

namespace kite::ata {

namespace command {
constexpr u8 read_sectors = 0x20;
constexpr u8 read_sectors_ext = 0x24;
constexpr u8 write_sectors = 0x30;
constexpr u8 write_sectors_ext = 0x34;
constexpr u8 read_dma = 0xC8;
constexpr u8 read_dma_ext = 0x25;
constexpr u8 write_dma = 0xCA;
constexpr u8 write_dma_ext = 0x35;
constexpr u8 flush_cache = 0xE7;
constexpr u8 flush_cache_ext = 0xEA;
constexpr u8 identify_device = 0xEC;
} // namespace command

// What one command moves at most: 64 KiB, well under both command sets'
// limits (256 and 65536 sectors); longer requests take several commands.
constexpr u32 max_sectors_per_command = 128;

// The device register's bits: 0xA0 are obsolete bits that old drives want
// set, 0x40 selects LBA addressing, 0x10 the second drive on the cable.
constexpr u8 device_obsolete = 0xA0;
constexpr u8 device_lba = 0x40;
constexpr u8 device_slave = 0x10;

struct Taskfile {
    u8 command = 0;
    u8 device = 0;      // LBA mode and, for 28 bits, address bits 24-27 (no drive bit)
    bool lba48 = false; // the "previous" bytes below go in first
    u8 count[2] = {};   // sector count: [0] the low byte, [1] the high (48-bit only)
    u8 lba[6] = {};     // address bytes: [0..2] low/mid/high, [3..5] the 48-bit high ones
};

// A transfer of sectors (1 to max_sectors_per_command) from lba, by PIO
// or by DMA. The caller has checked that the range is on the drive (a
// drive without LBA48 has fewer than 2^28 sectors).
[[nodiscard]] Taskfile read_write(bool writing, u64 lba, u32 sectors, bool drive_has_lba48,
                                  bool dma);

// A command without an address (a flush, IDENTIFY).
[[nodiscard]] Taskfile plain(u8 command);

} // namespace kite::ata
