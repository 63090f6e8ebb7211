// ext2_extents.cpp: reading ext4 extent trees (read-only mounts of ext4
// images). Every node's header is checked against the space it lives in, and
// the depth must fall by one per level, so a hostile tree ends in at most
// extent_max_depth reads.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

ErrorOr<u64> Volume::map_extent(const Inode& inode, u64 logical) {
    KBuffer buffer = TRY(allocate_block_buffer());
    const u8* node = reinterpret_cast<const u8*>(inode.block);
    usize node_size = sizeof(inode.block);
    u32 expected_depth = extent_max_depth + 1; // the root may have any depth up to the maximum
    for (u32 step = 0; step <= extent_max_depth; ++step) {
        ExtentHeader header;
        __builtin_memcpy(&header, node, sizeof(header));
        if (header.magic != extent_magic || header.entries > header.max ||
            sizeof(header) + static_cast<usize>(header.max) * sizeof(Extent) > node_size ||
            header.depth > extent_max_depth ||
            (expected_depth <= extent_max_depth && header.depth != expected_depth)) {
            return corrupt("ext2: bad extent tree node");
        }
        const u8* entries = node + sizeof(header);
        if (header.depth == 0) {
            for (u32 i = 0; i < header.entries; ++i) {
                Extent extent;
                __builtin_memcpy(&extent, entries + i * sizeof(Extent), sizeof(extent));
                const bool uninitialised = extent.len > extent_init_max_len;
                const u32 length = uninitialised ? extent.len - extent_init_max_len : extent.len;
                if (logical < extent.block || logical - extent.block >= length) {
                    continue;
                }
                if (uninitialised) {
                    return 0; // allocated but unwritten: reads as zeros
                }
                const u64 start = extent.start_lo | static_cast<u64>(extent.start_hi) << 32;
                return checked_pointer(start + (logical - extent.block));
            }
            return 0;
        }
        // The last index whose first block is at or before logical.
        i64 chosen = -1;
        for (u32 i = 0; i < header.entries; ++i) {
            ExtentIndex index;
            __builtin_memcpy(&index, entries + i * sizeof(ExtentIndex), sizeof(index));
            if (index.block <= logical) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            return 0;
        }
        ExtentIndex index;
        __builtin_memcpy(&index, entries + chosen * sizeof(ExtentIndex), sizeof(index));
        const u64 child =
            TRY(checked_pointer(index.leaf_lo | static_cast<u64>(index.leaf_hi) << 32));
        TRY(read_block(child, buffer.data()));
        node = buffer.data();
        node_size = m_block_size;
        expected_depth = header.depth - 1u;
    }
    return corrupt("ext2: extent tree too deep");
}

} // namespace kite::ext2
