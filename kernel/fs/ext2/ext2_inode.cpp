// ext2_inode.cpp: inodes by number: where they live, reading and writing
// them (honouring s_inode_size and i_extra_isize), attributes, the split
// 32-bit fields, and freeing an inode whose last link is gone.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

u64 inode_file_size(const Inode& inode) {
    // i_size_high is i_dir_acl for directories in revision 0; Linux reads it
    // as the high word for every type, and so does e2fsck.
    return inode.size | static_cast<u64>(inode.size_high) << 32;
}

void set_inode_file_size(Inode& inode, u64 size) {
    inode.size = static_cast<u32>(size);
    inode.size_high = static_cast<u32>(size >> 32);
}

u32 inode_uid(const Inode& inode) {
    return inode.uid | static_cast<u32>(inode.uid_high) << 16;
}
u32 inode_gid(const Inode& inode) {
    return inode.gid | static_cast<u32>(inode.gid_high) << 16;
}
void set_inode_uid(Inode& inode, u32 uid) {
    inode.uid = static_cast<u16>(uid);
    inode.uid_high = static_cast<u16>(uid >> 16);
}
void set_inode_gid(Inode& inode, u32 gid) {
    inode.gid = static_cast<u16>(gid);
    inode.gid_high = static_cast<u16>(gid >> 16);
}

namespace {
struct TimeSlots {
    u32 Inode::*seconds;
    u32 Inode::*extra;
};
TimeSlots slots_of(TimeField field) {
    switch (field) {
    case TimeField::Access:
        return {&Inode::atime, &Inode::atime_extra};
    case TimeField::Modify:
        return {&Inode::mtime, &Inode::mtime_extra};
    case TimeField::Change:
        return {&Inode::ctime, &Inode::ctime_extra};
    case TimeField::Create:
        return {&Inode::crtime, &Inode::crtime_extra};
    }
    return {&Inode::ctime, &Inode::ctime_extra};
}
} // namespace

// The extra word: nanoseconds << 2, and in its low two bits the epoch:
// seconds beyond the signed 32-bit range, as Linux's ext4 encodes them.
Timestamp inode_time(const Inode& inode, TimeField field) {
    const TimeSlots slots = slots_of(field);
    const u32 extra = inode.*slots.extra;
    Timestamp time;
    time.seconds = static_cast<i32>(inode.*slots.seconds) + (static_cast<i64>(extra & 3) << 32);
    time.nanoseconds = extra >> 2;
    if (time.nanoseconds > 999999999) {
        time.nanoseconds = 0; // damaged: whole seconds are still right
    }
    return time;
}

void set_inode_time(Inode& inode, TimeField field, Timestamp time) {
    const TimeSlots slots = slots_of(field);
    const u32 low = static_cast<u32>(time.seconds);
    const u32 epoch = static_cast<u32>((time.seconds - static_cast<i32>(low)) >> 32) & 3;
    inode.*slots.seconds = low;
    inode.*slots.extra = (min<u32>(time.nanoseconds, 999999999) << 2) | epoch;
}

void stamp_modified(Inode& inode, Timestamp now) {
    set_inode_time(inode, TimeField::Modify, now);
    set_inode_time(inode, TimeField::Change, now);
}

u8 file_type_of_mode(u16 mode) {
    switch (mode & mode_type_mask) {
    case mode_reg:
        return ft_reg;
    case mode_dir:
        return ft_dir;
    case mode_chr:
        return ft_chrdev;
    case mode_blk:
        return ft_blkdev;
    case mode_fifo:
        return ft_fifo;
    case mode_sock:
        return ft_sock;
    case mode_lnk:
        return ft_symlink;
    default:
        return ft_unknown;
    }
}

bool is_fast_symlink(const Inode& inode, u32 block_size) {
    if (!is_symlink(inode) || (inode.flags & (inode_flag_extents | inode_flag_inline_data))) {
        return false;
    }
    // An extended attribute block counts in i_blocks too (as Linux reckons).
    const u32 attribute_sectors = inode.file_acl != 0 ? block_size / 512 : 0;
    return inode.blocks == attribute_sectors;
}

u64 Volume::sectors(const Inode& inode) const {
    u64 count = inode.blocks;
    if (m_sb.feature_ro_compat & ro_compat_huge_file) {
        count |= static_cast<u64>(inode.blocks_hi) << 32;
        if (inode.flags & inode_flag_huge_file) {
            count *= m_block_size / 512;
        }
    }
    return count;
}

ErrorOr<void> Volume::inode_location(u32 ino, u64& block, u32& offset) {
    if (ino == 0 || ino > m_sb.inodes_count) {
        return corrupt("ext2: inode number out of range");
    }
    const u32 g = group_of_inode(ino);
    const u64 byte = static_cast<u64>((ino - 1) % m_sb.inodes_per_group) * m_inode_size;
    block = group(g).inode_table + byte / m_block_size;
    offset = static_cast<u32>(byte % m_block_size);
    return {};
}

namespace {
// The bytes of the inode that are meaningful: the base, and the extra fields
// i_extra_isize covers (an in-inode extended attribute area follows them).
usize valid_inode_bytes(const Inode& inode, u32 slot_size) {
    if (slot_size <= good_old_inode_size) {
        return good_old_inode_size;
    }
    const usize extra = min<usize>(inode.extra_isize, sizeof(Inode) - good_old_inode_size);
    return min<usize>(good_old_inode_size + (extra & ~3ul), slot_size);
}
} // namespace

ErrorOr<Inode> Volume::read_inode(u32 ino) {
    u64 block;
    u32 offset;
    TRY(inode_location(ino, block, offset));
    KBuffer buffer = TRY(allocate_block_buffer());
    TRY(read_block(block, buffer.data()));
    Inode inode;
    __builtin_memset(&inode, 0, sizeof(inode));
    __builtin_memcpy(&inode, buffer.data() + offset, min<usize>(m_inode_size, sizeof(Inode)));
    const usize valid = valid_inode_bytes(inode, m_inode_size);
    __builtin_memset(reinterpret_cast<u8*>(&inode) + valid, 0, sizeof(Inode) - valid);
    return inode;
}

ErrorOr<void> Volume::write_inode(u32 ino, const Inode& inode) {
    TRY(require_writable());
    u64 block;
    u32 offset;
    TRY(inode_location(ino, block, offset));
    KBuffer buffer = TRY(allocate_block_buffer());
    TRY(read_block(block, buffer.data()));
    __builtin_memcpy(buffer.data() + offset, &inode, valid_inode_bytes(inode, m_inode_size));
    return write_block(block, buffer.data());
}

ErrorOr<void> Volume::set_attributes(u32 ino, const Attributes& a) {
    TRY(require_writable());
    Inode inode = TRY(read_inode(ino));
    if (a.set_mode) {
        inode.mode = static_cast<u16>((inode.mode & mode_type_mask) | (a.mode & 07777));
    }
    if (a.set_uid) {
        set_inode_uid(inode, a.uid);
    }
    if (a.set_gid) {
        set_inode_gid(inode, a.gid);
    }
    if (a.set_atime) {
        set_inode_time(inode, TimeField::Access, a.atime);
    }
    if (a.set_mtime) {
        set_inode_time(inode, TimeField::Modify, a.mtime);
    }
    if (a.set_ctime) {
        set_inode_time(inode, TimeField::Change, a.ctime);
    }
    return write_inode(ino, inode);
}

ErrorOr<void> Volume::evict(u32 ino) {
    TRY(require_writable());
    Inode inode = TRY(read_inode(ino));
    if (inode.links_count != 0) {
        return {};
    }
    if (ino < m_first_ino) {
        return corrupt("ext2: a reserved inode lost its last link");
    }
    const u16 type = inode.mode & mode_type_mask;
    // Device inodes keep their numbers in i_block, and a fast symlink its
    // target: neither has blocks to free.
    if ((type == mode_reg || type == mode_dir || type == mode_lnk) &&
        !is_fast_symlink(inode, m_block_size)) {
        TRY(free_blocks_from(inode, 0));
    }
    if (inode.file_acl != 0) {
        KBuffer buffer = TRY(allocate_block_buffer());
        TRY(read_block(inode.file_acl, buffer.data()));
        XattrHeader header;
        __builtin_memcpy(&header, buffer.data(), sizeof(header));
        if (header.magic != xattr_magic || header.refcount == 0) {
            return corrupt("ext2: bad extended attribute block");
        }
        if (header.refcount == 1) {
            TRY(free_block(inode.file_acl));
        } else {
            --header.refcount;
            __builtin_memcpy(buffer.data(), &header, sizeof(header));
            TRY(write_block(inode.file_acl, buffer.data()));
        }
        inode.file_acl = 0;
        inode.blocks = 0;
    }
    set_inode_file_size(inode, 0);
    const u32 deleted = static_cast<u32>(now().seconds);
    inode.dtime = deleted ? deleted : 1; // a zero dtime would look like a live inode to e2fsck
    TRY(write_inode(ino, inode));
    return free_inode(ino, type == mode_dir);
}

} // namespace kite::ext2

namespace kite::ext2 {

u32 inode_rdev(const Inode& inode) {
    if (inode.block[0] != 0) {
        const u32 old = inode.block[0];
        return ((old >> 8) & 0xFF) << 8 | (old & 0xFF);
    }
    const u32 encoded = inode.block[1]; // minor low 8 | major 12 << 8 | minor high << 20
    const u32 major = (encoded >> 8) & 0xFFF;
    const u32 minor = (encoded & 0xFF) | ((encoded >> 12) & 0xFFF00);
    return (minor & 0xFF) | (major << 8) | ((minor & ~0xFFu) << 12);
}

void set_inode_rdev(Inode& inode, u32 rdev) {
    const u32 major = (rdev >> 8) & 0xFFF;
    const u32 minor = (rdev & 0xFF) | ((rdev >> 12) & 0xFFF00);
    if (major < 256 && minor < 256) {
        inode.block[0] = major << 8 | minor;
        inode.block[1] = 0;
    } else {
        inode.block[0] = 0;
        inode.block[1] = (minor & 0xFF) | (major << 8) | ((minor & ~0xFFu) << 12);
    }
}

} // namespace kite::ext2
