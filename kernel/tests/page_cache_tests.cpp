// page_cache_tests.cpp: the page cache (mm/page_cache.h) with a backing
// that writes back, as a disk file system's would be (tmpfs and the
// initrd, which the user tests cover, have none that writes): missing
// pages are filled by read_page (by fill() for a fault), dirty ones reach write_page with the
// bytes up to the end of the file, truncate drops pages, and every frame
// comes back.
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/page_cache.h"
#include "mm/physical.h"
#include "mm/user_frames.h"
#include "tests/ktest.h"

namespace kite {

namespace {

// Page i of the "disk" holds the byte 'A' + i everywhere (up to the end).
class FakeDisk final : public PageBacking {
  public:
    explicit FakeDisk(u64 size) : m_size(size) {}
    ErrorOr<void> read_page(u64 index, u8* page) override {
        ++reads;
        const u64 at = index * page_size;
        const u64 n = at < m_size ? min<u64>(page_size, m_size - at) : 0;
        __builtin_memset(page, 'A' + static_cast<int>(index), n);
        __builtin_memset(page + n, 0, page_size - n);
        return {};
    }
    ErrorOr<void> write_page(u64 index, const u8* page, usize valid_bytes) override {
        ++writes;
        last_index = index;
        last_valid = valid_bytes;
        last_first_byte = page[0];
        return {};
    }
    bool writes_back() const override { return true; }

    u64 reads = 0;
    u64 writes = 0;
    u64 last_index = ~u64{0};
    usize last_valid = 0;
    u8 last_first_byte = 0;

  private:
    u64 m_size;
};

} // namespace

KTEST(page_cache_fills_writes_back_and_truncates) {
    heap_release_cached(); // the heap's empty slabs are not what this counts
    const u64 free_before = physical::stats().free_frames;
    {
        FakeDisk disk(2 * page_size + 100); // three pages, the last one partly
        auto made = PageCache::try_create(&disk, 2 * page_size + 100, 0, 1);
        KEXPECT(!made.is_error());
        if (made.is_error()) {
            return;
        }
        RefPtr<PageCache> cache = made.release_value();
        KEXPECT(cache->tracks_dirty());
        KEXPECT_EQ(cache->find(0).value(), u64{0});

        // A missing page is filled once; the second ask finds it.
        auto page1 = cache->find_or_create(1);
        KEXPECT(!page1.is_error());
        KEXPECT_EQ(disk.reads, u64{1});
        KEXPECT_EQ(phys_to_virt<u8>(page1.value())[0], u8{'B'});
        KEXPECT_EQ(cache->find(1).value(), page1.value().value());

        // A mapping's reference. A page the backing must fill is EAGAIN
        // (the fault fills it without its space's lock, then asks again);
        // past the end: ENXIO (SIGBUS).
        auto unfilled = cache->frame_for_mapping(2);
        KEXPECT(unfilled.is_error() && unfilled.error().code() == Errno::AGAIN);
        KEXPECT_EQ(disk.reads, u64{1});
        KEXPECT(!cache->fill(2).is_error());
        auto mapped = cache->frame_for_mapping(2);
        KEXPECT(!mapped.is_error());
        KEXPECT_EQ(disk.reads, u64{2});
        KEXPECT_EQ(phys_to_virt<u8>(mapped.value())[99], u8{'C'});
        KEXPECT_EQ(phys_to_virt<u8>(mapped.value())[100], u8{0});
        auto beyond = cache->frame_for_mapping(3);
        KEXPECT(beyond.is_error() && beyond.error().code() == Errno::NXIO);

        // Only dirty pages are written, the last with its valid bytes; a
        // page still mapped stays dirty, one mapped nowhere is clean after.
        KEXPECT(!cache->write_back(0, 3).is_error());
        KEXPECT_EQ(disk.writes, u64{0});
        phys_to_virt<u8>(page1.value())[0] = 'x';
        cache->mark_dirty(1);
        cache->mark_dirty(2);
        KEXPECT(!cache->write_back(0, 3).is_error());
        KEXPECT_EQ(disk.writes, u64{2});
        KEXPECT_EQ(disk.last_index, u64{2});
        KEXPECT_EQ(disk.last_valid, usize{100});
        KEXPECT(!cache->write_back(0, 3).is_error());
        KEXPECT_EQ(disk.writes, u64{3}); // page 2 is mapped: written again
        KEXPECT_EQ(disk.last_index, u64{2});
        release_user_frame(mapped.value()); // the mapping goes
        KEXPECT(!cache->write_back(0, 3).is_error());
        KEXPECT_EQ(disk.writes, u64{4}); // written once more, now clean
        KEXPECT(!cache->write_back(0, 3).is_error());
        KEXPECT_EQ(disk.writes, u64{4});
        KEXPECT_EQ(disk.last_first_byte, u8{'C'});

        // truncate: pages past the end leave, the new last page's tail is
        // zero, faults past it fail.
        cache->truncate(page_size + 10);
        KEXPECT_EQ(cache->find(2).value(), u64{0});
        KEXPECT_EQ(phys_to_virt<u8>(cache->find(1))[9], u8{'B'});
        KEXPECT_EQ(phys_to_virt<u8>(cache->find(1))[10], u8{0});
        auto gone = cache->frame_for_mapping(2);
        KEXPECT(gone.is_error() && gone.error().code() == Errno::NXIO);
        auto gone_fill = cache->fill(2);
        KEXPECT(gone_fill.is_error() && gone_fill.error().code() == Errno::NXIO);

        // Growing past the blocks' first table (a sparse page far out).
        KEXPECT(!cache->reserve(5000).is_error());
        cache->set_size(5000 * page_size);
        auto far = cache->find_or_create(4999);
        KEXPECT(!far.is_error());
        KEXPECT_EQ(cache->find(4999).value(), far.value().value());
        KEXPECT_EQ(cache->find(4998).value(), u64{0});
        cache->truncate(0);
        KEXPECT_EQ(cache->find(4999).value(), u64{0});
        KEXPECT_EQ(cache->find(1).value(), u64{0});
    }
    heap_release_cached();
    KEXPECT_EQ(physical::stats().free_frames, free_before);
}

} // namespace kite
