// virtio_pci.cpp: see virtio_pci.h. Register offsets are those of the
// virtio 1.0 specification, 4.1.4.
#include "dev/virtio/virtio_pci.h"

#include "arch/x86_64/mmio.h"

namespace kite::virtio {

namespace {

// virtio_pci_cap: the vendor capability's fields after the generic two.
constexpr u8 cap_config_type = 3;
constexpr u8 cap_bar = 4;
constexpr u8 cap_offset = 8;
constexpr u8 cap_length = 12;
constexpr u8 cap_notify_multiplier = 16; // notification capability only

enum ConfigType : u8 { Common = 1, Notify = 2, Isr = 3, Device = 4 };

// Common configuration registers.
constexpr u64 device_feature_select = 0;
constexpr u64 device_feature = 4;
constexpr u64 driver_feature_select = 8;
constexpr u64 driver_feature = 12;
constexpr u64 device_status = 20;
constexpr u64 queue_select = 22;
constexpr u64 queue_size = 24;
constexpr u64 queue_enable = 28;
constexpr u64 queue_notify_off = 30;
constexpr u64 queue_desc = 32;
constexpr u64 queue_driver = 40;
constexpr u64 queue_device = 48;

} // namespace

ErrorOr<void> Transport::attach(pci::Device& device) {
    for (u8 cap = device.find_capability(pci::capability_vendor); cap;
         cap = device.find_capability(pci::capability_vendor, cap)) {
        if (cap > 0xFF - 20) {
            continue; // the capability would run past configuration space
        }
        const u8 type = device.read8(static_cast<u8>(cap + cap_config_type));
        const u8 bar = device.read8(static_cast<u8>(cap + cap_bar));
        const u32 offset = device.read32(static_cast<u8>(cap + cap_offset));
        const u32 length = device.read32(static_cast<u8>(cap + cap_length));
        volatile u8** slot = type == Common   ? &m_common
                             : type == Notify ? &m_notify
                             : type == Isr    ? &m_isr
                             : type == Device ? &m_device_config
                                              : nullptr;
        if (!slot || *slot || bar > 5 || length == 0) {
            continue; // another kind (PCI access), or a second of a kind: the first wins
        }
        const pci::Bar& region = device.bars[bar];
        if (region.io || region.base == 0 || offset > region.size ||
            length > region.size - offset) {
            continue;
        }
        *slot = TRY(mmio::map(PhysAddr(region.base + offset), length));
        if (type == Notify) {
            m_notify_multiplier = device.read32(static_cast<u8>(cap + cap_notify_multiplier));
            m_notify_length = length;
        }
    }
    if (!m_common || !m_notify || !m_isr || !m_device_config) {
        return Error(Errno::NODEV, "virtio device without the modern interface");
    }
    device.enable();
    mmio::write8(m_common, device_status, 0); // reset
    while (mmio::read8(m_common, device_status) != 0) {
        asm volatile("pause");
    }
    mmio::write8(m_common, device_status, status_acknowledge | status_driver);
    return {};
}

ErrorOr<u64> Transport::negotiate(u64 wanted) {
    wanted |= u64{1} << feature_version_1;
    u64 offered = 0;
    for (u32 word = 0; word < 2; ++word) {
        mmio::write32(m_common, device_feature_select, word);
        offered |= u64{mmio::read32(m_common, device_feature)} << (32 * word);
    }
    if (!(offered & (u64{1} << feature_version_1))) {
        fail();
        return Error(Errno::NODEV, "virtio device does not offer VERSION_1");
    }
    const u64 accepted = offered & wanted;
    for (u32 word = 0; word < 2; ++word) {
        mmio::write32(m_common, driver_feature_select, word);
        mmio::write32(m_common, driver_feature, static_cast<u32>(accepted >> (32 * word)));
    }
    const u8 status = mmio::read8(m_common, device_status);
    mmio::write8(m_common, device_status, status | status_features_ok);
    if (!(mmio::read8(m_common, device_status) & status_features_ok)) {
        fail();
        return Error(Errno::NODEV, "virtio device refused the features");
    }
    return accepted;
}

ErrorOr<u16> Transport::setup_queue(u16 index, u16 size, const QueueMemory& memory) {
    if (index >= sizeof(m_queue_notify_offset) / sizeof(m_queue_notify_offset[0])) {
        return Error(Errno::INVAL, "virtio queue index too large");
    }
    mmio::write16(m_common, queue_select, index);
    const u16 maximum = mmio::read16(m_common, queue_size);
    if (maximum == 0) {
        return Error(Errno::NODEV, "virtio queue not available");
    }
    while (size > maximum) {
        size /= 2;
    }
    mmio::write16(m_common, queue_size, size);
    mmio::write64(m_common, queue_desc, memory.descriptors.value());
    mmio::write64(m_common, queue_driver, memory.available.value());
    mmio::write64(m_common, queue_device, memory.used.value());
    m_queue_notify_offset[index] = mmio::read16(m_common, queue_notify_off);
    // The queue's doorbell must lie in the notification block the
    // capability gave (a device could say anything).
    const u64 doorbell = u64{m_queue_notify_offset[index]} * m_notify_multiplier;
    if (doorbell + 2 > m_notify_length) {
        return Error(Errno::NODEV, "virtio queue doorbell outside its registers");
    }
    mmio::write16(m_common, queue_enable, 1);
    return size;
}

void Transport::notify(u16 queue) {
    // Everything the rings say must be visible before the device looks.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    mmio::write16(m_notify, u64{m_queue_notify_offset[queue]} * m_notify_multiplier, queue);
}

void Transport::set_driver_ok() {
    const u8 status = mmio::read8(m_common, device_status);
    mmio::write8(m_common, device_status, status | status_driver_ok);
}

void Transport::fail() {
    const u8 status = mmio::read8(m_common, device_status);
    mmio::write8(m_common, device_status, status | status_failed);
}

u8 Transport::read_interrupt_status() {
    return mmio::read8(m_isr, 0);
}

} // namespace kite::virtio
