// fd_table.h: a process's file descriptors: small integers naming shared
// open files, each with its close-on-exec flag.
#pragma once

#include "fs/open_file.h"

namespace kite {

class FdTable {
  public:
    static constexpr int max_descriptors = 256;

    FdTable() = default;
    // fork's copy: the same open files, the same flags.
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable& other);

    // The lowest free descriptor >= lowest (EMFILE if none).
    [[nodiscard]] ErrorOr<int> install(RefPtr<OpenFile> file, bool close_on_exec, int lowest = 0);
    [[nodiscard]] ErrorOr<RefPtr<OpenFile>> get(int fd) const; // EBADF
    // Puts file at exactly fd, closing what was there (dup2).
    [[nodiscard]] ErrorOr<void> install_at(int fd, RefPtr<OpenFile> file, bool close_on_exec);
    [[nodiscard]] bool close_on_exec_flag(int fd) const { return m_close_on_exec[fd]; }
    void set_close_on_exec_flag(int fd, bool value) { m_close_on_exec[fd] = value; }
    [[nodiscard]] ErrorOr<void> close(int fd);
    void close_all();
    void close_on_exec();
    [[nodiscard]] bool is_open(int fd) const {
        return fd >= 0 && fd < max_descriptors && m_files[fd];
    }

  private:
    void note_open(int fd) { m_end = fd >= m_end ? fd + 1 : m_end; }

    RefPtr<OpenFile> m_files[max_descriptors];
    bool m_close_on_exec[max_descriptors] = {};
    // No descriptor at or above m_end is open, so the walks over the table
    // (fork's copy, exec, exit) stop there instead of at 256.
    int m_end = 0;
};

} // namespace kite
