// mmio.cpp: see mmio.h.
#include "arch/x86_64/mmio.h"

#include "arch/x86_64/address_space.h"
#include "mm/page.h"
#include "sync/spinlock.h"

namespace kite::mmio {

namespace {

Spinlock area_lock{"mmio area", LockRank::MmioArea};
u64 next_free = area_start; // under area_lock

} // namespace

ErrorOr<volatile u8*> map(PhysAddr physical, u64 length) {
    const u64 first = physical.value() & ~(page_size - 1);
    const u64 offset = physical.value() - first;
    if (length == 0 || length > area_size || offset + length > area_size) {
        return Error(Errno::INVAL, "mmio range too large");
    }
    const u64 pages = (offset + length + page_size - 1) / page_size;
    u64 virt;
    {
        SpinlockGuard guard(area_lock);
        if (pages * page_size > area_start + area_size - next_free) {
            return Error(Errno::NOMEM, "mmio area full");
        }
        virt = next_free;
        next_free += pages * page_size;
    }
    for (u64 i = 0; i < pages; ++i) {
        TRY(AddressSpace::kernel().map(VirtAddr(virt + i * page_size),
                                       PhysAddr(first + i * page_size),
                                       MapFlags::Writable | MapFlags::Uncached));
    }
    return reinterpret_cast<volatile u8*>(virt + offset);
}

} // namespace kite::mmio
