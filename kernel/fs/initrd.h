// initrd.h: the initrd (a ustar archive) as a read-only file system.
#pragma once

#include "fs/vnode.h"

namespace kite::initrd_fs {

// Builds the tree: directories implied by paths are created, regular files,
// directories and symlinks are supported, other entry types and corrupt
// headers are reported and skipped. File contents stay in the archive.
[[nodiscard]] ErrorOr<RefPtr<Vnode>> mount(StringView archive);

} // namespace kite::initrd_fs
