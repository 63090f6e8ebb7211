// block_device.h: a disk or one of its partitions, whatever the driver
// behind it (virtio-blk, ATA). Transfers move whole 512-byte sectors
// between the device and physically contiguous memory (page frames, so
// drivers can hand the address straight to DMA). A request is submitted
// and completes later, from the driver's interrupt: several can be in
// flight, and the synchronous helpers below submit one and wait.
#pragma once

#include "lib/error.h"
#include "lib/ref_ptr.h"
#include "sched/scheduler.h"
#include "sync/spinlock.h"

namespace kite {

constexpr u32 sector_size = 512;

// The end of one request, which the driver reports (from any context,
// interrupts included) and the submitter waits for.
class BlockCompletion {
  public:
    void complete(Errno status);
    // Blocks (not interruptibly: the device still writes the memory) until
    // the request is done; its result.
    [[nodiscard]] ErrorOr<void> wait();
    [[nodiscard]] bool is_done() const;

  private:
    mutable Spinlock m_lock{"block completion", LockRank::BlockCompletion};
    WaitQueue m_waiters;
    bool m_done = false;
    Errno m_status = Errno(0);
};

struct BlockRequest {
    enum class Op : u8 { Read, Write, Flush };
    Op op = Op::Read;
    u64 sector = 0;  // first sector (of this device: a partition adds its start)
    PhysAddr memory; // physically contiguous, bytes long
    u32 bytes = 0;   // a multiple of sector_size; 0 for a flush
    BlockCompletion completion;
};

class BlockDevice : public RefCounted<BlockDevice> {
  public:
    virtual ~BlockDevice() = default;

    // "vda", "sda", "vda1": its name under /dev.
    [[nodiscard]] const char* name() const { return m_name; }
    [[nodiscard]] u64 sector_count() const { return m_sectors; }
    [[nodiscard]] bool is_read_only() const { return m_read_only; }
    // Linux's dev_t encoding ((major << 8) | minor, for minors below 256).
    [[nodiscard]] u64 device_number() const { return m_number; }

    // A mounted file system holds its disk (or partition) alone: a second
    // mount of it is EBUSY, as on Linux.
    [[nodiscard]] bool try_claim() {
        bool expected = false;
        return __atomic_compare_exchange_n(&m_claimed, &expected, true, false, __ATOMIC_ACQ_REL,
                                           __ATOMIC_RELAXED);
    }
    void unclaim() { __atomic_store_n(&m_claimed, false, __ATOMIC_RELEASE); }

    // Queues the request, or fails at once (a range past the end: EIO,
    // as Linux answers a read there; a write to a read-only disk: EROFS).
    // The request must stay alive until its completion is done.
    [[nodiscard]] ErrorOr<void> submit(BlockRequest& request);

    // Submit and wait.
    [[nodiscard]] ErrorOr<void> read(u64 sector, PhysAddr memory, u32 bytes);
    [[nodiscard]] ErrorOr<void> write(u64 sector, PhysAddr memory, u32 bytes);
    [[nodiscard]] ErrorOr<void> flush();

  protected:
    BlockDevice(const char* name, u64 sectors, bool read_only, u64 number);
    // The driver's part of submit, with the request checked against the
    // device's size.
    [[nodiscard]] virtual ErrorOr<void> start(BlockRequest& request) = 0;

  private:
    char m_name[16];
    u64 m_sectors;
    bool m_read_only;
    u64 m_number;
    bool m_claimed = false;
};

namespace block_devices {

// Makes a disk known: it gets a /dev node, and its partitions (MBR or GPT)
// are found and get theirs. Called by drivers as they find disks.
void add_disk(RefPtr<BlockDevice> disk);
// The device with this /dev name, or null.
[[nodiscard]] RefPtr<BlockDevice> find(StringView name);
// By device number (a mknod'ed block node), or null.
[[nodiscard]] RefPtr<BlockDevice> find(u64 number);

} // namespace block_devices

} // namespace kite
