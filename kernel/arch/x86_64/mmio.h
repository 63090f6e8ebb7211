// mmio.h: device registers in memory space (a PCI memory BAR). They are
// mapped uncached into their own kernel area, never into the direct map:
// that map is write-back cached, and device registers must see every access.
// Mappings last as long as the kernel runs (drivers are never unloaded), so
// the area is handed out once, bottom up.
#pragma once

#include "lib/error.h"

namespace kite::mmio {

constexpr u64 area_start = 0xffffc80000000000; // PML4 entry 400
constexpr u64 area_size = 1 * GiB;

// Maps [physical, physical + length) uncached; the returned address is
// physical's (it keeps the offset within its page).
[[nodiscard]] ErrorOr<volatile u8*> map(PhysAddr physical, u64 length);

// Typed accesses at offset bytes from a mapped base.
inline u8 read8(volatile u8* base, u64 offset) {
    return *(base + offset);
}
inline u16 read16(volatile u8* base, u64 offset) {
    return *reinterpret_cast<volatile u16*>(base + offset);
}
inline u32 read32(volatile u8* base, u64 offset) {
    return *reinterpret_cast<volatile u32*>(base + offset);
}
inline void write8(volatile u8* base, u64 offset, u8 value) {
    *(base + offset) = value;
}
inline void write16(volatile u8* base, u64 offset, u16 value) {
    *reinterpret_cast<volatile u16*>(base + offset) = value;
}
inline void write32(volatile u8* base, u64 offset, u32 value) {
    *reinterpret_cast<volatile u32*>(base + offset) = value;
}
// A 64-bit register written as two halves, low first (virtio allows it).
inline void write64(volatile u8* base, u64 offset, u64 value) {
    write32(base, offset, static_cast<u32>(value));
    write32(base, offset + 4, static_cast<u32>(value >> 32));
}

} // namespace kite::mmio
