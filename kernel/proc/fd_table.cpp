// fd_table.cpp: see fd_table.h.
#include "proc/fd_table.h"

#include "fs/file_locks.h"
#include "lib/placement_new.h"
#include "mm/kmalloc.h"

namespace kite {

// A descriptor of this process went: its POSIX locks on the file go too,
// whatever descriptor made them (POSIX's rule, and Linux's). Called with
// the table unlocked; the caller drops the open file after.
void FdTable::release_locks(const RefPtr<OpenFile>& file) const {
    if (file) {
        file_locks::release_posix(*file->vnode(), this);
    }
}

FdTable::~FdTable() {
    close_all();
    for (Block* block = m_block; block;) {
        Block* older = block->retired;
        for (int i = 0; i < block->capacity; ++i) {
            block->slots()[i].~Slot();
        }
        kfree(block);
        block = older;
    }
}

ErrorOr<void> FdTable::grow_to_hold(int fd) {
    int capacity = m_capacity;
    while (capacity <= fd) {
        capacity *= 2;
    }
    auto* block =
        static_cast<Block*>(kmalloc(sizeof(Block) + static_cast<usize>(capacity) * sizeof(Slot)));
    if (!block) {
        return Error(Errno::NOMEM, "no memory for the descriptor table");
    }
    block->retired = m_block;
    block->capacity = capacity;
    Slot* slots = block->slots();
    for (int i = 0; i < capacity; ++i) {
        new (&slots[i]) Slot();
    }
    for (int i = 0; i < m_end; ++i) {
        slots[i].file = move(m_slots[i].file);
        slots[i].close_on_exec = m_slots[i].close_on_exec;
    }
    m_block = block;
    m_slots = slots;
    m_capacity = capacity;
    return {};
}

ErrorOr<void> FdTable::copy_from(const FdTable& other) {
    // This table is new: nobody else uses it yet; the other is locked.
    Guard guard(other);
    VERIFY(m_end == 0);
    if (other.m_end > m_capacity) {
        TRY(grow_to_hold(other.m_end - 1));
    }
    for (int fd = 0; fd < other.m_end; ++fd) {
        m_slots[fd].file = other.m_slots[fd].file;
        m_slots[fd].close_on_exec = other.m_slots[fd].close_on_exec;
    }
    m_end = other.m_end;
    return {};
}

ErrorOr<int> FdTable::install(RefPtr<OpenFile> file, bool close_on_exec, u64 limit, int lowest) {
    Guard guard(*this);
    int fd = lowest < 0 ? 0 : lowest;
    while (fd < m_end && m_slots[fd].file) {
        ++fd;
    }
    if (static_cast<u64>(fd) >= limit) {
        return Error(Errno::MFILE, "too many open files");
    }
    if (fd >= m_capacity) {
        TRY(grow_to_hold(fd));
    }
    m_slots[fd].file = move(file);
    m_slots[fd].close_on_exec = close_on_exec;
    note_open(fd);
    return fd;
}

ErrorOr<void> FdTable::install_at(int fd, RefPtr<OpenFile> file, bool close_on_exec, u64 limit) {
    if (fd < 0 || static_cast<u64>(fd) >= limit) {
        return Error(Errno::BADF, "descriptor out of range");
    }
    RefPtr<OpenFile> old; // closed after the lock, like close()
    {
        Guard guard(*this);
        if (fd >= m_capacity) {
            TRY(grow_to_hold(fd));
        }
        old = move(m_slots[fd].file);
        m_slots[fd].file = move(file);
        m_slots[fd].close_on_exec = close_on_exec;
        note_open(fd);
    }
    release_locks(old);
    return {};
}

ErrorOr<RefPtr<OpenFile>> FdTable::get(int fd) const {
    Guard guard(*this);
    if (!is_open_locked(fd)) {
        return Error(Errno::BADF, "bad file descriptor");
    }
    return m_slots[fd].file;
}

ErrorOr<bool> FdTable::close_on_exec_flag(int fd) const {
    Guard guard(*this);
    if (!is_open_locked(fd)) {
        return Error(Errno::BADF, "bad file descriptor");
    }
    return m_slots[fd].close_on_exec;
}

ErrorOr<void> FdTable::set_close_on_exec_flag(int fd, bool value) {
    Guard guard(*this);
    if (!is_open_locked(fd)) {
        return Error(Errno::BADF, "bad file descriptor");
    }
    m_slots[fd].close_on_exec = value;
    return {};
}

RefPtr<OpenFile> FdTable::take_locked(int fd) {
    VERIFY(is_locked_if_shared());
    m_slots[fd].close_on_exec = false;
    return move(m_slots[fd].file);
}

ErrorOr<void> FdTable::close(int fd) {
    RefPtr<OpenFile> file;
    {
        Guard guard(*this);
        if (!is_open_locked(fd)) {
            return Error(Errno::BADF, "bad file descriptor");
        }
        file = take_locked(fd);
    }
    release_locks(file);
    return {};
}

void FdTable::close_all() {
    for (int fd = 0;; ++fd) {
        RefPtr<OpenFile> file;
        {
            Guard guard(*this);
            if (fd >= m_end) {
                m_end = 0;
                return;
            }
            file = take_locked(fd);
        }
        release_locks(file);
    }
}

void FdTable::close_on_exec() {
    for (int fd = 0;; ++fd) {
        RefPtr<OpenFile> file;
        {
            Guard guard(*this);
            if (fd >= m_end) {
                return;
            }
            if (m_slots[fd].close_on_exec) {
                file = take_locked(fd);
            }
        }
        release_locks(file);
    }
}

} // namespace kite
