// ata_identify.h: what a drive's IDENTIFY DEVICE data (ACS-3 7.12.7)
// says about it, in the terms the driver needs: its size, whether it takes
// 48-bit addresses, how to flush its cache, and its model for the log.
// Pure: the host unit tests check it (tests/unit/ata_test.cpp).
#pragma once

#include "lib/error.h"

namespace kite::ata {

// The 256 little-endian words the drive sends for IDENTIFY DEVICE.
struct IdentifyData {
    u16 words[256];
};
static_assert(sizeof(IdentifyData) == 512);

// The words and bits read here.
namespace identify {
constexpr u32 general = 0;         // bit 15 set: not an ATA device
constexpr u32 model = 27;          // 40 characters in words 27-46, high byte first
constexpr u32 model_words = 20;    //
constexpr u32 capabilities = 49;   // bit 9: LBA
constexpr u32 lba28_sectors = 60;  // words 60-61
constexpr u32 command_sets = 83;   // valid when bits 15:14 are 01
constexpr u32 lba48_sectors = 100; // words 100-103
constexpr u16 capability_dma = 1 << 8;
constexpr u16 capability_lba = 1 << 9;
constexpr u16 supports_lba48 = 1 << 10;
constexpr u16 supports_flush = 1 << 12;
constexpr u16 supports_flush_ext = 1 << 13;
} // namespace identify

struct DriveInfo {
    u64 sectors = 0;
    bool lba48 = false;   // takes READ/WRITE SECTORS EXT and 48-bit addresses
    bool dma = false;     // takes READ/WRITE DMA (EXT)
    u8 flush_command = 0; // FLUSH CACHE (EXT); 0: the drive has neither
    char model[41] = {};  // trailing spaces removed
};

// The drive as IDENTIFY describes it; NODEV for what this driver cannot
// use (not an ATA device, a CHS-only drive, no sectors).
[[nodiscard]] ErrorOr<DriveInfo> parse_identify(const IdentifyData& data);

} // namespace kite::ata
