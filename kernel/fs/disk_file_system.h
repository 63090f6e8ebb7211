// disk_file_system.h: what the mount table needs of a file system that
// lives on a disk (ext2): its root, whether it is in use, its statfs
// figures, and the unmount that writes everything back.
#pragma once

#include "api/statfs.h"
#include "fs/vnode.h"

namespace kite {

class DiskFileSystem : public RefCounted<DiskFileSystem> {
  public:
    virtual ~DiskFileSystem() = default;
    [[nodiscard]] virtual RefPtr<Vnode> root() = 0;
    // Under the namespace lock: whether any of its files other than the
    // root is held (open, a working directory, a mapped program).
    [[nodiscard]] virtual bool is_busy() = 0;
    // umount: writes every change back and marks the volume clean. The
    // file system's vnodes still held (after MNT_DETACH) then fail with EIO.
    virtual void release() = 0;
    virtual void statfs(abi::StatFs& out) = 0;
    // Mounted read-only: asked to, or the disk is, or it has features
    // that can only be read. The mount's flags then say ro.
    [[nodiscard]] virtual bool is_read_only() const = 0;
};

} // namespace kite
