// heap.h: the kernel heap. Small objects (up to 2 KiB) come from slabs of
// eight size classes (16 B to 2 KiB); larger ones are whole buddy blocks.
// The heap takes its frames from a FrameSource, which is the physical
// allocator in the kernel and a plain memory region in host unit tests.
//
// Out of memory is a nullptr for the caller, never a panic here.
//
// Debug mode (chosen at init) adds, per small object, a 16-byte header
// (state magic and requested size) and a red zone after the object; freed
// memory is poisoned with 0x6b and fresh memory filled with 0xcd. It detects
// double frees, frees of pointers the heap never gave, and writes past the
// end of an object, and reports each through the problem handler (which
// panics in the kernel; tests install their own).
#pragma once

#include "lib/error.h"
#include "mm/page.h"

namespace kite {

class FrameSource {
  public:
    [[nodiscard]] virtual ErrorOr<PhysAddr> allocate(u8 order) = 0;
    virtual void free(PhysAddr block, u8 order) = 0;
    // The Page of a managed frame, or nullptr.
    [[nodiscard]] virtual Page* page(PhysAddr frame) = 0;
    [[nodiscard]] virtual u8* to_virt(PhysAddr address) = 0;
    // False if pointer does not point into this source's memory.
    [[nodiscard]] virtual bool to_phys(const void* pointer, PhysAddr& out) = 0;

  protected:
    ~FrameSource() = default;
};

enum class HeapProblemKind : u8 { DoubleFree, InvalidFree, RedZoneOverwritten };

struct HeapProblem {
    HeapProblemKind kind;
    const void* pointer;
    usize size;         // the object's requested size, when known
    const void* caller; // return address of the kfree call
};

class Heap {
  public:
    static constexpr usize class_count = 8;
    static constexpr usize smallest_class = 16;
    static constexpr usize largest_class = 2048;
    static constexpr usize default_alignment = 16;
    static constexpr u8 poison_freed = 0x6b;
    static constexpr u8 poison_fresh = 0xcd;
    static constexpr u8 red_zone_byte = 0xbb;
    static constexpr u8 max_block_order = 10; // largest block: 4 MiB

    using ProblemHandler = void (*)(const HeapProblem&);

    void init(FrameSource& frames, bool debug);
    [[nodiscard]] bool debug() const { return m_debug; }

    // size bytes aligned to alignment (a power of two up to 4096), or
    // nullptr when memory is exhausted or the request cannot be met.
    [[nodiscard]] void* allocate(usize size, usize alignment = default_alignment);
    void free(void* pointer, const void* caller);
    // The usable size of an allocation made by this heap.
    [[nodiscard]] usize allocation_size(const void* pointer);

    struct Stats {
        u64 live_objects;
        u64 live_bytes;   // bytes of the blocks handed out (class sizes, whole pages)
        u64 slab_frames;  // frames held by slabs, including cached empty ones
        u64 large_frames; // frames of large allocations
        u64 cached_slabs; // empty slabs kept for reuse
    };
    [[nodiscard]] Stats stats() const { return m_stats; }

    // Gives cached empty slabs back to the frame source.
    void release_cached();

    ProblemHandler set_problem_handler(ProblemHandler handler);

  private:
    struct Slab;
    struct SizeClass {
        u32 object_size;
        u8 order;
        u16 capacity;
        Slab* partial; // slabs with at least one free and one used object
        Slab* empty;   // at most one cached slab with no used object
    };

    [[nodiscard]] void* allocate_small(usize class_index, usize requested);
    [[nodiscard]] void* allocate_large(usize size);
    [[nodiscard]] Slab* new_slab(usize class_index);
    [[nodiscard]] Slab* slab_of(PhysAddr object, u8 order);
    void free_slab(Slab* slab);
    void free_small(Slab* slab, u8* object, const void* pointer, const void* caller);
    void report(HeapProblemKind kind, const void* pointer, usize size, const void* caller);
    [[nodiscard]] usize object_offset() const;
    void unlink(Slab* slab);
    void push_partial(Slab* slab);

    FrameSource* m_frames = nullptr;
    bool m_debug = false;
    SizeClass m_classes[class_count] = {};
    Stats m_stats = {};
    ProblemHandler m_problem_handler = nullptr;
};

} // namespace kite
