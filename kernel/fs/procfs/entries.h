// entries.h: how procfs's files are declared. A file is one line in a
// table: its name, its mode, and the function that writes its text (and,
// for the few writable ones, the one that takes a write). A directory of
// fixed entries is a line pointing to another table. The tables are in
// system_files.cpp (/proc itself), sys_files.cpp (/proc/sys) and
// process_files.cpp (/proc/PID and /proc/PID/task/TID); add a file by
// adding its line there.
#pragma once

#include "fs/procfs/text.h"
#include "fs/vnode.h"

namespace kite::procfs {

// Whose file it is: a process (pid), one of its threads (tid; 0 for the
// process as a whole), or nobody (pid 0: a system file).
struct Target {
    i32 pid = 0;
    i32 tid = 0;
    i32 fd = -1; // for /proc/PID/fdinfo/N
};

// Writes the file's text. Called at open's first read (and again for a
// read from offset 0), never under a lock.
using Generator = ErrorOr<void> (*)(Text& out, const Target& target);
// Takes a write of length bytes (from offset 0): how many were taken.
using Writer = ErrorOr<usize> (*)(const Target& target, const IoBuffer& from, usize length);

struct Entry {
    const char* name;
    u32 mode;
    Generator generate = nullptr;
    Writer write = nullptr;
    // For a directory: its entries (generate and write are null).
    const Entry* children = nullptr;
    usize child_count = 0;
};

template <usize N>
constexpr Entry directory_entry(const char* name, const Entry (&children)[N]) {
    return {.name = name, .mode = 0555, .children = children, .child_count = N};
}

// Every procfs vnode is made for one lookup and may outlive the directory
// it was found in (an open file does): it holds that directory, so that
// ".." and the naming of paths, which follow the raw Vnode::parent, never
// reach a freed one.
class ProcVnode : public Vnode {
  public:
    using Vnode::Vnode;
    void set_parent(Vnode* directory) {
        parent = directory;
        m_parent_hold = directory;
    }

  private:
    RefPtr<Vnode> m_parent_hold;
};

// The vnode for one table line (a generated file, or a fixed directory);
// write_error is the errno of a write to a file that takes none (Linux:
// EIO for system files, EINVAL for a process's).
[[nodiscard]] ErrorOr<RefPtr<Vnode>> make_entry_vnode(const Entry& entry, const Target& target,
                                                      Errno write_error, Vnode* parent);
// Looks name up in a table (ENOENT if absent).
[[nodiscard]] ErrorOr<RefPtr<Vnode>> lookup_entry(const Entry* entries, usize count,
                                                  StringView name, const Target& target,
                                                  Errno write_error, Vnode* parent);
// Entry index of a table as a directory entry.
void describe_entry(const Entry& entry, DirectoryEntry& out);

void set_entry(DirectoryEntry& out, StringView name, u64 inode, VnodeType type);

constexpr u64 device = 3; // st_dev of every procfs vnode

// The tables.
extern const Entry system_entries[];
extern const usize system_entry_count;
extern const Entry process_entries[]; // /proc/PID/ and /proc/PID/task/TID/
extern const usize process_entry_count;
extern const Entry fdinfo_entry; // /proc/PID/fdinfo/N
// /proc/sys (sys_files.cpp): its count is known here so that /proc's
// table can name the directory.
constexpr usize sys_entry_count = 3;
extern const Entry sys_entries[sys_entry_count];
// /proc/bus (bus_files.cpp): pci/devices.
constexpr usize bus_entry_count = 1;
extern const Entry bus_entries[bus_entry_count];
[[nodiscard]] ErrorOr<void> generate_mounts(Text& out, const Target& target);

} // namespace kite::procfs
