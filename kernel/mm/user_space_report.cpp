// user_space_report.cpp: what /proc reads of a user space (see
// user_space.h): its memory figures, its regions' names, and bytes of it
// read from another process. Everything here takes the space's lock, so
// the regions and page tables hold still while they are looked at.
#include "mm/direct_map.h"
#include "mm/user_space.h"

namespace kite {

namespace {

u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

// Present pages of [start, end), counted by a walk of the page tables.
u64 present_pages(AddressSpace& tables, u64 start, u64 end) {
    u64 count = 0;
    tables.visit_present(
        start, end, [](u64, PhysAddr, u64, void* raw) { ++*static_cast<u64*>(raw); }, &count,
        false);
    return count;
}

} // namespace

StringView UserSpace::region_kind_locked(const Region& region) const {
    if (m_stack_bottom != 0 && region.start >= m_stack_bottom) {
        return "[stack]";
    }
    // The break's pages: from its start (page-aligned by exec) to its end.
    if (m_brk_start != 0 && region.start >= m_brk_start && region.start < page_up(m_brk_end)) {
        return "[heap]";
    }
    return {};
}

UserSpace::Usage UserSpace::usage() const {
    MutexGuard guard(m_lock);
    Usage usage;
    usage.brk_start = m_brk_start;
    usage.brk_end = m_brk_end;
    usage.stack_bottom = m_stack_bottom;
    for (usize i = 0; i < m_regions.count(); ++i) {
        const Region& region = m_regions[i];
        const u64 present = present_pages(*m_tables, region.start, region.end);
        const bool stack = m_stack_bottom != 0 && region.start >= m_stack_bottom;
        usage.size += stack ? present * page_size : region.end - region.start;
        usage.resident += present;
        if (region.shared) {
            usage.resident_shared += present;
        }
        if (stack) {
            usage.stack += present * page_size;
        } else if (!region.shared && (region.protection & ProtWrite)) {
            usage.data += region.end - region.start;
        }
        if (region.protection & ProtExec) {
            usage.text += region.end - region.start;
        }
    }
    return usage;
}

usize UserSpace::read_resident(u64 address, void* out, usize length) const {
    MutexGuard guard(m_lock);
    usize done = 0;
    while (done < length) {
        const u64 at = address + done;
        const Region* region = m_regions.find(at);
        if (!region || !(region->protection & ProtRead)) {
            break;
        }
        auto mapping = m_tables->translate(VirtAddr(at));
        if (mapping.is_error()) {
            break; // never touched: Linux would fault it in; it holds nothing yet
        }
        const usize n = min<u64>(length - done, page_size - (at & (page_size - 1)));
        __builtin_memcpy(static_cast<u8*>(out) + done, phys_to_virt<u8>(mapping.value().phys), n);
        done += n;
    }
    return done;
}

} // namespace kite
