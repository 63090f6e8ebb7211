// ata_tests.cpp: ATA requests that /dev nodes never make (they move a page
// at a time): transfers longer than one command (128 sectors), several
// requests queued on one channel at once and done in order, a flush among
// them. They need the disk tests/qemu/test_ata.py attaches, whose sector n
// starts with "sector %010d "; with no sda, or another disk there, the
// test prints SKIP and touches nothing. What it writes it puts back.
#include "console/console.h"
#include "dev/block_device.h"
#include "mm/direct_map.h"
#include "mm/physical.h"
#include "tests/ktest.h"

namespace kite {

namespace {

constexpr u8 buffer_order = 8; // 1 MiB: 2048 sectors
constexpr u32 buffer_sectors = (page_size << buffer_order) / sector_size;

// The number in a sector's "sector %010d " header, or ~0 if it has none.
u64 header_number(const u8* sector) {
    const char prefix[] = "sector ";
    for (usize i = 0; i + 1 < sizeof(prefix); ++i) {
        if (sector[i] != static_cast<u8>(prefix[i])) {
            return ~u64{0};
        }
    }
    u64 number = 0;
    for (usize i = 7; i < 17; ++i) {
        if (sector[i] < '0' || sector[i] > '9') {
            return ~u64{0};
        }
        number = number * 10 + (sector[i] - '0');
    }
    return sector[17] == ' ' ? number : ~u64{0};
}

// Whether sectors [first, first + count) read into data carry their own numbers.
bool headers_match(const u8* data, u64 first, u32 count) {
    for (u32 i = 0; i < count; ++i) {
        if (header_number(data + i * sector_size) != first + i) {
            kprintln("ata test: sector {} holds {}", first + i,
                     header_number(data + i * sector_size));
            return false;
        }
    }
    return true;
}

struct Piece {
    BlockRequest::Op op;
    u64 sector;
    u32 offset; // in sectors, into the buffer
    u32 count;
};

// Submits every piece before waiting for any: they queue on the channel.
bool run_queued(BlockDevice& disk, PhysAddr buffer, const Piece* pieces, usize count) {
    BlockRequest requests[8];
    VERIFY(count <= 8);
    for (usize i = 0; i < count; ++i) {
        requests[i].op = pieces[i].op;
        requests[i].sector = pieces[i].sector;
        requests[i].memory = PhysAddr(buffer.value() + pieces[i].offset * sector_size);
        requests[i].bytes = pieces[i].count * sector_size;
        if (disk.submit(requests[i]).is_error()) {
            for (usize j = 0; j < i; ++j) {
                (void)requests[j].completion.wait();
            }
            return false;
        }
    }
    bool ok = true;
    for (usize i = 0; i < count; ++i) {
        ok = !requests[i].completion.wait().is_error() && ok;
    }
    return ok;
}

} // namespace

KTEST(ata_long_and_queued_requests) {
    RefPtr<BlockDevice> disk = block_devices::find("sda");
    if (!disk || disk->sector_count() != 32768) {
        kprintln("SKIP: no 16 MiB sda (tests/qemu/test_ata.py attaches one)");
        return;
    }
    auto allocated = physical::allocate(buffer_order);
    KEXPECT(!allocated.is_error());
    if (allocated.is_error()) {
        return;
    }
    const PhysAddr buffer = allocated.value();
    u8* data = phys_to_virt<u8>(buffer);
    if (disk->read(1, buffer, sector_size).is_error() || header_number(data) != 1) {
        kprintln("SKIP: sda does not hold tests/qemu/test_ata.py's pattern");
        physical::free(buffer, buffer_order);
        return;
    }
    using Op = BlockRequest::Op;
    // Reads of 300 (three commands), 1 and 1000 sectors (eight) with a flush between.
    const Piece reads[] = {{Op::Read, 4000, 0, 300},
                           {Op::Flush, 0, 0, 0},
                           {Op::Read, 32767, 300, 1},
                           {Op::Read, 8000, 301, 1000}};
    KEXPECT(run_queued(*disk, buffer, reads, 4));
    KEXPECT(headers_match(data, 4000, 300));
    KEXPECT(headers_match(data + 300 * sector_size, 32767, 1));
    KEXPECT(headers_match(data + 301 * sector_size, 8000, 1000));

    // Sectors 20000-20299: kept at 0, overwritten with new headers from
    // 1000, read back at 300 by a read queued behind the write, put back.
    constexpr u64 at = 20000;
    constexpr u32 span = 300;
    static_assert(3 * span <= buffer_sectors);
    KEXPECT(!disk->read(at, buffer, span * sector_size).is_error());
    KEXPECT(headers_match(data, at, span));
    u8* fresh = data + 2 * span * sector_size;
    for (u32 i = 0; i < span * sector_size; ++i) {
        fresh[i] = static_cast<u8>(i * 31 + 5);
    }
    for (u32 i = 0; i < span; ++i) {
        // A header for sector i + 1,000,000: what no sector of sda says.
        u8* s = fresh + i * sector_size;
        __builtin_memcpy(s, "sector ", 7);
        u64 n = 1'000'000 + i;
        for (int d = 16; d >= 7; --d, n /= 10) {
            s[d] = static_cast<u8>('0' + n % 10);
        }
        s[17] = ' ';
    }
    const Piece rewrite[] = {{Op::Write, at, 2 * span, span},
                             {Op::Read, at, span, span},
                             {Op::Write, at, 0, span},
                             {Op::Flush, 0, 0, 0}};
    KEXPECT(run_queued(*disk, buffer, rewrite, 4));
    KEXPECT(__builtin_memcmp(data + span * sector_size, fresh, span * sector_size) == 0);
    KEXPECT(headers_match(data + span * sector_size, 1'000'000, span));
    // Put back: read again into the fresh area and compare with the kept copy.
    KEXPECT(!disk->read(at, PhysAddr(buffer.value() + 2 * span * sector_size), span * sector_size)
                 .is_error());
    KEXPECT(__builtin_memcmp(data, fresh, span * sector_size) == 0);
    physical::free(buffer, buffer_order);
}

} // namespace kite
