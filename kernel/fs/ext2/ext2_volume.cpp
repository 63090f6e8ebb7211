// ext2_volume.cpp: mounting (the defensive checks of the superblock and the
// group descriptors), the superblock's state, group descriptor access,
// statfs and the block helpers the rest of the core uses.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

namespace {

// Incompat features: what a writable mount can keep correct, and what the
// core can at least read (extent-mapped files, 64-bit descriptors, flexible
// placement of group metadata, larger htree directories read linearly).
constexpr u32 incompat_writable = incompat_filetype;
constexpr u32 incompat_readable = incompat_filetype | incompat_extents | incompat_64bit |
                                  incompat_flex_bg | incompat_csum_seed | incompat_largedir;
// ro_compat features a writable mount keeps correct.
constexpr u32 ro_compat_writable = ro_compat_sparse_super | ro_compat_large_file;

constexpr bool is_power_of_two(u64 x) {
    return x != 0 && (x & (x - 1)) == 0;
}
constexpr u64 divide_round_up(u64 a, u64 b) {
    return (a + b - 1) / b;
}

} // namespace

Error Volume::corrupt(const char* what) {
    m_errors = true;
    return Error(Errno::IO, what);
}

ErrorOr<void> Volume::require_writable() const {
    if (m_read_only) {
        return Error(Errno::ROFS, "ext2: mounted read-only");
    }
    return {};
}

ErrorOr<KBuffer> Volume::allocate_block_buffer() const {
    return KBuffer::try_create(m_block_size);
}

ErrorOr<void> Volume::read_block(u64 block, u8* out) {
    if (block >= m_blocks_count) {
        return corrupt("ext2: block number past the end of the file system");
    }
    return m_device.read(block * m_block_size, out, m_block_size);
}

ErrorOr<void> Volume::read_data_block(u64 block, u8* out) {
    if (block >= m_blocks_count) {
        return corrupt("ext2: block number past the end of the file system");
    }
    return m_device.read_data(block * m_block_size, out, m_block_size);
}

ErrorOr<void> Volume::write_block(u64 block, const u8* data) {
    TRY(require_writable());
    // Block 0 (boot block and, below 4 KiB... the superblock) and the
    // superblock block are never file data; a pointer to them is corruption.
    if (block >= m_blocks_count || block <= m_sb.first_data_block) {
        return corrupt("ext2: write to a block outside the data area");
    }
    return m_device.write(block * m_block_size, data, m_block_size);
}

ErrorOr<void> Volume::zero_block(u64 block) {
    KBuffer zeros = TRY(KBuffer::try_create(m_block_size, true));
    return write_block(block, zeros.data());
}

ErrorOr<void> Volume::check_superblock() {
    const Superblock& sb = m_sb;
    if (sb.magic != super_magic) {
        return Error(Errno::INVAL, "ext2: no ext2 superblock (bad magic)");
    }
    if (sb.rev_level > dynamic_rev) {
        return Error(Errno::INVAL, "ext2: unknown revision level");
    }
    if (sb.log_block_size > max_log_block_size) {
        return Error(Errno::INVAL, "ext2: block size above 64 KiB");
    }
    m_block_size = 1024u << sb.log_block_size;
    if (sb.first_data_block != (m_block_size == 1024 ? 1u : 0u)) {
        return Error(Errno::INVAL, "ext2: first data block does not match the block size");
    }
    if (sb.rev_level == good_old_rev) {
        m_inode_size = good_old_inode_size;
    } else {
        m_inode_size = sb.inode_size;
        if (!is_power_of_two(m_inode_size) || m_inode_size < good_old_inode_size ||
            m_inode_size > m_block_size) {
            return Error(Errno::INVAL, "ext2: bad inode size");
        }
    }
    const u32 incompat = sb.rev_level == good_old_rev ? 0 : sb.feature_incompat;
    const u32 ro_compat = sb.rev_level == good_old_rev ? 0 : sb.feature_ro_compat;
    if (incompat & incompat_recover) {
        return Error(Errno::INVAL, "ext2: the journal needs recovery (run e2fsck)");
    }
    if (incompat & ~incompat_readable) {
        return Error(Errno::INVAL, "ext2: unsupported incompatible features (meta_bg, "
                                   "inline_data, encryption, ...)");
    }
    if (ro_compat & ro_compat_bigalloc) {
        return Error(Errno::INVAL, "ext2: bigalloc is not supported");
    }
    m_blocks_count = sb.blocks_count;
    if (incompat & incompat_64bit) {
        m_blocks_count |= static_cast<u64>(sb.blocks_count_hi) << 32;
        m_descriptor_size = sb.desc_size;
        if (!is_power_of_two(m_descriptor_size) || m_descriptor_size < group_descriptor_size_64 ||
            m_descriptor_size > m_block_size) {
            return Error(Errno::INVAL, "ext2: bad group descriptor size");
        }
    }
    if (m_blocks_count <= sb.first_data_block + 1 ||
        m_blocks_count > m_device.size() / m_block_size) {
        return Error(Errno::INVAL, "ext2: block count does not fit the device");
    }
    if (sb.blocks_per_group == 0 || sb.blocks_per_group > 8 * m_block_size ||
        sb.inodes_per_group == 0 || sb.inodes_per_group > 8 * m_block_size) {
        return Error(Errno::INVAL, "ext2: bad blocks or inodes per group");
    }
    const u64 groups = divide_round_up(m_blocks_count - sb.first_data_block, sb.blocks_per_group);
    if (groups > 0xFFFFFFFFull ||
        static_cast<u64>(sb.inodes_per_group) * groups != sb.inodes_count) {
        return Error(Errno::INVAL, "ext2: inode count does not match the groups");
    }
    m_group_count = static_cast<u32>(groups);
    const u32 first_ino = sb.rev_level == good_old_rev ? good_old_first_ino : sb.first_ino;
    if (first_ino < good_old_first_ino || first_ino >= sb.inodes_count) {
        return Error(Errno::INVAL, "ext2: bad first non-reserved inode");
    }
    m_first_ino = first_ino;
    if (sb.r_blocks_count > m_blocks_count || sb.free_inodes_count > sb.inodes_count) {
        return Error(Errno::INVAL, "ext2: bad reserved or free counts");
    }
    const u64 descriptor_bytes = groups * m_descriptor_size;
    const u64 descriptor_blocks = divide_round_up(descriptor_bytes, m_block_size);
    if (sb.first_data_block + 1 + descriptor_blocks > m_blocks_count) {
        return Error(Errno::INVAL, "ext2: group descriptor table past the end of the disk");
    }
    m_descriptor_blocks = static_cast<u32>(descriptor_blocks);

    // The features decide how writable the mount can be.
    if (incompat & ~incompat_writable) {
        m_read_only_reason = "ext2: ext4 features (extents, 64bit or flex_bg): mounted read-only";
    } else if (ro_compat & ~ro_compat_writable) {
        m_read_only_reason =
            "ext2: read-only compatible features Kite does not maintain (metadata_csum, "
            "huge_file, gdt_csum, dir_nlink, extra_isize, ...): mounted read-only";
    }
    return {};
}

Volume::GroupInfo Volume::group(u32 index) const {
    const u8* at = m_descriptors.data() + static_cast<u64>(index) * m_descriptor_size;
    GroupDescriptor low;
    __builtin_memcpy(&low, at, sizeof(low));
    GroupDescriptorHigh high{};
    if (m_descriptor_size >= group_descriptor_size_64) {
        __builtin_memcpy(&high, at + sizeof(low), sizeof(high));
    }
    GroupInfo info;
    info.block_bitmap = low.block_bitmap | static_cast<u64>(high.block_bitmap_hi) << 32;
    info.inode_bitmap = low.inode_bitmap | static_cast<u64>(high.inode_bitmap_hi) << 32;
    info.inode_table = low.inode_table | static_cast<u64>(high.inode_table_hi) << 32;
    info.free_blocks = low.free_blocks_count | static_cast<u32>(high.free_blocks_count_hi) << 16;
    info.free_inodes = low.free_inodes_count | static_cast<u32>(high.free_inodes_count_hi) << 16;
    info.used_dirs = low.used_dirs_count | static_cast<u32>(high.used_dirs_count_hi) << 16;
    info.flags = low.flags;
    return info;
}

void Volume::set_group_counts(u32 index, u32 free_blocks, u32 free_inodes, u32 used_dirs) {
    u8* at = m_descriptors.data() + static_cast<u64>(index) * m_descriptor_size;
    GroupDescriptor low;
    __builtin_memcpy(&low, at, sizeof(low));
    low.free_blocks_count = static_cast<u16>(free_blocks);
    low.free_inodes_count = static_cast<u16>(free_inodes);
    low.used_dirs_count = static_cast<u16>(used_dirs);
    __builtin_memcpy(at, &low, sizeof(low));
    if (m_descriptor_size >= group_descriptor_size_64) {
        GroupDescriptorHigh high;
        __builtin_memcpy(&high, at + sizeof(low), sizeof(high));
        high.free_blocks_count_hi = static_cast<u16>(free_blocks >> 16);
        high.free_inodes_count_hi = static_cast<u16>(free_inodes >> 16);
        high.used_dirs_count_hi = static_cast<u16>(used_dirs >> 16);
        __builtin_memcpy(at + sizeof(low), &high, sizeof(high));
    }
}

ErrorOr<void> Volume::write_group_descriptor(u32 index) {
    const u64 table_block = static_cast<u64>(index) * m_descriptor_size / m_block_size;
    TRY(require_writable());
    return m_device.write((m_sb.first_data_block + 1 + table_block) * m_block_size,
                          m_descriptors.data() + table_block * m_block_size, m_block_size);
}

ErrorOr<void> Volume::check_groups() {
    const bool flex = m_sb.feature_incompat & incompat_flex_bg;
    const u64 table_blocks =
        divide_round_up(static_cast<u64>(m_sb.inodes_per_group) * m_inode_size, m_block_size);
    const u64 metadata_start = m_sb.first_data_block + 1 + m_descriptor_blocks;
    u64 free_blocks = 0, free_inodes = 0;
    for (u32 g = 0; g < m_group_count; ++g) {
        const GroupInfo info = group(g);
        const u64 start = m_sb.first_data_block + static_cast<u64>(g) * m_sb.blocks_per_group;
        const u64 end = min<u64>(start + m_sb.blocks_per_group, m_blocks_count);
        // With flex_bg a group's metadata may sit in another group; it must
        // still be inside the disk and past the descriptor table.
        const u64 low = flex ? metadata_start : start;
        const u64 high = flex ? m_blocks_count : end;
        auto inside = [&](u64 block, u64 count) {
            return block >= low && block >= metadata_start && block < high && count <= high - block;
        };
        if (!inside(info.block_bitmap, 1) || !inside(info.inode_bitmap, 1)) {
            return Error(Errno::INVAL, "ext2: a group's bitmap lies outside its group");
        }
        if (!inside(info.inode_table, table_blocks)) {
            return Error(Errno::INVAL, "ext2: a group's inode table lies outside its group");
        }
        if (info.free_blocks > end - start || info.free_inodes > m_sb.inodes_per_group ||
            info.used_dirs > m_sb.inodes_per_group) {
            return Error(Errno::INVAL, "ext2: a group's free counts exceed its size");
        }
        free_blocks += info.free_blocks;
        free_inodes += info.free_inodes;
    }
    // The descriptors are authoritative (Linux sums them too); the
    // superblock's totals are brought in line on a writable mount.
    if (!m_read_only) {
        set_free_blocks_total(free_blocks);
        m_sb.free_inodes_count = static_cast<u32>(free_inodes);
    }
    return {};
}

ErrorOr<void> Volume::mount(const MountOptions& options) {
    if (m_mounted) {
        return Error(Errno::BUSY, "ext2: already mounted");
    }
    if (m_device.size() < superblock_offset + superblock_size) {
        return Error(Errno::INVAL, "ext2: device too small for a superblock");
    }
    TRY(m_device.read(superblock_offset, reinterpret_cast<u8*>(&m_sb), superblock_size));
    m_clock = options.clock;
    m_precise_clock = options.precise_clock;
    m_descriptor_size = group_descriptor_size;
    m_read_only_reason = nullptr;
    m_errors = false;
    TRY(check_superblock());
    m_read_only = options.read_only || m_read_only_reason;
    if (options.read_only) {
        m_read_only_reason = nullptr;
    }
    m_descriptors =
        TRY(KBuffer::try_create(static_cast<usize>(m_descriptor_blocks) * m_block_size));
    for (u32 i = 0; i < m_descriptor_blocks; ++i) {
        TRY(read_block(m_sb.first_data_block + 1 + i,
                       m_descriptors.data() + static_cast<u64>(i) * m_block_size));
    }
    TRY(check_groups());
    const Inode root = TRY(read_inode(root_ino));
    if (!is_dir(root) || root.links_count < 2) {
        return Error(Errno::INVAL, "ext2: the root inode is not a directory");
    }
    m_warning = nullptr;
    if (!(m_sb.state & state_valid) || (m_sb.state & state_error)) {
        m_warning = "ext2: not cleanly unmounted or errors recorded: run e2fsck";
    }
    if (!m_read_only) {
        m_sb.state &= static_cast<u16>(~state_valid);
        ++m_sb.mnt_count;
        m_sb.mtime = static_cast<u32>(now().seconds);
        TRY(write_superblock());
    }
    m_mounted = true;
    return {};
}

ErrorOr<void> Volume::write_superblock() {
    TRY(require_writable());
    m_sb.wtime = static_cast<u32>(now().seconds);
    return m_device.write(superblock_offset, reinterpret_cast<const u8*>(&m_sb), superblock_size);
}

ErrorOr<void> Volume::unmount() {
    if (!m_mounted) {
        return Error(Errno::INVAL, "ext2: not mounted");
    }
    m_mounted = false;
    if (m_read_only) {
        return {};
    }
    if (m_errors) {
        m_sb.state |= state_error;
    } else {
        m_sb.state |= state_valid;
    }
    return write_superblock();
}

void Volume::mark_error() {
    m_errors = true;
    if (!m_read_only && !(m_sb.state & state_error)) {
        m_sb.state |= state_error;
        (void)write_superblock(); // best effort: the disk may be what failed
    }
}

u64 Volume::free_blocks_total() const {
    u64 count = m_sb.free_blocks_count;
    if (m_sb.feature_incompat & incompat_64bit) {
        count |= static_cast<u64>(m_sb.free_blocks_count_hi) << 32;
    }
    return count;
}

void Volume::set_free_blocks_total(u64 count) {
    m_sb.free_blocks_count = static_cast<u32>(count);
    if (m_sb.feature_incompat & incompat_64bit) {
        m_sb.free_blocks_count_hi = static_cast<u32>(count >> 32);
    }
}

Statfs Volume::statfs() const {
    Statfs s;
    s.block_size = m_block_size;
    s.blocks = m_blocks_count;
    s.free_blocks = free_blocks_total();
    u64 reserved = m_sb.r_blocks_count;
    if (m_sb.feature_incompat & incompat_64bit) {
        reserved |= static_cast<u64>(m_sb.r_blocks_count_hi) << 32;
    }
    s.available_blocks = s.free_blocks > reserved ? s.free_blocks - reserved : 0;
    s.inodes = m_sb.inodes_count;
    s.free_inodes = m_sb.free_inodes_count;
    s.name_max = name_max;
    return s;
}

} // namespace kite::ext2
