// Host tests for kernel/mm/buddy.cpp: fixed layouts with exact block counts,
// error paths, and long randomized alloc/free sequences checked against a
// per-frame model.
#include "mm/buddy.h"

namespace {
constexpr kite::Errno enomem = kite::Errno::NOMEM;
constexpr kite::Errno einval = kite::Errno::INVAL;
} // namespace

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace {

using kite::BuddyAllocator;
using kite::Errno;
using kite::Page;
using kite::u64;
using kite::u8;

constexpr u8 max_order = BuddyAllocator::max_order;
using OrderCounts = std::array<u64, BuddyAllocator::order_count>;

// An allocator with its own Page array, sized exactly (so AddressSanitizer
// catches any access to a Page outside it).
struct Buddy {
    Buddy(u64 first_frame, u64 frame_count) : pages(frame_count), first(first_frame) {
        // Scribble on the array first: init must reset every record.
        for (Page& p : pages) {
            p.state = kite::PageState::AllocatedHead;
            p.order = 7;
            p.next = p.prev = 1;
        }
        allocator.init(pages.data(), first_frame, frame_count);
    }

    OrderCounts counts() const {
        OrderCounts c{};
        for (u8 o = 0; o <= max_order; ++o)
            c[o] = allocator.free_blocks(o);
        return c;
    }
    // The free lists' blocks add up to free_frames().
    u64 frames_on_lists() const {
        u64 sum = 0;
        for (u8 o = 0; o <= max_order; ++o)
            sum += allocator.free_blocks(o) << o;
        return sum;
    }

    std::vector<Page> pages;
    u64 first;
    BuddyAllocator allocator;
};

u64 alloc_ok(BuddyAllocator& b, u8 order) {
    auto r = b.allocate(order);
    EXPECT_FALSE(r.is_error()) << "order " << int(order);
    return r.is_error() ? ~u64{0} : r.value();
}

Errno alloc_error(BuddyAllocator& b, u8 order) {
    auto r = b.allocate(order);
    EXPECT_TRUE(r.is_error()) << "order " << int(order) << " gave frame " << r.value();
    return r.is_error() ? r.error().code() : kite::Errno{};
}

TEST(Buddy, EmptyAllocatorHasNothingToGive) {
    Buddy b(0, 64);
    EXPECT_EQ(b.allocator.managed_frames(), 0u);
    EXPECT_EQ(b.allocator.free_frames(), 0u);
    EXPECT_EQ(b.counts(), OrderCounts{});
    EXPECT_EQ(alloc_error(b.allocator, 0), enomem);
    for (const Page& p : b.pages)
        EXPECT_EQ(p.state, kite::PageState::Reserved);
}

TEST(Buddy, WholeAlignedRangeBecomesMaxOrderBlocks) {
    Buddy b(0, 4096);
    b.allocator.add_free_range(0, 4096);
    EXPECT_EQ(b.allocator.managed_frames(), 4096u);
    EXPECT_EQ(b.allocator.free_frames(), 4096u);
    OrderCounts expected{};
    expected[10] = 4;
    EXPECT_EQ(b.counts(), expected);

    // Splitting one order-10 block for one frame leaves one block of each
    // lower order; freeing the frame merges it all back.
    const u64 f = alloc_ok(b.allocator, 0);
    EXPECT_EQ(f % 1024, 0u);
    OrderCounts split{};
    for (u8 o = 0; o < 10; ++o)
        split[o] = 1;
    split[10] = 3;
    EXPECT_EQ(b.counts(), split);
    EXPECT_EQ(b.allocator.free_frames(), 4095u);
    ASSERT_FALSE(b.allocator.free(f, 0).is_error());
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(b.allocator.free_frames(), 4096u);
}

TEST(Buddy, UnalignedRangeManagesExactlyThoseFrames) {
    Buddy b(0, 1024);
    b.allocator.add_free_range(3, 1000);
    EXPECT_EQ(b.allocator.managed_frames(), 997u);
    EXPECT_EQ(b.allocator.free_frames(), 997u);
    // 3 | 4-7 | 8-15 | 16-31 | 32-63 | 64-127 | 128-255 | 256-511 | 512-767 |
    // 768-895 | 896-959 | 960-991 | 992-999
    const OrderCounts expected{1, 0, 1, 2, 1, 2, 2, 2, 2, 0, 0};
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(b.frames_on_lists(), 997u);

    // Taking single frames until exhaustion yields exactly [3, 1000).
    std::vector<bool> seen(1024, false);
    for (int i = 0; i < 997; ++i) {
        const u64 f = alloc_ok(b.allocator, 0);
        ASSERT_GE(f, 3u);
        ASSERT_LT(f, 1000u);
        ASSERT_FALSE(seen[f]) << "frame " << f << " handed out twice";
        seen[f] = true;
    }
    EXPECT_EQ(alloc_error(b.allocator, 0), enomem);
    EXPECT_EQ(b.allocator.free_frames(), 0u);
    EXPECT_EQ(b.counts(), OrderCounts{});
    for (u64 f = 3; f < 1000; ++f)
        ASSERT_FALSE(b.allocator.free(f, 0).is_error()) << f;
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(b.allocator.free_frames(), 997u);
}

TEST(Buddy, FrameNumbersNotStartingAtZero) {
    // Frames [256, 1280): alignment is of absolute frame numbers, so this
    // is 256-511 (order 8), 512-1023 (order 9), 1024-1279 (order 8).
    Buddy b(256, 1024);
    b.allocator.add_free_range(256, 1280);
    EXPECT_EQ(b.allocator.managed_frames(), 1024u);
    const OrderCounts expected{0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0};
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(alloc_error(b.allocator, 10), enomem);
    EXPECT_EQ(alloc_ok(b.allocator, 9), 512u);
    const u64 a = alloc_ok(b.allocator, 8);
    const u64 c = alloc_ok(b.allocator, 8);
    EXPECT_TRUE((a == 256 && c == 1024) || (a == 1024 && c == 256)) << a << " " << c;
    EXPECT_EQ(alloc_error(b.allocator, 0), enomem);
    EXPECT_TRUE(b.allocator.manages(256));
    EXPECT_TRUE(b.allocator.manages(1279));
    EXPECT_FALSE(b.allocator.manages(255));
    EXPECT_FALSE(b.allocator.manages(1280));
    // Frame 0 is not ours.
    EXPECT_TRUE(b.allocator.free(0, 8).is_error());
    ASSERT_FALSE(b.allocator.free(512, 9).is_error());
    ASSERT_FALSE(b.allocator.free(a, 8).is_error());
    ASSERT_FALSE(b.allocator.free(c, 8).is_error());
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(b.allocator.free_frames(), 1024u);
}

TEST(Buddy, AddFreeRangeIsClampedToTheManagedFrames) {
    Buddy b(256, 300);
    b.allocator.add_free_range(0, 100000);
    EXPECT_EQ(b.allocator.managed_frames(), 300u);
    EXPECT_EQ(b.allocator.free_frames(), 300u);
    // Only frames 256-555 exist: 256-511, 512-543, 544-551, 552-555.
    const OrderCounts expected{0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0};
    EXPECT_EQ(b.counts(), expected);
    b.allocator.add_free_range(600, 700); // entirely outside: nothing
    b.allocator.add_free_range(10, 200);
    EXPECT_EQ(b.allocator.managed_frames(), 300u);
}

TEST(Buddy, SeveralRangesDoNotMergeAcrossHoles) {
    Buddy b(0, 2048);
    b.allocator.add_free_range(0, 512);
    b.allocator.add_free_range(513, 1024); // frame 512 stays Reserved
    b.allocator.add_free_range(1024, 2048);
    EXPECT_EQ(b.allocator.managed_frames(), 2047u);
    // 0-511 (9), 513 (0), 514-515 (1), 516-519 (2), ..., 768-1023 (8), 1024-2047 (10)
    const OrderCounts expected{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    EXPECT_EQ(b.counts(), expected);
    EXPECT_EQ(b.allocator.page(512).state, kite::PageState::Reserved);
    // Freeing 512 is refused: it was never handed to the allocator.
    EXPECT_TRUE(b.allocator.free(512, 0).is_error());
    EXPECT_EQ(b.counts(), expected);
}

TEST(Buddy, BadFreesAreRefusedAndChangeNothing) {
    Buddy b(0, 1024);
    b.allocator.add_free_range(0, 1024);
    const u64 big = alloc_ok(b.allocator, 4);
    const u64 small = alloc_ok(b.allocator, 0);
    const u64 free_before = b.allocator.free_frames();
    const OrderCounts counts_before = b.counts();

    auto expect_einval = [&](u64 frame, u8 order) {
        auto r = b.allocator.free(frame, order);
        ASSERT_TRUE(r.is_error()) << "frame " << frame << " order " << int(order);
        EXPECT_EQ(r.error().code(), einval);
        EXPECT_EQ(b.allocator.free_frames(), free_before);
        EXPECT_EQ(b.counts(), counts_before);
    };
    expect_einval(big, 3);       // smaller order than allocated
    expect_einval(big, 5);       // larger order than allocated
    expect_einval(big + 1, 0);   // a tail frame of the block
    expect_einval(big + 8, 3);   // the upper half of the block
    expect_einval(small, 1);     // wrong order
    expect_einval(small + 1, 0); // a frame still on a free list
    expect_einval(1024, 0);      // outside the managed frames
    expect_einval(small, 11);    // order above max_order
    expect_einval(~u64{0} - 1, 0);

    ASSERT_FALSE(b.allocator.free(big, 4).is_error());
    const u64 free_after = b.allocator.free_frames();
    const OrderCounts counts_after = b.counts();
    EXPECT_EQ(free_after, free_before + 16);
    // Double free.
    auto again = b.allocator.free(big, 4);
    ASSERT_TRUE(again.is_error());
    EXPECT_EQ(again.error().code(), einval);
    EXPECT_EQ(b.allocator.free_frames(), free_after);
    EXPECT_EQ(b.counts(), counts_after);

    ASSERT_FALSE(b.allocator.free(small, 0).is_error());
    EXPECT_TRUE(b.allocator.free(small, 0).is_error());
    EXPECT_EQ(b.allocator.free_frames(), 1024u);
    const OrderCounts initial{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_EQ(b.counts(), initial);
}

TEST(Buddy, OrderAboveMaxIsInvalid) {
    Buddy b(0, 2048);
    b.allocator.add_free_range(0, 2048);
    EXPECT_EQ(alloc_error(b.allocator, max_order + 1), einval);
    EXPECT_EQ(alloc_error(b.allocator, 255), einval);
    EXPECT_EQ(b.allocator.free_frames(), 2048u);
}

TEST(Buddy, AllocatedHeadRecordsOrderAndResetsOwnerFields) {
    Buddy b(0, 64);
    b.allocator.add_free_range(0, 64);
    const u64 f = alloc_ok(b.allocator, 3);
    Page& head = b.allocator.page(f);
    EXPECT_EQ(head.state, kite::PageState::AllocatedHead);
    EXPECT_EQ(head.order, 3);
    EXPECT_EQ(head.use, 0);
    head.use = 5;
    head.refcount = 9;
    ASSERT_FALSE(b.allocator.free(f, 3).is_error());
    const u64 g = alloc_ok(b.allocator, 3);
    EXPECT_EQ(g, f);
    EXPECT_EQ(b.allocator.page(g).use, 0);
    EXPECT_EQ(b.allocator.page(g).refcount, 0u);
}

// --- Randomized sequences against a per-frame model ---

struct Layout {
    const char* name;
    u64 first_frame;
    u64 frame_count;
    std::vector<std::pair<u64, u64>> free_ranges;
};

enum : u8 { Unmanaged = 0, Free = 1, Used = 2 };

class Model {
  public:
    Model(const Layout& layout) : first(layout.first_frame), state(layout.frame_count, Unmanaged) {
        for (auto [begin, end] : layout.free_ranges)
            for (u64 f = begin; f < end; ++f)
                state[f - first] = Free;
    }
    bool all(u64 frame, u8 order, u8 s) const {
        if (frame < first || frame - first + (u64{1} << order) > state.size())
            return false;
        for (u64 i = 0; i < (u64{1} << order); ++i)
            if (state[frame - first + i] != s)
                return false;
        return true;
    }
    void set(u64 frame, u8 order, u8 s) {
        for (u64 i = 0; i < (u64{1} << order); ++i)
            state[frame - first + i] = s;
    }
    // Whether some naturally aligned run of 2^order frames is all free.
    bool fits(u8 order) const {
        const u64 size = u64{1} << order;
        for (u64 f = (first + size - 1) & ~(size - 1); f + size <= first + state.size(); f += size)
            if (all(f, order, Free))
                return true;
        return false;
    }

    u64 first;
    std::vector<u8> state;
};

void run_random(const Layout& layout, uint32_t seed, int operations) {
    SCOPED_TRACE(testing::Message() << layout.name << " seed " << seed);
    Buddy b(layout.first_frame, layout.frame_count);
    for (auto [begin, end] : layout.free_ranges)
        b.allocator.add_free_range(begin, end);
    Model model(layout);

    u64 expected_free = 0;
    for (u8 s : model.state)
        expected_free += s == Free;
    ASSERT_EQ(b.allocator.managed_frames(), expected_free);
    ASSERT_EQ(b.allocator.free_frames(), expected_free);
    const u64 initial_free = expected_free;
    const OrderCounts initial_counts = b.counts();
    ASSERT_EQ(b.frames_on_lists(), initial_free);

    std::mt19937 rng(seed);
    std::vector<std::pair<u64, u8>> live;
    int allocations = 0, exhausted = 0;
    // Alternate allocation-heavy and free-heavy phases so the allocator
    // runs into exhaustion and back many times.
    for (int op = 0; op < operations; ++op) {
        const bool alloc_phase = (op / 400) % 2 == 0;
        const unsigned alloc_percent = alloc_phase ? 75 : 30;
        if (live.empty() || rng() % 100 < alloc_percent) {
            // Mostly small orders, sometimes big ones.
            const unsigned r = rng() % 100;
            const u8 order = r < 50 ? 0 : r < 80 ? u8(1 + rng() % 3) : u8(rng() % (max_order + 1));
            auto result = b.allocator.allocate(order);
            if (result.is_error()) {
                ASSERT_EQ(result.error().code(), enomem) << "order " << int(order);
                ASSERT_FALSE(model.fits(order))
                    << "ENOMEM for order " << int(order) << " with a free aligned block left";
                ++exhausted;
            } else {
                const u64 frame = result.value();
                ASSERT_EQ(frame % (u64{1} << order), 0u) << "misaligned order " << int(order);
                ASSERT_TRUE(model.all(frame, order, Free))
                    << "block " << frame << " order " << int(order)
                    << " is outside the free frames or overlaps a live block";
                model.set(frame, order, Used);
                live.emplace_back(frame, order);
                expected_free -= u64{1} << order;
                ++allocations;
            }
        } else {
            const size_t index = rng() % live.size();
            const auto [frame, order] = live[index];
            live[index] = live.back();
            live.pop_back();
            ASSERT_FALSE(b.allocator.free(frame, order).is_error()) << frame;
            model.set(frame, order, Free);
            expected_free += u64{1} << order;
        }
        ASSERT_EQ(b.allocator.free_frames(), expected_free) << "after operation " << op;
        ASSERT_EQ(b.frames_on_lists(), expected_free) << "after operation " << op;
    }
    // The sequence must really have exercised both paths.
    EXPECT_GT(allocations, operations / 4);
    EXPECT_GT(exhausted, 10);

    // A double free in the middle of it all changes nothing.
    if (!live.empty()) {
        const auto [frame, order] = live.back();
        live.pop_back();
        ASSERT_FALSE(b.allocator.free(frame, order).is_error());
        expected_free += u64{1} << order;
        const OrderCounts counts = b.counts();
        ASSERT_TRUE(b.allocator.free(frame, order).is_error());
        ASSERT_EQ(b.counts(), counts);
        ASSERT_EQ(b.allocator.free_frames(), expected_free);
    }

    std::shuffle(live.begin(), live.end(), rng);
    for (auto [frame, order] : live)
        ASSERT_FALSE(b.allocator.free(frame, order).is_error()) << frame;
    EXPECT_EQ(b.allocator.free_frames(), initial_free);
    EXPECT_EQ(b.allocator.managed_frames(), initial_free);
    EXPECT_EQ(b.counts(), initial_counts) << "free blocks did not coalesce back";
}

const std::vector<Layout>& layouts() {
    static const std::vector<Layout> all = {
        {"aligned 4096 frames", 0, 4096, {{0, 4096}}},
        {"unaligned [3, 1000)", 0, 1024, {{3, 1000}}},
        {"from frame 256 with holes", 256, 3100, {{259, 1500}, {1503, 2900}, {2950, 3356}}},
        {"two large ranges split by one frame", 0, 3072, {{0, 1537}, {1538, 3072}}},
    };
    return all;
}

TEST(Buddy, RandomizedAgainstModel) {
    for (const Layout& layout : layouts())
        for (uint32_t seed : {1u, 2u, 3u, 20240601u})
            run_random(layout, seed, 6000);
}

} // namespace
