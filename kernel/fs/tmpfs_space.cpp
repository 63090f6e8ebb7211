// tmpfs_space.cpp: see tmpfs_space.h.
#include "fs/tmpfs_space.h"

namespace kite {

ErrorOr<void> TmpfsSpace::charge(u64 pages) {
    u64 used = __atomic_load_n(&m_used, __ATOMIC_RELAXED);
    for (;;) {
        const u64 limit = __atomic_load_n(&m_limit, __ATOMIC_RELAXED);
        if (limit != 0 && (used > limit || pages > limit - used)) {
            return Error(Errno::NOSPC, "the tmpfs is full");
        }
        if (__atomic_compare_exchange_n(&m_used, &used, used + pages, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
            return {};
        }
    }
}

void TmpfsSpace::release(u64 pages) {
    __atomic_fetch_sub(&m_used, pages, __ATOMIC_RELAXED);
}

ErrorOr<void> TmpfsSpace::set_limit_pages(u64 pages) {
    if (pages != 0 && used_pages() > pages) {
        return Error(Errno::INVAL, "more than the new size is in use");
    }
    __atomic_store_n(&m_limit, pages, __ATOMIC_RELAXED);
    return {};
}

} // namespace kite
