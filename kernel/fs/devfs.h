// devfs.h: the device file system at /dev: console and tty (the console
// terminal), null, zero, random and urandom.
#pragma once

#include "fs/vnode.h"

namespace kite::devfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

} // namespace kite::devfs
