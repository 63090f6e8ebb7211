// heap.cpp: see heap.h.
//
// A slab is a buddy block of 2^order frames. Its first bytes hold a Slab
// header; objects follow at object_offset() intervals of the class size.
// Every frame of a slab has Page::use == Slab and Page::order == the slab's
// order, so any pointer into it leads back to the header: buddy blocks are
// aligned to their size physically, so the header is at the object's
// physical address rounded down to the slab size. (The virtual address need
// not be aligned that way; only the direct map happens to be.) Free objects form
// a singly linked list through their first 8 bytes (after the debug header).
#include "mm/heap.h"

namespace kite {

namespace {

constexpr u32 slab_magic = 0x51AB51AB;
constexpr u32 object_allocated = 0xA110CA7E;
constexpr u32 object_freed = 0xF4EEF4EE;
constexpr usize debug_header_size = 16; // magic, size, front red zone
constexpr usize min_red_zone = 8;

struct DebugHeader {
    u32 magic;
    u32 size;
    u8 front_red_zone[8];
};
static_assert(sizeof(DebugHeader) == debug_header_size);

constexpr u8 order_for_pages(u64 pages) {
    u8 order = 0;
    while ((u64{1} << order) < pages) {
        ++order;
    }
    return order;
}

void fill(u8* at, u8 value, usize count) {
    __builtin_memset(at, value, count);
}

bool all_equal(const u8* at, u8 value, usize count) {
    for (usize i = 0; i < count; ++i) {
        if (at[i] != value) {
            return false;
        }
    }
    return true;
}

} // namespace

struct Heap::Slab {
    u32 magic;
    u16 in_use;
    u8 class_index;
    u8 order;
    Slab* next;
    Slab* prev;
    void* free_list;
};
// Objects start after the header, 16-byte aligned.
usize Heap::object_offset() const {
    static_assert(sizeof(Slab) <= 48);
    return 48;
}

Heap::Slab* Heap::slab_of(PhysAddr object, u8 order) {
    return reinterpret_cast<Slab*>(m_frames->to_virt(object.align_down(page_size << order)));
}

void Heap::init(FrameSource& frames, bool debug) {
    m_frames = &frames;
    m_debug = debug;
    m_stats = {};
    for (usize i = 0; i < class_count; ++i) {
        SizeClass& c = m_classes[i];
        c.object_size = static_cast<u32>(smallest_class << i);
        // Enough frames that at least 7 objects fit.
        c.order = c.object_size <= 512 ? 0 : order_for_pages((8 * c.object_size) / page_size);
        c.capacity = static_cast<u16>(((page_size << c.order) - object_offset()) / c.object_size);
        c.partial = nullptr;
        c.empty = nullptr;
    }
}

Heap::ProblemHandler Heap::set_problem_handler(ProblemHandler handler) {
    ProblemHandler old = m_problem_handler;
    m_problem_handler = handler;
    return old;
}

void Heap::report(HeapProblemKind kind, const void* pointer, usize size, const void* caller) {
    if (m_problem_handler) {
        m_problem_handler({kind, pointer, size, caller});
    }
}

void Heap::unlink(Slab* slab) {
    SizeClass& c = m_classes[slab->class_index];
    if (slab->prev) {
        slab->prev->next = slab->next;
    } else if (c.partial == slab) {
        c.partial = slab->next;
    }
    if (slab->next) {
        slab->next->prev = slab->prev;
    }
    slab->next = slab->prev = nullptr;
}

void Heap::push_partial(Slab* slab) {
    SizeClass& c = m_classes[slab->class_index];
    slab->prev = nullptr;
    slab->next = c.partial;
    if (c.partial) {
        c.partial->prev = slab;
    }
    c.partial = slab;
}

Heap::Slab* Heap::new_slab(usize class_index) {
    SizeClass& c = m_classes[class_index];
    auto block = m_frames->allocate(c.order);
    if (block.is_error()) {
        return nullptr;
    }
    const PhysAddr base = block.value();
    for (u64 i = 0; i < (u64{1} << c.order); ++i) {
        Page* page = m_frames->page(base.offset(i * page_size));
        page->use = static_cast<u8>(PageUse::Slab);
        page->order = c.order;
    }
    u8* memory = m_frames->to_virt(base);
    auto* slab = reinterpret_cast<Slab*>(memory);
    *slab = {slab_magic, 0, static_cast<u8>(class_index), c.order, nullptr, nullptr, nullptr};
    // Thread the free list in address order.
    void** link = &slab->free_list;
    for (usize i = 0; i < c.capacity; ++i) {
        u8* object = memory + object_offset() + i * c.object_size;
        if (m_debug) {
            auto* header = reinterpret_cast<DebugHeader*>(object);
            header->magic = object_freed;
            header->size = 0;
            fill(object + sizeof(DebugHeader), poison_freed, c.object_size - sizeof(DebugHeader));
        }
        u8* free_link = object + (m_debug ? debug_header_size : 0);
        *link = free_link;
        link = reinterpret_cast<void**>(free_link);
    }
    *link = nullptr;
    m_stats.slab_frames += u64{1} << c.order;
    return slab;
}

void Heap::free_slab(Slab* slab) {
    const u8 order = slab->order;
    slab->magic = 0;
    PhysAddr base;
    (void)m_frames->to_phys(slab, base);
    for (u64 i = 0; i < (u64{1} << order); ++i) {
        Page* page = m_frames->page(base.offset(i * page_size));
        page->use = static_cast<u8>(PageUse::Unspecified);
        page->order = 0;
    }
    m_frames->page(base)->order = order;
    m_frames->free(base, order);
    m_stats.slab_frames -= u64{1} << order;
}

void* Heap::allocate_small(usize class_index, usize requested) {
    SizeClass& c = m_classes[class_index];
    Slab* slab = c.partial;
    if (!slab) {
        if (c.empty) {
            slab = c.empty;
            c.empty = nullptr;
            --m_stats.cached_slabs;
        } else {
            slab = new_slab(class_index);
            if (!slab) {
                return nullptr;
            }
        }
        push_partial(slab);
    }
    u8* user = static_cast<u8*>(slab->free_list);
    slab->free_list = *reinterpret_cast<void**>(user);
    if (++slab->in_use == c.capacity) {
        unlink(slab);
    }
    if (m_debug) {
        auto* header = reinterpret_cast<DebugHeader*>(user - debug_header_size);
        header->magic = object_allocated;
        header->size = static_cast<u32>(requested);
        fill(header->front_red_zone, red_zone_byte, sizeof(header->front_red_zone));
        fill(user, poison_fresh, requested);
        fill(user + requested, red_zone_byte, c.object_size - debug_header_size - requested);
    }
    ++m_stats.live_objects;
    m_stats.live_bytes += c.object_size;
    return user;
}

void* Heap::allocate_large(usize size) {
    const u64 pages = (size + page_size - 1) / page_size;
    const u8 order = order_for_pages(pages);
    if (order > max_block_order) {
        return nullptr;
    }
    auto block = m_frames->allocate(order);
    if (block.is_error()) {
        return nullptr;
    }
    Page* head = m_frames->page(block.value());
    head->use = static_cast<u8>(PageUse::LargeAllocation);
    u8* memory = m_frames->to_virt(block.value());
    if (m_debug) {
        fill(memory, poison_fresh, page_size << order);
    }
    ++m_stats.live_objects;
    m_stats.live_bytes += page_size << order;
    m_stats.large_frames += u64{1} << order;
    return memory;
}

void* Heap::allocate(usize size, usize alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > page_size) {
        return nullptr;
    }
    if (size == 0) {
        size = 1; // every allocation is a distinct pointer
    }
    if (size > (u64{1} << max_block_order) * page_size) {
        return nullptr;
    }
    const usize needed = m_debug ? size + debug_header_size + min_red_zone : size;
    if (alignment <= default_alignment && needed <= largest_class) {
        usize index = 0;
        while ((smallest_class << index) < needed) {
            ++index;
        }
        return allocate_small(index, size);
    }
    return allocate_large(size); // page-aligned, so any alignment up to 4096
}

void Heap::free_small(Slab* slab, u8* object, const void* pointer, const void* caller) {
    SizeClass& c = m_classes[slab->class_index];
    u8* user = object + (m_debug ? debug_header_size : 0);
    if (user != pointer) {
        report(HeapProblemKind::InvalidFree, pointer, 0, caller);
        return;
    }
    if (m_debug) {
        auto* header = reinterpret_cast<DebugHeader*>(object);
        if (header->magic == object_freed) {
            report(HeapProblemKind::DoubleFree, pointer, 0, caller);
            return;
        }
        if (header->magic != object_allocated) {
            report(HeapProblemKind::InvalidFree, pointer, 0, caller);
            return;
        }
        const usize size = header->size;
        const usize tail = c.object_size - debug_header_size - size;
        if (!all_equal(header->front_red_zone, red_zone_byte, sizeof(header->front_red_zone)) ||
            !all_equal(user + size, red_zone_byte, tail)) {
            report(HeapProblemKind::RedZoneOverwritten, pointer, size, caller);
        }
        header->magic = object_freed;
        fill(user, poison_freed, c.object_size - debug_header_size);
    }
    *reinterpret_cast<void**>(user) = slab->free_list;
    slab->free_list = user;
    if (slab->in_use-- == c.capacity) {
        push_partial(slab); // it was full, so on no list
    }
    --m_stats.live_objects;
    m_stats.live_bytes -= c.object_size;
    if (slab->in_use == 0) {
        unlink(slab);
        if (!c.empty) {
            c.empty = slab;
            ++m_stats.cached_slabs;
        } else {
            free_slab(slab);
        }
    }
}

void Heap::free(void* pointer, const void* caller) {
    if (!pointer) {
        return;
    }
    PhysAddr phys;
    Page* page =
        m_frames->to_phys(pointer, phys) ? m_frames->page(phys.align_down(page_size)) : nullptr;
    if (!page || page->state == PageState::Reserved) {
        report(HeapProblemKind::InvalidFree, pointer, 0, caller);
        return;
    }
    if (page->use == static_cast<u8>(PageUse::LargeAllocation) &&
        page->state == PageState::AllocatedHead && phys.is_aligned(page_size)) {
        const u8 order = page->order;
        if (m_debug) {
            fill(static_cast<u8*>(pointer), poison_freed, page_size << order);
        }
        page->use = static_cast<u8>(PageUse::Unspecified);
        m_frames->free(phys, order);
        --m_stats.live_objects;
        m_stats.live_bytes -= page_size << order;
        m_stats.large_frames -= u64{1} << order;
        return;
    }
    if (page->use != static_cast<u8>(PageUse::Slab)) {
        // A large block already freed (its head is still a free block's
        // head unless it has merged), or memory the heap never gave.
        report(page->state == PageState::FreeHead && phys.is_aligned(page_size)
                   ? HeapProblemKind::DoubleFree
                   : HeapProblemKind::InvalidFree,
               pointer, 0, caller);
        return;
    }
    auto* slab = slab_of(phys, page->order);
    if (slab->magic != slab_magic) {
        report(HeapProblemKind::InvalidFree, pointer, 0, caller);
        return;
    }
    const usize object_size = m_classes[slab->class_index].object_size;
    const uptr offset = reinterpret_cast<uptr>(pointer) - reinterpret_cast<uptr>(slab);
    if (offset < object_offset()) {
        report(HeapProblemKind::InvalidFree, pointer, 0, caller);
        return;
    }
    const usize index = (offset - object_offset()) / object_size;
    if (index >= m_classes[slab->class_index].capacity) {
        report(HeapProblemKind::InvalidFree, pointer, 0, caller);
        return;
    }
    u8* object = reinterpret_cast<u8*>(slab) + object_offset() + index * object_size;
    free_small(slab, object, pointer, caller);
}

usize Heap::allocation_size(const void* pointer) {
    PhysAddr phys;
    if (!pointer || !m_frames->to_phys(pointer, phys)) {
        return 0;
    }
    Page* page = m_frames->page(phys.align_down(page_size));
    if (!page) {
        return 0;
    }
    if (page->use == static_cast<u8>(PageUse::LargeAllocation)) {
        return page_size << page->order;
    }
    if (page->use != static_cast<u8>(PageUse::Slab)) {
        return 0;
    }
    auto* slab = slab_of(phys, page->order);
    const usize object_size = m_classes[slab->class_index].object_size;
    return m_debug ? reinterpret_cast<const DebugHeader*>(static_cast<const u8*>(pointer) -
                                                          debug_header_size)
                         ->size
                   : object_size;
}

void Heap::release_cached() {
    for (SizeClass& c : m_classes) {
        if (c.empty) {
            free_slab(c.empty);
            c.empty = nullptr;
            --m_stats.cached_slabs;
        }
    }
}

} // namespace kite
