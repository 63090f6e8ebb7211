// directories.cpp: /proc itself, /proc/PID, /proc/PID/task/TID and the
// fd/ and fdinfo/ directories. The vnodes are made for each lookup from
// the process table, so nothing here goes stale when processes come and
// go: a directory kept open after its process is reaped finds nothing in
// it (ENOENT), as on Linux. Each keeps only a pid (and tid), never a
// pointer into the table.
#include "fs/memory_fs.h"
#include "fs/namespace_lock.h"
#include "fs/procfs.h"
#include "fs/procfs/entries.h"
#include "fs/procfs/snapshot.h"
#include "fs/vfs.h"
#include "lib/format.h"

namespace kite::procfs {

namespace {

// A number from a decimal name with no sign or leading zero, or -1.
i32 parse_number(StringView name) {
    if (name.is_empty() || name.length() > 9 || (name[0] == '0' && name.length() > 1)) {
        return -1;
    }
    i32 value = 0;
    for (char c : name) {
        if (c < '0' || c > '9') {
            return -1;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

ErrorOr<RefPtr<Vnode>> make_link(StringView target) {
    RefPtr<Vnode> link = TRY(MemorySymlink::create(target));
    link->set_device(device);
    return link;
}

template <typename Directory, typename... Args>
ErrorOr<RefPtr<Vnode>> make_directory(Vnode* parent, Args... args) {
    auto directory = TRY(try_make_ref<Directory>(args...));
    directory->set_device(device);
    directory->set_parent(parent);
    return RefPtr<Vnode>(directory);
}

// The lowest open descriptor >= from of the target's process, or -1.
int next_descriptor(const Target& target, int from) {
    SpinlockGuard guard(Process::table_lock());
    Process* process = Process::find(target.pid);
    if (!process || process->state() == ProcessState::Zombie) {
        return -1;
    }
    return process->fds().next_open(from);
}

// /proc/PID/fd (links to what each descriptor is) and /proc/PID/fdinfo.
class DescriptorDirectory final : public ProcVnode {
  public:
    DescriptorDirectory(Target target, bool info)
        : ProcVnode(VnodeType::Directory, info ? 0555 : 0500), m_target(target), m_info(info) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        const i32 fd = parse_number(name);
        if (fd < 0) {
            return Error(Errno::NOENT, "not a descriptor");
        }
        RefPtr<OpenFile> file = TRY(open_file_of(m_target, fd));
        // Its owner may close it meanwhile: its end must not come under
        // the namespace lock this lookup runs under.
        TRY(vfs::keep_until_unlocked(file));
        if (m_info) {
            Target target = m_target;
            target.fd = fd;
            return make_entry_vnode(fdinfo_entry, target, Errno::INVAL, this);
        }
        const KBuffer text = TRY(KBuffer::try_create(max_path_length));
        return make_link(TRY(describe_open_file(*file, text.chars(), max_path_length)));
    }

    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        // The index'th open descriptor, counting from the lowest.
        int fd = -1;
        for (usize i = 0; i <= index; ++i) {
            fd = next_descriptor(m_target, fd + 1);
            if (fd < 0) {
                return false;
            }
        }
        char text[16];
        set_entry(out, format_to(text, sizeof(text), "{}", fd), 0x5000'0000 + static_cast<u64>(fd),
                  m_info ? VnodeType::Regular : VnodeType::Symlink);
        return true;
    }

  private:
    Target m_target;
    bool m_info;
};

class TaskDirectory;

// /proc/PID (tid 0) and /proc/PID/task/TID: the table's files, and the
// links and directories made here.
class ProcessDirectory final : public ProcVnode {
  public:
    explicit ProcessDirectory(Target target)
        : ProcVnode(VnodeType::Directory, 0555), m_target(target) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override;

    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        static constexpr const char* links[] = {"exe", "cwd", "root"};
        static constexpr const char* directories[] = {"fd", "fdinfo", "task"};
        constexpr usize link_count = sizeof(links) / sizeof(links[0]);
        const usize directory_count = m_target.tid == 0 ? 3 : 2; // a thread has no task/
        if (index < link_count) {
            set_entry(out, links[index], inode() + 1 + index, VnodeType::Symlink);
            return true;
        }
        index -= link_count;
        if (index < directory_count) {
            set_entry(out, directories[index], inode() + 4 + index, VnodeType::Directory);
            return true;
        }
        index -= directory_count;
        if (index < entry_count()) {
            describe_entry(entries()[index], out);
            return true;
        }
        return false;
    }

  private:
    // A thread's directory (task/TID) has the same files, about that thread.
    const Entry* entries() const { return process_entries; }
    usize entry_count() const { return process_entry_count; }

    ErrorOr<RefPtr<Vnode>> exe_link() {
        RefPtr<Vnode> link;
        {
            // The space is swapped (exec) and dropped (exit) under this
            // lock, and its link never changes once it runs.
            SpinlockGuard guard(Process::table_lock());
            const Process* process = Process::find(m_target.pid);
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

    ErrorOr<RefPtr<Vnode>> cwd_link() {
        RefPtr<Vnode> directory;
        {
            SpinlockGuard guard(Process::table_lock());
            const Process* process = Process::find(m_target.pid);
            if (process && process->state() != ProcessState::Zombie) {
                directory = process->cwd_locked();
            }
        }
        if (!directory) {
            return Error(Errno::NOENT, "the process has exited");
        }
        const KBuffer path = TRY(KBuffer::try_create(max_path_length));
        const usize length = TRY(vfs::absolute_path(directory, path.chars(), max_path_length));
        return make_link(StringView(path.chars(), length - 1));
    }

    Target m_target;
};

// /proc/PID/task: one directory per thread, by tid.
class TaskDirectory final : public ProcVnode {
  public:
    explicit TaskDirectory(i32 pid) : ProcVnode(VnodeType::Directory, 0555), m_pid(pid) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        const Target target{.pid = m_pid, .tid = parse_number(name)};
        if (target.tid <= 0 || !target_exists(target)) {
            return Error(Errno::NOENT, "no such thread");
        }
        return make_directory<ProcessDirectory>(this, target);
    }

    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        i32 tid = 0;
        {
            SpinlockGuard guard(Process::table_lock());
            const Process* process = Process::find(m_pid);
            usize at = 0;
            for (const Thread* t = process ? process->first_thread() : nullptr; t;
                 t = t->user.next_in_process) {
                if (at++ == index) {
                    tid = t->user.tid;
                    break;
                }
            }
        }
        if (tid == 0) {
            return false;
        }
        char text[16];
        set_entry(out, format_to(text, sizeof(text), "{}", tid),
                  0x6000'0000 + static_cast<u64>(tid), VnodeType::Directory);
        return true;
    }

  private:
    i32 m_pid;
};

ErrorOr<RefPtr<Vnode>> ProcessDirectory::lookup(StringView name) {
    if (!target_exists(m_target)) {
        return Error(Errno::NOENT, "the process has exited");
    }
    if (name == "exe") {
        return exe_link();
    }
    if (name == "cwd") {
        return cwd_link();
    }
    if (name == "root") {
        return make_link("/"); // nothing changes a process's root yet
    }
    if (name == "fd" || name == "fdinfo") {
        return make_directory<DescriptorDirectory>(this, m_target, name == "fdinfo");
    }
    if (name == "task" && m_target.tid == 0) {
        return make_directory<TaskDirectory>(this, m_target.pid);
    }
    return lookup_entry(entries(), entry_count(), name, m_target, Errno::INVAL, this);
}

class ProcRoot final : public Vnode {
  public:
    ProcRoot() : Vnode(VnodeType::Directory, 0555) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        const Process* current = Process::current();
        char text[48];
        if (name == "self" || name == "thread-self") {
            if (!current) {
                return Error(Errno::NOENT, "a kernel thread has no /proc/self");
            }
            if (name == "self") {
                return make_link(format_to(text, sizeof(text), "{}", current->pid()));
            }
            return make_link(format_to(text, sizeof(text), "{}/task/{}", current->pid(),
                                       Scheduler::current()->user.tid));
        }
        const i32 pid = parse_number(name);
        if (pid <= 0) {
            return lookup_entry(system_entries, system_entry_count, name, {}, Errno::IO, this);
        }
        if (!target_exists({.pid = pid})) {
            return Error(Errno::NOENT, "no such process");
        }
        return make_directory<ProcessDirectory>(this, Target{.pid = pid});
    }

    // The system files, "self", "thread-self", then one directory per
    // process in table order.
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        if (index < system_entry_count) {
            describe_entry(system_entries[index], out);
            return true;
        }
        index -= system_entry_count;
        if (index < 2) {
            set_entry(out, index == 0 ? "self" : "thread-self", inode() + 1 + index,
                      VnodeType::Symlink);
            return true;
        }
        index -= 2;
        // Listed by increasing pid, as Linux lists them (ps prints in this
        // order). The table is kept newest first, and pids only grow: the
        // index'th from its end. A process made or reaped between two calls
        // shifts the rest by one, so a listing taken meanwhile may show a
        // pid twice or miss one, which Linux's pid-keyed offsets avoid.
        i32 pid = 0;
        {
            SpinlockGuard guard(Process::table_lock());
            usize count = 0;
            Process::for_each_locked([&](Process&) { ++count; });
            usize at = 0;
            Process::for_each_locked([&](Process& p) {
                if (index < count && at++ == count - 1 - index) {
                    pid = p.pid();
                }
            });
        }
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

ErrorOr<StringView> describe_open_file(const OpenFile& file, char* out, usize capacity) {
    const usize anonymous = file.vnode()->anonymous_name(out, capacity);
    if (anonymous > 0) {
        return StringView(out, anonymous);
    }
    auto length = vfs::absolute_path(file.vnode(), out, capacity);
    if (length.is_error()) {
        // No name leads to it any more (Linux adds " (deleted)" to the
        // name it had; Kite does not keep that name).
        return StringView(format_to(out, capacity, "(deleted)"));
    }
    return StringView(out, length.value() - 1);
}

ErrorOr<RefPtr<Vnode>> create_root() {
    auto root = TRY(try_make_ref<ProcRoot>());
    root->set_device(device);
    return RefPtr<Vnode>(root);
}

} // namespace kite::procfs
