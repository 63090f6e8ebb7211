// ext2_volume.h: one mounted ext2 file system, the pure core that knows the
// on-disk format (ext2_format.h) and talks to the disk through a Device.
//
// Files are named by inode number; every call reads what it needs from the
// device and writes back what it changed before returning (superblock and
// group descriptor counts included), so the core keeps no cache of its own
// and a buffer cache under the Device makes repeated reads cheap.
//
// Serialization: the core has no locks. The caller makes all calls on one
// Volume one at a time (the kernel holds one mutex per mounted volume, across
// the block I/O of the call).
//
// Errors: an Error whose errno is the one the system call returns (ENOENT,
// EEXIST, ENOTEMPTY, ENOSPC, EROFS, ...). Anything wrong on the disk is EIO
// with a text that says what ("ext2: directory record crosses its block"); it
// also marks the volume as having errors, so unmount leaves s_state with
// ERROR_FS for e2fsck. A hostile image is refused or read, never trusted:
// every number taken from the disk is checked before it indexes anything.
#pragma once

#include "fs/ext2/ext2_device.h"
#include "fs/ext2/ext2_format.h"
#include "lib/error.h"
#include "lib/kbuffer.h"
#include "lib/string_view.h"

namespace kite::ext2 {

// A time as ext2 keeps it: seconds since the epoch (34 bits are stored in
// large inodes, 32 signed in small ones) and nanoseconds (large inodes only).
// Made from whole seconds implicitly.
struct Timestamp {
    constexpr Timestamp() = default;
    constexpr Timestamp(i64 whole_seconds, u32 nanos = 0)
        : seconds(whole_seconds), nanoseconds(nanos) {}
    i64 seconds = 0;
    u32 nanoseconds = 0;
};

struct MountOptions {
    bool read_only = false;
    // The time the core stamps on inodes and the superblock: precise_clock
    // if set, else clock (whole seconds), else 0.
    u32 (*clock)() = nullptr;
    Timestamp (*precise_clock)() = nullptr;
};

struct Statfs {
    u32 block_size;
    u64 blocks;
    u64 free_blocks;
    u64 available_blocks; // free minus the reserved ones
    u64 inodes;
    u64 free_inodes;
    u32 name_max;
};

struct DirEntry {
    u32 inode;
    u8 file_type; // ft_* (ft_unknown without the filetype feature)
    u8 name_length;
    char name[name_max + 1]; // NUL-terminated copy
    [[nodiscard]] StringView name_view() const { return {name, name_length}; }
};

// What set_attributes changes: each field only when its flag is set.
struct Attributes {
    bool set_mode = false, set_uid = false, set_gid = false;
    bool set_atime = false, set_mtime = false, set_ctime = false;
    u16 mode = 0; // permission bits (07777); the file type never changes
    u32 uid = 0, gid = 0;
    Timestamp atime, mtime, ctime;
};

// A directory operation's result for the names it took away: the inode whose
// link count went to 0 (0 if none). The caller calls evict() on it once no
// open file refers to it (POSIX keeps an unlinked open file readable).
struct Unlinked {
    u32 inode = 0;
};

class Volume {
  public:
    explicit Volume(Device& device) : m_device(device) {}
    Volume(const Volume&) = delete;
    Volume& operator=(const Volume&) = delete;

    // --- the volume (ext2_volume.cpp) ---
    // Reads and checks the superblock and group descriptors. A writable mount
    // marks the file system not clean, counts the mount and writes that back.
    ErrorOr<void> mount(const MountOptions& options);
    // Writes the superblock back as clean (or with ERROR_FS); the volume is
    // unmounted even if the write fails.
    ErrorOr<void> unmount();
    // Records that the file system has errors (ERROR_FS), on disk at once if
    // writable.
    void mark_error();
    [[nodiscard]] bool read_only() const { return m_read_only; }
    // Why a mount asked to be writable became read-only (null if it did not):
    // the caller prints it.
    [[nodiscard]] const char* read_only_reason() const { return m_read_only_reason; }
    // Set when the file system was not cleanly unmounted or has errors
    // recorded (Linux mounts it anyway, with this advice): the caller prints it.
    [[nodiscard]] const char* warning() const { return m_warning; }
    [[nodiscard]] u32 block_size() const { return m_block_size; }
    [[nodiscard]] const Superblock& superblock() const { return m_sb; }
    [[nodiscard]] Statfs statfs() const;
    // st_blocks: the inode's space in 512-byte units (huge_file inodes count
    // file-system blocks, and have a high word).
    [[nodiscard]] u64 sectors(const Inode& inode) const;

    // --- inodes (ext2_inode.cpp) ---
    ErrorOr<Inode> read_inode(u32 ino);
    ErrorOr<void> write_inode(u32 ino, const Inode& inode);
    ErrorOr<void> set_attributes(u32 ino, const Attributes& attributes);
    // Frees an inode whose link count is 0: its blocks, its extended
    // attribute block reference and its bitmap bit. No-op if links remain.
    ErrorOr<void> evict(u32 ino);

    // --- file data (ext2_file.cpp) ---
    // Bytes read (short at end of file); holes read as zeros.
    ErrorOr<usize> read(u32 ino, u64 offset, u8* out, usize length);
    // Bytes written; grows the file; updates mtime and ctime.
    ErrorOr<usize> write(u32 ino, u64 offset, const u8* data, usize length);
    // Sets the size; frees blocks past it (and indirect blocks left empty).
    ErrorOr<void> truncate(u32 ino, u64 size);
    // For a page cache: the disk block holding file block `logical`, 0 for a
    // hole. With allocate, a hole gets a zeroed block (the inode's i_blocks is
    // updated; its size is not).
    ErrorOr<u64> map(u32 ino, u64 logical, bool allocate);

    // --- directories (ext2_directory.cpp) ---
    ErrorOr<u32> lookup(u32 dir, StringView name);
    // The entry at or after byte `position` of the directory, advancing it;
    // false at the end. Empty records are skipped.
    ErrorOr<bool> read_dir(u32 dir, u64& position, DirEntry& out);
    ErrorOr<bool> is_empty_directory(u32 dir);

    // --- names (ext2_namei.cpp) ---
    // A new inode of the given mode (type bits say which: regular, fifo,
    // socket, char or block device with rdev), linked as dir/name.
    ErrorOr<u32> create(u32 dir, StringView name, u16 mode, u32 uid, u32 gid, u32 rdev = 0);
    ErrorOr<u32> mkdir(u32 dir, StringView name, u16 mode, u32 uid, u32 gid);
    ErrorOr<u32> symlink(u32 dir, StringView name, StringView target, u32 uid, u32 gid);
    // Bytes of the target copied (not NUL-terminated), at most capacity.
    ErrorOr<usize> readlink(u32 ino, char* out, usize capacity);
    // A new name for an existing non-directory inode.
    ErrorOr<void> link(u32 dir, StringView name, u32 ino);
    ErrorOr<Unlinked> unlink(u32 dir, StringView name);
    ErrorOr<Unlinked> rmdir(u32 dir, StringView name);
    // rename(2): an existing target is replaced if compatible (a file by a
    // non-directory, an empty directory by a directory); a directory is never
    // moved under itself (EINVAL).
    ErrorOr<Unlinked> rename(u32 old_dir, StringView old_name, u32 new_dir, StringView new_name);

    // --- block and inode allocation (ext2_alloc.cpp) ---
    ErrorOr<u64> allocate_block(u32 goal_group);
    ErrorOr<void> free_block(u64 block);
    ErrorOr<u32> allocate_inode(u32 goal_group, bool directory);
    ErrorOr<void> free_inode(u32 ino, bool directory);

    // --- internals shared by the files of the core ---
    [[nodiscard]] u32 group_of_inode(u32 ino) const { return (ino - 1) / m_sb.inodes_per_group; }
    [[nodiscard]] u64 blocks_count() const { return m_blocks_count; }
    [[nodiscard]] u32 inode_size() const { return m_inode_size; }
    [[nodiscard]] u32 first_ino() const { return m_first_ino; }
    [[nodiscard]] Timestamp now() const {
        return m_precise_clock ? m_precise_clock() : m_clock ? Timestamp(m_clock()) : Timestamp();
    }
    // EIO with what, and the volume marked as having errors.
    Error corrupt(const char* what);
    ErrorOr<KBuffer> allocate_block_buffer() const;
    ErrorOr<void> read_block(u64 block, u8* out);
    // The same for a block of file data read into a caller's page cache.
    ErrorOr<void> read_data_block(u64 block, u8* out);
    ErrorOr<void> write_block(u64 block, const u8* data);
    ErrorOr<void> zero_block(u64 block);
    ErrorOr<void> require_writable() const;
    [[nodiscard]] bool has_filetype() const { return m_sb.feature_incompat & incompat_filetype; }

    // Logical block -> disk block through i_block (ext2_block_map.cpp and
    // ext2_extents.cpp); inode is changed in memory only.
    enum class MapMode { Lookup, Allocate, AllocateUninitialised };
    // AllocateUninitialised leaves a new data block's contents as they were
    // (the caller overwrites all of it).
    ErrorOr<u64> map_block(u32 ino, Inode& inode, u64 logical, MapMode mode);
    // Frees every file block >= first_free, and the indirect blocks left
    // empty (ext2_block_map.cpp); inode is changed in memory only.
    ErrorOr<void> free_blocks_from(Inode& inode, u64 first_free);
    [[nodiscard]] u64 max_file_blocks() const;
    // The largest file size writes and truncates may reach.
    [[nodiscard]] u64 max_file_size() const;

  private:
    // Group descriptor fields, 32- or 64-bit.
    struct GroupInfo {
        u64 block_bitmap, inode_bitmap, inode_table;
        u32 free_blocks, free_inodes, used_dirs;
        u16 flags;
    };
    [[nodiscard]] GroupInfo group(u32 index) const;
    [[nodiscard]] u32 blocks_in_group(u32 index) const;
    [[nodiscard]] bool is_group_metadata(u64 block) const;
    ErrorOr<void> commit_counts(u32 group_index);
    void set_group_counts(u32 index, u32 free_blocks, u32 free_inodes, u32 used_dirs);
    ErrorOr<void> write_group_descriptor(u32 index);
    ErrorOr<void> write_superblock();
    ErrorOr<void> check_superblock();
    ErrorOr<void> check_groups();
    [[nodiscard]] u64 free_blocks_total() const;
    void set_free_blocks_total(u64 count);
    ErrorOr<void> inode_location(u32 ino, u64& block, u32& offset);
    ErrorOr<void> change_links(u32 ino, int delta);
    ErrorOr<u32> new_inode(u32 dir, u16 mode, u32 uid, u32 gid);
    ErrorOr<void> add_entry(u32 dir, StringView name, u32 ino, u8 file_type);
    ErrorOr<u32> remove_entry(u32 dir, StringView name);
    ErrorOr<void> set_dotdot(u32 dir, u32 parent);
    ErrorOr<Inode> read_directory_inode(u32 dir);
    ErrorOr<void> check_dir_block(const u8* block);
    ErrorOr<void> retarget_entry(u32 dir, StringView name, u32 ino, u8 file_type);
    ErrorOr<void> touch_directory(u32 dir, Inode& inode);
    enum class Walk { Next, Stop, WriteAndStop };
    struct Record {
        u64 block;    // disk block holding the record
        u8* data;     // that block's bytes
        u32 offset;   // the record's offset in the block
        i64 previous; // the previous record's offset, -1 for the first
        DirEntryHeader header;
        u32 rec_len;  // decoded (decode_rec_len)
        u64 position; // byte offset of the record in the directory
    };
    // Calls visit(Record&) on every record of every block (each block
    // checked first) until it returns Stop or WriteAndStop (the block is
    // then written back). True if a visit stopped the walk.
    template <typename Visit>
    ErrorOr<bool> walk_directory(const Inode& inode, u64 start, Visit visit);
    ErrorOr<bool> is_ancestor(u32 ancestor, u32 dir);
    void note_large_file();
    ErrorOr<u64> map_extent(const Inode& inode, u64 logical);
    ErrorOr<bool> free_subtree(Inode& inode, u64 block, u32 level, u64 base, u64 first_free);
    ErrorOr<u64> new_tree_block(u32 ino, Inode& inode, bool zero);
    ErrorOr<u64> checked_pointer(u64 block);

    Device& m_device;
    Superblock m_sb{};
    KBuffer m_descriptors; // the group descriptor table, as on disk
    u32 m_group_count = 0;
    u32 m_descriptor_size = group_descriptor_size;
    u32 m_descriptor_blocks = 0;
    u32 m_block_size = 0;
    u32 m_inode_size = 0;
    u32 m_first_ino = good_old_first_ino;
    u64 m_blocks_count = 0;
    u32 (*m_clock)() = nullptr;
    Timestamp (*m_precise_clock)() = nullptr;
    bool m_mounted = false;
    bool m_read_only = true;
    bool m_errors = false;
    const char* m_read_only_reason = nullptr;
    const char* m_warning = nullptr;
};

// Inode field helpers (ext2_inode.cpp).
[[nodiscard]] u64 inode_file_size(const Inode& inode);
void set_inode_file_size(Inode& inode, u64 size);
[[nodiscard]] u32 inode_uid(const Inode& inode);
[[nodiscard]] u32 inode_gid(const Inode& inode);
void set_inode_uid(Inode& inode, u32 uid);
void set_inode_gid(Inode& inode, u32 gid);
[[nodiscard]] u8 file_type_of_mode(u16 mode);
// Inode times. The nanoseconds and the epoch bits past 2038 live in the
// *_extra fields, kept only where i_extra_isize covers them (read_inode reads
// them as 0 elsewhere, write_inode drops them).
enum class TimeField { Access, Modify, Change, Create };
[[nodiscard]] Timestamp inode_time(const Inode& inode, TimeField field);
void set_inode_time(Inode& inode, TimeField field, Timestamp time);
// mtime and ctime (a change of contents or of a directory's entries).
void stamp_modified(Inode& inode, Timestamp now);
[[nodiscard]] inline bool is_dir(const Inode& inode) {
    return (inode.mode & mode_type_mask) == mode_dir;
}
[[nodiscard]] inline bool is_reg(const Inode& inode) {
    return (inode.mode & mode_type_mask) == mode_reg;
}
[[nodiscard]] inline bool is_symlink(const Inode& inode) {
    return (inode.mode & mode_type_mask) == mode_lnk;
}
// A symlink whose target lives in i_block (no data block).
[[nodiscard]] bool is_fast_symlink(const Inode& inode, u32 block_size);
// A device inode's number, in st_rdev's (makedev) encoding; set_inode_rdev
// stores it as Linux does (old 8:8 form when it fits, else the new form).
[[nodiscard]] u32 inode_rdev(const Inode& inode);
void set_inode_rdev(Inode& inode, u32 rdev);
constexpr u16 link_max = 32000; // EXT2_LINK_MAX

} // namespace kite::ext2
