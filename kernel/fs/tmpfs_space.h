// tmpfs_space.h: what one tmpfs may hold and holds (its size= limit, in
// pages, as Linux's tmpfs counts them), and whether it is mounted
// read-only. Every writable memory file and directory of that tmpfs
// points at it; a file's page cache is charged for each page it holds
// (mm/page_cache.h), so holes are free and a write that would pass the
// limit stops short (ENOSPC once nothing fits), as on Linux.
#pragma once

#include "lib/error.h"
#include "lib/ref_ptr.h"

namespace kite {

class TmpfsSpace final : public RefCounted<TmpfsSpace> {
  public:
    static constexpr u64 page_size = 4096;
    // limit_pages 0: no limit (Linux's size=0).
    explicit TmpfsSpace(u64 limit_pages) : m_limit(limit_pages) {}

    [[nodiscard]] static u64 pages_for(u64 bytes) { return (bytes + page_size - 1) / page_size; }

    // Takes exactly `pages`, or none (ENOSPC).
    [[nodiscard]] ErrorOr<void> charge(u64 pages);
    void release(u64 pages);

    [[nodiscard]] u64 limit_pages() const { return m_limit; }
    // remount: EINVAL if more than that is in use, as Linux.
    [[nodiscard]] ErrorOr<void> set_limit_pages(u64 pages);
    [[nodiscard]] u64 used_pages() const { return __atomic_load_n(&m_used, __ATOMIC_RELAXED); }

    [[nodiscard]] bool is_read_only() const {
        return __atomic_load_n(&m_read_only, __ATOMIC_RELAXED);
    }
    void set_read_only(bool on) { __atomic_store_n(&m_read_only, on, __ATOMIC_RELAXED); }

  private:
    // Both change by compare-and-swap: charges race only with each other.
    u64 m_limit;
    u64 m_used = 0;
    bool m_read_only = false;
};

} // namespace kite
