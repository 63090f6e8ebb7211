// page_table.h: x86-64 4-level paging structures (Intel SDM vol. 3, 4.5).
#pragma once

#include "lib/types.h"

namespace kite {

enum PageFlag : u64 {
    PagePresent = u64{1} << 0,
    PageWritable = u64{1} << 1,
    PageUser = u64{1} << 2,
    PageWriteThrough = u64{1} << 3,
    PageCacheDisable = u64{1} << 4,
    PageAccessed = u64{1} << 5,
    PageDirty = u64{1} << 6,
    PageHuge = u64{1} << 7, // in a PDPT or PD entry: 1 GiB or 2 MiB page
    PageGlobal = u64{1} << 8,
    PageNoExecute = u64{1} << 63,
};

struct PageTableEntry {
    static constexpr u64 address_mask = 0x000FFFFFFFFFF000;

    u64 raw = 0;

    [[nodiscard]] static constexpr PageTableEntry make(PhysAddr address, u64 flags) {
        return {(address.value() & address_mask) | flags};
    }
    [[nodiscard]] constexpr bool present() const { return raw & PagePresent; }
    [[nodiscard]] constexpr PhysAddr address() const { return PhysAddr(raw & address_mask); }
    [[nodiscard]] constexpr u64 flags() const { return raw & ~address_mask; }
};
static_assert(sizeof(PageTableEntry) == 8);

struct alignas(4096) PageTable {
    static constexpr usize entry_count = 512;
    PageTableEntry entries[entry_count];
};
static_assert(sizeof(PageTable) == 4096);

constexpr usize pml4_index(u64 virt) {
    return (virt >> 39) & 511;
}
constexpr usize pdpt_index(u64 virt) {
    return (virt >> 30) & 511;
}
constexpr usize pd_index(u64 virt) {
    return (virt >> 21) & 511;
}
constexpr usize pt_index(u64 virt) {
    return (virt >> 12) & 511;
}

} // namespace kite
