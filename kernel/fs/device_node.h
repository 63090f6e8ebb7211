// device_node.h: a device special file made by mknod outside /dev: a name
// for a device number. Opening it reaches the device that number names in
// the device file system (fs/devfs.h); a number no driver has is ENXIO at
// open, as on Linux. The node keeps its own mode, owner and times.
#pragma once

#include "fs/vnode.h"

namespace kite {

// type is CharDevice or BlockDevice; number is Linux's dev_t encoding.
[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_device_node(VnodeType type, u32 permissions,
                                                        u64 number);

} // namespace kite
