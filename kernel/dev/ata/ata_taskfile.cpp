// ata_taskfile.cpp: see ata_taskfile.h.
#include "dev/ata/ata_taskfile.h"

namespace kite::ata {

namespace {

// Linux's lba_28_ok: the end must stay below 2^28 (some drives refuse the
// last 28-bit address), and a count of 256 is written as 0.
bool fits_lba28(u64 lba, u32 sectors) {
    return lba + sectors < (u64{1} << 28) && sectors <= 256;
}

} // namespace

Taskfile read_write(bool writing, u64 lba, u32 sectors, bool drive_has_lba48, bool dma) {
    Taskfile t;
    t.lba48 = drive_has_lba48 && !fits_lba28(lba, sectors);
    if (t.lba48) {
        t.command = dma ? (writing ? command::write_dma_ext : command::read_dma_ext)
                        : (writing ? command::write_sectors_ext : command::read_sectors_ext);
        t.device = device_lba;
        t.count[1] = static_cast<u8>(sectors >> 8);
        for (u32 i = 3; i < 6; ++i) {
            t.lba[i] = static_cast<u8>(lba >> (8 * i));
        }
    } else {
        t.command = dma ? (writing ? command::write_dma : command::read_dma)
                        : (writing ? command::write_sectors : command::read_sectors);
        t.device = static_cast<u8>(device_lba | ((lba >> 24) & 0x0F));
    }
    t.count[0] = static_cast<u8>(sectors); // 256 sectors in 28 bits: 0
    for (u32 i = 0; i < 3; ++i) {
        t.lba[i] = static_cast<u8>(lba >> (8 * i));
    }
    return t;
}

Taskfile plain(u8 command) {
    Taskfile t;
    t.command = command;
    return t;
}

} // namespace kite::ata
