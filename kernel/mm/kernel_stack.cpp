// kernel_stack.cpp: slot bookkeeping (a bitmap) and the mappings.
//
// A freed stack is unmapped and its frames freed at once, but its slot is
// only retired: another CPU may still cache the old entries (they are
// global, and only this CPU's were dropped). Nothing uses the addresses
// meanwhile, so the stale entries are harmless until the slot is mapped
// again; when every slot is taken or retired, one flush on every CPU makes
// the retired ones free. With 4096 slots taken in turn, that is rare.
#include "mm/kernel_stack.h"

#include "arch/x86_64/address_space.h"
#include "arch/x86_64/tlb.h"
#include "debug/panic.h"
#include "mm/physical.h"
#include "sync/spinlock.h"

namespace kite {

namespace {

// Which slots of the kernel-stack area are taken, reachable only under
// their lock.
struct Slots {
    u64 used[kernel_stack_slots / 64];    // taken or retired
    u64 retired[kernel_stack_slots / 64]; // freed, not yet flushed everywhere
    usize retired_count;
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

// A slot whose stack was never used (its creation failed) is free at once.
void give_back_slot(usize slot) {
    slots.with([slot](Slots& s) { s.used[slot / 64] &= ~(u64{1} << (slot % 64)); });
}

void retire_slot(usize slot) {
    slots.with([slot](Slots& s) {
        s.retired[slot / 64] |= u64{1} << (slot % 64);
        ++s.retired_count;
    });
}

bool take_slot_would_fail() {
    return slots.with([](Slots& s) {
        for (u64 word : s.used) {
            if (word != ~u64{0}) {
                return false;
            }
        }
        return true;
    });
}

// Flushes every CPU's TLB, then frees the slots retired before the flush.
// Returns whether any were.
bool free_retired_slots() {
    struct {
        u64 retired[kernel_stack_slots / 64];
        usize count;
    } before{};
    slots.with([&before](Slots& s) {
        for (usize i = 0; i < kernel_stack_slots / 64; ++i) {
            before.retired[i] = s.retired[i];
        }
        before.count = s.retired_count;
    });
    if (before.count == 0) {
        return false;
    }
    tlb::flush_everything_everywhere();
    slots.with([&before](Slots& s) {
        for (usize i = 0; i < kernel_stack_slots / 64; ++i) {
            s.used[i] &= ~before.retired[i];
            s.retired[i] &= ~before.retired[i];
        }
        s.retired_count -= before.count;
    });
    return true;
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
    if (take_slot_would_fail()) {
        (void)free_retired_slots();
    }
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
    retire_slot(m_slot);
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
