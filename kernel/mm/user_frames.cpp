// user_frames.cpp: see user_frames.h.
#include "mm/user_frames.h"

#include "debug/panic.h"
#include "fs/writeback.h"
#include "mm/memory_map.h"
#include "mm/page.h"
#include "mm/page_cache.h"
#include "mm/physical.h"

namespace kite {

ErrorOr<PhysAddr> allocate_user_frame(bool zeroed) {
    auto allocate = [zeroed] {
        return zeroed ? physical::allocate_zeroed() : physical::allocate();
    };
    // Out of frames: cached file data gives way, where the caller's locks
    // allow the reclaimer (page_cache.h), and the allocation is tried again.
    constexpr usize batch = 64;
    PhysAddr frame;
    if (auto first = allocate(); !first.is_error()) {
        frame = first.value();
    } else if (PageCache::may_reclaim() && writeback::reclaim(batch, nullptr) > 0) {
        frame = TRY(allocate());
    } else {
        return first.release_error();
    }
    Page& page = physical::page(frame);
    page.use = static_cast<u8>(PageUse::User);
    __atomic_store_n(&page.refcount, 1, __ATOMIC_RELAXED);
    return frame;
}

void retain_user_frame(PhysAddr frame) {
    Page& page = physical::page(frame);
    VERIFY(page.use == static_cast<u8>(PageUse::User));
    __atomic_add_fetch(&page.refcount, 1, __ATOMIC_RELAXED);
}

void release_user_frame(PhysAddr frame) {
    Page& page = physical::page(frame);
    VERIFY(page.use == static_cast<u8>(PageUse::User) && page.refcount > 0);
    if (__atomic_sub_fetch(&page.refcount, 1, __ATOMIC_ACQ_REL) == 0) {
        page.use = static_cast<u8>(PageUse::Unspecified);
        physical::free(frame);
    }
}

bool user_frame_is_shared(PhysAddr frame) {
    return __atomic_load_n(&physical::page(frame).refcount, __ATOMIC_ACQUIRE) > 1;
}

MapFlags map_flags_for(u32 protection) {
    if (protection == ProtNone) {
        return MapFlags::None; // present for the frame's sake, but no user access
    }
    MapFlags flags = MapFlags::User;
    if (protection & ProtWrite) {
        flags = flags | MapFlags::Writable;
    }
    if (protection & ProtExec) {
        flags = flags | MapFlags::Executable;
    }
    return flags;
}

} // namespace kite
