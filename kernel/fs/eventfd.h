// eventfd.h: eventfd(2)'s descriptor: a 64-bit counter. A write of 8 bytes
// adds to it (waiting while the sum would pass 0xfffffffffffffffe); a read
// of 8 takes it whole and leaves 0, or in semaphore mode takes 1 (waiting
// while it is 0). Readable while non-zero, writable while 1 more fits.
#pragma once

#include "fs/vnode.h"

namespace kite::eventfd {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create(u64 initial, bool semaphore);

} // namespace kite::eventfd
