// ext2_alloc.cpp: block and inode allocation through the groups' bitmaps.
// Every change updates the bitmap, the group's descriptor and the
// superblock's totals and writes all three before returning, so e2fsck finds
// them in agreement after any sequence of calls.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

namespace {

// The first clear bit below limit, or -1.
i64 find_clear_bit(const u8* bitmap, u32 limit) {
    for (u32 byte = 0; byte * 8 < limit; ++byte) {
        if (bitmap[byte] == 0xFF) {
            continue;
        }
        for (u32 bit = 0; bit < 8 && byte * 8 + bit < limit; ++bit) {
            if (!(bitmap[byte] & (1u << bit))) {
                return byte * 8 + bit;
            }
        }
    }
    return -1;
}

bool test_bit(const u8* bitmap, u32 bit) {
    return bitmap[bit / 8] & (1u << (bit % 8));
}
void set_bit(u8* bitmap, u32 bit) {
    bitmap[bit / 8] = static_cast<u8>(bitmap[bit / 8] | (1u << (bit % 8)));
}
void clear_bit(u8* bitmap, u32 bit) {
    bitmap[bit / 8] = static_cast<u8>(bitmap[bit / 8] & ~(1u << (bit % 8)));
}

} // namespace

u32 Volume::blocks_in_group(u32 index) const {
    const u64 start = m_sb.first_data_block + static_cast<u64>(index) * m_sb.blocks_per_group;
    return static_cast<u32>(min<u64>(m_sb.blocks_per_group, m_blocks_count - start));
}

bool Volume::is_group_metadata(u64 block) const {
    if (block <= m_sb.first_data_block + m_descriptor_blocks) {
        return true;
    }
    const u32 index = static_cast<u32>((block - m_sb.first_data_block) / m_sb.blocks_per_group);
    const GroupInfo info = group(index);
    const u64 table_blocks =
        (static_cast<u64>(m_sb.inodes_per_group) * m_inode_size + m_block_size - 1) / m_block_size;
    return block == info.block_bitmap || block == info.inode_bitmap ||
           (block >= info.inode_table && block < info.inode_table + table_blocks);
}

ErrorOr<void> Volume::commit_counts(u32 group_index) {
    TRY(write_group_descriptor(group_index));
    return write_superblock();
}

ErrorOr<u64> Volume::allocate_block(u32 goal_group) {
    TRY(require_writable());
    KBuffer bitmap = TRY(allocate_block_buffer());
    for (u32 n = 0; n < m_group_count; ++n) {
        const u32 g = (goal_group + n) % m_group_count;
        GroupInfo info = group(g);
        if (info.free_blocks == 0) {
            continue;
        }
        TRY(read_block(info.block_bitmap, bitmap.data()));
        const i64 bit = find_clear_bit(bitmap.data(), blocks_in_group(g));
        if (bit < 0) {
            return corrupt("ext2: group free block count disagrees with its bitmap");
        }
        const u64 block = m_sb.first_data_block + static_cast<u64>(g) * m_sb.blocks_per_group +
                          static_cast<u64>(bit);
        if (is_group_metadata(block)) {
            return corrupt("ext2: block bitmap shows group metadata as free");
        }
        set_bit(bitmap.data(), static_cast<u32>(bit));
        TRY(write_block(info.block_bitmap, bitmap.data()));
        set_group_counts(g, info.free_blocks - 1, info.free_inodes, info.used_dirs);
        set_free_blocks_total(free_blocks_total() - 1);
        TRY(commit_counts(g));
        return block;
    }
    return Error(Errno::NOSPC, "ext2: no free blocks");
}

ErrorOr<void> Volume::free_block(u64 block) {
    TRY(require_writable());
    if (block <= m_sb.first_data_block || block >= m_blocks_count || is_group_metadata(block)) {
        return corrupt("ext2: freeing a block outside the data area");
    }
    const u32 g = static_cast<u32>((block - m_sb.first_data_block) / m_sb.blocks_per_group);
    const u32 bit = static_cast<u32>((block - m_sb.first_data_block) % m_sb.blocks_per_group);
    GroupInfo info = group(g);
    KBuffer bitmap = TRY(allocate_block_buffer());
    TRY(read_block(info.block_bitmap, bitmap.data()));
    if (!test_bit(bitmap.data(), bit)) {
        return corrupt("ext2: freeing a block that is already free");
    }
    clear_bit(bitmap.data(), bit);
    TRY(write_block(info.block_bitmap, bitmap.data()));
    set_group_counts(g, info.free_blocks + 1, info.free_inodes, info.used_dirs);
    set_free_blocks_total(free_blocks_total() + 1);
    return commit_counts(g);
}

ErrorOr<u32> Volume::allocate_inode(u32 goal_group, bool directory) {
    TRY(require_writable());
    KBuffer bitmap = TRY(allocate_block_buffer());
    for (u32 n = 0; n < m_group_count; ++n) {
        const u32 g = (goal_group + n) % m_group_count;
        GroupInfo info = group(g);
        if (info.free_inodes == 0) {
            continue;
        }
        TRY(read_block(info.inode_bitmap, bitmap.data()));
        // Reserved inodes (below s_first_ino) are never handed out: mark
        // them as taken in this scan's copy only.
        const u32 base = g * m_sb.inodes_per_group;
        for (u32 i = 0; i < m_sb.inodes_per_group && base + i + 1 < m_first_ino; ++i) {
            if (!test_bit(bitmap.data(), i)) {
                return corrupt("ext2: a reserved inode is free in the bitmap");
            }
        }
        const i64 bit = find_clear_bit(bitmap.data(), m_sb.inodes_per_group);
        if (bit < 0) {
            return corrupt("ext2: group free inode count disagrees with its bitmap");
        }
        set_bit(bitmap.data(), static_cast<u32>(bit));
        TRY(write_block(info.inode_bitmap, bitmap.data()));
        set_group_counts(g, info.free_blocks, info.free_inodes - 1,
                         info.used_dirs + (directory ? 1 : 0));
        --m_sb.free_inodes_count;
        TRY(commit_counts(g));
        return base + static_cast<u32>(bit) + 1;
    }
    return Error(Errno::NOSPC, "ext2: no free inodes");
}

ErrorOr<void> Volume::free_inode(u32 ino, bool directory) {
    TRY(require_writable());
    if (ino < m_first_ino || ino > m_sb.inodes_count) {
        return corrupt("ext2: freeing a reserved or out-of-range inode");
    }
    const u32 g = group_of_inode(ino);
    const u32 bit = (ino - 1) % m_sb.inodes_per_group;
    GroupInfo info = group(g);
    KBuffer bitmap = TRY(allocate_block_buffer());
    TRY(read_block(info.inode_bitmap, bitmap.data()));
    if (!test_bit(bitmap.data(), bit)) {
        return corrupt("ext2: freeing an inode that is already free");
    }
    clear_bit(bitmap.data(), bit);
    TRY(write_block(info.inode_bitmap, bitmap.data()));
    const u32 dirs = directory && info.used_dirs > 0 ? info.used_dirs - 1 : info.used_dirs;
    set_group_counts(g, info.free_blocks, info.free_inodes + 1, dirs);
    ++m_sb.free_inodes_count;
    return commit_counts(g);
}

} // namespace kite::ext2
