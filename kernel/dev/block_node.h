// block_node.h: the /dev node of a block device (/dev/vda, /dev/vda1):
// reads and writes at any byte offset, done a page at a time through a
// bounce frame (whole sectors are read and, for a partial one, written
// back), and the block ioctls programs ask (BLKGETSIZE64, BLKSSZGET...).
// The file system's page cache does not see these writes: as on Linux,
// writing a mounted disk's node under its file system corrupts it.
#pragma once

#include "dev/block_device.h"
#include "fs/vnode.h"

namespace kite {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> make_block_node(RefPtr<BlockDevice> device);

// The block device behind a vnode (a /dev node, or a node mknod made with
// its number), or null: what mount(2) asks of its source.
[[nodiscard]] RefPtr<BlockDevice> block_device_of(Vnode& vnode);

} // namespace kite
