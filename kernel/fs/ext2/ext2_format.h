// ext2_format.h: the ext2 on-disk format (revision 1, with the ext3/ext4
// fields Kite reads). All integers are little-endian, as is x86-64, so the
// structs are read from and written to blocks as they are. Layouts follow the
// ext4 documentation ("ext4 Disk Layout"); every offset is asserted.
#pragma once

#include "lib/types.h"

namespace kite::ext2 {

constexpr u16 super_magic = 0xEF53;
constexpr u64 superblock_offset = 1024; // bytes from the start of the device
constexpr u32 superblock_size = 1024;
constexpr u32 good_old_rev = 0;
constexpr u32 dynamic_rev = 1;
constexpr u32 good_old_first_ino = 11;
constexpr u16 good_old_inode_size = 128;
constexpr u32 root_ino = 2;
constexpr u32 min_log_block_size = 0; // 1 KiB
constexpr u32 max_log_block_size = 6; // 64 KiB
constexpr u32 name_max = 255;

// s_state
constexpr u16 state_valid = 1;   // cleanly unmounted
constexpr u16 state_error = 2;   // errors detected
constexpr u16 state_orphans = 4; // orphans being recovered (ext3)

// s_feature_compat: safe to ignore when unknown.
constexpr u32 compat_dir_prealloc = 0x0001;
constexpr u32 compat_imagic_inodes = 0x0002;
constexpr u32 compat_has_journal = 0x0004;
constexpr u32 compat_ext_attr = 0x0008;
constexpr u32 compat_resize_inode = 0x0010;
constexpr u32 compat_dir_index = 0x0020;
constexpr u32 compat_sparse_super2 = 0x0200;

// s_feature_incompat: must be understood to mount at all.
constexpr u32 incompat_compression = 0x0001;
constexpr u32 incompat_filetype = 0x0002;
constexpr u32 incompat_recover = 0x0004;
constexpr u32 incompat_journal_dev = 0x0008;
constexpr u32 incompat_meta_bg = 0x0010;
constexpr u32 incompat_extents = 0x0040;
constexpr u32 incompat_64bit = 0x0080;
constexpr u32 incompat_mmp = 0x0100;
constexpr u32 incompat_flex_bg = 0x0200;
constexpr u32 incompat_ea_inode = 0x0400;
constexpr u32 incompat_dirdata = 0x1000;
constexpr u32 incompat_csum_seed = 0x2000;
constexpr u32 incompat_largedir = 0x4000;
constexpr u32 incompat_inline_data = 0x8000;
constexpr u32 incompat_encrypt = 0x10000;
constexpr u32 incompat_casefold = 0x20000;

// s_feature_ro_compat: may be read when unknown, never written.
constexpr u32 ro_compat_sparse_super = 0x0001;
constexpr u32 ro_compat_large_file = 0x0002;
constexpr u32 ro_compat_btree_dir = 0x0004;
constexpr u32 ro_compat_huge_file = 0x0008;
constexpr u32 ro_compat_gdt_csum = 0x0010;
constexpr u32 ro_compat_dir_nlink = 0x0020;
constexpr u32 ro_compat_extra_isize = 0x0040;
constexpr u32 ro_compat_quota = 0x0100;
constexpr u32 ro_compat_bigalloc = 0x0200;
constexpr u32 ro_compat_metadata_csum = 0x0400;
constexpr u32 ro_compat_readonly = 0x1000;
constexpr u32 ro_compat_project = 0x2000;

struct Superblock {
    u32 inodes_count;
    u32 blocks_count;
    u32 r_blocks_count;
    u32 free_blocks_count;
    u32 free_inodes_count;
    u32 first_data_block;
    u32 log_block_size; // block size is 1024 << log_block_size
    u32 log_cluster_size;
    u32 blocks_per_group;
    u32 clusters_per_group;
    u32 inodes_per_group;
    u32 mtime;
    u32 wtime;
    u16 mnt_count;
    i16 max_mnt_count;
    u16 magic;
    u16 state;
    u16 errors;
    u16 minor_rev_level;
    u32 lastcheck;
    u32 checkinterval;
    u32 creator_os;
    u32 rev_level;
    u16 def_resuid;
    u16 def_resgid;
    // Revision 1 (dynamic) fields.
    u32 first_ino;
    u16 inode_size;
    u16 block_group_nr;
    u32 feature_compat;
    u32 feature_incompat;
    u32 feature_ro_compat;
    u8 uuid[16];
    char volume_name[16];
    char last_mounted[64];
    u32 algorithm_usage_bitmap;
    u8 prealloc_blocks;
    u8 prealloc_dir_blocks;
    u16 reserved_gdt_blocks;
    u8 journal_uuid[16];
    u32 journal_inum;
    u32 journal_dev;
    u32 last_orphan;
    u32 hash_seed[4];
    u8 def_hash_version;
    u8 jnl_backup_type;
    u16 desc_size; // with incompat_64bit
    u32 default_mount_opts;
    u32 first_meta_bg;
    u32 mkfs_time;
    u32 jnl_blocks[17];
    u32 blocks_count_hi; // with incompat_64bit
    u32 r_blocks_count_hi;
    u32 free_blocks_count_hi;
    u16 min_extra_isize;
    u16 want_extra_isize;
    u32 flags;
    u8 rest[1024 - 356];
};
static_assert(sizeof(Superblock) == superblock_size);
static_assert(__builtin_offsetof(Superblock, log_block_size) == 24);
static_assert(__builtin_offsetof(Superblock, inodes_per_group) == 40);
static_assert(__builtin_offsetof(Superblock, magic) == 56);
static_assert(__builtin_offsetof(Superblock, state) == 58);
static_assert(__builtin_offsetof(Superblock, rev_level) == 76);
static_assert(__builtin_offsetof(Superblock, first_ino) == 84);
static_assert(__builtin_offsetof(Superblock, feature_compat) == 92);
static_assert(__builtin_offsetof(Superblock, uuid) == 104);
static_assert(__builtin_offsetof(Superblock, reserved_gdt_blocks) == 206);
static_assert(__builtin_offsetof(Superblock, last_orphan) == 232);
static_assert(__builtin_offsetof(Superblock, desc_size) == 254);
static_assert(__builtin_offsetof(Superblock, jnl_blocks) == 268);
static_assert(__builtin_offsetof(Superblock, blocks_count_hi) == 336);
static_assert(__builtin_offsetof(Superblock, flags) == 352);

// Block group descriptor: 32 bytes, or s_desc_size (>= 64) with 64bit, the
// second half holding the high words.
struct GroupDescriptor {
    u32 block_bitmap;
    u32 inode_bitmap;
    u32 inode_table;
    u16 free_blocks_count;
    u16 free_inodes_count;
    u16 used_dirs_count;
    u16 flags;
    u32 exclude_bitmap;
    u16 block_bitmap_csum;
    u16 inode_bitmap_csum;
    u16 itable_unused;
    u16 checksum;
};
static_assert(sizeof(GroupDescriptor) == 32);
static_assert(__builtin_offsetof(GroupDescriptor, free_blocks_count) == 12);
static_assert(__builtin_offsetof(GroupDescriptor, used_dirs_count) == 16);
static_assert(__builtin_offsetof(GroupDescriptor, checksum) == 30);

struct GroupDescriptorHigh {
    u32 block_bitmap_hi;
    u32 inode_bitmap_hi;
    u32 inode_table_hi;
    u16 free_blocks_count_hi;
    u16 free_inodes_count_hi;
    u16 used_dirs_count_hi;
    u16 itable_unused_hi;
    u32 exclude_bitmap_hi;
    u16 block_bitmap_csum_hi;
    u16 inode_bitmap_csum_hi;
    u32 reserved;
};
static_assert(sizeof(GroupDescriptorHigh) == 32);
constexpr u32 group_descriptor_size = 32;
constexpr u32 group_descriptor_size_64 = 64;

// bg_flags
constexpr u16 bg_inode_uninit = 0x1;
constexpr u16 bg_block_uninit = 0x2;

// i_block: 12 direct pointers, then single, double and triple indirect.
constexpr u32 direct_blocks = 12;
constexpr u32 indirect_slot = 12;
constexpr u32 double_slot = 13;
constexpr u32 triple_slot = 14;
constexpr u32 block_slots = 15;
constexpr usize fast_symlink_max = block_slots * 4; // target shorter than this fits in i_block

// The inode: the 128-byte base, then the fields of a larger inode that lie
// inside i_extra_isize.
struct Inode {
    u16 mode;
    u16 uid;
    u32 size;
    u32 atime;
    u32 ctime;
    u32 mtime;
    u32 dtime;
    u16 gid;
    u16 links_count;
    u32 blocks; // 512-byte units (fs blocks with huge_file and HUGE_FILE_FL)
    u32 flags;
    u32 osd1;
    u32 block[block_slots];
    u32 generation;
    u32 file_acl;
    u32 size_high; // regular files (i_dir_acl in revision 0)
    u32 faddr;
    u16 blocks_hi;
    u16 file_acl_high;
    u16 uid_high;
    u16 gid_high;
    u16 checksum_lo;
    u16 reserved;
    // Large inodes (s_inode_size > 128), valid up to 128 + extra_isize.
    u16 extra_isize;
    u16 checksum_hi;
    u32 ctime_extra;
    u32 mtime_extra;
    u32 atime_extra;
    u32 crtime;
    u32 crtime_extra;
    u32 version_hi;
    u32 projid;
};
static_assert(sizeof(Inode) == 160);
static_assert(__builtin_offsetof(Inode, links_count) == 26);
static_assert(__builtin_offsetof(Inode, blocks) == 28);
static_assert(__builtin_offsetof(Inode, block) == 40);
static_assert(__builtin_offsetof(Inode, file_acl) == 104);
static_assert(__builtin_offsetof(Inode, size_high) == 108);
static_assert(__builtin_offsetof(Inode, blocks_hi) == 116);
static_assert(__builtin_offsetof(Inode, uid_high) == 120);
static_assert(__builtin_offsetof(Inode, extra_isize) == 128);
static_assert(__builtin_offsetof(Inode, ctime_extra) == 132);
static_assert(__builtin_offsetof(Inode, crtime) == 144);
static_assert(__builtin_offsetof(Inode, projid) == 156);
// The extra fields a new large inode covers: all of them (as Linux's
// default s_want_extra_isize of 32).
constexpr u16 kite_extra_isize = sizeof(Inode) - good_old_inode_size;

// i_flags
constexpr u32 inode_flag_index = 0x00001000; // hashed directory (dir_index)
constexpr u32 inode_flag_huge_file = 0x00040000;
constexpr u32 inode_flag_extents = 0x00080000;
constexpr u32 inode_flag_inline_data = 0x10000000;

// i_mode file types (as in Linux's S_IF*).
constexpr u16 mode_type_mask = 0xF000;
constexpr u16 mode_fifo = 0x1000;
constexpr u16 mode_chr = 0x2000;
constexpr u16 mode_dir = 0x4000;
constexpr u16 mode_blk = 0x6000;
constexpr u16 mode_reg = 0x8000;
constexpr u16 mode_lnk = 0xA000;
constexpr u16 mode_sock = 0xC000;

// Directory entry header; the name follows (name_len bytes, no NUL), and the
// record is padded to rec_len, a multiple of 4. Without incompat_filetype the
// file_type byte is the high byte of a 16-bit name length (always 0 here).
struct DirEntryHeader {
    u32 inode;
    u16 rec_len;
    u8 name_len;
    u8 file_type;
};
static_assert(sizeof(DirEntryHeader) == 8);
constexpr u32 dir_entry_header_size = 8;
constexpr u32 dir_entry_size(u32 name_len) {
    return (dir_entry_header_size + name_len + 3) & ~3u;
}
// rec_len is 16 bits; with 64 KiB blocks a whole-block record is stored as
// 65535 (or 0), and larger lengths keep bits 16-17 in the low two bits (as
// ext4 and e2fsprogs do).
constexpr u32 decode_rec_len(u16 stored, u32 block_size) {
    if (block_size < 65536) {
        return stored;
    }
    if (stored == 65535 || stored == 0) {
        return block_size;
    }
    return (stored & 65532u) | (static_cast<u32>(stored & 3u) << 16);
}
constexpr u16 encode_rec_len(u32 length, u32 block_size) {
    if (block_size < 65536) {
        return static_cast<u16>(length);
    }
    if (length == block_size) {
        return 65535;
    }
    return static_cast<u16>((length & 65532u) | ((length >> 16) & 3u));
}
static_assert(decode_rec_len(encode_rec_len(65536, 65536), 65536) == 65536);
static_assert(decode_rec_len(encode_rec_len(65524, 65536), 65536) == 65524);

// file_type values
constexpr u8 ft_unknown = 0;
constexpr u8 ft_reg = 1;
constexpr u8 ft_dir = 2;
constexpr u8 ft_chrdev = 3;
constexpr u8 ft_blkdev = 4;
constexpr u8 ft_fifo = 5;
constexpr u8 ft_sock = 6;
constexpr u8 ft_symlink = 7;
constexpr u8 ft_max = 8;

// Extent tree (ext4), read-only in Kite: a 12-byte header, then 12-byte
// index entries (interior nodes) or extents (leaves).
constexpr u16 extent_magic = 0xF30A;
constexpr u16 extent_max_depth = 5;
constexpr u16 extent_init_max_len = 32768; // longer: uninitialised (reads as zeros)
struct ExtentHeader {
    u16 magic;
    u16 entries;
    u16 max;
    u16 depth;
    u32 generation;
};
struct ExtentIndex {
    u32 block; // first logical block covered
    u32 leaf_lo;
    u16 leaf_hi;
    u16 unused;
};
struct Extent {
    u32 block;
    u16 len;
    u16 start_hi;
    u32 start_lo;
};
static_assert(sizeof(ExtentHeader) == 12 && sizeof(ExtentIndex) == 12 && sizeof(Extent) == 12);

// Extended attribute block header (only its reference count is used: a
// freed inode drops its reference).
constexpr u32 xattr_magic = 0xEA020000;
struct XattrHeader {
    u32 magic;
    u32 refcount;
    u32 blocks;
    u32 hash;
};
static_assert(sizeof(XattrHeader) == 16);

} // namespace kite::ext2
