// page.h: the per-frame metadata record. There is one Page for every frame
// the physical allocator manages, in one array indexed by frame number.
//
// Ownership rules (see docs/architecture.md, "Physical memory"):
// - A frame belongs to whoever allocated it until they free it, with the
//   order they allocated it with.
// - refcount counts the owners of a shared frame (copy-on-write user pages);
//   for a page-table frame it counts the present entries in the table.
#pragma once

#include "lib/types.h"

namespace kite {

constexpr u64 page_size = 4096;
constexpr u32 page_shift = 12;

enum class PageState : u8 {
    Reserved = 0,  // not managed: the allocator never hands it out
    Tail,          // inside a block whose first frame holds the state
    FreeHead,      // first frame of a free block of 2^order frames
    AllocatedHead, // first frame of an allocated block of 2^order frames
};

struct Page {
    static constexpr u32 none = ~u32{0};

    u32 next = none; // free-list links: frame indices within the allocator
    u32 prev = none;
    u32 refcount = 0;
    PageState state = PageState::Reserved;
    u8 order = 0;
    u8 use = 0; // what the owner uses it for (PageUse), for reports and kfree
    u8 reserved = 0;
};
static_assert(sizeof(Page) == 16);

// What an allocated block is used for; set by its owner.
enum class PageUse : u8 {
    Unspecified = 0,
    PageTable,
    Slab,
    LargeAllocation,
    KernelStack,
    User,   // mapped into user address spaces; refcount = how many map it
    Cached, // free, kept in the physical allocator's single-frame cache
};

} // namespace kite
