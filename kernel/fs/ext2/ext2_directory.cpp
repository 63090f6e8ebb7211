// ext2_directory.cpp: directory blocks: checking every record, lookup,
// iteration, adding an entry (in a record's slack, else in a new block) and
// removing one (merged into the previous record). A directory is a plain
// file of whole blocks with no holes; an htree (dir_index) directory reads
// the same way, and a change clears its index flag, as Linux's ext2 does.
#include "fs/ext2/ext2_volume.h"

namespace kite::ext2 {

namespace {

bool names_equal(const u8* a, StringView b) {
    return __builtin_memcmp(a, b.data(), b.length()) == 0;
}

void put_header(u8* at, const DirEntryHeader& header) {
    __builtin_memcpy(at, &header, sizeof(header));
}

} // namespace

ErrorOr<void> Volume::check_dir_block(const u8* block) {
    u32 offset = 0;
    while (offset < m_block_size) {
        if (m_block_size - offset < dir_entry_header_size) {
            return corrupt("ext2: directory record header crosses its block");
        }
        DirEntryHeader header;
        __builtin_memcpy(&header, block + offset, sizeof(header));
        const u32 rec_len = decode_rec_len(header.rec_len, m_block_size);
        if (rec_len < dir_entry_header_size || rec_len % 4 != 0) {
            return corrupt("ext2: directory record length too small or unaligned");
        }
        if (rec_len > m_block_size - offset) {
            return corrupt("ext2: directory record crosses its block");
        }
        if (rec_len < dir_entry_size(header.name_len)) {
            return corrupt("ext2: directory record shorter than its name");
        }
        if (header.inode > m_sb.inodes_count) {
            return corrupt("ext2: directory record names an inode out of range");
        }
        offset += rec_len;
    }
    return {};
}

ErrorOr<Inode> Volume::read_directory_inode(u32 dir) {
    Inode inode = TRY(read_inode(dir));
    if (!is_dir(inode)) {
        return Error(Errno::NOTDIR, "ext2: not a directory");
    }
    if (inode.flags & (inode_flag_inline_data)) {
        return corrupt("ext2: inline directory without the feature");
    }
    const u64 size = inode_file_size(inode);
    // Whole blocks, all allocated, no more than the disk has: bounds every
    // walk by i_blocks and the disk's size.
    const u64 sector_blocks = m_block_size / 512;
    if (size % m_block_size != 0 || size / m_block_size > inode.blocks / sector_blocks ||
        size / m_block_size > m_blocks_count) {
        return corrupt("ext2: directory size does not match its blocks");
    }
    return inode;
}

template <typename Visit>
ErrorOr<bool> Volume::walk_directory(const Inode& inode, u64 start, Visit visit) {
    Inode map_copy = inode; // map_block wants a mutable inode; lookups change nothing
    const u64 blocks = inode_file_size(inode) / m_block_size;
    KBuffer buffer = TRY(allocate_block_buffer());
    for (u64 logical = start / m_block_size; logical < blocks; ++logical) {
        const u64 block = TRY(map_block(0, map_copy, logical, MapMode::Lookup));
        if (block == 0) {
            return corrupt("ext2: hole in a directory");
        }
        TRY(read_block(block, buffer.data()));
        TRY(check_dir_block(buffer.data()));
        i64 previous = -1;
        for (u32 offset = 0; offset < m_block_size;) {
            Record record;
            record.block = block;
            record.data = buffer.data();
            record.offset = offset;
            record.previous = previous;
            __builtin_memcpy(&record.header, buffer.data() + offset, sizeof(record.header));
            record.rec_len = decode_rec_len(record.header.rec_len, m_block_size);
            record.position = logical * m_block_size + offset;
            const u32 next = offset + record.rec_len; // checked: >= 8, inside the block
            if (record.position >= start) {
                const Walk action = visit(record);
                if (action == Walk::WriteAndStop) {
                    TRY(write_block(block, buffer.data()));
                }
                if (action != Walk::Next) {
                    return true;
                }
            }
            previous = offset;
            offset = next;
        }
    }
    return false;
}

ErrorOr<u32> Volume::lookup(u32 dir, StringView name) {
    if (name.length() == 0 || name.length() > name_max) {
        return Error(name.length() ? Errno::NAMETOOLONG : Errno::NOENT, "ext2: bad name length");
    }
    const Inode inode = TRY(read_directory_inode(dir));
    u32 found = 0;
    TRY(walk_directory(inode, 0, [&](Record& r) {
        if (r.header.inode != 0 && r.header.name_len == name.length() &&
            names_equal(r.data + r.offset + dir_entry_header_size, name)) {
            found = r.header.inode;
            return Walk::Stop;
        }
        return Walk::Next;
    }));
    if (found == 0) {
        return Error(Errno::NOENT, "ext2: no such name");
    }
    return found;
}

ErrorOr<bool> Volume::read_dir(u32 dir, u64& position, DirEntry& out) {
    const Inode inode = TRY(read_directory_inode(dir));
    const bool typed = has_filetype();
    u64 next_position = 0;
    const bool found = TRY(walk_directory(inode, position, [&](Record& r) {
        if (r.header.inode == 0) {
            return Walk::Next;
        }
        out.inode = r.header.inode;
        out.file_type = typed && r.header.file_type < ft_max ? r.header.file_type : ft_unknown;
        out.name_length = r.header.name_len;
        __builtin_memcpy(out.name, r.data + r.offset + dir_entry_header_size, r.header.name_len);
        out.name[r.header.name_len] = '\0';
        next_position = r.position + r.rec_len;
        return Walk::Stop;
    }));
    position = found ? next_position : inode_file_size(inode);
    return found;
}

ErrorOr<bool> Volume::is_empty_directory(u32 dir) {
    const Inode inode = TRY(read_directory_inode(dir));
    const bool other = TRY(walk_directory(inode, 0, [&](Record& r) {
        const u8* name = r.data + r.offset + dir_entry_header_size;
        const bool dot = r.header.name_len == 1 && name[0] == '.';
        const bool dotdot = r.header.name_len == 2 && name[0] == '.' && name[1] == '.';
        return r.header.inode != 0 && !dot && !dotdot ? Walk::Stop : Walk::Next;
    }));
    return !other;
}

// A changed directory: new times, and no htree index (it would be stale).
ErrorOr<void> Volume::touch_directory(u32 dir, Inode& inode) {
    stamp_modified(inode, now());
    inode.flags &= ~inode_flag_index;
    return write_inode(dir, inode);
}

ErrorOr<void> Volume::add_entry(u32 dir, StringView name, u32 ino, u8 file_type) {
    TRY(require_writable());
    Inode inode = TRY(read_directory_inode(dir));
    const u32 need = dir_entry_size(static_cast<u32>(name.length()));
    DirEntryHeader entry{ino, 0, static_cast<u8>(name.length()),
                         has_filetype() ? file_type : u8{0}};
    auto put = [&](u8* at) {
        put_header(at, entry);
        __builtin_memcpy(at + dir_entry_header_size, name.data(), name.length());
    };
    const bool placed = TRY(walk_directory(inode, 0, [&](Record& r) {
        u8* at = r.data + r.offset;
        if (r.header.inode == 0 && r.rec_len >= need) {
            entry.rec_len = r.header.rec_len;
            put(at);
            return Walk::WriteAndStop;
        }
        const u32 used = r.header.inode == 0 ? 0 : dir_entry_size(r.header.name_len);
        if (r.header.inode != 0 && r.rec_len - used >= need) {
            DirEntryHeader shortened = r.header;
            shortened.rec_len = encode_rec_len(used, m_block_size);
            put_header(at, shortened);
            entry.rec_len = encode_rec_len(r.rec_len - used, m_block_size);
            put(at + used);
            return Walk::WriteAndStop;
        }
        return Walk::Next;
    }));
    if (!placed) {
        // A new block at the end, one record spanning it.
        const u64 logical = inode_file_size(inode) / m_block_size;
        auto mapped = map_block(dir, inode, logical, MapMode::Allocate);
        if (mapped.is_error()) {
            (void)write_inode(dir, inode);
            return mapped.release_error();
        }
        KBuffer buffer = TRY(KBuffer::try_create(m_block_size, true));
        entry.rec_len = encode_rec_len(m_block_size, m_block_size);
        put(buffer.data());
        auto written = write_block(mapped.value(), buffer.data());
        set_inode_file_size(inode, (logical + 1) * m_block_size);
        if (written.is_error()) {
            (void)write_inode(dir, inode);
            return written.release_error();
        }
    }
    return touch_directory(dir, inode);
}

ErrorOr<u32> Volume::remove_entry(u32 dir, StringView name) {
    TRY(require_writable());
    Inode inode = TRY(read_directory_inode(dir));
    u32 removed = 0;
    TRY(walk_directory(inode, 0, [&](Record& r) {
        if (r.header.inode == 0 || r.header.name_len != name.length() ||
            !names_equal(r.data + r.offset + dir_entry_header_size, name)) {
            return Walk::Next;
        }
        removed = r.header.inode;
        if (r.previous < 0) {
            DirEntryHeader emptied = r.header;
            emptied.inode = 0;
            put_header(r.data + r.offset, emptied);
        } else {
            DirEntryHeader previous;
            __builtin_memcpy(&previous, r.data + r.previous, sizeof(previous));
            const u32 merged = decode_rec_len(previous.rec_len, m_block_size) + r.rec_len;
            previous.rec_len = encode_rec_len(merged, m_block_size);
            put_header(r.data + r.previous, previous);
        }
        return Walk::WriteAndStop;
    }));
    if (removed == 0) {
        return Error(Errno::NOENT, "ext2: no such name");
    }
    TRY(touch_directory(dir, inode));
    return removed;
}

ErrorOr<void> Volume::retarget_entry(u32 dir, StringView name, u32 ino, u8 file_type) {
    TRY(require_writable());
    Inode inode = TRY(read_directory_inode(dir));
    const bool typed = has_filetype();
    const bool found = TRY(walk_directory(inode, 0, [&](Record& r) {
        if (r.header.inode == 0 || r.header.name_len != name.length() ||
            !names_equal(r.data + r.offset + dir_entry_header_size, name)) {
            return Walk::Next;
        }
        DirEntryHeader changed = r.header;
        changed.inode = ino;
        changed.file_type = typed ? file_type : u8{0};
        put_header(r.data + r.offset, changed);
        return Walk::WriteAndStop;
    }));
    if (!found) {
        return Error(Errno::NOENT, "ext2: no such name");
    }
    return touch_directory(dir, inode);
}

ErrorOr<void> Volume::set_dotdot(u32 dir, u32 parent) {
    Inode inode = TRY(read_directory_inode(dir));
    if (inode_file_size(inode) == 0) {
        return corrupt("ext2: directory without a first block");
    }
    const u64 block = TRY(map_block(dir, inode, 0, MapMode::Lookup));
    if (block == 0) {
        return corrupt("ext2: hole in a directory");
    }
    KBuffer buffer = TRY(allocate_block_buffer());
    TRY(read_block(block, buffer.data()));
    TRY(check_dir_block(buffer.data()));
    DirEntryHeader dot, dotdot;
    __builtin_memcpy(&dot, buffer.data(), sizeof(dot));
    const u32 dot_length = decode_rec_len(dot.rec_len, m_block_size);
    if (dot_length >= m_block_size) {
        return corrupt("ext2: directory without '..'");
    }
    __builtin_memcpy(&dotdot, buffer.data() + dot_length, sizeof(dotdot));
    const u8* name = buffer.data() + dot_length + dir_entry_header_size;
    if (dotdot.name_len != 2 || name[0] != '.' || name[1] != '.') {
        return corrupt("ext2: directory's second record is not '..'");
    }
    dotdot.inode = parent;
    put_header(buffer.data() + dot_length, dotdot);
    return write_block(block, buffer.data());
}

} // namespace kite::ext2
