// buddy.h: a binary buddy allocator over a contiguous range of frame
// numbers, with all metadata in a caller-provided Page array (so it never
// touches the memory it manages, and runs unchanged in host unit tests).
//
// A block of order k is 2^k frames whose first frame number is a multiple of
// 2^k. Free blocks of each order sit on a doubly linked list threaded through
// their head Page, so allocate and free take O(max_order) steps.
#pragma once

#include "lib/error.h"
#include "mm/page.h"

namespace kite {

class BuddyAllocator {
  public:
    static constexpr u8 max_order = 10; // 2^10 frames = 4 MiB
    static constexpr usize order_count = max_order + 1;

    BuddyAllocator() = default;
    BuddyAllocator(const BuddyAllocator&) = delete;
    BuddyAllocator& operator=(const BuddyAllocator&) = delete;

    // Manages frames [first_frame, first_frame + frame_count); pages[i]
    // describes frame first_frame + i. Every frame starts Reserved.
    void init(Page* pages, u64 first_frame, u64 frame_count);

    // Hands frames [begin, end) to the allocator as free.
    void add_free_range(u64 begin, u64 end);

    // The first frame of a free block of 2^order frames, or ENOMEM.
    [[nodiscard]] ErrorOr<u64> allocate(u8 order);

    // Returns a block. EINVAL if frame does not head an allocated block of
    // exactly that order (a double free or a wrong order).
    [[nodiscard]] ErrorOr<void> free(u64 frame, u8 order);

    [[nodiscard]] bool manages(u64 frame) const {
        return frame >= m_first_frame && frame - m_first_frame < m_frame_count;
    }
    [[nodiscard]] Page& page(u64 frame) { return m_pages[frame - m_first_frame]; }
    [[nodiscard]] const Page& page(u64 frame) const { return m_pages[frame - m_first_frame]; }

    [[nodiscard]] u64 managed_frames() const { return m_managed_frames; }
    [[nodiscard]] u64 free_frames() const { return m_free_frames; }
    // The same without the allocator's lock: a figure that may be stale.
    [[nodiscard]] u64 free_frames_unlocked() const {
        return __atomic_load_n(&m_free_frames, __ATOMIC_RELAXED);
    }
    [[nodiscard]] u64 free_blocks(u8 order) const { return m_free_count[order]; }

  private:
    void push(u64 frame, u8 order);
    void unlink(u64 frame, u8 order);
    void release(u64 frame, u8 order); // mark free and coalesce

    Page* m_pages = nullptr;
    u64 m_first_frame = 0;
    u64 m_frame_count = 0;
    u64 m_managed_frames = 0;
    u64 m_free_frames = 0;
    u32 m_free_head[order_count] = {};
    u64 m_free_count[order_count] = {};
};

} // namespace kite
