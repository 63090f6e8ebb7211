// kernel_stack.cpp: slot bookkeeping (a bitmap) and the mappings.
#include "mm/kernel_stack.h"

#include "arch/x86_64/address_space.h"
#include "debug/panic.h"
#include "mm/physical.h"
#include "sync/spinlock.h"

namespace kite {

namespace {

// Which slots of the kernel-stack area are taken, reachable only under
// their lock.
struct Slots {
    u64 used[kernel_stack_slots / 64];
    usize next_hint;
};
Protected<Slots> slots{"kernel stack slots", LockRank::KernelStacks};

u64 slot_base(usize slot) {
    return kernel_stack_area + slot * kernel_stack_slot_size;
}
u64 stack_bottom(usize slot) {
    return slot_base(slot) + kernel_stack_slot_size - kernel_stack_size;
}

ErrorOr<usize> take_slot() {
    return slots.with([](Slots& s) -> ErrorOr<usize> {
        for (usize n = 0; n < kernel_stack_slots; ++n) {
            const usize slot = (s.next_hint + n) % kernel_stack_slots;
            if (!(s.used[slot / 64] & (u64{1} << (slot % 64)))) {
                s.used[slot / 64] |= u64{1} << (slot % 64);
                s.next_hint = slot + 1;
                return slot;
            }
        }
        return Error(Errno::NOMEM, "no kernel stack slot left");
    });
}

void give_back_slot(usize slot) {
    slots.with([slot](Slots& s) { s.used[slot / 64] &= ~(u64{1} << (slot % 64)); });
}

void unmap_stack(usize slot, u64 mapped_pages) {
    for (u64 i = 0; i < mapped_pages; ++i) {
        auto frame = AddressSpace::kernel().unmap(VirtAddr(stack_bottom(slot) + i * page_size));
        VERIFY(!frame.is_error());
        physical::free(frame.value());
    }
}

} // namespace

ErrorOr<KernelStack> KernelStack::create() {
    const usize slot = TRY(take_slot());
    const u64 pages = kernel_stack_size / page_size;
    for (u64 i = 0; i < pages; ++i) {
        auto frame = physical::allocate();
        ErrorOr<void> mapped = frame.is_error() ? ErrorOr<void>(frame.error()) : ErrorOr<void>();
        if (!frame.is_error()) {
            physical::page(frame.value()).use = static_cast<u8>(PageUse::KernelStack);
            mapped = AddressSpace::kernel().map(VirtAddr(stack_bottom(slot) + i * page_size),
                                                frame.value(), MapFlags::Writable);
            if (mapped.is_error()) {
                physical::free(frame.value());
            }
        }
        if (mapped.is_error()) {
            unmap_stack(slot, i);
            give_back_slot(slot);
            return mapped.release_error();
        }
    }
    return KernelStack(slot);
}

KernelStack::~KernelStack() {
    if (m_slot == none) {
        return;
    }
    unmap_stack(m_slot, kernel_stack_size / page_size);
    give_back_slot(m_slot);
}

u64 KernelStack::top() const {
    return slot_base(m_slot) + kernel_stack_slot_size;
}
u64 KernelStack::bottom() const {
    return stack_bottom(m_slot);
}
u64 KernelStack::guard() const {
    return stack_bottom(m_slot) - page_size;
}

} // namespace kite
