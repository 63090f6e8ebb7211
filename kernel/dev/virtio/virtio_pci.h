// virtio_pci.h: the virtio 1.0 ("modern") PCI transport: the vendor
// capabilities that locate the common, notification, interrupt-status and
// device-specific register blocks in the BARs, feature negotiation, and
// queue setup. Device drivers (virtio_blk.cpp) build on it.
#pragma once

#include "dev/pci.h"
#include "dev/virtio/virtqueue.h"
#include "lib/error.h"

namespace kite::virtio {

constexpr u16 pci_vendor = 0x1AF4;

// Device status bits (2.1).
constexpr u8 status_acknowledge = 1;
constexpr u8 status_driver = 2;
constexpr u8 status_driver_ok = 4;
constexpr u8 status_features_ok = 8;
constexpr u8 status_failed = 128;

constexpr u32 feature_version_1 = 32; // a bit number: the modern interface

class Transport {
  public:
    // Finds the register blocks and maps them; the device is reset and
    // acknowledged. ENODEV if it has no modern interface.
    [[nodiscard]] ErrorOr<void> attach(pci::Device& device);

    // Negotiates: the device's features that are in `wanted` (bit numbers
    // as a mask over 64 bits) plus VERSION_1, which must be offered.
    // Returns the accepted set; the status then has FEATURES_OK.
    [[nodiscard]] ErrorOr<u64> negotiate(u64 wanted);

    // Sets up queue `index` with at most `size` entries (a power of two),
    // its rings in the given physically contiguous memory; returns the
    // size used (the device's maximum may be smaller).
    struct QueueMemory {
        PhysAddr descriptors;
        PhysAddr available;
        PhysAddr used;
    };
    [[nodiscard]] ErrorOr<u16> setup_queue(u16 index, u16 size, const QueueMemory& memory);
    void notify(u16 queue);
    void set_driver_ok();
    void fail();

    // Reads and clears the interrupt status: bit 0 a queue has work, bit 1
    // the configuration changed. Also lowers the legacy interrupt.
    [[nodiscard]] u8 read_interrupt_status();

    [[nodiscard]] volatile u8* device_config() const { return m_device_config; }

  private:
    volatile u8* m_common = nullptr;
    volatile u8* m_notify = nullptr;
    volatile u8* m_isr = nullptr;
    volatile u8* m_device_config = nullptr;
    u32 m_notify_multiplier = 0;
    u32 m_notify_length = 0;
    u16 m_queue_notify_offset[4] = {};
};

} // namespace kite::virtio
