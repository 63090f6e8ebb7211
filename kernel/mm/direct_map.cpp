// direct_map.cpp: the bookkeeping of the direct map's extent.
#include "mm/direct_map.h"

#include "debug/panic.h"

namespace kite {

namespace {
u64 end_of_direct_map = 4 * GiB; // boot.asm maps this much
} // namespace

u64 direct_map_end() {
    return end_of_direct_map;
}

void set_direct_map_end(u64 end) {
    VERIFY(end <= direct_map_limit);
    end_of_direct_map = end;
}

PhysAddr virt_to_phys(const void* pointer) {
    VERIFY(is_direct_map_pointer(pointer));
    return PhysAddr(reinterpret_cast<u64>(pointer) - direct_map_base);
}

} // namespace kite
