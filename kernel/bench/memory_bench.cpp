// memory_bench.cpp: costs of the memory subsystem's basic operations.
#include "arch/x86_64/address_space.h"
#include "bench/kbench.h"
#include "debug/panic.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"

namespace kite {

namespace {

constexpr u64 bench_area = 0xffffd00000000000;

template <usize Size>
u64 kmalloc_kfree() {
    return kbench::measure(100000, [] {
        void* p = kmalloc(Size);
        asm volatile("" : : "r"(p) : "memory"); // keep the pair from being optimised away
        kfree(p);
    });
}

} // namespace

KBENCH(frame_alloc_free) {
    return kbench::measure(100000, [] {
        auto frame = physical::allocate();
        VERIFY(!frame.is_error());
        physical::free(frame.value());
    });
}

// A neighbouring page stays mapped so the page tables persist: this is the
// cost of the leaf operation and its invlpg, not of building tables.
KBENCH(map_unmap_4k) {
    auto frame = physical::allocate();
    VERIFY(!frame.is_error());
    AddressSpace& space = AddressSpace::kernel();
    VERIFY(!space.map(VirtAddr(bench_area + page_size), frame.value(), MapFlags::None).is_error());
    const u64 cycles = kbench::measure(100000, [&] {
        VERIFY(!space.map(VirtAddr(bench_area), frame.value(), MapFlags::Writable).is_error());
        VERIFY(!space.unmap(VirtAddr(bench_area)).is_error());
    });
    VERIFY(!space.unmap(VirtAddr(bench_area + page_size)).is_error());
    physical::free(frame.value());
    return cycles;
}

KBENCH(kmalloc_kfree_32) {
    return kmalloc_kfree<32>();
}
KBENCH(kmalloc_kfree_256) {
    return kmalloc_kfree<256>();
}
KBENCH(kmalloc_kfree_4096) {
    return kmalloc_kfree<4096>();
}

} // namespace kite
