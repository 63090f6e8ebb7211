// heap_tests.cpp: kmalloc/kfree and new/delete in the running kernel,
// including the debug checks (kernel.all boots with kite.heap_debug=1).
#include "lib/own_ptr.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "tests/ktest.h"

namespace kite {

namespace {

HeapProblem last_problem;
usize problems = 0;

void record_problem(const HeapProblem& problem) {
    last_problem = problem;
    ++problems;
}

// Heap usage that must come back after a test's work is done.
struct Usage {
    Heap::Stats heap;
    u64 free_frames;
};

Usage usage() {
    heap_release_cached();
    return {heap_stats(), physical::stats().free_frames};
}

bool same(const Usage& a, const Usage& b) {
    return a.heap.live_objects == b.heap.live_objects && a.heap.live_bytes == b.heap.live_bytes &&
           a.heap.slab_frames == b.heap.slab_frames && a.heap.large_frames == b.heap.large_frames &&
           a.free_frames == b.free_frames;
}

struct Tracked {
    static inline int alive = 0;
    explicit Tracked(int v) : value(v) { ++alive; }
    ~Tracked() { --alive; }
    int value;
};

} // namespace

KTEST(heap_million_small_allocations_return_to_start) {
    const Usage before = usage();
    bool all_ok = true;
    void* held[8] = {};
    for (u32 i = 0; i < 1'000'000; ++i) {
        const usize size = 1 + (i * 7) % 256;
        void* p = kmalloc(size);
        all_ok = all_ok && p != nullptr;
        if (!p) {
            break;
        }
        static_cast<u8*>(p)[size - 1] = static_cast<u8>(i);
        // Keep a few alive at a time so slabs fill and drain.
        const usize slot = i % 8;
        kfree(held[slot]);
        held[slot] = p;
    }
    for (void* p : held) {
        kfree(p);
    }
    KEXPECT(all_ok);
    KEXPECT(same(usage(), before));
}

KTEST(heap_many_live_objects_of_every_size) {
    const Usage before = usage();
    // Up to 3000 objects, but no more than half the free memory could hold
    // at three frames each (an object of up to 9000 bytes, with the debug
    // heap's guards): on a 32 MiB machine the initrd leaves less.
    constexpr usize most = 3000;
    const usize count = before.free_frames / 6 < most ? before.free_frames / 6 : most;
    KEXPECT(count >= 500);
    static void* objects[most];
    u64 seed = 12345;
    for (usize i = 0; i < count; ++i) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        const usize size = 1 + (seed >> 33) % 9000; // small and large
        objects[i] = kmalloc(size);
        KEXPECT(objects[i] != nullptr);
        KEXPECT(reinterpret_cast<uptr>(objects[i]) % 16 == 0);
        if (objects[i] != nullptr) {
            __builtin_memset(objects[i], static_cast<int>(i), size);
        }
    }
    for (usize i = 0; i < count; i += 2) { // free in two passes, out of order
        kfree(objects[i]);
    }
    for (usize i = 1; i < count; i += 2) {
        kfree(objects[i]);
    }
    KEXPECT(same(usage(), before));
}

KTEST(heap_large_and_aligned_allocations) {
    const Usage before = usage();
    void* big = kmalloc(100 * 1024);
    KEXPECT(big != nullptr && reinterpret_cast<uptr>(big) % 4096 == 0);
    __builtin_memset(big, 0x5a, 100 * 1024);
    void* aligned = kmalloc_aligned(64, 256);
    KEXPECT(aligned != nullptr && reinterpret_cast<uptr>(aligned) % 256 == 0);
    KEXPECT(kmalloc_aligned(64, 3) == nullptr); // not a power of two
    KEXPECT(kmalloc(u64{1} << 40) == nullptr);
    kfree(big);
    kfree(aligned);
    kfree(nullptr);
    KEXPECT(same(usage(), before));
}

KTEST(heap_exhaustion_is_nullptr_not_panic) {
    const Usage before = usage();
    // Chain 1 MiB blocks through their first word until the heap says no.
    void* chain = nullptr;
    usize blocks = 0;
    for (;;) {
        void* block = kmalloc(1024 * 1024);
        if (!block) {
            break;
        }
        *static_cast<void**>(block) = chain;
        chain = block;
        ++blocks;
    }
    KEXPECT(blocks > 0);
    void* small = kmalloc(16); // frames left over may still serve a slab
    kfree(small);
    while (chain) {
        void* next = *static_cast<void**>(chain);
        kfree(chain);
        chain = next;
    }
    KEXPECT(same(usage(), before));
}

KTEST(new_and_delete_run_constructors_and_destructors) {
    const Usage before = usage();
    {
        auto object = try_make<Tracked>(42);
        KEXPECT(!object.is_error());
        KEXPECT_EQ(object.value()->value, 42);
        KEXPECT_EQ(Tracked::alive, 1);
    }
    KEXPECT_EQ(Tracked::alive, 0);
    int* array = new int[100];
    KEXPECT(array != nullptr);
    if (array) {
        array[99] = 1;
    }
    delete[] array;
    KEXPECT(same(usage(), before));
}

KTEST(heap_debug_detects_double_free) {
    KEXPECT(heap_debug());
    auto old = heap_set_problem_handler(record_problem);
    problems = 0;
    void* p = kmalloc(40);
    kfree(p);
    kfree(p);
    heap_set_problem_handler(old);
    KEXPECT_EQ(problems, 1u);
    KEXPECT(last_problem.kind == HeapProblemKind::DoubleFree);
    KEXPECT(last_problem.pointer == p);
    KEXPECT(last_problem.caller != nullptr);
}

KTEST(heap_debug_detects_invalid_free) {
    auto old = heap_set_problem_handler(record_problem);
    problems = 0;
    int on_stack = 0;
    kfree(&on_stack);
    KEXPECT(problems == 1 && last_problem.kind == HeapProblemKind::InvalidFree);
    void* p = kmalloc(64);
    kfree(static_cast<u8*>(p) + 8); // inside an object, not its start
    KEXPECT(problems == 2 && last_problem.kind == HeapProblemKind::InvalidFree);
    void* big = kmalloc(20000);
    kfree(static_cast<u8*>(big) + 4096);
    KEXPECT(problems == 3 && last_problem.kind == HeapProblemKind::InvalidFree);
    heap_set_problem_handler(old);
    kfree(p);
    kfree(big);
    KEXPECT_EQ(problems, 3u);
}

KTEST(heap_debug_detects_overflow_and_poisons) {
    auto old = heap_set_problem_handler(record_problem);
    problems = 0;
    auto* p = static_cast<u8*>(kmalloc(20));
    KEXPECT_EQ(p[0], Heap::poison_fresh);
    p[20] = 'X'; // one byte past the end
    kfree(p);
    KEXPECT(problems == 1 && last_problem.kind == HeapProblemKind::RedZoneOverwritten);
    KEXPECT_EQ(last_problem.size, 20u);
    // The freed object is poisoned (its first word holds the free-list link).
    KEXPECT_EQ(p[8], Heap::poison_freed);
    KEXPECT_EQ(p[19], Heap::poison_freed);
    heap_set_problem_handler(old);
}

} // namespace kite
