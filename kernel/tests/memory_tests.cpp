// memory_tests.cpp: the physical allocator, address spaces and kernel
// stacks, checked against their promises: exhaustion is an error value,
// everything freed comes back exactly, and unmapped means faulting.
#include "arch/x86_64/address_space.h"
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/probe.h"
#include "mm/direct_map.h"
#include "mm/kernel_stack.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "tests/ktest.h"

namespace kite {

namespace {

// A kernel-half address nothing else uses.
constexpr u64 test_area = 0xffffd00000000000;

bool same_free_blocks(const physical::Stats& a, const physical::Stats& b) {
    for (usize order = 0; order < BuddyAllocator::order_count; ++order) {
        if (a.free_blocks[order] != b.free_blocks[order]) {
            return false;
        }
    }
    return a.free_frames == b.free_frames;
}

} // namespace

KTEST(frames_exhaust_then_all_return) {
    heap_release_cached();
    const physical::Stats before = physical::stats();
    // Chain every frame we get through its own first word: no heap needed,
    // and every frame (above 4 GiB too) is written once.
    u64 chain = 0;
    u64 count = 0;
    for (;;) {
        auto frame = physical::allocate();
        if (frame.is_error()) {
            KEXPECT(frame.error().code() == Errno::NOMEM);
            break;
        }
        *phys_to_virt<u64>(frame.value()) = chain;
        chain = frame.value().value();
        ++count;
    }
    KEXPECT_EQ(count, before.free_frames);
    KEXPECT_EQ(physical::stats().free_frames, 0u);
    while (chain != 0) {
        const u64 next = *phys_to_virt<u64>(PhysAddr(chain));
        physical::free(PhysAddr(chain));
        chain = next;
    }
    KEXPECT(same_free_blocks(physical::stats(), before));
}

KTEST(freed_frame_is_handed_out_again) {
    auto first = physical::allocate();
    KEXPECT(!first.is_error());
    physical::free(first.value());
    auto second = physical::allocate();
    KEXPECT(!second.is_error());
    KEXPECT_EQ(second.value().value(), first.value().value());
    physical::free(second.value());
}

KTEST(large_blocks_are_aligned_and_coalesce) {
    const physical::Stats before = physical::stats();
    auto block = physical::allocate(BuddyAllocator::max_order);
    KEXPECT(!block.is_error());
    KEXPECT(block.value().is_aligned(page_size << BuddyAllocator::max_order));
    auto small = physical::allocate(0);
    KEXPECT(!small.is_error());
    physical::free(block.value(), BuddyAllocator::max_order);
    physical::free(small.value(), 0);
    KEXPECT(same_free_blocks(physical::stats(), before));
}

KTEST(map_write_read_through_direct_map_unmap_faults) {
    const physical::Stats before = physical::stats();
    auto frame = physical::allocate_zeroed();
    KEXPECT(!frame.is_error());
    const VirtAddr virt(test_area);
    KEXPECT(!AddressSpace::kernel().map(virt, frame.value(), MapFlags::Writable).is_error());
    KEXPECT(AddressSpace::kernel().map(virt, frame.value(), MapFlags::Writable).error().code() ==
            Errno::EXIST);
    auto* through_mapping = reinterpret_cast<volatile u64*>(virt.value());
    through_mapping[7] = 0x1122334455667788;
    KEXPECT_EQ(phys_to_virt<u64>(frame.value())[7], 0x1122334455667788u);
    auto mapping = AddressSpace::kernel().translate(virt);
    KEXPECT(!mapping.is_error() && mapping.value().phys == frame.value());
    KEXPECT(mapping.value().writable && !mapping.value().executable && !mapping.value().user);

    KEXPECT(!AddressSpace::kernel().protect(virt, MapFlags::None).is_error());
    KEXPECT(!probe_write_u8(virt.value(), 1)); // read-only now
    u64 value = 0;
    KEXPECT(probe_read_u64(virt.value(), &value));

    auto unmapped = AddressSpace::kernel().unmap(virt);
    KEXPECT(!unmapped.is_error() && unmapped.value() == frame.value());
    KEXPECT(!probe_read_u64(virt.value(), &value));
    KEXPECT_EQ(last_recovered_fault().cr2, virt.value());
    KEXPECT(AddressSpace::kernel().unmap(virt).error().code() == Errno::NOENT);
    physical::free(frame.value());
    // The page table and page directory made for test_area were freed too.
    KEXPECT(same_free_blocks(physical::stats(), before));
}

KTEST(map_rejects_bad_addresses) {
    AddressSpace& kernel = AddressSpace::kernel();
    const PhysAddr frame(0x200000);
    KEXPECT(kernel.map(VirtAddr(test_area + 1), frame, MapFlags::None).error().code() ==
            Errno::INVAL);
    KEXPECT(kernel.map(VirtAddr(0x0000900000000000), frame, MapFlags::None).error().code() ==
            Errno::INVAL); // non-canonical
    KEXPECT(kernel.map(VirtAddr(0x400000), frame, MapFlags::None).error().code() ==
            Errno::INVAL); // user half in the kernel space
    KEXPECT(kernel.map(VirtAddr(direct_map_base), frame, MapFlags::None).error().code() ==
            Errno::EXIST); // inside a 2 MiB page
}

KTEST(user_address_space_shares_the_kernel_half) {
    heap_release_cached();
    const physical::Stats before = physical::stats();
    {
        auto space = AddressSpace::create();
        KEXPECT(!space.is_error());
        AddressSpace& user = *space.value();
        auto frame = physical::allocate_zeroed();
        KEXPECT(!frame.is_error());
        const VirtAddr code(0x400000);
        KEXPECT(!user.map(code, frame.value(), MapFlags::User | MapFlags::Executable).is_error());
        auto mapping = user.translate(code);
        KEXPECT(!mapping.is_error() && mapping.value().user && mapping.value().executable &&
                !mapping.value().writable);
        KEXPECT(AddressSpace::kernel().translate(code).is_error());
        KEXPECT(user.map(VirtAddr(test_area), frame.value(), MapFlags::None).error().code() ==
                Errno::INVAL);

        // A kernel mapping made after the user space was created is seen there.
        auto kernel_frame = physical::allocate();
        KEXPECT(!AddressSpace::kernel()
                     .map(VirtAddr(test_area), kernel_frame.value(), MapFlags::Writable)
                     .is_error());
        auto seen = user.translate(VirtAddr(test_area));
        KEXPECT(!seen.is_error() && seen.value().phys == kernel_frame.value());
        KEXPECT(!AddressSpace::kernel().unmap(VirtAddr(test_area)).is_error());
        physical::free(kernel_frame.value());

        // Leave the user page mapped: the destructor frees the tables and
        // the frame stays ours.
        space.value().reset();
        physical::free(frame.value());
    }
    heap_release_cached();
    KEXPECT(same_free_blocks(physical::stats(), before));
}

KTEST(kernel_stack_has_a_guard_page) {
    heap_release_cached();
    const physical::Stats before = physical::stats();
    {
        auto stack = KernelStack::create();
        KEXPECT(!stack.is_error());
        const KernelStack& s = stack.value();
        KEXPECT_EQ(s.top() - s.bottom(), kernel_stack_size);
        KEXPECT(probe_write_u8(s.bottom(), 1));
        KEXPECT(probe_write_u8(s.top() - 1, 1));
        KEXPECT(!probe_write_u8(s.guard() + page_size - 1, 1));
        KEXPECT_EQ(last_recovered_fault().cr2, s.bottom() - 1);
    }
    KEXPECT(same_free_blocks(physical::stats(), before));
}

} // namespace kite
