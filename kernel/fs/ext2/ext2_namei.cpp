// ext2_namei.cpp: operations on names: create, mkdir, symlink, link,
// unlink, rmdir, rename, readlink. Each keeps link counts, the parent's
// "..", used_dirs and the times as Linux's ext2 does; e2fsck finds nothing to
// fix after any of them. On a failure after the inode was made, it is taken
// back so that no orphan is left.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

namespace {

bool is_dot_or_dotdot(StringView name) {
    return name == StringView(".") || name == StringView("..");
}

ErrorOr<void> check_new_name(StringView name) {
    if (name.length() == 0) {
        return Error(Errno::NOENT, "ext2: empty name");
    }
    if (name.length() > name_max) {
        return Error(Errno::NAMETOOLONG, "ext2: name longer than 255 bytes");
    }
    for (char c : name) {
        if (c == '/' || c == '\0') {
            return Error(Errno::INVAL, "ext2: '/' or NUL in a name");
        }
    }
    if (is_dot_or_dotdot(name)) {
        return Error(Errno::EXIST, "ext2: '.' and '..' always exist");
    }
    return {};
}

} // namespace

ErrorOr<void> Volume::change_links(u32 ino, int delta) {
    Inode inode = TRY(read_inode(ino));
    const int links = inode.links_count + delta;
    if (links < 0) {
        return corrupt("ext2: link count below zero");
    }
    if (links > link_max) {
        return Error(Errno::MLINK, "ext2: too many links");
    }
    inode.links_count = static_cast<u16>(links);
    set_inode_time(inode, TimeField::Change, now());
    return write_inode(ino, inode);
}

// Refuses a name that exists; any other lookup failure is passed on.
static ErrorOr<void> require_absent(Volume& volume, u32 dir, StringView name) {
    auto found = volume.lookup(dir, name);
    if (!found.is_error()) {
        return Error(Errno::EXIST, "ext2: name exists");
    }
    if (found.error().code() != Errno::NOENT) {
        return found.release_error();
    }
    return {};
}

ErrorOr<u32> Volume::new_inode(u32 dir, u16 mode, u32 uid, u32 gid) {
    const u32 ino = TRY(allocate_inode(group_of_inode(dir), (mode & mode_type_mask) == mode_dir));
    // The whole slot is cleared: a freed inode's in-inode attributes must
    // not come back.
    u64 block;
    u32 offset;
    TRY(inode_location(ino, block, offset));
    KBuffer buffer = TRY(allocate_block_buffer());
    TRY(read_block(block, buffer.data()));
    __builtin_memset(buffer.data() + offset, 0, m_inode_size);
    TRY(write_block(block, buffer.data()));
    Inode inode;
    __builtin_memset(&inode, 0, sizeof(inode));
    inode.mode = mode;
    set_inode_uid(inode, uid);
    set_inode_gid(inode, gid);
    const Timestamp made = now();
    set_inode_time(inode, TimeField::Access, made);
    stamp_modified(inode, made);
    inode.generation = m_sb.mnt_count * 0x10000u + ino; // distinct enough for NFS-style handles
    if (m_inode_size > good_old_inode_size) {
        inode.extra_isize = kite_extra_isize;
        set_inode_time(inode, TimeField::Create, made);
    }
    TRY(write_inode(ino, inode));
    return ino;
}

ErrorOr<u32> Volume::create(u32 dir, StringView name, u16 mode, u32 uid, u32 gid, u32 rdev) {
    TRY(require_writable());
    TRY(check_new_name(name));
    const u16 type = mode & mode_type_mask;
    if (type != mode_reg && type != mode_fifo && type != mode_sock && type != mode_chr &&
        type != mode_blk) {
        return Error(Errno::INVAL, "ext2: create makes files, fifos, sockets and devices");
    }
    TRY(read_directory_inode(dir));
    TRY(require_absent(*this, dir, name));
    const u32 ino = TRY(new_inode(dir, static_cast<u16>(type | (mode & 07777)), uid, gid));
    Inode inode = TRY(read_inode(ino));
    inode.links_count = 1;
    if (type == mode_chr || type == mode_blk) {
        set_inode_rdev(inode, rdev);
    }
    TRY(write_inode(ino, inode));
    auto added = add_entry(dir, name, ino, file_type_of_mode(mode));
    if (added.is_error()) {
        inode.links_count = 0;
        (void)write_inode(ino, inode);
        (void)evict(ino);
        return added.release_error();
    }
    return ino;
}

ErrorOr<u32> Volume::mkdir(u32 dir, StringView name, u16 mode, u32 uid, u32 gid) {
    TRY(require_writable());
    TRY(check_new_name(name));
    const Inode parent = TRY(read_directory_inode(dir));
    if (parent.links_count >= link_max) {
        return Error(Errno::MLINK, "ext2: too many subdirectories");
    }
    TRY(require_absent(*this, dir, name));
    const u32 ino = TRY(new_inode(dir, static_cast<u16>(mode_dir | (mode & 07777)), uid, gid));
    Inode inode = TRY(read_inode(ino));
    inode.links_count = 2;
    auto undo = [&](Error error) -> Error {
        inode.links_count = 0;
        (void)write_inode(ino, inode);
        (void)evict(ino);
        return error;
    };
    auto block = map_block(ino, inode, 0, MapMode::Allocate);
    if (block.is_error()) {
        return undo(block.release_error());
    }
    KBuffer buffer = TRY(KBuffer::try_create(m_block_size, true));
    const u8 type = has_filetype() ? ft_dir : u8{0};
    const DirEntryHeader dot{ino, 12, 1, type};
    const DirEntryHeader dotdot{dir, encode_rec_len(m_block_size - 12, m_block_size), 2, type};
    __builtin_memcpy(buffer.data(), &dot, sizeof(dot));
    buffer.data()[8] = '.';
    __builtin_memcpy(buffer.data() + 12, &dotdot, sizeof(dotdot));
    buffer.data()[20] = '.';
    buffer.data()[21] = '.';
    set_inode_file_size(inode, m_block_size);
    auto written = write_block(block.value(), buffer.data());
    if (written.is_error()) {
        return undo(written.release_error());
    }
    auto stored = write_inode(ino, inode);
    if (stored.is_error()) {
        return undo(stored.release_error());
    }
    auto added = add_entry(dir, name, ino, ft_dir);
    if (added.is_error()) {
        return undo(added.release_error());
    }
    TRY(change_links(dir, 1));
    return ino;
}

ErrorOr<u32> Volume::symlink(u32 dir, StringView name, StringView target, u32 uid, u32 gid) {
    TRY(require_writable());
    TRY(check_new_name(name));
    if (target.length() == 0) {
        return Error(Errno::NOENT, "ext2: empty symlink target");
    }
    if (target.length() >= m_block_size) {
        return Error(Errno::NAMETOOLONG, "ext2: symlink target longer than a block");
    }
    TRY(read_directory_inode(dir));
    TRY(require_absent(*this, dir, name));
    const u32 ino = TRY(new_inode(dir, mode_lnk | 0777, uid, gid));
    Inode inode = TRY(read_inode(ino));
    inode.links_count = 1;
    auto undo = [&](Error error) -> Error {
        inode.links_count = 0;
        (void)write_inode(ino, inode);
        (void)evict(ino);
        return error;
    };
    if (target.length() < fast_symlink_max) {
        __builtin_memcpy(inode.block, target.data(), target.length());
    } else {
        auto block = map_block(ino, inode, 0, MapMode::Allocate);
        if (block.is_error()) {
            return undo(block.release_error());
        }
        KBuffer buffer = TRY(KBuffer::try_create(m_block_size, true));
        __builtin_memcpy(buffer.data(), target.data(), target.length());
        auto written = write_block(block.value(), buffer.data());
        if (written.is_error()) {
            return undo(written.release_error());
        }
    }
    set_inode_file_size(inode, target.length());
    auto stored = write_inode(ino, inode);
    if (stored.is_error()) {
        return undo(stored.release_error());
    }
    auto added = add_entry(dir, name, ino, ft_symlink);
    if (added.is_error()) {
        return undo(added.release_error());
    }
    return ino;
}

ErrorOr<usize> Volume::readlink(u32 ino, char* out, usize capacity) {
    Inode inode = TRY(read_inode(ino));
    if (!is_symlink(inode)) {
        return Error(Errno::INVAL, "ext2: not a symlink");
    }
    const u64 size = inode_file_size(inode);
    if (is_fast_symlink(inode, m_block_size)) {
        if (size >= fast_symlink_max) {
            return corrupt("ext2: fast symlink longer than i_block");
        }
        const usize n = min<usize>(static_cast<usize>(size), capacity);
        __builtin_memcpy(out, inode.block, n);
        return n;
    }
    if (size >= m_block_size) {
        return corrupt("ext2: symlink longer than a block");
    }
    KBuffer buffer = TRY(allocate_block_buffer());
    const usize n = TRY(read(ino, 0, buffer.data(), static_cast<usize>(size)));
    const usize copied = min<usize>(n, capacity);
    __builtin_memcpy(out, buffer.data(), copied);
    return copied;
}

ErrorOr<void> Volume::link(u32 dir, StringView name, u32 ino) {
    TRY(require_writable());
    TRY(check_new_name(name));
    const Inode inode = TRY(read_inode(ino));
    if (is_dir(inode)) {
        return Error(Errno::PERM, "ext2: hard link to a directory");
    }
    if (inode.links_count == 0) {
        return Error(Errno::NOENT, "ext2: linking an unlinked inode");
    }
    if (inode.links_count >= link_max) {
        return Error(Errno::MLINK, "ext2: too many links");
    }
    TRY(read_directory_inode(dir));
    TRY(require_absent(*this, dir, name));
    TRY(add_entry(dir, name, ino, file_type_of_mode(inode.mode)));
    return change_links(ino, 1);
}

ErrorOr<Unlinked> Volume::unlink(u32 dir, StringView name) {
    TRY(require_writable());
    if (is_dot_or_dotdot(name)) {
        return Error(Errno::ISDIR, "ext2: unlink of '.' or '..'");
    }
    const u32 ino = TRY(lookup(dir, name));
    Inode inode = TRY(read_inode(ino));
    if (is_dir(inode)) {
        return Error(Errno::ISDIR, "ext2: unlink of a directory");
    }
    TRY(remove_entry(dir, name));
    TRY(change_links(ino, -1));
    return Unlinked{inode.links_count == 1 ? ino : 0};
}

ErrorOr<Unlinked> Volume::rmdir(u32 dir, StringView name) {
    TRY(require_writable());
    if (name == StringView(".")) {
        return Error(Errno::INVAL, "ext2: rmdir of '.'");
    }
    if (name == StringView("..")) {
        return Error(Errno::NOTEMPTY, "ext2: rmdir of '..'");
    }
    const u32 ino = TRY(lookup(dir, name));
    Inode inode = TRY(read_inode(ino));
    if (!is_dir(inode)) {
        return Error(Errno::NOTDIR, "ext2: rmdir of a non-directory");
    }
    if (!TRY(is_empty_directory(ino))) {
        return Error(Errno::NOTEMPTY, "ext2: directory not empty");
    }
    TRY(remove_entry(dir, name));
    inode.links_count = 0; // its entry in dir and its own "."
    set_inode_time(inode, TimeField::Change, now());
    TRY(write_inode(ino, inode));
    TRY(change_links(dir, -1)); // its ".."
    return Unlinked{ino};
}

// Whether ancestor is dir or one of dir's ancestors, by ".." up to the root
// (at most one step per inode, so a looped tree cannot hang it).
ErrorOr<bool> Volume::is_ancestor(u32 ancestor, u32 dir) {
    for (u32 steps = 0; steps <= m_sb.inodes_count; ++steps) {
        if (dir == ancestor) {
            return true;
        }
        if (dir == root_ino) {
            return false;
        }
        dir = TRY(lookup(dir, ".."));
    }
    return corrupt("ext2: directory tree has a loop");
}

ErrorOr<Unlinked> Volume::rename(u32 old_dir, StringView old_name, u32 new_dir,
                                 StringView new_name) {
    TRY(require_writable());
    if (is_dot_or_dotdot(old_name) || is_dot_or_dotdot(new_name)) {
        return Error(Errno::INVAL, "ext2: rename of '.' or '..'");
    }
    TRY(check_new_name(new_name));
    const u32 ino = TRY(lookup(old_dir, old_name));
    Inode inode = TRY(read_inode(ino));
    const bool moving_dir = is_dir(inode);
    TRY(read_directory_inode(new_dir));
    if (moving_dir && old_dir != new_dir && TRY(is_ancestor(ino, new_dir))) {
        return Error(Errno::INVAL, "ext2: moving a directory under itself");
    }
    u32 replaced = 0;
    auto existing = lookup(new_dir, new_name);
    if (existing.is_error() && existing.error().code() != Errno::NOENT) {
        return existing.release_error();
    }
    if (!existing.is_error()) {
        replaced = existing.value();
    }
    if (replaced == ino) {
        return Unlinked{}; // both names are links to one inode: nothing to do
    }
    if (replaced != 0) {
        Inode target = TRY(read_inode(replaced));
        if (moving_dir && !is_dir(target)) {
            return Error(Errno::NOTDIR, "ext2: rename of a directory over a non-directory");
        }
        if (!moving_dir && is_dir(target)) {
            return Error(Errno::ISDIR, "ext2: rename of a non-directory over a directory");
        }
        if (is_dir(target) && !TRY(is_empty_directory(replaced))) {
            return Error(Errno::NOTEMPTY, "ext2: rename over a directory that is not empty");
        }
        TRY(retarget_entry(new_dir, new_name, ino, file_type_of_mode(inode.mode)));
        if (is_dir(target)) {
            target.links_count = 0;
            set_inode_time(target, TimeField::Change, now());
            TRY(write_inode(replaced, target));
            TRY(change_links(new_dir, -1)); // the replaced directory's ".."
        } else {
            TRY(change_links(replaced, -1));
            target = TRY(read_inode(replaced));
        }
        if (target.links_count != 0) {
            replaced = 0;
        }
    } else {
        if (moving_dir && old_dir != new_dir) {
            const Inode destination = TRY(read_inode(new_dir));
            if (destination.links_count >= link_max) {
                return Error(Errno::MLINK, "ext2: too many subdirectories");
            }
        }
        TRY(add_entry(new_dir, new_name, ino, file_type_of_mode(inode.mode)));
    }
    TRY(remove_entry(old_dir, old_name));
    if (moving_dir && old_dir != new_dir) {
        TRY(set_dotdot(ino, new_dir));
        TRY(change_links(old_dir, -1));
        TRY(change_links(new_dir, 1));
    }
    inode = TRY(read_inode(ino));
    set_inode_time(inode, TimeField::Change, now());
    TRY(write_inode(ino, inode));
    return Unlinked{replaced};
}

} // namespace kite::ext2
