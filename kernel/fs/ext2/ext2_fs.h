// ext2_fs.h: an ext2 volume mounted in the VFS: the core (ext2_volume.h)
// over a buffer cache over a block device, with vnodes for its files.
//
// One mutex per volume serializes every call into the core (it is held
// across disk reads). User memory is never touched under it: file data
// moves through a bounce buffer, a page at a time, so a page fault never
// waits for the volume lock while holding it. Lock order: the namespace
// lock, then the volume lock.
//
// Vnodes are made on lookup and live as long as someone holds them; the
// volume keeps raw pointers to the live ones (found again by inode
// number), which their destructors take out under the volume lock. A
// directory's vnode holds its parent's, so ".." is always alive. A file's
// mode, owner and times live in the Vnode while it is alive and are
// written to the inode when they differ from what is on the disk (at
// sync, at the last reference, at unmount). An unlinked file's inode is
// freed when its last vnode reference goes, so an open file outlives its
// last name, as POSIX says.
#pragma once

#include "dev/block_device.h"
#include "fs/disk_file_system.h"

namespace kite::ext2 {

// mount(2)'s part: reads and checks the volume on device (EINVAL for a
// disk that is not ext2, with the reason on the console).
[[nodiscard]] ErrorOr<RefPtr<DiskFileSystem>> mount(RefPtr<BlockDevice> device, bool read_only);

} // namespace kite::ext2
