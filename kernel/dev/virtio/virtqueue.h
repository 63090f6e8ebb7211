// virtqueue.h: the split virtqueue's three rings as the device reads them
// (virtio 1.0, 2.4), little-endian like the CPU. The driver puts buffer
// chains in the descriptor table, offers their heads in the available
// ring, and the device returns them in the used ring.
#pragma once

#include "lib/types.h"

namespace kite::virtio {

struct Descriptor {
    u64 address; // physical
    u32 length;
    u16 flags;
    u16 next;
};
static_assert(sizeof(Descriptor) == 16);

constexpr u16 descriptor_next = 1;  // the chain goes on at `next`
constexpr u16 descriptor_write = 2; // the device writes this buffer

struct AvailableRing {
    u16 flags;
    u16 index; // where the driver puts its next entry (free-running)
    u16 ring[];
};
static_assert(sizeof(AvailableRing) == 4);

struct UsedElement {
    u32 id; // the head of the chain the device is done with
    u32 length;
};
static_assert(sizeof(UsedElement) == 8);

struct UsedRing {
    u16 flags;
    u16 index; // where the device puts its next entry (free-running)
    UsedElement ring[];
};
static_assert(sizeof(UsedRing) == 4);

} // namespace kite::virtio
