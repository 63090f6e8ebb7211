// fd_table.cpp: see fd_table.h.
#include "proc/fd_table.h"

namespace kite {

ErrorOr<int> FdTable::install(RefPtr<OpenFile> file, bool close_on_exec, int lowest) {
    for (int fd = lowest < 0 ? 0 : lowest; fd < max_descriptors; ++fd) {
        if (!m_files[fd]) {
            m_files[fd] = move(file);
            m_close_on_exec[fd] = close_on_exec;
            note_open(fd);
            return fd;
        }
    }
    return Error(Errno::MFILE, "too many open files");
}

ErrorOr<void> FdTable::install_at(int fd, RefPtr<OpenFile> file, bool close_on_exec) {
    if (fd < 0 || fd >= max_descriptors) {
        return Error(Errno::BADF, "descriptor out of range");
    }
    m_files[fd] = move(file);
    m_close_on_exec[fd] = close_on_exec;
    note_open(fd);
    return {};
}

FdTable& FdTable::operator=(const FdTable& other) {
    if (this == &other) {
        return *this;
    }
    const int end = max(m_end, other.m_end);
    for (int fd = 0; fd < end; ++fd) {
        m_files[fd] = other.m_files[fd];
        m_close_on_exec[fd] = other.m_close_on_exec[fd];
    }
    m_end = other.m_end;
    return *this;
}

ErrorOr<RefPtr<OpenFile>> FdTable::get(int fd) const {
    if (!is_open(fd)) {
        return Error(Errno::BADF, "bad file descriptor");
    }
    return m_files[fd];
}

ErrorOr<void> FdTable::close(int fd) {
    if (!is_open(fd)) {
        return Error(Errno::BADF, "bad file descriptor");
    }
    m_files[fd].clear();
    m_close_on_exec[fd] = false;
    return {};
}

void FdTable::close_all() {
    for (int fd = 0; fd < m_end; ++fd) {
        m_files[fd].clear();
        m_close_on_exec[fd] = false;
    }
    m_end = 0;
}

void FdTable::close_on_exec() {
    for (int fd = 0; fd < m_end; ++fd) {
        if (m_close_on_exec[fd]) {
            m_files[fd].clear();
            m_close_on_exec[fd] = false;
        }
    }
}

} // namespace kite
