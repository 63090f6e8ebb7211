// ext2_device.h: the one way the ext2 core reaches its disk. The kernel
// implements it over its buffer cache, the host tests over an image in
// memory. The core makes only two shapes of call: the superblock (offset
// 1024, length 1024) and one whole file-system block (offset = block number *
// block size, length = block size). The device checks nothing else about the
// file system (read_data too); the core never asks for bytes past size().
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite::ext2 {

class Device {
  public:
    virtual ~Device() = default;
    // Bytes on the device.
    [[nodiscard]] virtual u64 size() const = 0;
    virtual ErrorOr<void> read(u64 offset, u8* out, usize length) = 0;
    virtual ErrorOr<void> write(u64 offset, const u8* data, usize length) = 0;
    // A whole block of a regular file's data, for a page cache that keeps
    // it itself: the kernel's device then reads it past its buffer cache
    // when the cache does not have it (no second copy).
    virtual ErrorOr<void> read_data(u64 offset, u8* out, usize length) {
        return read(offset, out, length);
    }
};

} // namespace kite::ext2
