// ata_registers.h: a channel's I/O ports (ATA8-APT 5.2). The command
// block (8 ports) takes the taskfile and the data; the control block's one
// port reads the status without acknowledging an interrupt and writes the
// device control bits (interrupt enable, software reset).
#pragma once

#include "lib/types.h"

namespace kite::ata {

// Offsets in the command block.
namespace reg {
constexpr u16 data = 0;     // 16 bits: the sector data, 256 words a sector
constexpr u16 error = 1;    // read; features when written
constexpr u16 count = 2;    //
constexpr u16 lba_low = 3;  //
constexpr u16 lba_mid = 4;  // with lba_high: an ATAPI or SATA signature after reset or IDENTIFY
constexpr u16 lba_high = 5; //
constexpr u16 device = 6;   // drive select and LBA mode (ata_taskfile.h)
constexpr u16 status = 7;   // read: reading it acknowledges the drive's interrupt
constexpr u16 command = 7;  // written
} // namespace reg

namespace status {
constexpr u8 error = 0x01;        // ERR: the error register says why
constexpr u8 data_request = 0x08; // DRQ: a sector of data is ready to move
constexpr u8 device_fault = 0x20; // DF
constexpr u8 ready = 0x40;        // DRDY
constexpr u8 busy = 0x80;         // BSY: every other bit is meaningless while set
} // namespace status

namespace control {
constexpr u8 interrupts_off = 0x02; // nIEN: the drive asserts no interrupt
constexpr u8 reset = 0x04;          // SRST: resets both drives on the channel
} // namespace control

// The controller's bus-master DMA registers (SFF-8038i), BAR4: eight
// ports a channel, the primary's first.
namespace bus_master {
constexpr u16 channel_stride = 8;
constexpr u16 command = 0; // start, and the direction
constexpr u16 status = 2;  // interrupt and error are cleared by writing 1
constexpr u16 table = 4;   // 32 bits: the physical address of the PRD table
constexpr u8 start = 0x01;
constexpr u8 to_memory = 0x08; // the controller writes memory (a read from the disk)
constexpr u8 status_error = 0x02;
constexpr u8 status_interrupt = 0x04;
} // namespace bus_master

// One physical region of a DMA transfer. A region may not cross a 64 KiB
// boundary; 0 bytes means 64 KiB. The table is 4-byte aligned and lies,
// as the regions do, below 4 GiB.
struct PrdEntry {
    u32 address;
    u16 bytes;
    u16 flags; // bit 15: the last region
};
static_assert(sizeof(PrdEntry) == 8);
constexpr u16 prd_last = 0x8000;

// Signatures left in lba_mid/lba_high by a device that is not an ATA disk.
constexpr u8 atapi_signature[2] = {0x14, 0xEB};
constexpr u8 sata_signature[2] = {0x3C, 0xC3};

// Legacy (compatibility-mode) channels: what a PCI IDE controller decodes
// when its programming interface says so, and the ISA interrupts.
constexpr u16 primary_command = 0x1F0;
constexpr u16 primary_control = 0x3F6;
constexpr u8 primary_irq = 14;
constexpr u16 secondary_command = 0x170;
constexpr u16 secondary_control = 0x376;
constexpr u8 secondary_irq = 15;
// A native-mode channel's control port is at this offset in its BAR.
constexpr u16 native_control_offset = 2;

} // namespace kite::ata
