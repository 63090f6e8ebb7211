// ext2_file.cpp: file contents through the block map: read, write,
// truncate, and the single-block map a page cache uses. The core never
// stamps atime (the caller's policy: relatime, noatime); writes and
// truncates stamp mtime and ctime.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

void Volume::note_large_file() {
    if (!(m_sb.feature_ro_compat & ro_compat_large_file)) {
        m_sb.feature_ro_compat |= ro_compat_large_file;
        (void)write_superblock(); // written again at unmount anyway
    }
}

u64 Volume::max_file_size() const {
    // Revision 0 has no feature words to announce large files in.
    if (m_sb.rev_level == good_old_rev) {
        return 0x7FFFFFFFull;
    }
    return max_file_blocks() * m_block_size;
}

ErrorOr<usize> Volume::read(u32 ino, u64 offset, u8* out, usize length) {
    Inode inode = TRY(read_inode(ino));
    if (is_fast_symlink(inode, m_block_size)) {
        return Error(Errno::INVAL, "ext2: a fast symlink has no data blocks");
    }
    const u16 type = inode.mode & mode_type_mask;
    if (type != mode_reg && type != mode_dir && type != mode_lnk) {
        return Error(Errno::INVAL, "ext2: not a file with data");
    }
    const u64 size = inode_file_size(inode);
    if (offset >= size) {
        return 0;
    }
    length = static_cast<usize>(min<u64>(length, size - offset));
    KBuffer scratch = TRY(allocate_block_buffer());
    usize done = 0;
    while (done < length) {
        const u64 position = offset + done;
        const u64 logical = position / m_block_size;
        const u32 within = static_cast<u32>(position % m_block_size);
        const usize chunk = min<usize>(m_block_size - within, length - done);
        const u64 block = TRY(map_block(ino, inode, logical, MapMode::Lookup));
        if (block == 0) {
            __builtin_memset(out + done, 0, chunk);
        } else if (chunk == m_block_size) {
            TRY(is_reg(inode) ? read_data_block(block, out + done) : read_block(block, out + done));
        } else {
            TRY(read_block(block, scratch.data()));
            __builtin_memcpy(out + done, scratch.data() + within, chunk);
        }
        done += chunk;
    }
    return done;
}

ErrorOr<usize> Volume::write(u32 ino, u64 offset, const u8* data, usize length) {
    TRY(require_writable());
    Inode inode = TRY(read_inode(ino));
    if (!is_reg(inode)) {
        return Error(Errno::INVAL, "ext2: write to a non-regular file");
    }
    const u64 limit = max_file_size();
    if (offset >= limit || length > limit - offset) {
        return Error(Errno::FBIG, "ext2: write past the largest file size");
    }
    KBuffer scratch = TRY(allocate_block_buffer());
    usize done = 0;
    Error failure(Errno::IO, "");
    bool failed = false;
    while (done < length) {
        const u64 position = offset + done;
        const u64 logical = position / m_block_size;
        const u32 within = static_cast<u32>(position % m_block_size);
        const usize chunk = min<usize>(m_block_size - within, length - done);
        const bool whole = chunk == m_block_size;
        auto mapped = map_block(ino, inode, logical,
                                whole ? MapMode::AllocateUninitialised : MapMode::Allocate);
        if (mapped.is_error()) {
            failure = mapped.release_error();
            failed = true;
            break;
        }
        const u64 block = mapped.value();
        ErrorOr<void> result;
        if (whole) {
            result = write_block(block, data + done);
        } else {
            result = read_block(block, scratch.data());
            if (!result.is_error()) {
                __builtin_memcpy(scratch.data() + within, data + done, chunk);
                result = write_block(block, scratch.data());
            }
        }
        if (result.is_error()) {
            failure = result.release_error();
            failed = true;
            break;
        }
        done += chunk;
    }
    // Blocks allocated before a failure are in the inode's map: write it
    // whatever happened.
    if (offset + done > inode_file_size(inode)) {
        set_inode_file_size(inode, offset + done);
        if (offset + done > 0x7FFFFFFFull) {
            note_large_file();
        }
    }
    if (done > 0) {
        stamp_modified(inode, now());
    }
    TRY(write_inode(ino, inode));
    if (failed && done == 0) {
        return failure;
    }
    return done;
}

ErrorOr<void> Volume::truncate(u32 ino, u64 size) {
    TRY(require_writable());
    Inode inode = TRY(read_inode(ino));
    if (is_dir(inode)) {
        return Error(Errno::ISDIR, "ext2: truncate of a directory");
    }
    if (!is_reg(inode)) {
        return Error(Errno::INVAL, "ext2: truncate of a non-regular file");
    }
    if (size > max_file_size()) {
        return Error(Errno::FBIG, "ext2: size past the largest file size");
    }
    const u64 old_size = inode_file_size(inode);
    if (size < old_size) {
        const u64 first_free = (size + m_block_size - 1) / m_block_size;
        auto freed = free_blocks_from(inode, first_free);
        if (freed.is_error()) {
            (void)write_inode(ino, inode); // keep the blocks already freed out of the map
            return freed.release_error();
        }
        // The kept part of the last block must read as zeros if the file
        // grows again: clear it past the new end.
        const u32 tail = static_cast<u32>(size % m_block_size);
        if (tail != 0) {
            const u64 block = TRY(map_block(ino, inode, size / m_block_size, MapMode::Lookup));
            if (block != 0) {
                KBuffer scratch = TRY(allocate_block_buffer());
                TRY(read_block(block, scratch.data()));
                __builtin_memset(scratch.data() + tail, 0, m_block_size - tail);
                TRY(write_block(block, scratch.data()));
            }
        }
    }
    set_inode_file_size(inode, size);
    if (size > 0x7FFFFFFFull) {
        note_large_file();
    }
    stamp_modified(inode, now());
    return write_inode(ino, inode);
}

ErrorOr<u64> Volume::map(u32 ino, u64 logical, bool allocate) {
    Inode inode = TRY(read_inode(ino));
    if (!allocate) {
        return map_block(ino, inode, logical, MapMode::Lookup);
    }
    TRY(require_writable());
    auto mapped = map_block(ino, inode, logical, MapMode::Allocate);
    TRY(write_inode(ino, inode));
    return mapped;
}

} // namespace kite::ext2
