// devfs.h: the device file system at /dev: console and tty (the console
// terminal), null and zero.
#pragma once

#include "fs/vnode.h"

namespace kite::devfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

} // namespace kite::devfs
