// block_device.cpp: see block_device.h. Partitions are block devices that
// add their first sector and pass requests on to their disk.
#include "dev/block_device.h"

#include "console/console.h"
#include "dev/block_node.h"
#include "dev/partition_table.h"
#include "fs/devfs.h"
#include "lib/kbuffer.h"
#include "lib/string_view.h"
#include "mm/direct_map.h"
#include "mm/physical.h"

namespace kite {

void BlockCompletion::complete(Errno status) {
    SpinlockGuard guard(m_lock);
    m_status = status;
    m_done = true;
    m_waiters.wake_all();
}

ErrorOr<void> BlockCompletion::wait() {
    SpinlockGuard guard(m_lock);
    while (!m_done) {
        (void)m_waiters.wait(m_lock, 0, Interruptible::No);
    }
    if (m_status != Errno(0)) {
        return Error(m_status, "disk i/o error");
    }
    return {};
}

bool BlockCompletion::is_done() const {
    SpinlockGuard guard(m_lock);
    return m_done;
}

BlockDevice::BlockDevice(const char* name, u64 sectors, bool read_only, u64 number)
    : m_sectors(sectors), m_read_only(read_only), m_number(number) {
    usize i = 0;
    for (; name[i] && i + 1 < sizeof(m_name); ++i) {
        m_name[i] = name[i];
    }
    m_name[i] = '\0';
}

ErrorOr<void> BlockDevice::submit(BlockRequest& request) {
    if (request.op != BlockRequest::Op::Flush) {
        if (request.bytes == 0 || request.bytes % sector_size != 0) {
            return Error(Errno::INVAL, "transfer not whole sectors");
        }
        const u64 count = request.bytes / sector_size;
        if (request.sector >= m_sectors || count > m_sectors - request.sector) {
            return Error(Errno::IO, "transfer past the end of the disk");
        }
        if (request.op == BlockRequest::Op::Write && m_read_only) {
            return Error(Errno::ROFS, "disk is read-only");
        }
    }
    return start(request);
}

namespace {

ErrorOr<void> transfer(BlockDevice& device, BlockRequest::Op op, u64 sector, PhysAddr memory,
                       u32 bytes) {
    BlockRequest request;
    request.op = op;
    request.sector = sector;
    request.memory = memory;
    request.bytes = bytes;
    TRY(device.submit(request));
    return request.completion.wait();
}

} // namespace

ErrorOr<void> BlockDevice::read(u64 sector, PhysAddr memory, u32 bytes) {
    return transfer(*this, BlockRequest::Op::Read, sector, memory, bytes);
}
ErrorOr<void> BlockDevice::write(u64 sector, PhysAddr memory, u32 bytes) {
    return transfer(*this, BlockRequest::Op::Write, sector, memory, bytes);
}
ErrorOr<void> BlockDevice::flush() {
    return transfer(*this, BlockRequest::Op::Flush, 0, PhysAddr(0), 0);
}

namespace {

constexpr u32 minors_per_disk = 16;

class Partition final : public BlockDevice {
  public:
    Partition(const char* name, RefPtr<BlockDevice> disk, u64 first, u64 sectors, u64 number)
        : BlockDevice(name, sectors, disk->is_read_only(), number), m_disk(move(disk)),
          m_first(first) {}

  private:
    // The request was checked against the partition; the disk sees its own
    // sector numbers. A request is the submitter's, so it is changed in
    // place (a partition's caller never reads request.sector back).
    ErrorOr<void> start(BlockRequest& request) override {
        if (request.op != BlockRequest::Op::Flush) {
            request.sector += m_first;
        }
        return m_disk->submit(request);
    }
    RefPtr<BlockDevice> m_disk;
    u64 m_first;
};

constexpr usize max_devices = 32;
Spinlock devices_lock{"block devices", LockRank::BlockDevices};
RefPtr<BlockDevice> devices[max_devices];

void remember(const RefPtr<BlockDevice>& device) {
    {
        SpinlockGuard guard(devices_lock);
        for (RefPtr<BlockDevice>& slot : devices) {
            if (!slot) {
                slot = device;
                break;
            }
        }
    }
    auto node = make_block_node(device);
    if (node.is_error() || devfs::add_device(StringView(device->name()), node.value()).is_error()) {
        kprintln("block: no /dev/{} node (out of memory)", device->name());
    }
}

// Reads the partition table and adds a device per partition. The name is
// the disk's with the number, as Linux writes it ("vda1"; "nvme0n1p1"
// would need a 'p', for disks whose name ends in a digit).
void add_partitions(const RefPtr<BlockDevice>& disk) {
    auto frame = physical::allocate(0);
    if (frame.is_error()) {
        return;
    }
    const PhysAddr page = frame.value();
    partitions::Partition found[partitions::max_partitions];
    int count = 0;
    u8 sector[512];
    if (!disk->read(0, page, sector_size).is_error()) {
        __builtin_memcpy(sector, phys_to_virt(page), sizeof(sector));
        partitions::Partition mbr[4];
        const auto kind = partitions::read_mbr(sector, disk->sector_count(), mbr);
        if (kind == partitions::Kind::Mbr) {
            for (const auto& p : mbr) {
                if (p.sector_count) {
                    found[count++] = p;
                }
            }
        } else if (kind == partitions::Kind::Gpt && !disk->read(1, page, sector_size).is_error()) {
            __builtin_memcpy(sector, phys_to_virt(page), sizeof(sector));
            partitions::GptHeader header;
            if (partitions::check_gpt_header(sector, disk->sector_count(), header)) {
                const u64 bytes = u64{header.entry_count} * header.entry_size;
                const u32 rounded = static_cast<u32>((bytes + sector_size - 1) & ~u64{511});
                auto table = KBuffer::try_create(rounded);
                // The array is read a page at a time through the frame.
                bool ok = !table.is_error();
                for (u32 done = 0; ok && done < rounded; done += page_size) {
                    const u32 n = min<u32>(page_size, rounded - done);
                    ok = !disk->read(header.entries_lba + done / sector_size, page, n).is_error();
                    if (ok) {
                        __builtin_memcpy(table.value().data() + done, phys_to_virt(page), n);
                    }
                }
                if (ok) {
                    count =
                        partitions::read_gpt_entries(header, table.value().data(), rounded, found);
                    if (count < 0) {
                        kprintln("block: {}: bad GPT entry array", disk->name());
                        count = 0;
                    }
                }
            } else {
                kprintln("block: {}: bad GPT header", disk->name());
            }
        }
    }
    physical::free(page, 0);
    for (int i = 0; i < count; ++i) {
        if (found[i].number >= minors_per_disk) {
            // A disk has 16 device numbers, itself and 15 partitions (the
            // next disk's begin after), as Linux's virtio-blk and sd.
            kprintln("block: {}: partition {} not used (at most {})", disk->name(), found[i].number,
                     minors_per_disk - 1);
            continue;
        }
        char name[16];
        const usize length = StringView(disk->name()).length();
        __builtin_memcpy(name, disk->name(), length);
        usize at = length;
        const u32 number = found[i].number;
        if (number >= 10) {
            name[at++] = static_cast<char>('0' + number / 10);
        }
        name[at++] = static_cast<char>('0' + number % 10);
        name[at] = '\0';
        auto partition =
            try_make_ref<Partition>(name, disk, found[i].first_sector, found[i].sector_count,
                                    disk->device_number() + number);
        if (partition.is_error()) {
            return;
        }
        kprintln("block: {}: {} sectors from {}", name, found[i].sector_count,
                 found[i].first_sector);
        remember(partition.value());
    }
}

} // namespace

namespace block_devices {

void add_disk(RefPtr<BlockDevice> disk) {
    kprintln("block: {}: {} MiB{}", disk->name(), disk->sector_count() * sector_size / MiB,
             disk->is_read_only() ? ", read-only" : "");
    remember(disk);
    add_partitions(disk);
}

RefPtr<BlockDevice> find(StringView name) {
    SpinlockGuard guard(devices_lock);
    for (const RefPtr<BlockDevice>& device : devices) {
        if (device && StringView(device->name()) == name) {
            return device;
        }
    }
    return {};
}

RefPtr<BlockDevice> find(u64 number) {
    SpinlockGuard guard(devices_lock);
    for (const RefPtr<BlockDevice>& device : devices) {
        if (device && device->device_number() == number) {
            return device;
        }
    }
    return {};
}

} // namespace block_devices

} // namespace kite
