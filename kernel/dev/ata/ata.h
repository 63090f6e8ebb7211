// ata.h: the ATA disk driver on the PCI IDE controller (QEMU's PIIX3 or
// PIIX4: what -hda and -drive if=ide attach). Each channel's two positions
// are identified; ATA disks get 28- or 48-bit addressing and transfers by
// bus-master DMA, or by PIO with interrupts where DMA is missing or turned
// off with libata.dma=0 (ata_channel.h); packet devices (the CD-ROM) are
// left alone. Disks are named sda, sdb... in position order, primary master
// first, with Linux's numbers (major 8, 16 minors a disk).
#pragma once

namespace kite::ata {

// Claims the first IDE controller on the PCI bus and adds its disks.
// Needs interrupts on: reading the partition tables waits for them.
void probe();

} // namespace kite::ata
