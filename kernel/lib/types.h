// types.h: fixed-width integers and the address types that keep physical and
// virtual addresses apart. There is no implicit conversion between them; the
// direct map (mm/direct_map.h) is the one way across.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kite {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using uptr = uintptr_t;

// Strong address type: Tag makes PhysAddr and VirtAddr distinct types.
template <typename Tag>
class Address {
  public:
    constexpr Address() = default;
    constexpr explicit Address(u64 value) : m_value(value) {}

    [[nodiscard]] constexpr u64 value() const { return m_value; }
    [[nodiscard]] constexpr Address offset(u64 bytes) const { return Address(m_value + bytes); }
    [[nodiscard]] constexpr Address align_down(u64 alignment) const {
        return Address(m_value & ~(alignment - 1));
    }
    [[nodiscard]] constexpr Address align_up(u64 alignment) const {
        return Address((m_value + alignment - 1) & ~(alignment - 1));
    }
    [[nodiscard]] constexpr bool is_aligned(u64 alignment) const {
        return (m_value & (alignment - 1)) == 0;
    }
    constexpr bool operator==(const Address&) const = default;
    constexpr bool operator<(const Address& other) const { return m_value < other.m_value; }
    constexpr bool operator<=(const Address& other) const { return m_value <= other.m_value; }
    constexpr bool operator>(const Address& other) const { return m_value > other.m_value; }
    constexpr bool operator>=(const Address& other) const { return m_value >= other.m_value; }

  private:
    u64 m_value = 0;
};

struct PhysTag;
struct VirtTag;
using PhysAddr = Address<PhysTag>;
using VirtAddr = Address<VirtTag>;

constexpr u64 KiB = 1024;
constexpr u64 MiB = 1024 * KiB;
constexpr u64 GiB = 1024 * MiB;

} // namespace kite
