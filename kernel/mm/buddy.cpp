// buddy.cpp: see buddy.h. Invariants:
// - a frame is FreeHead iff it heads a block on free list `order`;
// - two free buddies of the same order never both stay free (release
//   merges them), so the free lists hold maximal blocks.
#include "mm/buddy.h"

namespace kite {

void BuddyAllocator::init(Page* pages, u64 first_frame, u64 frame_count) {
    m_pages = pages;
    m_first_frame = first_frame;
    m_frame_count = frame_count;
    m_managed_frames = 0;
    m_free_frames = 0;
    for (usize order = 0; order < order_count; ++order) {
        m_free_head[order] = Page::none;
        m_free_count[order] = 0;
    }
    for (u64 i = 0; i < frame_count; ++i) {
        pages[i] = Page{};
    }
}

void BuddyAllocator::push(u64 frame, u8 order) {
    Page& head = page(frame);
    const u32 index = static_cast<u32>(frame - m_first_frame);
    head.state = PageState::FreeHead;
    head.order = order;
    head.prev = Page::none;
    head.next = m_free_head[order];
    if (head.next != Page::none) {
        m_pages[head.next].prev = index;
    }
    m_free_head[order] = index;
    ++m_free_count[order];
}

void BuddyAllocator::unlink(u64 frame, u8 order) {
    Page& head = page(frame);
    if (head.prev != Page::none) {
        m_pages[head.prev].next = head.next;
    } else {
        m_free_head[order] = head.next;
    }
    if (head.next != Page::none) {
        m_pages[head.next].prev = head.prev;
    }
    head.next = head.prev = Page::none;
    head.state = PageState::Tail;
    --m_free_count[order];
}

void BuddyAllocator::release(u64 frame, u8 order) {
    m_free_frames += u64{1} << order;
    while (order < max_order) {
        const u64 buddy = frame ^ (u64{1} << order);
        if (!manages(buddy)) {
            break;
        }
        const Page& other = page(buddy);
        if (other.state != PageState::FreeHead || other.order != order) {
            break;
        }
        unlink(buddy, order);
        page(frame).state = PageState::Tail;
        frame = frame < buddy ? frame : buddy;
        ++order;
    }
    push(frame, order);
}

void BuddyAllocator::add_free_range(u64 begin, u64 end) {
    if (begin < m_first_frame) {
        begin = m_first_frame;
    }
    if (end > m_first_frame + m_frame_count) {
        end = m_first_frame + m_frame_count;
    }
    u64 frame = begin;
    while (frame < end) {
        u8 order = max_order;
        while (order > 0 &&
               ((frame & ((u64{1} << order) - 1)) != 0 || frame + (u64{1} << order) > end)) {
            --order;
        }
        for (u64 i = 0; i < (u64{1} << order); ++i) {
            page(frame + i).state = PageState::Tail;
        }
        m_managed_frames += u64{1} << order;
        release(frame, order);
        frame += u64{1} << order;
    }
}

ErrorOr<u64> BuddyAllocator::allocate(u8 order) {
    if (order > max_order) {
        return Error(Errno::INVAL, "block order too large");
    }
    u8 found = order;
    while (found <= max_order && m_free_head[found] == Page::none) {
        ++found;
    }
    if (found > max_order) {
        return Error(Errno::NOMEM, "out of physical memory");
    }
    const u64 frame = m_first_frame + m_free_head[found];
    unlink(frame, found);
    // Split: keep the lower half, free the upper half, until small enough.
    while (found > order) {
        --found;
        push(frame + (u64{1} << found), found);
    }
    Page& head = page(frame);
    head.state = PageState::AllocatedHead;
    head.order = order;
    head.refcount = 0;
    head.use = static_cast<u8>(PageUse::Unspecified);
    m_free_frames -= u64{1} << order;
    return frame;
}

ErrorOr<void> BuddyAllocator::free(u64 frame, u8 order) {
    if (order > max_order || !manages(frame) || (frame & ((u64{1} << order) - 1)) != 0) {
        return Error(Errno::INVAL, "freed block is not a block this allocator manages");
    }
    Page& head = page(frame);
    if (head.state != PageState::AllocatedHead || head.order != order) {
        return Error(Errno::INVAL, head.state == PageState::FreeHead
                                       ? "block freed twice"
                                       : "freed block was not allocated with this order");
    }
    head.state = PageState::Tail;
    head.use = 0;
    head.refcount = 0;
    release(frame, order);
    return {};
}

} // namespace kite
