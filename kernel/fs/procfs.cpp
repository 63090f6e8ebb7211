// procfs.cpp: see procfs.h. The vnodes are made for each lookup from the
// process table, so nothing here goes stale when processes come and go:
// a /proc/PID directory that outlives its process finds no exe (ENOENT,
// as on Linux for a process that has exited).
#include "fs/procfs.h"

#include "fs/memory_fs.h"
#include "fs/mount_table.h"
#include "fs/proc_sys.h"
#include "lib/format.h"
#include "proc/process.h"

namespace kite::procfs {

namespace {

constexpr u64 procfs_device = 3;

// A pid from a decimal name with no sign or leading zero, or -1.
i32 parse_pid(StringView name) {
    if (name.is_empty() || name.length() > 9 || name[0] == '0') {
        return -1;
    }
    i32 pid = 0;
    for (usize i = 0; i < name.length(); ++i) {
        if (name[i] < '0' || name[i] > '9') {
            return -1;
        }
        pid = pid * 10 + (name[i] - '0');
    }
    return pid;
}

// A read-only file of fixed text (fs/mount_table.h's).
ErrorOr<RefPtr<Vnode>> text_file(StringView text) {
    auto file = TRY(try_make_ref<MemoryFile>(text, 0444));
    file->set_device(procfs_device);
    return RefPtr<Vnode>(file);
}

void set_entry(DirectoryEntry& out, StringView name, u64 inode, VnodeType type) {
    __builtin_memcpy(out.name, name.data(), name.length());
    out.name[name.length()] = '\0';
    out.inode = inode;
    out.type = type;
}

// /proc/PID: for now only exe.
class ProcessDirectory final : public Vnode {
  public:
    explicit ProcessDirectory(i32 pid) : Vnode(VnodeType::Directory, 0555), m_pid(pid) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        if (name == "mounts") {
            return text_file(mount_table::mounts_text());
        }
        if (name != "exe") {
            return Error(Errno::NOENT, "no such file in /proc/PID");
        }
        RefPtr<Vnode> link;
        {
            // The space is swapped (exec) and dropped (exit) under this
            // lock, and its link never changes once it runs.
            SpinlockGuard guard(Process::table_lock());
            const Process* process = Process::find(m_pid);
            const UserSpace* space = process ? process->user_space() : nullptr;
            if (space) {
                link = space->executable();
            }
        }
        if (!link) {
            return Error(Errno::NOENT, "the process has no program");
        }
        return link;
    }

    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        if (index > 0) {
            return false;
        }
        set_entry(out, "exe", inode() + 1, VnodeType::Symlink);
        return true;
    }

  private:
    i32 m_pid;
};

class ProcRoot final : public Vnode {
  public:
    ProcRoot() : Vnode(VnodeType::Directory, 0555) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        const Process* current = Process::current();
        if (name == "mounts") {
            return text_file(mount_table::mounts_text());
        }
        if (name == "filesystems") {
            return text_file(mount_table::filesystems_text());
        }
        if (name == "self") {
            if (!current) {
                return Error(Errno::NOENT, "a kernel thread has no /proc/self");
            }
            char text[16];
            return MemorySymlink::create(format_to(text, sizeof(text), "{}", current->pid()));
        }
        if (name == "sys") {
            return proc_sys::create_directory(this, procfs_device);
        }
        const i32 pid = parse_pid(name);
        bool exists = false;
        if (pid > 0) {
            SpinlockGuard guard(Process::table_lock());
            exists = Process::find(pid) != nullptr;
        }
        if (!exists) {
            return Error(Errno::NOENT, "no such process");
        }
        auto directory = TRY(try_make_ref<ProcessDirectory>(pid));
        directory->set_device(procfs_device);
        directory->parent = this; // for ".."; the root lives as long as the mount
        return RefPtr<Vnode>(directory);
    }

    // "self", "sys", then one directory per process in table order.
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        if (index == 0) {
            set_entry(out, "self", inode() + 1, VnodeType::Symlink);
            return true;
        }
        if (index == 1) {
            set_entry(out, "sys", inode() + 2, VnodeType::Directory);
            return true;
        }
        i32 pid = 0;
        usize at = 2;
        Process::for_each([&](Process& p) {
            if (at++ == index) {
                pid = p.pid();
            }
        });
        if (pid == 0) {
            return false;
        }
        char text[16];
        set_entry(out, format_to(text, sizeof(text), "{}", pid),
                  0x7000'0000 + static_cast<u64>(pid), VnodeType::Directory);
        return true;
    }
};

} // namespace

ErrorOr<RefPtr<Vnode>> create_root() {
    auto root = TRY(try_make_ref<ProcRoot>());
    root->set_device(procfs_device);
    return RefPtr<Vnode>(root);
}

} // namespace kite::procfs
