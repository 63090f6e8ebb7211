// pci_config.cpp: see pci_config.h. The ports are one address/data pair
// for the whole machine, so each port access holds a lock across both;
// an ECAM access is a single load or store of the register's own width
// (the device decodes the width, so a 16-bit write leaves its neighbour,
// such as the status word whose bits clear when written with 1, alone).
#include "arch/x86_64/pci_config.h"

#include "acpi/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pci_ecam.h"
#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "sync/spinlock.h"

namespace kite::pci_config {

namespace {

constexpr u16 address_port = 0xCF8;
constexpr u16 data_port = 0xCFC;
// The architectural limit of physical addresses (52 bits).
constexpr u64 max_physical = u64{1} << 52;

Spinlock config_lock{"pci config", LockRank::PciConfig};
bool extended = false; // ECAM in use; set by init only

u32 select(Address address, u16 offset) {
    return (u32{1} << 31) | (u32{address.bus} << 16) | (u32{address.device & 31u} << 11) |
           (u32{address.function & 7u} << 8) | (offset & 0xFCu);
}

namespace ports {

// Narrower reads take the dword and pick their part; a 16-bit write uses a
// 16-bit port access, for the status word's sake (see above).
u32 read32(Address address, u16 offset) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    return cpu::inl(data_port);
}

void write32(Address address, u16 offset, u32 value) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    cpu::outl(data_port, value);
}

void write16(Address address, u16 offset, u16 value) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    cpu::outw(static_cast<u16>(data_port + (offset & 2)), value);
}

} // namespace ports

// ECAM accesses, each a single load or store of the register's width.
// They go through %eax/%ax/%al: AMD family 10h northbridges answer ECAM
// accesses made with any other register wrongly (as Linux's mmio_config_*
// in arch/x86/include/asm/pci_x86.h note), so plain volatile accesses,
// whose register the compiler picks, are not enough.
namespace ecam {

u32 read32(volatile u8* at) {
    u32 value;
    asm volatile("movl %1, %0" : "=a"(value) : "m"(*reinterpret_cast<volatile u32*>(at)));
    return value;
}
u16 read16(volatile u8* at) {
    u16 value;
    asm volatile("movw %1, %0" : "=a"(value) : "m"(*reinterpret_cast<volatile u16*>(at)));
    return value;
}
u8 read8(volatile u8* at) {
    u8 value;
    asm volatile("movb %1, %0" : "=a"(value) : "m"(*at));
    return value;
}
void write32(volatile u8* at, u32 value) {
    asm volatile("movl %1, %0" : "=m"(*reinterpret_cast<volatile u32*>(at)) : "a"(value));
}
void write16(volatile u8* at, u16 value) {
    asm volatile("movw %1, %0" : "=m"(*reinterpret_cast<volatile u16*>(at)) : "a"(value));
}

} // namespace ecam

// The function's ECAM space, or null to use the ports.
volatile u8* ecam_base(Address address) {
    return extended ? pci_ecam::function_base(address) : nullptr;
}

bool overlaps_ram(u64 start, u64 end) {
    const BootInfo& info = boot_info();
    for (usize i = 0; i < info.memory_map_count; ++i) {
        const MemoryRegion& region = info.memory_map[i];
        if (region.type == static_cast<u32>(MemoryType::Available) && region.base < end &&
            start < region.base + region.length) {
            return true;
        }
    }
    return false;
}

// The ECAM range to use, or why there is none.
const char* choose_ecam(acpi::EcamRange& range) {
    StringView option;
    if (command_line_option(kernel_command_line(), "pci", option) && option == "nommconf") {
        return "pci=nommconf";
    }
    auto mcfg = acpi::find_table("MCFG");
    if (mcfg.is_error()) {
        return "no MCFG";
    }
    auto found = acpi::find_ecam(mcfg.value().bytes, mcfg.value().length, 0, max_physical);
    if (found.is_error()) {
        return "MCFG has no usable allocation for segment 0";
    }
    range = found.value();
    // Linux too refuses an MCFG window that the memory map gives as RAM.
    const u64 start = range.base + u64{range.start_bus} * acpi::ecam_bus_size;
    const u64 end = range.base + (u64{range.end_bus} + 1) * acpi::ecam_bus_size;
    if (overlaps_ram(start, end)) {
        return "MCFG's ECAM overlaps RAM";
    }
    return nullptr;
}

} // namespace

void init() {
    acpi::EcamRange range{};
    const char* reason = choose_ecam(range);
    if (!reason) {
        pci_ecam::start(range);
        // A wrong MCFG would make every device vanish or alias: the first
        // function of its first bus must read the same both ways.
        const Address probe{range.start_bus, 0, 0};
        volatile u8* base = pci_ecam::function_base(probe);
        if (!base) {
            reason = "ECAM not mapped";
        } else if (ecam::read32(base) != ports::read32(probe, 0)) {
            reason = "MCFG's ECAM disagrees with the ports";
        } else {
            extended = true;
            kprintln("pci: ECAM at {:#x} buses {}-{} (ACPI MCFG)", range.base, range.start_bus,
                     range.end_bus);
            return;
        }
    }
    kprintln("pci: configuration through ports 0xCF8/0xCFC ({})", reason);
}

bool has_extended_space() {
    return extended;
}

u32 read32(Address address, u16 offset) {
    if (volatile u8* base = ecam_base(address)) {
        return offset < extended_space_size ? ecam::read32(base + (offset & 0xFFCu)) : 0xFFFFFFFF;
    }
    return offset < space_size ? ports::read32(address, offset) : 0xFFFFFFFF;
}

void write32(Address address, u16 offset, u32 value) {
    if (volatile u8* base = ecam_base(address)) {
        if (offset < extended_space_size) {
            ecam::write32(base + (offset & 0xFFCu), value);
        }
    } else if (offset < space_size) {
        ports::write32(address, offset, value);
    }
}

u16 read16(Address address, u16 offset) {
    if (volatile u8* base = ecam_base(address)) {
        return offset < extended_space_size ? ecam::read16(base + (offset & 0xFFEu)) : 0xFFFF;
    }
    return static_cast<u16>(read32(address, offset) >> ((offset & 2) * 8));
}

void write16(Address address, u16 offset, u16 value) {
    if (volatile u8* base = ecam_base(address)) {
        if (offset < extended_space_size) {
            ecam::write16(base + (offset & 0xFFEu), value);
        }
    } else if (offset < space_size) {
        ports::write16(address, offset, value);
    }
}

u8 read8(Address address, u16 offset) {
    if (volatile u8* base = ecam_base(address)) {
        return offset < extended_space_size ? ecam::read8(base + offset) : 0xFF;
    }
    return static_cast<u8>(read32(address, offset) >> ((offset & 3) * 8));
}

} // namespace kite::pci_config
