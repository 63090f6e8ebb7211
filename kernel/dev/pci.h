// pci.h: the PCI devices found at boot. pci::init walks configuration
// space from bus 0 through every PCI-to-PCI bridge, sizes each device's
// base address registers and keeps what it found in a fixed table; drivers
// then look for their vendor/device or class and claim a device by name
// (what /proc/bus/pci/devices shows in its last column).
#pragma once

#include "arch/x86_64/pci_config.h"
#include "lib/error.h"
#include "lib/string_view.h"

namespace kite::pci {

// Configuration-space registers (PCI Local Bus 3.0, 6.1).
namespace reg {
constexpr u8 vendor = 0x00;
constexpr u8 device = 0x02;
constexpr u8 command = 0x04;
constexpr u8 status = 0x06;
constexpr u8 revision = 0x08; // then prog-if, subclass, class
constexpr u8 header_type = 0x0E;
constexpr u8 bar0 = 0x10;
constexpr u8 secondary_bus = 0x19; // bridges (header type 1)
constexpr u8 capabilities = 0x34;
constexpr u8 interrupt_line = 0x3C;
constexpr u8 interrupt_pin = 0x3D;
} // namespace reg

namespace command {
constexpr u16 io_space = 1 << 0;
constexpr u16 memory_space = 1 << 1;
constexpr u16 bus_master = 1 << 2;
constexpr u16 interrupt_disable = 1 << 10;
} // namespace command

constexpr u16 status_capabilities = 1 << 4;

// The first PCIe extended capability's header: ID in bits 0-15, version
// in 16-19, the next one's offset in 20-31 (0: the last).
constexpr u16 extended_capabilities = 0x100;

// Capability IDs.
constexpr u8 capability_msi = 0x05;
constexpr u8 capability_vendor = 0x09;
constexpr u8 capability_msix = 0x11;

struct Bar {
    u64 base = 0; // 0: not implemented
    u64 size = 0;
    bool io = false; // an I/O port range, else memory
    bool is_64bit = false;
    bool prefetchable = false;
};

struct Device {
    pci_config::Address address;
    u16 vendor;
    u16 device;
    u8 class_code;
    u8 subclass;
    u8 prog_if;
    u8 revision;
    u8 header_type;    // without the multi-function bit
    u8 interrupt_line; // as the firmware routed it (0xFF: none)
    u8 interrupt_pin;  // 1-4 for INTA-INTD, 0: none
    Bar bars[6];
    const char* driver = nullptr; // the driver that claimed it, if any

    // Offsets from 0x100 reach PCIe's extended space only through ECAM
    // (pci_config::has_extended_space()); otherwise they read all ones.
    [[nodiscard]] u32 read32(u16 offset) const { return pci_config::read32(address, offset); }
    [[nodiscard]] u16 read16(u16 offset) const { return pci_config::read16(address, offset); }
    [[nodiscard]] u8 read8(u16 offset) const { return pci_config::read8(address, offset); }
    void write32(u16 offset, u32 value) const { pci_config::write32(address, offset, value); }
    void write16(u16 offset, u16 value) const { pci_config::write16(address, offset, value); }

    // Turns on decoding of its BARs and bus mastering (DMA), and leaves
    // legacy interrupts enabled.
    void enable() const;
    // The offset of the first capability with this ID at or after
    // `after`'s next one (0: from the start of the list); 0 if none.
    [[nodiscard]] u8 find_capability(u8 id, u8 after = 0) const;
    // The offset of the first PCIe extended capability with this ID (from
    // 0x100, PCIe 6.0 7.6); 0 if none or no extended space.
    [[nodiscard]] u16 find_extended_capability(u16 id) const;
};

// Chooses how to reach configuration space (pci_config::init) and walks
// the buses; called once at boot, after acpi::init, before any driver.
void init();

[[nodiscard]] usize device_count();
[[nodiscard]] Device& device_at(usize index);

// The next device after index `from` (start at 0) with this vendor and
// one of the device IDs, or null.
[[nodiscard]] Device* find(u16 vendor, const u16* devices, usize device_count, usize& from);

} // namespace kite::pci
