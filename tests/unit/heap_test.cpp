// Host tests for kernel/mm/heap.cpp over a FrameSource backed by a
// BuddyAllocator and a plain host memory region. Free frames of the region
// are poisoned for AddressSanitizer, so the heap touching memory it does not
// own is caught as well.
#include "mm/heap.h"

#include "mm/buddy.h"

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define KITE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KITE_TEST_ASAN 1
#endif
#endif
#ifndef KITE_TEST_ASAN
#define KITE_TEST_ASAN 0
#endif

namespace {

using kite::BuddyAllocator;
using kite::ErrorOr;
using kite::Heap;
using kite::HeapProblem;
using kite::HeapProblemKind;
using kite::KiB;
using kite::MiB;
using kite::Page;
using kite::page_size;
using kite::PhysAddr;
using kite::u64;
using kite::u8;

// A FrameSource over [base, base + bytes) of host memory; "physical"
// address = offset in the region. The region starts `misalign` bytes after
// a 4 MiB boundary (0 by default; RegionOnlyPageAligned checks that the heap
// does not depend on virtual alignment).
class HostFrames final : public kite::FrameSource {
  public:
    static constexpr size_t region_alignment = 4 * MiB;

    explicit HostFrames(size_t bytes, size_t misalign = 0)
        : m_bytes(bytes),
          m_total((bytes + misalign + region_alignment - 1) / region_alignment * region_alignment),
          m_pages(bytes / page_size) {
        m_raw = static_cast<u8*>(std::aligned_alloc(region_alignment, m_total));
        m_base = m_raw + misalign;
        std::memset(m_raw, 0x5a, m_total);
        ASAN_POISON_MEMORY_REGION(m_raw, m_total);
        buddy.init(m_pages.data(), 0, m_pages.size());
        buddy.add_free_range(0, m_pages.size());
        initial_free = buddy.free_frames();
        for (u8 o = 0; o <= BuddyAllocator::max_order; ++o)
            initial_blocks[o] = buddy.free_blocks(o);
    }
    ~HostFrames() {
        ASAN_UNPOISON_MEMORY_REGION(m_raw, m_total);
        std::free(m_raw);
    }
    HostFrames(const HostFrames&) = delete;
    HostFrames& operator=(const HostFrames&) = delete;

    ErrorOr<PhysAddr> allocate(u8 order) override {
        auto frame = buddy.allocate(order);
        if (frame.is_error())
            return frame.release_error();
        ASAN_UNPOISON_MEMORY_REGION(m_base + frame.value() * page_size, page_size << order);
        return PhysAddr(frame.value() * page_size);
    }
    void free(PhysAddr block, u8 order) override {
        EXPECT_TRUE(block.is_aligned(page_size)) << block.value();
        auto result = buddy.free(block.value() / page_size, order);
        EXPECT_FALSE(result.is_error())
            << "heap freed a block it does not own: " << block.value() << " order " << int(order);
        if (!result.is_error())
            ASAN_POISON_MEMORY_REGION(m_base + block.value(), page_size << order);
    }
    Page* page(PhysAddr frame) override {
        EXPECT_TRUE(frame.is_aligned(page_size)) << frame.value();
        const u64 index = frame.value() / page_size;
        return buddy.manages(index) ? &buddy.page(index) : nullptr;
    }
    u8* to_virt(PhysAddr address) override {
        EXPECT_LT(address.value(), m_bytes);
        return m_base + address.value();
    }
    bool to_phys(const void* pointer, PhysAddr& out) override {
        const auto p = reinterpret_cast<uintptr_t>(pointer);
        const auto base = reinterpret_cast<uintptr_t>(m_base);
        if (p < base || p - base >= m_bytes)
            return false;
        out = PhysAddr(p - base);
        return true;
    }

    [[nodiscard]] u8* base() const { return m_base; }
    [[nodiscard]] size_t bytes() const { return m_bytes; }
    [[nodiscard]] bool contains(const void* p, size_t n) const {
        const auto a = reinterpret_cast<uintptr_t>(p);
        const auto base = reinterpret_cast<uintptr_t>(m_base);
        return a >= base && a - base <= m_bytes && n <= m_bytes - (a - base);
    }
    // Reads memory that may lie in a free (poisoned) frame.
    std::vector<u8> peek(const void* p, size_t n) const {
        std::vector<u8> out(n);
#if KITE_TEST_ASAN
        const bool poisoned = __asan_region_is_poisoned(const_cast<void*>(p), n) != nullptr;
#else
        const bool poisoned = false;
#endif
        ASAN_UNPOISON_MEMORY_REGION(p, n);
        std::memcpy(out.data(), p, n);
        if (poisoned)
            ASAN_POISON_MEMORY_REGION(p, n);
        return out;
    }
    [[nodiscard]] bool back_to_initial() const {
        if (buddy.free_frames() != initial_free)
            return false;
        for (u8 o = 0; o <= BuddyAllocator::max_order; ++o)
            if (buddy.free_blocks(o) != initial_blocks[o])
                return false;
        return true;
    }

    BuddyAllocator buddy;
    u64 initial_free = 0;
    std::array<u64, BuddyAllocator::order_count> initial_blocks{};

  private:
    size_t m_bytes;
    size_t m_total;
    std::vector<Page> m_pages;
    u8* m_raw = nullptr;
    u8* m_base = nullptr;
};

// Problems the heap reported (the handler is a plain function pointer).
std::vector<HeapProblem> g_problems;
void record_problem(const HeapProblem& problem) {
    g_problems.push_back(problem);
}

const void* const test_caller = reinterpret_cast<const void*>(uintptr_t{0x1234});

// The block the heap is documented to use for a request: the smallest size
// class (16 B .. 2 KiB, powers of two) that holds it, or whole pages rounded
// to a power of two. In debug mode a small object also holds a 16-byte
// header and at least 8 bytes of red zone.
struct Block {
    bool small;
    u64 bytes;
};
Block expected_block(size_t size, size_t alignment, bool debug) {
    const size_t s = size == 0 ? 1 : size;
    const size_t needed = debug ? s + 16 + 8 : s;
    if (alignment <= 16 && needed <= Heap::largest_class) {
        u64 c = Heap::smallest_class;
        while (c < needed)
            c *= 2;
        return {true, c};
    }
    u64 frames = 1;
    while (frames * page_size < s)
        frames *= 2;
    return {false, frames * page_size};
}

u8 pattern(u64 id, size_t i) {
    return static_cast<u8>(id * 131 + i * 7 + 1);
}

class HeapTest : public testing::TestWithParam<bool> {
  protected:
    void SetUp() override { make(8 * MiB); }
    void TearDown() override {
        heap.set_problem_handler(nullptr);
        g_problems.clear();
    }
    void make(size_t bytes, size_t misalign = 0) {
        frames.reset(); // before the new one: one region at a time
        frames = std::make_unique<HostFrames>(bytes, misalign);
        heap = Heap{};
        heap.init(*frames, GetParam());
        heap.set_problem_handler(record_problem);
        g_problems.clear();
    }
    bool debug() const { return GetParam(); }

    void expect_empty_and_released() {
        heap.release_cached();
        const Heap::Stats s = heap.stats();
        EXPECT_EQ(s.live_objects, 0u);
        EXPECT_EQ(s.live_bytes, 0u);
        EXPECT_EQ(s.slab_frames, 0u);
        EXPECT_EQ(s.large_frames, 0u);
        EXPECT_EQ(s.cached_slabs, 0u);
        EXPECT_EQ(frames->buddy.free_frames(), frames->initial_free);
        EXPECT_TRUE(frames->back_to_initial()) << "buddy blocks did not coalesce back";
    }
    // Frames the heap holds according to the buddy and to the heap agree.
    void expect_frames_consistent() {
        const Heap::Stats s = heap.stats();
        EXPECT_EQ(frames->initial_free - frames->buddy.free_frames(),
                  s.slab_frames + s.large_frames);
    }

    std::unique_ptr<HostFrames> frames;
    Heap heap;
};

std::string mode_name(const testing::TestParamInfo<bool>& info) {
    return info.param ? "Debug" : "Fast";
}

TEST_P(HeapTest, InitialState) {
    EXPECT_EQ(heap.debug(), debug());
    const Heap::Stats s = heap.stats();
    EXPECT_EQ(s.live_objects, 0u);
    EXPECT_EQ(s.live_bytes, 0u);
    EXPECT_EQ(s.slab_frames, 0u);
    EXPECT_EQ(s.large_frames, 0u);
    EXPECT_EQ(frames->buddy.free_frames(), 2048u);
}

TEST_P(HeapTest, EverySizeClassAndLargeSizes) {
    std::vector<size_t> sizes;
    for (size_t c = 16; c <= 2048; c *= 2) {
        for (size_t s : {c / 2 + 1, c - 1, c, c + 1})
            sizes.push_back(s);
        if (c > 24) { // the debug-mode class boundaries (header + red zone)
            sizes.push_back(c - 24);
            sizes.push_back(c - 23);
        }
    }
    for (size_t s : {0, 1, 2, 3, 2049, 4095, 4096, 4097, 8191, 8193, 16384, 40000, 65536})
        sizes.push_back(s);
    u64 id = 0;
    for (size_t size : sizes) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        const Heap::Stats before = heap.stats();
        auto* p = static_cast<u8*>(heap.allocate(size));
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
        ASSERT_TRUE(frames->contains(p, size));
        const Block block = expected_block(size, 16, debug());
        const Heap::Stats after = heap.stats();
        EXPECT_EQ(after.live_objects, before.live_objects + 1);
        EXPECT_EQ(after.live_bytes, before.live_bytes + block.bytes);
        if (block.small) {
            EXPECT_EQ(after.large_frames, before.large_frames);
            EXPECT_EQ(heap.allocation_size(p), debug() ? std::max<size_t>(size, 1) : block.bytes);
        } else {
            EXPECT_EQ(after.large_frames, before.large_frames + block.bytes / page_size);
            EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % page_size, 0u);
            EXPECT_EQ(heap.allocation_size(p), block.bytes);
        }
        expect_frames_consistent();
        ++id;
        for (size_t i = 0; i < size; ++i)
            p[i] = pattern(id, i);
        for (size_t i = 0; i < size; ++i)
            ASSERT_EQ(p[i], pattern(id, i)) << i;
        heap.free(p, test_caller);
        EXPECT_EQ(heap.stats().live_objects, before.live_objects);
        EXPECT_EQ(heap.stats().live_bytes, before.live_bytes);
    }
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapTest, ZeroSizeGivesDistinctPointers) {
    void* a = heap.allocate(0);
    void* b = heap.allocate(0);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    heap.free(a, test_caller);
    heap.free(b, test_caller);
    heap.free(nullptr, test_caller); // no-op
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

struct Live {
    size_t size;
    u64 id;
};

void check_pattern(const u8* p, const Live& live) {
    for (size_t i = 0; i < live.size; ++i)
        ASSERT_EQ(p[i], pattern(live.id, i))
            << "object " << live.id << " of " << live.size << " bytes changed at byte " << i;
}

TEST_P(HeapTest, RandomizedAgainstModel) {
    for (uint32_t seed : {1u, 2u, 3u, 77u}) {
        SCOPED_TRACE(testing::Message() << "seed " << seed);
        make(8 * MiB);
        std::mt19937 rng(seed);
        std::map<uintptr_t, Live> live; // by address
        u64 next_id = 0, expected_bytes = 0;
        int large_count = 0;
        for (int op = 0; op < 5000; ++op) {
            const bool allocate = live.empty() || (live.size() < 400 && rng() % 100 < 55);
            if (allocate) {
                size_t size;
                const unsigned r = rng() % 100;
                if (r < 40)
                    size = rng() % 65; // 0..64
                else if (r < 85)
                    size = rng() % 2049; // any small class
                else if (r < 95)
                    size = 2049 + rng() % (16 * KiB);
                else
                    size = 16 * KiB + rng() % (48 * KiB + 1);      // up to 64 KiB
                const size_t alignment = size_t{1} << (rng() % 5); // 1..16
                auto* p = static_cast<u8*>(heap.allocate(size, alignment));
                ASSERT_NE(p, nullptr) << "op " << op << " size " << size;
                const auto a = reinterpret_cast<uintptr_t>(p);
                ASSERT_EQ(a % 16, 0u) << "size " << size;
                ASSERT_TRUE(frames->contains(p, size));
                // No overlap with the neighbours in address order.
                const size_t extent = std::max<size_t>(size, 1);
                auto next = live.lower_bound(a);
                if (next != live.end()) {
                    ASSERT_LE(a + extent, next->first) << "overlaps the next live object";
                }
                if (next != live.begin()) {
                    auto prev = std::prev(next);
                    ASSERT_LE(prev->first + std::max<size_t>(prev->second.size, 1), a)
                        << "overlaps the previous live object";
                }
                const Block block = expected_block(size, alignment, debug());
                large_count += !block.small;
                expected_bytes += block.bytes;
                const Live object{size, ++next_id};
                for (size_t i = 0; i < size; ++i)
                    p[i] = pattern(object.id, i);
                live.emplace(a, object);
            } else {
                auto it = live.begin();
                std::advance(it, rng() % live.size());
                auto* p = reinterpret_cast<u8*>(it->first);
                check_pattern(p, it->second);
                if (HasFatalFailure())
                    return;
                expected_bytes -= expected_block(it->second.size, 1, debug()).bytes;
                heap.free(p, test_caller);
                live.erase(it);
            }
            const Heap::Stats s = heap.stats();
            ASSERT_EQ(s.live_objects, live.size()) << "op " << op;
            ASSERT_EQ(s.live_bytes, expected_bytes) << "op " << op;
            if (op % 250 == 0) {
                expect_frames_consistent();
                for (const auto& [address, object] : live) {
                    check_pattern(reinterpret_cast<const u8*>(address), object);
                    if (HasFatalFailure())
                        return;
                }
            }
        }
        EXPECT_GT(large_count, 50);
        ASSERT_TRUE(g_problems.empty()) << "problem kind " << int(g_problems[0].kind);
        // Free everything left, in random order.
        std::vector<std::pair<uintptr_t, Live>> rest(live.begin(), live.end());
        std::shuffle(rest.begin(), rest.end(), rng);
        for (const auto& [address, object] : rest) {
            check_pattern(reinterpret_cast<const u8*>(address), object);
            if (HasFatalFailure())
                return;
            heap.free(reinterpret_cast<void*>(address), test_caller);
        }
        EXPECT_TRUE(g_problems.empty());
        expect_empty_and_released();
    }
}

TEST_P(HeapTest, ExhaustionGivesNullptrAndEverythingComesBack) {
    make(1 * MiB);
    std::mt19937 rng(5);
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE(testing::Message() << "round " << round);
        std::vector<void*> pointers;
        const size_t mixed[] = {16, 100, 500, 1000, 2000, 3000, 9000, 40000, 70000};
        for (size_t i = 0;; ++i) {
            void* p = heap.allocate(mixed[i % std::size(mixed)]);
            if (!p)
                break;
            pointers.push_back(p);
            ASSERT_LT(pointers.size(), 100000u);
        }
        // Then fill what is left, largest classes first, down to 16 bytes.
        for (size_t size = 2048; size >= 1; size /= 2) {
            const size_t request = debug() ? (size > 24 ? size - 24 : 1) : size;
            while (void* p = heap.allocate(request)) {
                pointers.push_back(p);
                ASSERT_LT(pointers.size(), 100000u);
            }
        }
        EXPECT_EQ(heap.allocate(1), nullptr);
        EXPECT_EQ(heap.allocate(100000), nullptr);
        EXPECT_EQ(frames->buddy.free_frames(), 0u) << "frames left unused";
        expect_frames_consistent();
        EXPECT_EQ(heap.stats().live_objects, pointers.size());
        EXPECT_TRUE(g_problems.empty());

        std::shuffle(pointers.begin(), pointers.end(), rng);
        for (void* p : pointers)
            heap.free(p, test_caller);
        EXPECT_TRUE(g_problems.empty());
        expect_empty_and_released();
    }
}

TEST_P(HeapTest, SizeLimits) {
    void* a = heap.allocate(4 * MiB); // one order-10 block
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(heap.stats().large_frames, 1024u);
    EXPECT_EQ(heap.allocate(4 * MiB + 1), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX - 8), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX - 30, 4096), nullptr);
    void* b = heap.allocate(4 * MiB - 100);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(heap.allocate(4 * MiB), nullptr); // both blocks used
    EXPECT_EQ(heap.stats().live_objects, 2u);
    heap.free(a, test_caller);
    heap.free(b, test_caller);
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapTest, AlignmentRequests) {
    std::vector<void*> pointers;
    u64 id = 0;
    for (size_t alignment : {64, 256, 4096}) {
        for (size_t size : {1, 16, 48, 100, 2048, 5000}) {
            SCOPED_TRACE(testing::Message() << "alignment " << alignment << " size " << size);
            auto* p = static_cast<u8*>(heap.allocate(size, alignment));
            ASSERT_NE(p, nullptr);
            EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
            ASSERT_TRUE(frames->contains(p, size));
            std::memset(p, static_cast<int>(++id), size);
            pointers.push_back(p);
        }
    }
    for (size_t alignment : {1, 2, 4, 8, 16}) {
        auto* p = static_cast<u8*>(heap.allocate(24, alignment));
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
        pointers.push_back(p);
    }
    const Heap::Stats before = heap.stats();
    const u64 free_before = frames->buddy.free_frames();
    for (size_t alignment : {size_t{0}, size_t{3}, size_t{6}, size_t{24}, size_t{48}, size_t{100},
                             size_t{4095}, size_t{4097}, size_t{8192}, size_t{1} << 20, SIZE_MAX}) {
        EXPECT_EQ(heap.allocate(16, alignment), nullptr) << "alignment " << alignment;
    }
    EXPECT_EQ(heap.stats().live_objects, before.live_objects);
    EXPECT_EQ(heap.stats().live_bytes, before.live_bytes);
    EXPECT_EQ(frames->buddy.free_frames(), free_before);
    for (void* p : pointers)
        heap.free(p, test_caller);
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapTest, EmptySlabIsCachedThenReleased) {
    void* p = heap.allocate(100);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(heap.stats().slab_frames, 1u);
    heap.free(p, test_caller);
    EXPECT_EQ(heap.stats().cached_slabs, 1u);
    EXPECT_EQ(heap.stats().slab_frames, 1u);
    void* q = heap.allocate(100); // reuses the cached slab
    EXPECT_EQ(heap.stats().cached_slabs, 0u);
    EXPECT_EQ(heap.stats().slab_frames, 1u);
    heap.free(q, test_caller);
    expect_empty_and_released();
}

INSTANTIATE_TEST_SUITE_P(Modes, HeapTest, testing::Bool(), mode_name);

// --- Debug mode only ---

class HeapDebugTest : public HeapTest {};

TEST_P(HeapDebugTest, DoubleFreeOfSmallObject) {
    for (size_t size : {1, 8, 40, 100, 1000, 2000}) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        void* keep = heap.allocate(size); // keeps the slab in use
        void* p = heap.allocate(size);
        ASSERT_NE(p, nullptr);
        heap.free(p, test_caller);
        const Heap::Stats before = heap.stats();
        EXPECT_TRUE(g_problems.empty());
        heap.free(p, test_caller);
        ASSERT_EQ(g_problems.size(), 1u);
        EXPECT_EQ(g_problems[0].kind, HeapProblemKind::DoubleFree);
        EXPECT_EQ(g_problems[0].pointer, p);
        EXPECT_EQ(g_problems[0].caller, test_caller);
        const Heap::Stats after = heap.stats();
        EXPECT_EQ(after.live_objects, before.live_objects);
        EXPECT_EQ(after.live_bytes, before.live_bytes);
        g_problems.clear();
        // The slot is still handed out only once.
        void* a = heap.allocate(size);
        void* b = heap.allocate(size);
        EXPECT_NE(a, b);
        heap.free(a, test_caller);
        heap.free(b, test_caller);
        heap.free(keep, test_caller);
        EXPECT_TRUE(g_problems.empty());
    }
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, DoubleFreeOfSmallObjectInCachedSlab) {
    void* p = heap.allocate(64);
    ASSERT_NE(p, nullptr);
    heap.free(p, test_caller);
    ASSERT_EQ(heap.stats().cached_slabs, 1u);
    heap.free(p, test_caller);
    ASSERT_EQ(g_problems.size(), 1u);
    EXPECT_EQ(g_problems[0].kind, HeapProblemKind::DoubleFree);
    EXPECT_EQ(heap.stats().live_objects, 0u);
    g_problems.clear();
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, DoubleFreeOfLargeObject) {
    void* a = heap.allocate(8192);
    void* b = heap.allocate(8192);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    heap.free(b, test_caller);
    PhysAddr phys;
    ASSERT_TRUE(frames->to_phys(b, phys));
    // Precondition: b's block did not merge (its buddy is a, still live).
    ASSERT_EQ(frames->buddy.page(phys.value() / page_size).state, kite::PageState::FreeHead);
    const Heap::Stats before = heap.stats();
    const u64 free_before = frames->buddy.free_frames();
    heap.free(b, test_caller);
    ASSERT_EQ(g_problems.size(), 1u);
    EXPECT_EQ(g_problems[0].kind, HeapProblemKind::DoubleFree);
    EXPECT_EQ(g_problems[0].pointer, b);
    EXPECT_EQ(heap.stats().live_objects, before.live_objects);
    EXPECT_EQ(heap.stats().large_frames, before.large_frames);
    EXPECT_EQ(frames->buddy.free_frames(), free_before);
    g_problems.clear();
    heap.free(a, test_caller);
    // After merging, a second free of a is still reported (kind depends on
    // where the merged block starts) and changes nothing.
    heap.free(a, test_caller);
    EXPECT_EQ(g_problems.size(), 1u);
    g_problems.clear();
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, FreeOfPointerIntoAnObject) {
    for (size_t size : {32, 200, 1500, 3000, 20000}) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        auto* p = static_cast<u8*>(heap.allocate(size));
        ASSERT_NE(p, nullptr);
        const Heap::Stats before = heap.stats();
        std::vector<size_t> offsets = {1, 8, 16, size - 1};
        if (size > 4096)
            offsets.push_back(4096); // page-aligned, inside a large block
        for (size_t offset : offsets) {
            heap.free(p + offset, test_caller);
            ASSERT_EQ(g_problems.size(), 1u) << "offset " << offset;
            EXPECT_EQ(g_problems[0].kind, HeapProblemKind::InvalidFree) << "offset " << offset;
            EXPECT_EQ(g_problems[0].pointer, p + offset);
            g_problems.clear();
        }
        // Just before the object: inside the previous slot's red zone or the
        // header, or before a large block.
        heap.free(p - 8, test_caller);
        ASSERT_EQ(g_problems.size(), 1u);
        EXPECT_EQ(g_problems[0].kind, HeapProblemKind::InvalidFree);
        g_problems.clear();
        EXPECT_EQ(heap.stats().live_objects, before.live_objects);
        EXPECT_EQ(heap.stats().live_bytes, before.live_bytes);
        heap.free(p, test_caller);
        EXPECT_TRUE(g_problems.empty());
    }
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, FreeOfSlabHeader) {
    auto* p = static_cast<u8*>(heap.allocate(16));
    ASSERT_NE(p, nullptr);
    u8* slab = reinterpret_cast<u8*>(reinterpret_cast<uintptr_t>(p) & ~uintptr_t{page_size - 1});
    for (u8* q : {slab, slab + 8, slab + 32}) {
        heap.free(q, test_caller);
        ASSERT_EQ(g_problems.size(), 1u);
        EXPECT_EQ(g_problems[0].kind, HeapProblemKind::InvalidFree);
        g_problems.clear();
    }
    EXPECT_EQ(heap.stats().live_objects, 1u);
    heap.free(p, test_caller);
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, FreeOfPointerOutsideTheRegion) {
    void* keep = heap.allocate(100);
    int on_stack = 0;
    std::vector<u8> elsewhere(64);
    const Heap::Stats before = heap.stats();
    for (const void* q :
         {static_cast<const void*>(&on_stack), static_cast<const void*>(elsewhere.data()),
          static_cast<const void*>(frames->base() - 16),
          static_cast<const void*>(frames->base() + frames->bytes()),
          static_cast<const void*>(frames->base() + frames->bytes() + 4096)}) {
        heap.free(const_cast<void*>(q), test_caller);
        ASSERT_EQ(g_problems.size(), 1u);
        EXPECT_EQ(g_problems[0].kind, HeapProblemKind::InvalidFree);
        EXPECT_EQ(g_problems[0].pointer, q);
        EXPECT_EQ(g_problems[0].caller, test_caller);
        g_problems.clear();
    }
    // Inside the region, but in a frame that was never allocated.
    heap.free(frames->base() + frames->bytes() - 4096 + 48, test_caller);
    ASSERT_EQ(g_problems.size(), 1u);
    EXPECT_EQ(g_problems[0].kind, HeapProblemKind::InvalidFree);
    g_problems.clear();
    EXPECT_EQ(heap.stats().live_objects, before.live_objects);
    EXPECT_EQ(heap.stats().live_bytes, before.live_bytes);
    heap.free(keep, test_caller);
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, WriteOnePastTheEndIsReported) {
    for (size_t size : {1, 7, 8, 16, 24, 40, 100, 488, 1000, 2024}) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        auto* p = static_cast<u8*>(heap.allocate(size));
        ASSERT_NE(p, nullptr);
        std::memset(p, 0x11, size); // the whole object is fine
        p[size] = 0x11;             // one byte too many
        const u64 live = heap.stats().live_objects;
        heap.free(p, test_caller);
        ASSERT_EQ(g_problems.size(), 1u);
        EXPECT_EQ(g_problems[0].kind, HeapProblemKind::RedZoneOverwritten);
        EXPECT_EQ(g_problems[0].pointer, p);
        EXPECT_EQ(g_problems[0].size, size);
        EXPECT_EQ(g_problems[0].caller, test_caller);
        EXPECT_EQ(heap.stats().live_objects, live - 1); // still freed
        g_problems.clear();
    }
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, WritesBeforeOrAtTheEndOfTheRedZoneAreReported) {
    for (size_t size : {10, 100, 1000}) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        const u64 object = expected_block(size, 16, true).bytes;
        // Just before the object, and the last byte of the slot.
        for (ptrdiff_t offset : {ptrdiff_t{-1}, static_cast<ptrdiff_t>(object - 16 - 1)}) {
            auto* p = static_cast<u8*>(heap.allocate(size));
            ASSERT_NE(p, nullptr);
            p[offset] ^= 0xff;
            heap.free(p, test_caller);
            ASSERT_EQ(g_problems.size(), 1u) << "offset " << offset;
            EXPECT_EQ(g_problems[0].kind, HeapProblemKind::RedZoneOverwritten);
            g_problems.clear();
        }
    }
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, FreshMemoryIsFilledAndFreedMemoryPoisoned) {
    for (size_t size : {1, 8, 9, 40, 100, 500, 1000, 2000}) {
        SCOPED_TRACE(testing::Message() << "size " << size);
        const u64 object = expected_block(size, 16, true).bytes;
        void* keep = heap.allocate(size); // keeps the slab in use
        auto* p = static_cast<u8*>(heap.allocate(size));
        ASSERT_NE(p, nullptr);
        for (size_t i = 0; i < size; ++i)
            ASSERT_EQ(p[i], Heap::poison_fresh) << i;
        std::memset(p, 0, size);
        heap.free(p, test_caller);
        // The first 8 bytes hold the free-list link; the rest is poison.
        const std::vector<u8> bytes = frames->peek(p, object - 16);
        for (size_t i = 8; i < bytes.size(); ++i)
            ASSERT_EQ(bytes[i], Heap::poison_freed) << i;
        // Reused: fresh fill again.
        auto* q = static_cast<u8*>(heap.allocate(size));
        ASSERT_NE(q, nullptr);
        for (size_t i = 0; i < size; ++i)
            ASSERT_EQ(q[i], Heap::poison_fresh) << i;
        heap.free(q, test_caller);
        heap.free(keep, test_caller);
    }
    // Large blocks: fresh fill over the whole block, poison when freed.
    auto* big = static_cast<u8*>(heap.allocate(10000));
    ASSERT_NE(big, nullptr);
    for (size_t i = 0; i < 4 * page_size; ++i)
        ASSERT_EQ(big[i], Heap::poison_fresh) << i;
    std::memset(big, 0, 10000);
    heap.free(big, test_caller);
    const std::vector<u8> bytes = frames->peek(big, 4 * page_size);
    for (size_t i = 0; i < bytes.size(); ++i)
        ASSERT_EQ(bytes[i], Heap::poison_freed) << i;
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

TEST_P(HeapDebugTest, NoHandlerMeansNoCrash) {
    heap.set_problem_handler(nullptr);
    void* p = heap.allocate(32);
    heap.free(p, test_caller);
    heap.free(p, test_caller);
    int on_stack = 0;
    heap.free(&on_stack, test_caller);
    EXPECT_EQ(heap.stats().live_objects, 0u);
    EXPECT_EQ(heap.set_problem_handler(record_problem), nullptr);
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

INSTANTIATE_TEST_SUITE_P(Modes, HeapDebugTest, testing::Values(true), mode_name);

// The heap finds a slab's header by masking the object's *virtual* address
// with the slab size (heap.cpp, Heap::free and Heap::allocation_size). Slabs
// of the 1 KiB and 2 KiB classes span 2 and 4 frames, so this is only right
// when the FrameSource maps each block to an address aligned like its
// physical address. The kernel's direct map does; a region that is merely
// page-aligned does not. Disabled until heap.cpp finds the header from the
// physical address (or FrameSource documents the requirement).
TEST_P(HeapTest, RegionOnlyPageAligned) {
    make(1 * MiB, 4096); // page-aligned, not 16 KiB-aligned
    for (size_t size : {1000, 2000}) {
        std::vector<void*> pointers;
        for (int i = 0; i < 20; ++i)
            pointers.push_back(heap.allocate(size));
        for (void* p : pointers) {
            EXPECT_GE(heap.allocation_size(p), size);
            heap.free(p, test_caller);
        }
    }
    EXPECT_TRUE(g_problems.empty());
    expect_empty_and_released();
}

} // namespace
