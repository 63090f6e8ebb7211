// devfs.h: the device file system at /dev: console and tty (the console
// terminal), null, zero, random and urandom.
#pragma once

#include "fs/vnode.h"

namespace kite::devfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

// The character device with this number (Linux's dev_t encoding) among
// those /dev holds, or null: what a device node made by mknod opens.
[[nodiscard]] RefPtr<Vnode> find_device(u64 number, VnodeType type = VnodeType::CharDevice);

// Adds a device found after boot (a disk) as /dev/name.
[[nodiscard]] ErrorOr<void> add_device(StringView name, RefPtr<Vnode> device);

} // namespace kite::devfs
