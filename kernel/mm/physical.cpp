// physical.cpp: bringing up the frame allocator at boot.
//
// Before the buddy allocator exists, frames for its own metadata (the Page
// array) and for direct-map page tables are carved from the front of the
// usable ranges ("boot frames"); they are never freed. Everything left goes
// to the buddy allocator.
#include "mm/physical.h"

#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/kernel_map.h"
#include "boot/boot_info.h"
#include "console/console.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/memory_ranges.h"
#include "sync/spinlock.h"

extern "C" const kite::u8 _kernel_phys_start[];
extern "C" const kite::u8 _kernel_phys_end[];

namespace kite::physical {

namespace {

// Guards the buddy allocator and the counts. Each CPU has its own
// single-frame cache: interrupts off is all it needs, which keeps the
// common allocation and free cheap.
Spinlock frames_lock{"frames", LockRank::Frames};

BuddyAllocator buddy;
RangeList usable;

// Recently freed single frames, handed out again first. Freeing one frame
// into a fully merged buddy pool merges it up ten orders, and allocating
// one splits ten orders down again; the cache skips both. Cached frames
// stay "allocated" in the buddy allocator's eyes; stats() puts them back,
// so its figures are exact.
// stats() drains this CPU's cache and counts the frames in the others' as
// free.
constexpr usize frame_cache_capacity = 64;
struct FrameCache {
    u64 frames[frame_cache_capacity];
    usize count = 0;
};
FrameCache frame_caches[max_cpus];

FrameCache& this_cpus_cache() {
    return frame_caches[cpu_local::get().id];
}

void drain_frame_cache() {
    FrameCache& cache = this_cpus_cache();
    while (cache.count > 0) {
        const u64 frame = cache.frames[--cache.count];
        buddy.page(frame).use = static_cast<u8>(PageUse::Unspecified);
        VERIFY(!buddy.free(frame, 0).is_error());
    }
}
u64 usable_frames = 0;
u64 boot_frames = 0;

u64 frame_of(PhysAddr a) {
    return a.value() >> page_shift;
}
PhysAddr address_of(u64 frame) {
    return PhysAddr(frame << page_shift);
}

// Takes bytes (page-rounded) from the first usable range that has them and
// lies entirely below limit.
PhysAddr take_boot_memory(u64 bytes, u64 limit) {
    bytes = (bytes + page_size - 1) & ~(page_size - 1);
    for (usize i = 0; i < usable.count(); ++i) {
        PhysRange& range = usable[i];
        if (range.size() >= bytes && range.begin + bytes <= limit) {
            const PhysAddr taken(range.begin);
            usable.remove(range.begin, range.begin + bytes);
            boot_frames += bytes / page_size;
            return taken;
        }
    }
    panic("out of memory at boot: no free range of {} bytes below {:#x}", bytes, limit);
}

PhysAddr take_table() {
    const PhysAddr table = take_boot_memory(page_size, direct_map_end());
    __builtin_memset(phys_to_virt(table), 0, page_size);
    return table;
}

} // namespace

void init(const BootInfo& info) {
    PhysRange reserved[2 + BootInfo::max_modules];
    usize count = 0;
    reserved[count++] = {reinterpret_cast<u64>(_kernel_phys_start),
                         reinterpret_cast<u64>(_kernel_phys_end)};
    reserved[count++] = {boot_info_address().value(),
                         boot_info_address().value() + info.total_size};
    for (usize i = 0; i < info.module_count; ++i) {
        reserved[count++] = {info.modules[i].start, info.modules[i].end};
    }
    usable = usable_memory(info.memory_map, info.memory_map_count, reserved, count);
    if (usable.count() == 0) {
        panic("the memory map has no usable memory above 1 MiB");
    }
    if (usable.dropped() > 0) {
        kprintln("physical: {} usable ranges beyond the first {} ignored", usable.dropped(),
                 RangeList::capacity);
    }
    usable_frames = usable.total() / page_size;

    const u64 first_frame = usable[0].begin / page_size;
    const u64 end_frame = usable[usable.count() - 1].end / page_size;
    kernel_map::extend_direct_map(end_frame * page_size, take_table);

    const u64 frame_count = end_frame - first_frame;
    auto* pages =
        phys_to_virt<Page>(take_boot_memory(frame_count * sizeof(Page), direct_map_end()));
    buddy.init(pages, first_frame, frame_count);
    for (usize i = 0; i < usable.count(); ++i) {
        buddy.add_free_range(usable[i].begin / page_size, usable[i].end / page_size);
    }
}

ErrorOr<PhysAddr> allocate(u8 order) {
    if (order == 0) {
        InterruptGuard this_cpu;
        FrameCache& cache = this_cpus_cache();
        if (cache.count > 0) {
            const u64 frame = cache.frames[--cache.count];
            Page& page = buddy.page(frame);
            page.use = static_cast<u8>(PageUse::Unspecified);
            page.refcount = 0;
            return address_of(frame);
        }
    }
    SpinlockGuard guard(frames_lock);
    const u64 frame = TRY(buddy.allocate(order));
    return address_of(frame);
}

ErrorOr<PhysAddr> allocate_zeroed(u8 order) {
    const PhysAddr block = TRY(allocate(order));
    __builtin_memset(phys_to_virt(block), 0, page_size << order);
    return block;
}

void free(PhysAddr address, u8 order) {
    const u64 frame = frame_of(address);
    if (buddy.manages(frame) && buddy.page(frame).use == static_cast<u8>(PageUse::Cached)) {
        panic("physical::free({:p}, order {}) from {:p}: block freed twice", address, order,
              __builtin_return_address(0));
    }
    if (order == 0 && buddy.manages(frame) && buddy.page(frame).state == PageState::AllocatedHead &&
        buddy.page(frame).order == 0) {
        InterruptGuard this_cpu;
        FrameCache& cache = this_cpus_cache();
        if (cache.count < frame_cache_capacity) {
            buddy.page(frame).use = static_cast<u8>(PageUse::Cached);
            buddy.page(frame).refcount = 0;
            cache.frames[cache.count++] = frame;
            return;
        }
    }
    SpinlockGuard guard(frames_lock);
    auto result = buddy.free(frame, order);
    if (result.is_error()) {
        panic("physical::free({:p}, order {}) from {:p}: {}", address, order,
              __builtin_return_address(0), result.error().what());
    }
}

bool manages(PhysAddr address) {
    return buddy.manages(frame_of(address));
}

Page& page(PhysAddr address) {
    VERIFY(buddy.manages(frame_of(address)));
    return buddy.page(frame_of(address));
}

u64 approximate_free_frames() {
    return buddy.free_frames_unlocked();
}

u64 managed_frames() {
    return buddy.managed_frames();
}

Stats stats() {
    SpinlockGuard guard(frames_lock);
    drain_frame_cache();
    Stats s{};
    s.usable_frames = usable_frames;
    s.managed_frames = buddy.managed_frames();
    s.free_frames = buddy.free_frames();
    for (const FrameCache& cache : frame_caches) {
        s.free_frames += __atomic_load_n(&cache.count, __ATOMIC_RELAXED);
    }
    s.boot_frames = boot_frames;
    for (u8 order = 0; order < BuddyAllocator::order_count; ++order) {
        s.free_blocks[order] = buddy.free_blocks(order);
    }
    return s;
}

void print_stats() {
    const Stats s = stats();
    kprintln("frames: {} usable, {} managed, {} free, {} for boot metadata", s.usable_frames,
             s.managed_frames, s.free_frames, s.boot_frames);
    kprint("free blocks by order:");
    for (u8 order = 0; order < BuddyAllocator::order_count; ++order) {
        kprint(" {}:{}", order, s.free_blocks[order]);
    }
    kprintln("");
}

} // namespace kite::physical
