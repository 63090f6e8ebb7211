// virtio_blk.cpp: see virtio_blk.h.
//
// Each in-flight request owns a slot: three fixed descriptors (the request
// header, the data, the status byte the device writes) and its header and
// status in the slot page. A submitter takes a free slot (or waits for
// one), fills it, offers it in the available ring and notifies; the
// interrupt handler takes finished chains from the used ring, completes
// their requests and frees their slots. All ring state is guarded by the
// device's queue lock, which the interrupt handler also takes.
#include "dev/virtio/virtio_blk.h"

#include "console/console.h"
#include "dev/block_device.h"
#include "dev/virtio/virtio_pci.h"
#include "interrupts/irq.h"
#include "mm/direct_map.h"
#include "mm/page.h"
#include "mm/physical.h"

namespace kite::virtio_blk {

namespace {

constexpr u16 device_ids[] = {0x1001, 0x1042}; // transitional, modern

// Feature bits (5.2.3).
constexpr u32 feature_read_only = 5;
constexpr u32 feature_flush = 9;

// Request types and status (5.2.6).
constexpr u32 request_in = 0;
constexpr u32 request_out = 1;
constexpr u32 request_flush = 4;
constexpr u8 status_ok = 0;
constexpr u8 status_unsupported = 2;

struct RequestHeader {
    u32 type;
    u32 reserved;
    u64 sector;
};
static_assert(sizeof(RequestHeader) == 16);

constexpr u16 queue_entries = 128;
constexpr u16 slots = 32; // three descriptors each
static_assert(slots * 3 <= queue_entries);

struct Slot {
    RequestHeader header;
    u8 status;
    u8 padding[15];
};
static_assert(sizeof(Slot) == 32 && slots * sizeof(Slot) <= page_size);

class VirtioDisk final : public BlockDevice {
  public:
    VirtioDisk(const char* name, u64 sectors, bool read_only, u64 number, bool can_flush)
        : BlockDevice(name, sectors, read_only, number), m_can_flush(can_flush) {}

    [[nodiscard]] ErrorOr<void> set_up(virtio::Transport& transport, PhysAddr rings,
                                       PhysAddr slot_page);
    static void interrupt(void* context);

  private:
    ErrorOr<void> start(BlockRequest& request) override;
    void take_used_locked();

    virtio::Transport m_transport;
    bool m_can_flush;
    Spinlock m_lock{"virtio-blk queue", LockRank::BlockQueue};
    WaitQueue m_slot_waiters; // submitters waiting for a free slot
    virtio::Descriptor* m_descriptors = nullptr;
    virtio::AvailableRing* m_available = nullptr;
    volatile virtio::UsedRing* m_used = nullptr;
    Slot* m_slots = nullptr;
    PhysAddr m_slot_page;
    u16 m_queue_size = 0;
    u16 m_last_used = 0;
    u32 m_free_slots = 0; // bit i: slot i is free
    BlockRequest* m_requests[slots] = {};
};

ErrorOr<void> VirtioDisk::set_up(virtio::Transport& transport, PhysAddr rings, PhysAddr slot_page) {
    m_transport = transport;
    // Two pages: the descriptor table and the available ring in the first,
    // the used ring (4-aligned) in the second.
    m_descriptors = phys_to_virt<virtio::Descriptor>(rings);
    m_available = reinterpret_cast<virtio::AvailableRing*>(m_descriptors + queue_entries);
    m_used = phys_to_virt<virtio::UsedRing>(PhysAddr(rings.value() + page_size));
    const virtio::Transport::QueueMemory memory{
        rings, PhysAddr(rings.value() + queue_entries * sizeof(virtio::Descriptor)),
        PhysAddr(rings.value() + page_size)};
    m_queue_size = TRY(m_transport.setup_queue(0, queue_entries, memory));
    const u16 usable = static_cast<u16>(min<u16>(slots, m_queue_size / 3));
    if (usable == 0) {
        return Error(Errno::NODEV, "virtio-blk queue too small");
    }
    m_slot_page = slot_page;
    m_slots = phys_to_virt<Slot>(slot_page);
    m_free_slots = usable == 32 ? 0xFFFFFFFF : (u32{1} << usable) - 1;
    for (u16 i = 0; i < usable; ++i) {
        virtio::Descriptor* d = m_descriptors + 3 * i;
        d[0] = {slot_page.value() + i * sizeof(Slot), sizeof(RequestHeader),
                virtio::descriptor_next, static_cast<u16>(3 * i + 1)};
        d[1] = {0, 0, virtio::descriptor_next, static_cast<u16>(3 * i + 2)};
        d[2] = {slot_page.value() + i * sizeof(Slot) + __builtin_offsetof(Slot, status), 1,
                virtio::descriptor_write, 0};
    }
    m_transport.set_driver_ok();
    return {};
}

ErrorOr<void> VirtioDisk::start(BlockRequest& request) {
    if (request.op == BlockRequest::Op::Flush && !m_can_flush) {
        request.completion.complete(Errno(0)); // a write-through disk: nothing to flush
        return {};
    }
    SpinlockGuard guard(m_lock);
    while (m_free_slots == 0) {
        (void)m_slot_waiters.wait(m_lock, 0, Interruptible::No);
    }
    const u16 slot = static_cast<u16>(__builtin_ctz(m_free_slots));
    m_free_slots &= ~(u32{1} << slot);
    m_requests[slot] = &request;
    Slot& s = m_slots[slot];
    s.status = 0xFF;
    virtio::Descriptor* d = m_descriptors + 3 * slot;
    if (request.op == BlockRequest::Op::Flush) {
        s.header = {request_flush, 0, 0};
        d[0].next = static_cast<u16>(3 * slot + 2); // no data
    } else {
        const bool reading = request.op == BlockRequest::Op::Read;
        s.header = {reading ? request_in : request_out, 0, request.sector};
        d[0].next = static_cast<u16>(3 * slot + 1);
        d[1].address = request.memory.value();
        d[1].length = request.bytes;
        d[1].flags =
            static_cast<u16>(virtio::descriptor_next | (reading ? virtio::descriptor_write : 0));
    }
    m_available->ring[m_available->index % m_queue_size] = static_cast<u16>(3 * slot);
    // The entry before the index that publishes it (x86 keeps store order;
    // the compiler must too).
    __atomic_store_n(&m_available->index, static_cast<u16>(m_available->index + 1),
                     __ATOMIC_RELEASE);
    m_transport.notify(0);
    return {};
}

void VirtioDisk::take_used_locked() {
    while (m_last_used != __atomic_load_n(&m_used->index, __ATOMIC_ACQUIRE)) {
        const u32 head = m_used->ring[m_last_used % m_queue_size].id;
        ++m_last_used;
        const u32 slot = head / 3;
        if (head % 3 != 0 || slot >= slots || !m_requests[slot]) {
            kprintln("virtio-blk {}: device returned unknown chain {}", name(), head);
            continue;
        }
        BlockRequest* request = m_requests[slot];
        m_requests[slot] = nullptr;
        const u8 status = m_slots[slot].status;
        m_free_slots |= u32{1} << slot;
        request->completion.complete(status == status_ok            ? Errno(0)
                                     : status == status_unsupported ? Errno::OPNOTSUPP
                                                                    : Errno::IO);
    }
    m_slot_waiters.wake_all();
}

void VirtioDisk::interrupt(void* context) {
    auto* disk = static_cast<VirtioDisk*>(context);
    if (!(disk->m_transport.read_interrupt_status() & 1)) {
        return; // not ours (the line is shared), or only a configuration change
    }
    SpinlockGuard guard(disk->m_lock);
    disk->take_used_locked();
}

ErrorOr<void> attach(pci::Device& device, u32 index) {
    virtio::Transport transport;
    TRY(transport.attach(device));
    const u64 accepted =
        TRY(transport.negotiate((u64{1} << feature_read_only) | (u64{1} << feature_flush)));
    const u64 sectors = *reinterpret_cast<volatile u64*>(transport.device_config());
    if (device.interrupt_pin == 0 || device.interrupt_line >= irq::line_count) {
        transport.fail();
        return Error(Errno::NODEV, "virtio-blk without a legacy interrupt");
    }
    char name[4] = {'v', 'd', static_cast<char>('a' + index), '\0'};
    auto disk = TRY(try_make_ref<VirtioDisk>(
        name, sectors, accepted & (u64{1} << feature_read_only), (u64{254} << 8) | (index * 16),
        accepted & (u64{1} << feature_flush)));
    const PhysAddr rings = TRY(physical::allocate_zeroed(1));
    auto slot_page = physical::allocate_zeroed(0);
    if (slot_page.is_error()) {
        physical::free(rings, 1);
        return slot_page.release_error();
    }
    // From here the device owns the memory: it is never given back (the
    // driver is never unloaded).
    TRY(disk->set_up(transport, rings, slot_page.value()));
    if (!irq::add_shared(device.interrupt_line, VirtioDisk::interrupt, disk.ptr())) {
        transport.fail();
        return Error(Errno::BUSY, "interrupt line has too many devices");
    }
    device.driver = "virtio_blk";
    // The interrupt handler's reference: the disk lives as long as the kernel.
    disk->ref();
    block_devices::add_disk(move(disk));
    return {};
}

} // namespace

void probe() {
    usize from = 0;
    u32 index = 0;
    while (pci::Device* device = pci::find(virtio::pci_vendor, device_ids, 2, from)) {
        if (index >= 16) {
            break;
        }
        auto result = attach(*device, index);
        if (result.is_error()) {
            kprintln("virtio-blk {:02x}:{:02x}.{}: {}", device->address.bus, device->address.device,
                     device->address.function, result.error().what());
            continue;
        }
        ++index;
    }
}

} // namespace kite::virtio_blk
