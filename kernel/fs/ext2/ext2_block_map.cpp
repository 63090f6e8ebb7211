// ext2_block_map.cpp: file block -> disk block through i_block's 12 direct
// pointers and its single, double and triple indirect trees; growing the
// map on demand and cutting it back on truncate. A zero pointer is a hole.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

namespace {

u32 read_entry(const u8* table, u64 index) {
    u32 value;
    __builtin_memcpy(&value, table + index * 4, 4);
    return value;
}

void write_entry(u8* table, u64 index, u32 value) {
    __builtin_memcpy(table + index * 4, &value, 4);
}

} // namespace

u64 Volume::max_file_blocks() const {
    const u64 per = m_block_size / 4;
    return min<u64>(direct_blocks + per + per * per + per * per * per, 0xFFFFFFFFull);
}

ErrorOr<u64> Volume::checked_pointer(u64 block) {
    if (block <= m_sb.first_data_block || block >= m_blocks_count) {
        return corrupt("ext2: block pointer outside the file system");
    }
    return block;
}

// A new block for inode, counted in its i_blocks; zeroed if asked (indirect
// tables always are: an unzeroed table would map garbage).
ErrorOr<u64> Volume::new_tree_block(u32 ino, Inode& inode, bool zero) {
    const u32 sectors = m_block_size / 512;
    if (inode.blocks > 0xFFFFFFFFu - sectors) {
        return Error(Errno::FBIG, "ext2: i_blocks would overflow");
    }
    const u64 block = TRY(allocate_block(group_of_inode(ino)));
    if (zero) {
        auto zeroed = zero_block(block);
        if (zeroed.is_error()) {
            (void)free_block(block);
            return zeroed.release_error();
        }
    }
    inode.blocks += sectors;
    return block;
}

ErrorOr<u64> Volume::map_block(u32 ino, Inode& inode, u64 logical, MapMode mode) {
    if (inode.flags & inode_flag_extents) {
        if (mode != MapMode::Lookup) {
            return Error(Errno::ROFS, "ext2: extent-mapped files are read-only");
        }
        return map_extent(inode, logical);
    }
    if (inode.flags & inode_flag_inline_data) {
        return corrupt("ext2: inline data without the inline_data feature");
    }
    const bool allocate = mode != MapMode::Lookup;
    if (allocate) {
        TRY(require_writable());
    }
    const u64 per = m_block_size / 4;
    // The path: which i_block slot, then one index per indirect level.
    u32 slot;
    u32 levels;
    u64 index[3] = {0, 0, 0};
    if (logical < direct_blocks) {
        slot = static_cast<u32>(logical);
        levels = 0;
    } else if ((logical -= direct_blocks) < per) {
        slot = indirect_slot;
        levels = 1;
        index[0] = logical;
    } else if ((logical -= per) < per * per) {
        slot = double_slot;
        levels = 2;
        index[0] = logical / per;
        index[1] = logical % per;
    } else if ((logical -= per * per) < per * per * per) {
        slot = triple_slot;
        levels = 3;
        index[0] = logical / (per * per);
        index[1] = logical / per % per;
        index[2] = logical % per;
    } else {
        return Error(Errno::FBIG, "ext2: file block past the triple indirect tree");
    }
    const bool zero_data = mode == MapMode::Allocate;
    u64 block = inode.block[slot];
    if (block == 0) {
        if (!allocate) {
            return 0;
        }
        block = TRY(new_tree_block(ino, inode, levels > 0 || zero_data));
        inode.block[slot] = static_cast<u32>(block);
    } else {
        TRY(checked_pointer(block));
    }
    if (levels == 0) {
        return block;
    }
    KBuffer table = TRY(allocate_block_buffer());
    for (u32 level = 0; level < levels; ++level) {
        TRY(read_block(block, table.data()));
        u64 next = read_entry(table.data(), index[level]);
        if (next == 0) {
            if (!allocate) {
                return 0;
            }
            const bool is_table = level + 1 < levels;
            next = TRY(new_tree_block(ino, inode, is_table || zero_data));
            write_entry(table.data(), index[level], static_cast<u32>(next));
            TRY(write_block(block, table.data()));
        } else {
            TRY(checked_pointer(next));
        }
        block = next;
    }
    return block;
}

// Frees what the subtree at `block` maps at file blocks >= first_free (level
// 0: a data block; level n: a table of level n-1 subtrees covering
// per^n file blocks from base). True if `block` itself was freed, because
// it maps nothing any more.
ErrorOr<bool> Volume::free_subtree(Inode& inode, u64 block, u32 level, u64 base, u64 first_free) {
    const u64 per = m_block_size / 4;
    u64 span = 1;
    for (u32 i = 0; i < level; ++i) {
        span *= per;
    }
    if (base + span <= first_free) {
        return false;
    }
    TRY(checked_pointer(block));
    if (level > 0) {
        KBuffer table = TRY(allocate_block_buffer());
        TRY(read_block(block, table.data()));
        const u64 child_span = span / per;
        bool changed = false;
        bool empty = true;
        for (u64 i = 0; i < per; ++i) {
            const u32 child = read_entry(table.data(), i);
            if (child == 0) {
                continue;
            }
            if (TRY(free_subtree(inode, child, level - 1, base + i * child_span, first_free))) {
                write_entry(table.data(), i, 0);
                changed = true;
            } else {
                empty = false;
            }
        }
        if (!empty) {
            if (changed) {
                TRY(write_block(block, table.data()));
            }
            return false;
        }
    }
    TRY(free_block(block));
    const u32 sectors = m_block_size / 512;
    inode.blocks = inode.blocks >= sectors ? inode.blocks - sectors : 0;
    return true;
}

ErrorOr<void> Volume::free_blocks_from(Inode& inode, u64 first_free) {
    TRY(require_writable());
    if (inode.flags & inode_flag_extents) {
        return Error(Errno::ROFS, "ext2: extent-mapped files are read-only");
    }
    const u64 per = m_block_size / 4;
    for (u32 slot = 0; slot < block_slots; ++slot) {
        if (inode.block[slot] == 0) {
            continue;
        }
        u32 level = 0;
        u64 base = slot;
        if (slot == indirect_slot) {
            level = 1;
            base = direct_blocks;
        } else if (slot == double_slot) {
            level = 2;
            base = direct_blocks + per;
        } else if (slot == triple_slot) {
            level = 3;
            base = direct_blocks + per + per * per;
        }
        if (TRY(free_subtree(inode, inode.block[slot], level, base, first_free))) {
            inode.block[slot] = 0;
        }
    }
    return {};
}

} // namespace kite::ext2
