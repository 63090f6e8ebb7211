// user_frames.h: frames mapped into user memory. A frame may be mapped by
// several address spaces (after fork) and held by a shared-memory object;
// its Page's refcount counts all of them, changes atomically (the holders
// are guarded by different locks), and the last one to let go frees it.
#pragma once

#include "arch/x86_64/address_space.h"
#include "lib/error.h"

namespace kite {

// A new frame with refcount 1, zeroed unless told otherwise.
[[nodiscard]] ErrorOr<PhysAddr> allocate_user_frame(bool zeroed = true);
void retain_user_frame(PhysAddr frame);
void release_user_frame(PhysAddr frame);
// Whether anyone but the caller holds the frame.
[[nodiscard]] bool user_frame_is_shared(PhysAddr frame);

// The page flags for a user page in a region with these PROT_* bits.
[[nodiscard]] MapFlags map_flags_for(u32 protection);

} // namespace kite
