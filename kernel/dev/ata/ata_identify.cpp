// ata_identify.cpp: see ata_identify.h. The tests of each bit follow
// Linux's ata_id_* helpers (include/linux/ata.h), so a drive gets the
// same size and commands here as there.
#include "dev/ata/ata_identify.h"

#include "dev/ata/ata_taskfile.h"

namespace kite::ata {

ErrorOr<DriveInfo> parse_identify(const IdentifyData& data) {
    const u16* w = data.words;
    if (w[identify::general] & 0x8000) {
        return Error(Errno::NODEV, "not an ATA device");
    }
    if (!(w[identify::capabilities] & identify::capability_lba)) {
        return Error(Errno::NODEV, "drive without LBA addressing");
    }
    DriveInfo info;
    info.dma = w[identify::capabilities] & identify::capability_dma;
    // Word 83's bits mean something only when its top two bits are 01.
    const u16 sets = w[identify::command_sets];
    const bool sets_valid = (sets & 0xC000) == 0x4000;
    u64 lba48_count = 0;
    for (u32 i = 0; i < 4; ++i) {
        lba48_count |= u64{w[identify::lba48_sectors + i]} << (16 * i);
    }
    info.lba48 = sets_valid && (sets & identify::supports_lba48) && lba48_count != 0;
    info.sectors =
        info.lba48 ? lba48_count
                   : u64{w[identify::lba28_sectors]} | (u64{w[identify::lba28_sectors + 1]} << 16);
    if (info.sectors == 0) {
        return Error(Errno::NODEV, "drive reports no sectors");
    }
    if (sets_valid && info.lba48 && (sets & identify::supports_flush_ext)) {
        info.flush_command = command::flush_cache_ext;
    } else if (sets_valid && (sets & (identify::supports_flush | identify::supports_flush_ext))) {
        info.flush_command = command::flush_cache;
    }
    usize length = 0;
    for (u32 i = 0; i < identify::model_words; ++i) {
        const u16 word = w[identify::model + i];
        info.model[length++] = static_cast<char>(word >> 8);
        info.model[length++] = static_cast<char>(word & 0xFF);
    }
    while (length > 0 && (info.model[length - 1] == ' ' || info.model[length - 1] == '\0')) {
        --length;
    }
    for (usize i = 0; i < length; ++i) {
        if (info.model[i] < 0x20 || info.model[i] > 0x7E) {
            info.model[i] = '?'; // the log line stays printable
        }
    }
    info.model[length] = '\0';
    return info;
}

} // namespace kite::ata
