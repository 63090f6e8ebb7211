// tmpfs.h: a writable file system in memory (mounted at /tmp).
#pragma once

#include "fs/vnode.h"

namespace kite::tmpfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

} // namespace kite::tmpfs
