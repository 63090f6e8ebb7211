// open_file.h: an open file description: a vnode, the access mode and the
// offset. Descriptors (and later fork's copies) share one; it lives until
// the last descriptor referring to it is closed.
#pragma once

#include "api/constants.h"
#include "fs/vnode.h"
#include "sync/mutex.h"

namespace kite {

// Linux's open(2) flags: O_CREAT and the others (api/constants.h).
using abi::OpenFlags;
using enum abi::OpenFlags;

struct EpollItem;

class OpenFile : public RefCounted<OpenFile> {
  public:
    OpenFile(RefPtr<Vnode> vnode, u32 flags) : m_vnode(move(vnode)), m_flags(flags) {}
    // The last reference: the vnode hears of the close if open(2) told it
    // of the open, and the file's OFD locks and flock go (fs/file_locks.h).
    ~OpenFile();
    // open(2) ran the vnode's opened() for this open file: its closed()
    // is owed when the last descriptor goes.
    void tell_vnode_at_close() { m_tell_vnode_at_close = true; }

    [[nodiscard]] const RefPtr<Vnode>& vnode() const { return m_vnode; }
    [[nodiscard]] u32 flags() const { return m_flags; }
    // F_SETFL: only O_APPEND and O_NONBLOCK can change.
    void set_status_flags(u32 flags) {
        m_flags = (m_flags & ~(O_APPEND | O_NONBLOCK)) | (flags & (O_APPEND | O_NONBLOCK));
    }
    // Access mode 3 (O_ACCMODE) allows neither, as on Linux.
    [[nodiscard]] bool readable() const {
        return (m_flags & O_ACCMODE) == O_RDONLY || (m_flags & O_ACCMODE) == O_RDWR;
    }
    [[nodiscard]] bool writable() const {
        return (m_flags & O_ACCMODE) == O_WRONLY || (m_flags & O_ACCMODE) == O_RDWR;
    }

    [[nodiscard]] ErrorOr<usize> read(const IoBuffer& to, usize length);
    // A regular file grows no further than size_limit (RLIMIT_FSIZE): a
    // write that would cross it is cut short there, one that starts at or
    // past it is EFBIG (the caller sends SIGXFSZ).
    [[nodiscard]] ErrorOr<usize> write(const IoBuffer& from, usize length,
                                       u64 size_limit = ~u64{0});
    // pread and pwrite: at offset, leaving the file's own offset alone (the
    // caller has checked the file is seekable). As on Linux, a pwrite to an
    // O_APPEND file appends whatever offset says.
    [[nodiscard]] ErrorOr<usize> read_at(u64 offset, const IoBuffer& to, usize length);
    [[nodiscard]] ErrorOr<usize> write_at(u64 offset, const IoBuffer& from, usize length,
                                          u64 size_limit = ~u64{0});
    // whence: 0 SEEK_SET, 1 SEEK_CUR, 2 SEEK_END.
    [[nodiscard]] ErrorOr<u64> seek(i64 offset, int whence);

    // Holds the offset still for a sequence of calls below (a whole
    // getdents64): for regular files and directories the offset has a lock,
    // as Linux's f_pos_lock, so that processes sharing the description
    // (after fork or dup) each see a read, write or listing happen whole.
    // Terminals, pipes and devices have none: their reads may sleep for
    // long, and their offset means nothing.
    class [[nodiscard]] OffsetGuard : NonCopyable {
      public:
        explicit OffsetGuard(OpenFile& file)
            : m_lock(file.m_vnode->type() == VnodeType::Regular || file.m_vnode->is_directory()
                         ? &file.m_offset_lock
                         : nullptr) {
            if (m_lock) {
                m_lock->lock();
            }
        }
        ~OffsetGuard() {
            if (m_lock) {
                m_lock->unlock();
            }
        }

      private:
        Mutex* m_lock;
    };
    // The next directory entry, in Linux's getdents64 order: ".", "..",
    // then the directory's own entries. False at the end. Under an
    // OffsetGuard.
    [[nodiscard]] ErrorOr<bool> next_directory_entry(DirectoryEntry& out);
    // Steps back over the entry just returned (it did not fit the caller's
    // buffer). Under the same OffsetGuard.
    void unread_directory_entry();

    // The epoll entries that watch this file (fs/epoll.h), linked through
    // EpollItem::next_for_file; guarded by the epoll lock. Entries hold no
    // reference: the destructor above removes them.
    EpollItem* epoll_items = nullptr;

  private:
    // Cuts a write starting at `at` short at size_limit (EFBIG at or past it).
    [[nodiscard]] ErrorOr<usize> limit_write(u64 at, usize length, u64 size_limit) const;

    RefPtr<Vnode> m_vnode;
    u32 m_flags;
    bool m_tell_vnode_at_close = false;
    Mutex m_offset_lock{"open file offset", LockRank::FileOffset};
    u64 m_offset = 0;
};

} // namespace kite
