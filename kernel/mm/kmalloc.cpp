// kmalloc.cpp: the kernel's Heap instance, its frame source, and C++
// operator new/delete.
#include "mm/kmalloc.h"

#include "arch/x86_64/backtrace.h"
#include "console/console.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/physical.h"
#include "sync/spinlock.h"

namespace kite {

namespace {

// Guards the heap's free lists, slabs and statistics.
Spinlock heap_lock{"heap", LockRank::Heap};

// The heap's frames come from the physical allocator, up to a limit: at
// most heap_share_eighths / 8 of the managed frames. The rest stays for
// what the heap does not hold (user pages, page tables, kernel stacks, the
// page cache), so that a program that fills the heap with kernel objects
// (pipes, descriptors, sockets) meets ENOMEM in its own calls while every
// other process can still fault its pages in. (Called under heap_lock.)
constexpr u64 heap_share_eighths = 6;

class PhysicalFrames final : public FrameSource {
  public:
    ErrorOr<PhysAddr> allocate(u8 order) override {
        const u64 frames = u64{1} << order;
        if (m_held + frames > m_limit) {
            return Error(Errno::NOMEM, "the kernel heap is at its limit");
        }
        const PhysAddr block = TRY(physical::allocate(order));
        m_held += frames;
        return block;
    }
    void free(PhysAddr block, u8 order) override {
        physical::free(block, order);
        m_held -= u64{1} << order;
    }
    void set_limit(u64 frames) { m_limit = frames; }
    [[nodiscard]] u64 limit() const { return m_limit; }
    [[nodiscard]] u64 held() const { return m_held; }
    Page* page(PhysAddr frame) override {
        return physical::manages(frame) ? &physical::page(frame) : nullptr;
    }
    u8* to_virt(PhysAddr address) override { return phys_to_virt<u8>(address); }
    bool to_phys(const void* pointer, PhysAddr& out) override {
        if (!is_direct_map_pointer(pointer)) {
            return false;
        }
        out = virt_to_phys(pointer);
        return true;
    }

  private:
    u64 m_held = 0;
    u64 m_limit = ~u64{0};
};

PhysicalFrames frames;
Heap heap;
bool initialized = false;

const char* problem_name(HeapProblemKind kind) {
    switch (kind) {
    case HeapProblemKind::DoubleFree:
        return "double free";
    case HeapProblemKind::InvalidFree:
        return "free of a pointer the heap never gave";
    case HeapProblemKind::RedZoneOverwritten:
        return "write past the end of an object (red zone overwritten)";
    }
    return "?";
}

void panic_on_problem(const HeapProblem& problem) {
    char where[160];
    BufferSink sink(where, sizeof(where));
    print_code_address(sink, reinterpret_cast<u64>(problem.caller), true);
    panic("heap: {} at {:p} (object size {}), freed from {}", problem_name(problem.kind),
          problem.pointer, problem.size, sink.view());
}

} // namespace

void heap_init(bool debug) {
    frames.set_limit(physical::stats().managed_frames / 8 * heap_share_eighths);
    kprintln("heap: at most {} frames ({}/8 of those managed)", frames.limit(), heap_share_eighths);
    heap.init(frames, debug);
    heap.set_problem_handler(panic_on_problem);
    initialized = true;
}

void* kmalloc_aligned(usize size, usize alignment) {
    VERIFY(initialized);
    SpinlockGuard guard(heap_lock);
    return heap.allocate(size, alignment);
}

void* kmalloc(usize size) {
    return kmalloc_aligned(size, Heap::default_alignment);
}

void* kzalloc(usize size) {
    void* memory = kmalloc(size);
    if (memory) {
        __builtin_memset(memory, 0, size);
    }
    return memory;
}

void kfree_from(void* pointer, const void* caller) {
    SpinlockGuard guard(heap_lock);
    heap.free(pointer, caller);
}

// Out of line so that __builtin_return_address names kfree's caller.
[[gnu::noinline]] void kfree(void* pointer) {
    kfree_from(pointer, __builtin_return_address(0));
}

Heap::Stats heap_stats() {
    SpinlockGuard guard(heap_lock);
    return heap.stats();
}

void heap_release_cached() {
    SpinlockGuard guard(heap_lock);
    heap.release_cached();
}

bool heap_debug() {
    return heap.debug();
}

Heap::ProblemHandler heap_set_problem_handler(Heap::ProblemHandler handler) {
    SpinlockGuard guard(heap_lock);
    return heap.set_problem_handler(handler ? handler : panic_on_problem);
}

} // namespace kite

// C++ allocation. All forms are noexcept and may return nullptr; with
// -fcheck-new the compiler skips the constructor when they do.
void* operator new(size_t size) noexcept {
    return kite::kmalloc(size);
}
void* operator new[](size_t size) noexcept {
    return kite::kmalloc(size);
}
void* operator new(size_t size, std::align_val_t alignment) noexcept {
    return kite::kmalloc_aligned(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment) noexcept {
    return kite::kmalloc_aligned(size, static_cast<size_t>(alignment));
}
void operator delete(void* pointer) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete[](void* pointer) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete(void* pointer, size_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete[](void* pointer, size_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete(void* pointer, std::align_val_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete[](void* pointer, std::align_val_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete(void* pointer, size_t, std::align_val_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
void operator delete[](void* pointer, size_t, std::align_val_t) noexcept {
    kite::kfree_from(pointer, __builtin_return_address(0));
}
