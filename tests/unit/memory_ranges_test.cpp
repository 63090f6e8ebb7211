// Host tests for kernel/mm/memory_ranges.cpp: RangeList merging/splitting
// (fixed cases and a randomized comparison with a bitmap) and usable_memory
// over synthetic memory maps.
#include "mm/memory_ranges.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace {

using kite::GiB;
using kite::MemoryRegion;
using kite::MiB;
using kite::PhysRange;
using kite::RangeList;
using kite::u64;

using Ranges = std::vector<std::pair<u64, u64>>;

Ranges to_vector(const RangeList& list) {
    Ranges out;
    for (size_t i = 0; i < list.count(); ++i)
        out.emplace_back(list[i].begin, list[i].end);
    return out;
}

constexpr uint32_t available = 1;
constexpr uint32_t reserved = 2;
constexpr uint32_t acpi_reclaimable = 3;
constexpr uint32_t acpi_nvs = 4;
constexpr uint32_t bad_ram = 5;

Ranges usable(const std::vector<MemoryRegion>& map,
              const std::vector<PhysRange>& reservations = {}) {
    const RangeList list =
        kite::usable_memory(map.data(), map.size(), reservations.data(), reservations.size());
    EXPECT_EQ(list.dropped(), 0u);
    // Results are page-aligned, sorted, non-empty, and never touch.
    for (size_t i = 0; i < list.count(); ++i) {
        EXPECT_EQ(list[i].begin % 4096, 0u) << i;
        EXPECT_EQ(list[i].end % 4096, 0u) << i;
        EXPECT_LT(list[i].begin, list[i].end) << i;
        if (i > 0) {
            EXPECT_LT(list[i - 1].end, list[i].begin) << i;
        }
    }
    return to_vector(list);
}

// --- RangeList ---

TEST(RangeList, StartsEmpty) {
    RangeList list;
    EXPECT_EQ(list.count(), 0u);
    EXPECT_EQ(list.total(), 0u);
    EXPECT_EQ(list.dropped(), 0u);
}

TEST(RangeList, AddKeepsDisjointRangesSorted) {
    RangeList list;
    list.add(500, 600);
    list.add(100, 200);
    list.add(300, 400);
    list.add(700, 800);
    EXPECT_EQ(to_vector(list), (Ranges{{100, 200}, {300, 400}, {500, 600}, {700, 800}}));
    EXPECT_EQ(list.total(), 400u);
}

TEST(RangeList, AddIgnoresEmptyAndInvertedRanges) {
    RangeList list;
    list.add(100, 100);
    list.add(200, 100);
    EXPECT_EQ(list.count(), 0u);
    list.add(10, 20);
    list.add(20, 20); // empty, touching: still nothing to add
    EXPECT_EQ(to_vector(list), (Ranges{{10, 20}}));
}

TEST(RangeList, AddMergesOverlappingRanges) {
    RangeList list;
    list.add(100, 200);
    list.add(150, 250);
    EXPECT_EQ(to_vector(list), (Ranges{{100, 250}}));
    list.add(50, 120);
    EXPECT_EQ(to_vector(list), (Ranges{{50, 250}}));
    list.add(60, 70); // inside
    EXPECT_EQ(to_vector(list), (Ranges{{50, 250}}));
    list.add(0, 1000); // around
    EXPECT_EQ(to_vector(list), (Ranges{{0, 1000}}));
    EXPECT_EQ(list.total(), 1000u);
}

TEST(RangeList, AddMergesTouchingRanges) {
    RangeList list;
    list.add(100, 200);
    list.add(200, 300); // touches the end
    EXPECT_EQ(to_vector(list), (Ranges{{100, 300}}));
    list.add(50, 100); // touches the start
    EXPECT_EQ(to_vector(list), (Ranges{{50, 300}}));
    list.add(301, 400); // one apart: stays separate
    EXPECT_EQ(to_vector(list), (Ranges{{50, 300}, {301, 400}}));
    list.add(300, 301); // fills the gap exactly
    EXPECT_EQ(to_vector(list), (Ranges{{50, 400}}));
}

TEST(RangeList, AddBridgesSeveralRanges) {
    RangeList list;
    list.add(0, 10);
    list.add(20, 30);
    list.add(40, 50);
    list.add(60, 70);
    list.add(80, 90);
    list.add(25, 65);
    EXPECT_EQ(to_vector(list), (Ranges{{0, 10}, {20, 70}, {80, 90}}));
    list.add(10, 80);
    EXPECT_EQ(to_vector(list), (Ranges{{0, 90}}));
}

TEST(RangeList, RemoveSplitsARange) {
    RangeList list;
    list.add(0, 100);
    list.add(200, 300);
    list.remove(40, 60);
    EXPECT_EQ(to_vector(list), (Ranges{{0, 40}, {60, 100}, {200, 300}}));
    EXPECT_EQ(list.total(), 180u);
}

TEST(RangeList, RemoveTrimsEdges) {
    RangeList list;
    list.add(100, 200);
    list.remove(50, 120);
    EXPECT_EQ(to_vector(list), (Ranges{{120, 200}}));
    list.remove(180, 500);
    EXPECT_EQ(to_vector(list), (Ranges{{120, 180}}));
    list.remove(120, 121);
    EXPECT_EQ(to_vector(list), (Ranges{{121, 180}}));
    list.remove(179, 180);
    EXPECT_EQ(to_vector(list), (Ranges{{121, 179}}));
}

TEST(RangeList, RemoveAcrossSeveralRanges) {
    RangeList list;
    list.add(0, 10);
    list.add(20, 30);
    list.add(40, 50);
    list.add(60, 70);
    list.remove(5, 65);
    EXPECT_EQ(to_vector(list), (Ranges{{0, 5}, {65, 70}}));
    list.remove(0, 100);
    EXPECT_EQ(list.count(), 0u);
    EXPECT_EQ(list.total(), 0u);
}

TEST(RangeList, RemoveWholeRangesExactly) {
    RangeList list;
    list.add(0, 10);
    list.add(20, 30);
    list.add(40, 50);
    list.remove(20, 30);
    EXPECT_EQ(to_vector(list), (Ranges{{0, 10}, {40, 50}}));
}

TEST(RangeList, RemoveOutsideOrEmptyChangesNothing) {
    RangeList list;
    list.add(100, 200);
    list.add(300, 400);
    list.remove(0, 100);   // touches the start
    list.remove(200, 300); // exactly the gap
    list.remove(400, 500); // touches the end
    list.remove(150, 150); // empty
    list.remove(180, 120); // inverted
    EXPECT_EQ(to_vector(list), (Ranges{{100, 200}, {300, 400}}));
}

TEST(RangeList, FullListDropsAndCountsInsteadOfOverflowing) {
    RangeList list;
    for (u64 i = 0; i < RangeList::capacity; ++i)
        list.add(i * 10, i * 10 + 5);
    EXPECT_EQ(list.count(), RangeList::capacity);
    EXPECT_EQ(list.dropped(), 0u);
    list.add(100000, 100005);
    EXPECT_EQ(list.count(), RangeList::capacity);
    EXPECT_EQ(list.dropped(), 1u);
    // Merging into existing ranges still works when full.
    list.add(5, 10);
    EXPECT_EQ(list.count(), RangeList::capacity - 1);
    EXPECT_EQ(list[0].begin, 0u);
    EXPECT_EQ(list[0].end, 15u);
    list.add(100000, 100005); // room again
    EXPECT_EQ(list.count(), RangeList::capacity);
    EXPECT_EQ(list[RangeList::capacity - 1].end, 100005u);
    // A split that does not fit keeps the lower part only (less memory,
    // never a write out of bounds).
    list.remove(1, 2);
    EXPECT_EQ(list.count(), RangeList::capacity);
    EXPECT_EQ(list.dropped(), 2u);
    EXPECT_EQ(list[0].begin, 0u);
    EXPECT_EQ(list[0].end, 1u);
    EXPECT_EQ(list[1].begin, 20u);
}

// Random adds and removes on [0, 1000) compared with a bitmap.
TEST(RangeList, RandomizedAgainstBitmap) {
    for (uint32_t seed : {1u, 2u, 3u, 99u}) {
        SCOPED_TRACE(testing::Message() << "seed " << seed);
        std::mt19937 rng(seed);
        constexpr u64 domain = 1000;
        std::vector<bool> bits(domain, false);
        RangeList list;
        for (int op = 0; op < 3000; ++op) {
            const u64 a = rng() % (domain + 1);
            const u64 length = rng() % 4 == 0 ? rng() % 300 : rng() % 20;
            const u64 b = std::min(domain, a + length);
            const bool add = rng() % 100 < 55;
            if (add)
                list.add(a, b);
            else
                list.remove(a, b);
            for (u64 i = a; i < b; ++i)
                bits[i] = add;

            Ranges expected;
            for (u64 i = 0; i < domain; ++i) {
                if (!bits[i])
                    continue;
                if (!expected.empty() && expected.back().second == i)
                    expected.back().second = i + 1;
                else
                    expected.emplace_back(i, i + 1);
            }
            ASSERT_EQ(to_vector(list), expected)
                << "after op " << op << (add ? " add " : " remove ") << a << ".." << b;
        }
        EXPECT_EQ(list.dropped(), 0u);
    }
}

// --- usable_memory ---

TEST(UsableMemory, TypicalPcMap) {
    const std::vector<MemoryRegion> map = {
        {0x0, 0x9fc00, available},
        {0x9fc00, 0x400, reserved},
        {0xf0000, 0x10000, reserved},
        {0x100000, 0x7ee0000, available},
        {0x7fe0000, 0x20000, reserved},
        {0xfffc0000, 0x40000, reserved},
        {0x100000000, 0x80000000, available},
    };
    EXPECT_EQ(usable(map), (Ranges{{0x100000, 0x7fe0000}, {0x100000000, 0x180000000}}));
}

TEST(UsableMemory, EmptyMap) {
    EXPECT_EQ(usable({}), Ranges{});
    EXPECT_EQ(usable({{0x100000, 0x100000, reserved}}), Ranges{});
}

TEST(UsableMemory, HolesStaySeparate) {
    const std::vector<MemoryRegion> map = {
        {2 * MiB, 2 * MiB, available},
        {8 * MiB, 1 * MiB, available},
        {5 * MiB, 1 * MiB, available},
    };
    EXPECT_EQ(usable(map), (Ranges{{2 * MiB, 4 * MiB}, {5 * MiB, 6 * MiB}, {8 * MiB, 9 * MiB}}));
}

TEST(UsableMemory, OverlappingAndTouchingAvailableRegionsMerge) {
    const std::vector<MemoryRegion> map = {
        {1 * MiB, 2 * MiB, available},
        {2 * MiB, 3 * MiB, available},    // overlaps
        {5 * MiB, 1 * MiB, available},    // touches
        {1 * MiB, 512 * 1024, available}, // inside
    };
    EXPECT_EQ(usable(map), (Ranges{{1 * MiB, 6 * MiB}}));
}

TEST(UsableMemory, NotAvailableWinsOverlaps) {
    // The reserved region is listed first and overlaps only partly, with
    // unaligned edges: it is widened outward to whole pages.
    const std::vector<MemoryRegion> map = {
        {4 * MiB + 0x800, 0x1000, reserved},
        {1 * MiB, 15 * MiB, available},
        {15 * MiB, 2 * MiB, acpi_nvs}, // covers the top end and beyond
    };
    EXPECT_EQ(usable(map), (Ranges{{1 * MiB, 4 * MiB}, {4 * MiB + 0x2000, 15 * MiB}}));
}

TEST(UsableMemory, EveryOtherTypeIsNotAvailable) {
    for (uint32_t type :
         {reserved, acpi_reclaimable, acpi_nvs, bad_ram, 0u, 6u, 12u, 0xffffffffu}) {
        SCOPED_TRACE(testing::Message() << "type " << type);
        const std::vector<MemoryRegion> map = {
            {1 * MiB, 3 * MiB, available},
            {2 * MiB, 4096, type},
        };
        EXPECT_EQ(usable(map), (Ranges{{1 * MiB, 2 * MiB}, {2 * MiB + 4096, 4 * MiB}}));
        // And on its own, it gives nothing.
        EXPECT_EQ(usable({{2 * MiB, 1 * MiB, type}}), Ranges{});
    }
}

TEST(UsableMemory, UnalignedEdgesShrinkInward) {
    const std::vector<MemoryRegion> map = {
        {0x100123, 0x10000, available}, // [0x100123, 0x110123)
        {0x200000, 0x5fff, available},  // end unaligned
        {0x300001, 0xfff, available},   // less than a page, aligned end
        {0x400800, 0x1000, available},  // a page long but straddling two
        {0x500000, 0x1000, available},  // exactly one page
    };
    EXPECT_EQ(usable(map),
              (Ranges{{0x101000, 0x110000}, {0x200000, 0x205000}, {0x500000, 0x501000}}));
}

TEST(UsableMemory, AdjacentUnalignedRegionsAreAlignedOneByOne) {
    // Each region is shrunk on its own before merging, so a page split
    // between two available regions is given up (conservative).
    const std::vector<MemoryRegion> map = {
        {0x200000, 0x1800, available},
        {0x201800, 0x2800, available},
    };
    EXPECT_EQ(usable(map), (Ranges{{0x200000, 0x201000}, {0x202000, 0x204000}}));
}

TEST(UsableMemory, RegionsAbove4GiB) {
    const std::vector<MemoryRegion> map = {
        {4 * GiB, 4 * GiB, available},
        {6 * GiB + 0x10, 0x20, reserved},
        {64 * GiB + 0x800, 2 * GiB, available},
        {1ull << 50, 1 * GiB, available},
    };
    EXPECT_EQ(usable(map), (Ranges{{4 * GiB, 6 * GiB},
                                   {6 * GiB + 0x1000, 8 * GiB},
                                   {64 * GiB + 0x1000, 66 * GiB},
                                   {1ull << 50, (1ull << 50) + 1 * GiB}}));
}

TEST(UsableMemory, LengthThatWouldOverflowIsClamped) {
    const u64 top = 0xfffffffffffff000; // last page boundary below 2^64
    // base + length wraps past 2^64: clamped to the end of the address space.
    EXPECT_EQ(usable({{0xffffffff00000000, 0x200000000, available}}),
              (Ranges{{0xffffffff00000000, top}}));
    EXPECT_EQ(usable({{16 * GiB, ~u64{0}, available}}), (Ranges{{16 * GiB, top}}));
    // Starting in the last page: nothing whole is left.
    EXPECT_EQ(usable({{0xfffffffffffff800, 0x10000, available}}), Ranges{});
    // A reserved region that wraps removes everything above its base, and
    // nothing below.
    EXPECT_EQ(usable({{16 * GiB, 16 * GiB, available}, {20 * GiB + 0x123, ~u64{0} - 5, reserved}}),
              (Ranges{{16 * GiB, 20 * GiB}}));
    // A wrapped length must not turn into a short region at the bottom.
    EXPECT_EQ(usable({{2 * MiB, 2 * MiB, available}, {0xffffffffffff0000, 0x20000, reserved}}),
              (Ranges{{2 * MiB, 4 * MiB}}));
}

TEST(UsableMemory, FirstMiBIsNeverUsable) {
    EXPECT_EQ(usable({{0, 2 * MiB, available}}), (Ranges{{1 * MiB, 2 * MiB}}));
    EXPECT_EQ(usable({{0x1000, 0x9e000, available}}), Ranges{});
    EXPECT_EQ(usable({{0xff000, 0x3000, available}}), (Ranges{{1 * MiB, 1 * MiB + 0x2000}}));
    EXPECT_EQ(usable({{1 * MiB, 4096, available}}), (Ranges{{1 * MiB, 1 * MiB + 4096}}));
}

TEST(UsableMemory, ReservationsAreRemovedWidenedToPages) {
    const std::vector<MemoryRegion> map = {{1 * MiB, 63 * MiB, available}};
    const std::vector<PhysRange> reservations = {
        {0x100000, 0x2345678},    // kernel image, unaligned end
        {0x3000800, 0x3001000},   // a module, unaligned start
        {0x3800000, 0x3800001},   // one byte (the boot information)
        {0x3900000, 0x3900000},   // empty: removes nothing
        {0x10000000, 0x20000000}, // outside the available memory
    };
    EXPECT_EQ(usable(map, reservations),
              (Ranges{{0x2346000, 0x3000000}, {0x3001000, 0x3800000}, {0x3801000, 0x4000000}}));
}

TEST(UsableMemory, ReservationsAtPageBoundariesRemoveNoMore) {
    const std::vector<MemoryRegion> map = {{1 * MiB, 3 * MiB, available}};
    const std::vector<PhysRange> reservations = {{2 * MiB, 3 * MiB}};
    EXPECT_EQ(usable(map, reservations), (Ranges{{1 * MiB, 2 * MiB}, {3 * MiB, 4 * MiB}}));
}

TEST(UsableMemory, EverythingTogether) {
    const std::vector<MemoryRegion> map = {
        {0x0, 0x9f000, available},
        {0x9f000, 0x1000, reserved},
        {0xe0000, 0x20000, reserved},
        {0x100000, 0xbfee0123, available}, // up to 0xbffe0123
        {0xbffe0000, 0x20000, acpi_reclaimable},
        {0xfee00000, 0x1000, reserved},
        {0x100000000, 0x40000000, available},
        {0x120000000, 0x30000000, available}, // overlaps the previous one
        {0x130000000, 0x1000, bad_ram},
    };
    const std::vector<PhysRange> reservations = {
        {0x100000, 0x400000},   // kernel
        {0x7f00000, 0x8000000}, // initrd module
    };
    EXPECT_EQ(usable(map, reservations), (Ranges{{0x400000, 0x7f00000},
                                                 {0x8000000, 0xbffe0000},
                                                 {0x100000000, 0x130000000},
                                                 {0x130001000, 0x150000000}}));
}

} // namespace
