// ata_channel.h: one ATA channel, a cable with up to two drives. The
// drives share the channel's registers, so one command runs at a time:
// requests wait in the channel's queue and are done in order by the
// channel's kernel thread ("ata0", "ata1"), which issues each command and
// sleeps. The interrupt handler moves each sector's data by PIO (256
// words through the data port, as Linux's PIO does it in the interrupt)
// and wakes the thread when the command ends. Where the controller and
// the drive can, and the memory is below 4 GiB, a command moves its data
// by bus-master DMA instead: one interrupt at its end.
//
// Every wait has a deadline: a drive that stops answering fails its
// request with EIO and the channel is reset; a missing drive is found out
// at probe time without waiting at all (its status reads 0, or 0xFF where
// nothing decodes the ports).
#pragma once

#include "dev/ata/ata_identify.h"
#include "dev/ata/ata_taskfile.h"
#include "dev/block_device.h"

namespace kite::ata {

// What a queued request needs to know of its drive.
struct Drive {
    u8 position = 0; // 0: master, 1: slave
    bool lba48 = false;
    bool dma = false;     // the drive takes DMA commands (and the channel has DMA)
    u8 flush_command = 0; // 0: nothing to flush
};

class Channel {
  public:
    struct Ports {
        u16 command;    // the command block's first port
        u16 control;    // the alternate status / device control port
        u16 bus_master; // the channel's DMA registers; 0: none
        u8 irq;
    };

    // First: the channel's number (for its thread's name) and ports. The
    // drives' interrupts stay off until start().
    void init(u8 number, Ports ports);
    // Whether anything decodes the ports (a floating bus reads 0xFF).
    [[nodiscard]] bool present() const;
    // IDENTIFY DEVICE, polled (probe time, before start). NXIO for an
    // empty position; NODEV, with a message saying why, for a device that
    // is not a usable ATA disk (ATAPI: the CD-ROM).
    [[nodiscard]] ErrorOr<DriveInfo> identify(u8 position);
    // Installs the interrupt handler, starts the thread and lets the
    // drives interrupt; sets up DMA if the ports include bus-master ones
    // (has_dma() says whether that worked).
    [[nodiscard]] ErrorOr<void> start();
    [[nodiscard]] bool has_dma() const { return m_ports.bus_master != 0; }
    // Queues the request (waiting while the queue is full); the channel's
    // thread completes it.
    void queue(BlockRequest& request, Drive drive);

  private:
    struct Queued {
        BlockRequest* request;
        Drive drive;
    };
    static constexpr u32 queue_size = 16;

    // The command in progress, shared with the interrupt handler, which
    // acts only in phases Interrupts (PIO) and Dma. A PIO write's first
    // sector is the thread's to send (the drive asks for it without an
    // interrupt).
    enum class Phase : u8 { Idle, FirstWrite, Interrupts, Dma, Done };
    struct Command {
        Phase phase = Phase::Idle;
        bool writing = false;
        u8* data = nullptr; // the next sector's bytes
        u32 left = 0;       // sectors still to move
        Errno status = Errno(0);
    };

    [[noreturn]] void run();
    [[nodiscard]] Errno perform(const Queued& queued);
    // One command's data: sectors at memory (none for a flush).
    struct Transfer {
        bool writing = false;
        bool dma = false;
        PhysAddr memory;
        u32 sectors = 0;
    };
    [[nodiscard]] Errno execute(Drive drive, const Taskfile& taskfile, const Transfer& transfer);
    void fill_prd_table(PhysAddr memory, u32 bytes);
    void stop_dma();
    void dma_interrupt_locked(u8 drive_status);
    static void interrupt(void* context);
    void interrupt_locked();
    void finish_locked(Errno status);

    void select(u8 position);
    void load(const Taskfile& taskfile, u8 position);
    [[nodiscard]] u8 alternate_status() const;
    void delay_400ns() const;
    // Polls the alternate status until BSY clears: the status then.
    [[nodiscard]] ErrorOr<u8> wait_not_busy(u64 timeout_ns) const;
    void reset();

    u8 m_number = 0;
    Ports m_ports{};
    u8 m_control = 0;     // what the device control register holds
    u8 m_selected = 0xFF; // the position the device register selects (0xFF: unknown)
    PhysAddr m_prd_table; // a frame below 4 GiB, when the channel does DMA

    // Guards the queue and m_command; the interrupt handler takes it.
    Spinlock m_lock{"ata channel", LockRank::BlockQueue};
    Queued m_queue[queue_size] = {};
    u32 m_head = 0;
    u32 m_queued = 0;
    WaitQueue m_work; // the thread, waiting for a request
    WaitQueue m_room; // submitters, waiting for room in the queue
    WaitQueue m_end;  // the thread, waiting for the command's end
    Command m_command;
};

} // namespace kite::ata
