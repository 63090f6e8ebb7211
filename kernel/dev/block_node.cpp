// block_node.cpp: see block_node.h.
#include "dev/block_node.h"

#include "mm/direct_map.h"
#include "mm/page.h"
#include "mm/physical.h"
#include "proc/signal_pending.h"
#include "sync/mutex.h"

namespace kite {

namespace {

// Linux's block ioctls (include/uapi/linux/fs.h).
constexpr u64 blkrogetd = 0x125E;        // BLKROGET: int, 1 if read-only
constexpr u64 blkgetsize = 0x1260;       // BLKGETSIZE: unsigned long, 512-byte sectors
constexpr u64 blkflsbuf = 0x1261;        // BLKFLSBUF: flush
constexpr u64 blksszget = 0x1268;        // BLKSSZGET: int, logical sector size
constexpr u64 blkgetsize64 = 0x80081272; // BLKGETSIZE64: u64, bytes
constexpr u64 blkpbszget = 0x127B;       // BLKPBSZGET: unsigned int, physical sector size

class BlockNode final : public Vnode {
  public:
    explicit BlockNode(RefPtr<BlockDevice> device)
        : Vnode(VnodeType::BlockDevice, 0660), m_device(move(device)) {}

    u64 device_number() const override { return m_device->device_number(); }
    bool is_read_only() const override { return m_device->is_read_only(); }
    bool can_sync() const override { return true; }
    ErrorOr<void> sync() override { return m_device->flush(); }
    bool is_pollable() const override { return false; }
    BlockDevice& device() { return *m_device; }

    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        return transfer(offset, to, length, false);
    }
    ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length) override {
        MutexGuard guard(m_write_lock); // two partial-sector writes must not interleave
        return transfer(offset, from, length, true);
    }

    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override {
        const IoBuffer out = IoBuffer::user(argument);
        const u64 bytes = m_device->sector_count() * sector_size;
        switch (request) {
        case blkgetsize64:
            TRY(out.write(0, &bytes, sizeof(bytes)));
            return i64{0};
        case blkgetsize: {
            const u64 sectors = m_device->sector_count();
            TRY(out.write(0, &sectors, sizeof(sectors)));
            return i64{0};
        }
        case blksszget:
        case blkpbszget: {
            const int size = sector_size;
            TRY(out.write(0, &size, sizeof(size)));
            return i64{0};
        }
        case blkrogetd: {
            const int read_only = m_device->is_read_only();
            TRY(out.write(0, &read_only, sizeof(read_only)));
            return i64{0};
        }
        case blkflsbuf:
            TRY(m_device->flush());
            return i64{0};
        default:
            return Vnode::ioctl(request, argument);
        }
    }

  private:
    // Page by page through one bounce frame. Reads stop at the end of the
    // device (0: end of file); a write there is ENOSPC, as on Linux.
    ErrorOr<usize> transfer(u64 offset, const IoBuffer& buffer, usize length, bool writing) {
        const u64 end = m_device->sector_count() * sector_size;
        if (offset >= end) {
            if (writing && length) {
                return Error(Errno::NOSPC, "past the end of the device");
            }
            return usize{0};
        }
        length = static_cast<usize>(min<u64>(length, end - offset));
        const PhysAddr frame = TRY(physical::allocate(0));
        u8* bounce = phys_to_virt<u8>(frame);
        usize done = 0;
        ErrorOr<void> result;
        while (done < length) {
            const u64 at = offset + done;
            const u64 first = at & ~u64{page_size - 1};
            const u64 within = at - first;
            const usize n = static_cast<usize>(min<u64>(page_size - within, length - done));
            const u32 span = static_cast<u32>(min<u64>(page_size, end - first));
            const bool whole = within % sector_size == 0 && n % sector_size == 0;
            const u64 sector = first / sector_size;
            if (!writing || !whole) {
                result = m_device->read(sector, frame, span);
                if (result.is_error()) {
                    break;
                }
            }
            if (writing) {
                result = buffer.read(done, bounce + within, n);
                if (!result.is_error()) {
                    result = whole ? m_device->write(sector + within / sector_size,
                                                     PhysAddr(frame.value() + within),
                                                     static_cast<u32>(n))
                                   : m_device->write(sector, frame, span);
                }
            } else {
                result = buffer.write(done, bounce + within, n);
            }
            if (result.is_error()) {
                break;
            }
            done += n;
            if (fatal_signal_pending()) { // as a regular file (proc/signal_pending.h)
                break;
            }
        }
        physical::free(frame, 0);
        if (result.is_error() && done == 0) {
            return result.release_error();
        }
        return done;
    }

    RefPtr<BlockDevice> m_device;
    Mutex m_write_lock{"block node", LockRank::RawBlockNode};
};

} // namespace

ErrorOr<RefPtr<Vnode>> make_block_node(RefPtr<BlockDevice> device) {
    return RefPtr<Vnode>(TRY(try_make_ref<BlockNode>(move(device))));
}

RefPtr<BlockDevice> block_device_of(Vnode& vnode) {
    if (vnode.type() != VnodeType::BlockDevice) {
        return {};
    }
    return block_devices::find(vnode.device_number());
}

} // namespace kite
