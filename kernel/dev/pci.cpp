// pci.cpp: see pci.h.
#include "dev/pci.h"

#include "console/console.h"

namespace kite::pci {

namespace {

// QEMU's machines have a dozen devices; a real board a few dozen.
constexpr usize max_devices = 64;
Device devices[max_devices];
usize count = 0;
// Bridges can be chained; each bus is walked once.
bool bus_seen[256];

// Sizes BAR `index` (0-5) of a device whose decoding is off: write all
// ones, read back which bits stuck, restore. Returns how many BAR
// registers it used (2 for a 64-bit memory BAR).
usize size_bar(const Device& device, usize index, Bar& bar) {
    const u8 offset = static_cast<u8>(reg::bar0 + index * 4);
    const u32 original = device.read32(offset);
    device.write32(offset, 0xFFFFFFFF);
    const u32 probe = device.read32(offset);
    device.write32(offset, original);
    if (original & 1) { // I/O space
        bar.io = true;
        bar.base = original & ~u32{3};
        const u32 mask = probe & ~u32{3};
        bar.size = mask ? (~mask & 0xFFFF) + 1 : 0;
        if (!mask) {
            bar.base = 0;
        }
        return 1;
    }
    const u32 kind = (original >> 1) & 3;
    bar.prefetchable = original & 8;
    u64 base = original & ~u32{15};
    u64 mask = probe & ~u32{15};
    usize used = 1;
    if (kind == 2 && index < 5) { // 64-bit: the next register holds the top half
        bar.is_64bit = true;
        const u8 high = static_cast<u8>(offset + 4);
        const u32 original_high = device.read32(high);
        device.write32(high, 0xFFFFFFFF);
        const u32 probe_high = device.read32(high);
        device.write32(high, original_high);
        base |= u64{original_high} << 32;
        mask |= u64{probe_high} << 32;
        used = 2;
    } else {
        mask |= 0xFFFFFFFF00000000;
    }
    if (mask == 0 || mask == 0xFFFFFFFF00000000) {
        return used; // not implemented
    }
    bar.base = base;
    bar.size = ~mask + 1;
    return used;
}

void scan_bus(u8 bus);

// Calls visit(id, offset) for each PCIe extended capability of d, in list
// order, until it returns false. Each header takes at least 4 bytes of the
// 3840 after 0x100, so a longer chain is a loop; a header of 0 (no
// capabilities) or all ones (no extended space) ends the list.
template <typename Visit>
void for_each_extended_capability(const Device& d, Visit visit) {
    constexpr u32 limit = (pci_config::extended_space_size - extended_capabilities) / 4;
    u16 at = extended_capabilities;
    for (u32 steps = 0; at >= extended_capabilities && steps < limit; ++steps) {
        const u32 header = d.read32(at);
        if (header == 0 || header == 0xFFFFFFFF || !visit(static_cast<u16>(header), at)) {
            return;
        }
        at = static_cast<u16>((header >> 20) & 0xFFC);
    }
}

// One line per function with PCIe extended capabilities: their IDs and
// offsets, which only ECAM reaches (the boot test checks QEMU's).
void log_extended_capabilities(const Device& d) {
    char text[128];
    usize used = 0;
    for_each_extended_capability(d, [&](u16 id, u16 at) {
        if (used + 10 >= sizeof(text)) {
            return false;
        }
        used += format_to(text + used, sizeof(text) - used, " {:04x}@{:03x}", id, at).length();
        return true;
    });
    if (used) {
        kprintln("pci: {:02x}:{:02x}.{} extended capabilities:{}", d.address.bus, d.address.device,
                 d.address.function, StringView(text, used));
    }
}

void add_function(pci_config::Address address) {
    const u32 id = pci_config::read32(address, reg::vendor);
    if ((id & 0xFFFF) == 0xFFFF) {
        return;
    }
    if (count == max_devices) {
        kprintln("pci: more than {} devices; {:02x}:{:02x}.{} and later ignored", max_devices,
                 address.bus, address.device, address.function);
        return;
    }
    Device& d = devices[count++];
    d.address = address;
    d.vendor = static_cast<u16>(id);
    d.device = static_cast<u16>(id >> 16);
    const u32 class_word = d.read32(reg::revision);
    d.revision = static_cast<u8>(class_word);
    d.prog_if = static_cast<u8>(class_word >> 8);
    d.subclass = static_cast<u8>(class_word >> 16);
    d.class_code = static_cast<u8>(class_word >> 24);
    d.header_type = d.read8(reg::header_type) & 0x7F;
    d.interrupt_line = d.read8(reg::interrupt_line);
    d.interrupt_pin = d.read8(reg::interrupt_pin);
    if (d.header_type == 0) {
        // Decoding off while the BARs hold all ones, so that the probe
        // value never claims addresses another device answers.
        const u16 saved = d.read16(reg::command);
        d.write16(reg::command, saved & ~(command::io_space | command::memory_space));
        for (usize i = 0; i < 6;) {
            i += size_bar(d, i, d.bars[i]);
        }
        d.write16(reg::command, saved);
    } else if (d.header_type == 1) { // PCI-to-PCI bridge
        const u8 secondary = d.read8(reg::secondary_bus);
        if (secondary != 0) {
            scan_bus(secondary);
        }
    }
}

void scan_bus(u8 bus) {
    if (bus_seen[bus]) {
        return;
    }
    bus_seen[bus] = true;
    for (u8 slot = 0; slot < 32; ++slot) {
        const pci_config::Address first{bus, slot, 0};
        if (pci_config::read16(first, reg::vendor) == 0xFFFF) {
            continue;
        }
        const bool multi_function = pci_config::read8(first, reg::header_type) & 0x80;
        for (u8 function = 0; function < (multi_function ? 8 : 1); ++function) {
            add_function({bus, slot, function});
        }
    }
}

} // namespace

void Device::enable() const {
    u16 bits = read16(reg::command);
    bits |= command::io_space | command::memory_space | command::bus_master;
    bits &= static_cast<u16>(~command::interrupt_disable);
    write16(reg::command, bits);
}

u8 Device::find_capability(u8 id, u8 after) const {
    if (!(read16(reg::status) & status_capabilities)) {
        return 0;
    }
    u8 at = after ? static_cast<u8>(read8(static_cast<u8>(after + 1)) & 0xFC)
                  : static_cast<u8>(read8(reg::capabilities) & 0xFC);
    // 48 capabilities fill the 192 bytes after the header; a longer chain
    // is a loop.
    for (int steps = 0; at >= 0x40 && steps < 48; ++steps) {
        if (read8(at) == id) {
            return at;
        }
        at = static_cast<u8>(read8(static_cast<u8>(at + 1)) & 0xFC);
    }
    return 0;
}

u16 Device::find_extended_capability(u16 id) const {
    u16 found = 0;
    for_each_extended_capability(*this, [&](u16 this_id, u16 at) {
        found = this_id == id ? at : 0;
        return found == 0;
    });
    return found;
}

void init() {
    pci_config::init();
    scan_bus(0);
    if (pci_config::has_extended_space()) {
        for (usize i = 0; i < count; ++i) {
            log_extended_capabilities(devices[i]);
        }
    }
    kprintln("pci: {} functions (/proc/bus/pci/devices lists them)", count);
}

usize device_count() {
    return count;
}

Device& device_at(usize index) {
    return devices[index];
}

Device* find(u16 vendor, const u16* ids, usize id_count, usize& from) {
    for (; from < count; ++from) {
        Device& d = devices[from];
        if (d.vendor != vendor) {
            continue;
        }
        for (usize i = 0; i < id_count; ++i) {
            if (d.device == ids[i]) {
                ++from;
                return &d;
            }
        }
    }
    return nullptr;
}

} // namespace kite::pci
