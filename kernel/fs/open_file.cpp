// open_file.cpp: see open_file.h.
#include "fs/open_file.h"

#include "debug/panic.h"
#include "fs/epoll.h"
#include "fs/file_locks.h"
#include "fs/namespace_lock.h"

namespace kite {

OpenFile::~OpenFile() {
    // Read without the epoll lock: no epoll can add this file any more (an
    // add holds a reference to it), and the last change was ordered before
    // the count reached zero.
    if (epoll_items) {
        epoll::forget_file(*this);
    }
    if (m_vnode) {
        file_locks::release_open_file(*m_vnode, this);
        if (m_tell_vnode_at_close) {
            m_vnode->closed(m_flags);
        }
    }
}

ErrorOr<usize> OpenFile::read(const IoBuffer& to, usize length) {
    if (!readable()) {
        return Error(Errno::BADF, "not open for reading");
    }
    OffsetGuard guard(*this);
    const usize n = TRY(m_vnode->read_with_flags(m_offset, to, length, m_flags));
    m_offset += n;
    return n;
}

ErrorOr<usize> OpenFile::limit_write(u64 at, usize length, u64 size_limit) const {
    // Linux's generic_write_checks: only regular files, not for an empty
    // write.
    if (size_limit != ~u64{0} && length > 0 && m_vnode->type() == VnodeType::Regular) {
        if (at >= size_limit) {
            return Error(Errno::FBIG, "RLIMIT_FSIZE reached");
        }
        length = static_cast<usize>(min<u64>(length, size_limit - at));
    }
    return length;
}

ErrorOr<usize> OpenFile::write(const IoBuffer& from, usize length, u64 size_limit) {
    if (!writable()) {
        return Error(Errno::BADF, "not open for writing");
    }
    OffsetGuard guard(*this);
    // An O_APPEND write measures the limit from the size it sees here,
    // which another open file may still change before the append.
    length =
        TRY(limit_write((m_flags & O_APPEND) ? m_vnode->size() : m_offset, length, size_limit));
    if (m_flags & O_APPEND) {
        return m_vnode->append(from, length, m_flags, m_offset);
    }
    const usize n = TRY(m_vnode->write_with_flags(m_offset, from, length, m_flags));
    m_offset += n;
    return n;
}

ErrorOr<usize> OpenFile::read_at(u64 offset, const IoBuffer& to, usize length) {
    if (!readable()) {
        return Error(Errno::BADF, "not open for reading");
    }
    return m_vnode->read_with_flags(offset, to, length, m_flags);
}

ErrorOr<usize> OpenFile::write_at(u64 offset, const IoBuffer& from, usize length, u64 size_limit) {
    if (!writable()) {
        return Error(Errno::BADF, "not open for writing");
    }
    length = TRY(limit_write((m_flags & O_APPEND) ? m_vnode->size() : offset, length, size_limit));
    if (m_flags & O_APPEND) {
        u64 end = 0;
        return m_vnode->append(from, length, m_flags, end);
    }
    return m_vnode->write_with_flags(offset, from, length, m_flags);
}

ErrorOr<u64> OpenFile::seek(i64 offset, int whence) {
    if (whence < 0 || whence > 2) {
        return Error(Errno::INVAL, "bad whence");
    }
    if (!m_vnode->is_seekable()) {
        return Error(Errno::SPIPE, "cannot seek on a terminal");
    }
    OffsetGuard guard(*this);
    if (m_vnode->type() == VnodeType::CharDevice || m_vnode->type() == VnodeType::Anonymous) {
        // like Linux's /dev/null and /dev/zero, and its anon inodes'
        // noop_llseek: always at 0
        return 0;
    }
    i64 base;
    switch (whence) {
    case 0:
        base = 0;
        break;
    case 1:
        base = static_cast<i64>(m_offset);
        break;
    case 2:
        base = static_cast<i64>(m_vnode->size());
        break;
    default:
        return Error(Errno::INVAL, "bad whence");
    }
    if ((offset < 0 && base + offset < 0) || (offset > 0 && base > INT64_MAX - offset)) {
        return Error(Errno::INVAL, "offset out of range");
    }
    m_offset = static_cast<u64>(base + offset);
    return m_offset;
}

ErrorOr<bool> OpenFile::next_directory_entry(DirectoryEntry& out) {
    if (!m_vnode->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    VERIFY(m_offset_lock.is_held());
    if (m_offset < 2) {
        out.name[0] = '.';
        out.name[1] = m_offset == 1 ? '.' : '\0';
        out.name[2] = '\0';
        {
            // The parent link is followed only under the lock: a rename and
            // rmdir elsewhere may free the directory it pointed to.
            vfs::NamespaceGuard guard;
            const Vnode* target = m_vnode.ptr();
            if (m_offset == 1 && target->parent) {
                target = target->parent;
            }
            out.inode = target->inode();
        }
        out.type = VnodeType::Directory;
        ++m_offset;
        return true;
    }
    if (!TRY(m_vnode->read_directory(m_offset - 2, out))) {
        return false;
    }
    ++m_offset;
    return true;
}

void OpenFile::unread_directory_entry() {
    VERIFY(m_offset_lock.is_held());
    --m_offset;
}

} // namespace kite
