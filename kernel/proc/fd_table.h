// fd_table.h: a process's file descriptors: small integers naming shared
// open files, each with its close-on-exec flag. The table starts with room
// for 64 in place and grows (doubling) as descriptors above that are
// installed, up to the limit the caller gives: the process's RLIMIT_NOFILE.
// The threads of a process share it: once a second thread exists
// (set_shared), a spinlock guards the slots; an open file a slot lets go of
// is dropped after the lock (closing may sleep). A table only its one
// thread uses needs no lock (nothing else touches it), which keeps the
// lookup every read and write makes as cheap as it was before threads.
#pragma once

#include "fs/open_file.h"
#include "sync/spinlock.h"

namespace kite {

class FdTable {
  public:
    static constexpr int inline_descriptors = 64;

    FdTable() = default;
    ~FdTable();
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable&) = delete;
    // fork's copy (into an empty table): the same open files, the same
    // flags. ENOMEM if the table cannot grow to hold them.
    [[nodiscard]] ErrorOr<void> copy_from(const FdTable& other);

    // The lowest free descriptor >= lowest and < limit: EMFILE if none,
    // ENOMEM if the table cannot grow.
    [[nodiscard]] ErrorOr<int> install(RefPtr<OpenFile> file, bool close_on_exec, u64 limit,
                                       int lowest = 0);
    [[nodiscard]] ErrorOr<RefPtr<OpenFile>> get(int fd) const; // EBADF
    // Puts file at exactly fd, closing what was there (dup2): EBADF if fd
    // is negative or not below limit.
    [[nodiscard]] ErrorOr<void> install_at(int fd, RefPtr<OpenFile> file, bool close_on_exec,
                                           u64 limit);
    // F_GETFD and F_SETFD: EBADF if fd is not open.
    [[nodiscard]] ErrorOr<bool> close_on_exec_flag(int fd) const;
    [[nodiscard]] ErrorOr<void> set_close_on_exec_flag(int fd, bool value);
    [[nodiscard]] ErrorOr<void> close(int fd);
    void close_all();
    void close_on_exec();
    [[nodiscard]] bool is_open(int fd) const {
        Guard guard(*this);
        return is_open_locked(fd);
    }
    // How many descriptors the table has room for now (64, doubled as it
    // grows): Linux's max_fds, the most select reads.
    [[nodiscard]] int capacity() const { return m_capacity; }
    // A thread is about to share the table (clone_thread, from the table's
    // own thread); from then on, for good, every use locks it.
    void set_shared() { m_shared = true; }

  private:
    struct Slot {
        RefPtr<OpenFile> file;
        bool close_on_exec = false;
    };
    // A grown array: this header, then `capacity` slots.
    struct Block {
        Block* retired; // the blocks this table used before (see grow)
        int capacity;
        Slot* slots() { return reinterpret_cast<Slot*>(this + 1); }
    };
    // Makes room for descriptor fd (ENOMEM if there is no memory).
    [[nodiscard]] ErrorOr<void> grow_to_hold(int fd);
    void note_open(int fd) { m_end = fd >= m_end ? fd + 1 : m_end; }
    [[nodiscard]] bool is_open_locked(int fd) const {
        return fd >= 0 && fd < m_capacity && m_slots[fd].file;
    }
    // Empties slot fd (the lock is held) and gives what was there, to be
    // dropped once the lock is let go.
    [[nodiscard]] RefPtr<OpenFile> take_locked(int fd);
    // After a descriptor for file closed: this process's POSIX locks on it go.
    void release_locks(const RefPtr<OpenFile>& file) const;

    // The lock, if the table is shared.
    class [[nodiscard]] Guard : NonCopyable {
      public:
        explicit Guard(const FdTable& table)
            : m_lock(table.m_shared ? &table.m_lock : nullptr),
              m_were_enabled(m_lock && cpu::interrupts_enabled()) {
            if (m_lock) {
                cpu::disable_interrupts();
                m_lock->acquire();
            }
        }
        ~Guard() {
            if (m_lock) {
                m_lock->release();
                if (m_were_enabled) {
                    cpu::enable_interrupts();
                }
            }
        }

      private:
        Spinlock* m_lock;
        bool m_were_enabled;
    };
    [[nodiscard]] bool is_locked_if_shared() const { return !m_shared || m_lock.is_held(); }

    mutable Spinlock m_lock{"descriptors", LockRank::Descriptors};
    bool m_shared = false;

    Slot m_inline[inline_descriptors];
    Slot* m_slots = m_inline;
    int m_capacity = inline_descriptors;
    // The block m_slots is in (null while it is m_inline). Outgrown blocks
    // are kept, empty, on its retired list until the table goes: the
    // threads of a process share the table without a lock of their own,
    // and one may still be reading an entry of the array another just
    // replaced. Doubling keeps them smaller than the live one together.
    Block* m_block = nullptr;
    // No descriptor at or above m_end is open, so the walks over the table
    // (fork's copy, exec, exit) stop there.
    int m_end = 0;
};

} // namespace kite
