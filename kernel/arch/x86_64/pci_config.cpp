// pci_config.cpp: see pci_config.h. The address and data ports are one
// pair for the whole machine, so each access holds a lock across both.
#include "arch/x86_64/pci_config.h"

#include "arch/x86_64/cpu.h"
#include "sync/spinlock.h"

namespace kite::pci_config {

namespace {

constexpr u16 address_port = 0xCF8;
constexpr u16 data_port = 0xCFC;

Spinlock config_lock{"pci config", LockRank::PciConfig};

u32 select(Address address, u8 offset) {
    return (u32{1} << 31) | (u32{address.bus} << 16) | (u32{address.device & 31u} << 11) |
           (u32{address.function & 7u} << 8) | (offset & 0xFCu);
}

} // namespace

u32 read32(Address address, u8 offset) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    return cpu::inl(data_port);
}

void write32(Address address, u8 offset, u32 value) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    cpu::outl(data_port, value);
}

// Narrower accesses read the dword and pick their part; a write of a
// 16-bit register uses a 16-bit port access, so the neighbouring register
// (the status word, whose bits clear when written with 1) is not touched.
u16 read16(Address address, u8 offset) {
    return static_cast<u16>(read32(address, offset) >> ((offset & 2) * 8));
}

void write16(Address address, u8 offset, u16 value) {
    SpinlockGuard guard(config_lock);
    cpu::outl(address_port, select(address, offset));
    cpu::outw(static_cast<u16>(data_port + (offset & 2)), value);
}

u8 read8(Address address, u8 offset) {
    return static_cast<u8>(read32(address, offset) >> ((offset & 3) * 8));
}

} // namespace kite::pci_config
