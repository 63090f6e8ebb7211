// proc_sys.cpp: see proc_sys.h. A table of files per directory; each file
// has a function that writes its text and, if writable, one that takes a
// new value. The vnodes are made at each lookup and hold nothing.
#include "fs/proc_sys.h"

#include "lib/format.h"
#include "proc/host_names.h"

namespace kite::proc_sys {

namespace {

constexpr usize text_capacity = 128;
// Kite gives out pids without reusing them; pid_max reports Linux's 64-bit
// PID_MAX_LIMIT, by which programs size their tables.
constexpr u32 pid_max = 4194304;
constexpr u32 pipe_max_size = 1048576; // fcntl F_SETPIPE_SZ's limit (descriptor_calls.cpp)

using Show = StringView (*)(char* out);
using Store = ErrorOr<void> (*)(StringView value);

struct FileEntry {
    const char* name;
    Show show;
    Store store; // null: read-only
};

StringView show_hostname(char* out) {
    return format_to(out, text_capacity, "{}\n", host_names::host().text);
}
StringView show_domainname(char* out) {
    return format_to(out, text_capacity, "{}\n", host_names::domain().text);
}
StringView show_ostype(char* out) {
    return format_to(out, text_capacity, "Kite\n"); // uname's sysname
}
StringView show_osrelease(char* out) {
    return format_to(out, text_capacity, "{}\n", KITE_VERSION);
}
StringView show_version(char* out) {
    return format_to(out, text_capacity, "Kite {}\n", KITE_VERSION);
}
StringView show_pid_max(char* out) {
    return format_to(out, text_capacity, "{}\n", pid_max);
}
StringView show_pipe_max_size(char* out) {
    return format_to(out, text_capacity, "{}\n", pipe_max_size);
}

constexpr FileEntry kernel_files[] = {
    {"domainname", show_domainname, host_names::set_domain},
    {"hostname", show_hostname, host_names::set_host},
    {"osrelease", show_osrelease, nullptr},
    {"ostype", show_ostype, nullptr},
    {"pid_max", show_pid_max, nullptr},
    {"version", show_version, nullptr},
};
constexpr FileEntry fs_files[] = {
    {"pipe-max-size", show_pipe_max_size, nullptr},
};

class SysctlFile final : public Vnode {
  public:
    explicit SysctlFile(const FileEntry& entry)
        : Vnode(VnodeType::Regular, entry.store ? 0644 : 0444), m_entry(entry) {}

    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        char text[text_capacity];
        const StringView shown = m_entry.show(text);
        if (offset >= shown.length()) {
            return 0;
        }
        const usize n = min<usize>(length, shown.length() - static_cast<usize>(offset));
        TRY(to.write(0, shown.data() + offset, n));
        return n;
    }
    // Linux's proc_dostring: a write at offset 0 replaces the value with
    // the bytes up to the first newline (too long: EINVAL here, from the
    // name's own check).
    ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length) override {
        if (!m_entry.store) {
            return Error(Errno::ACCES, "a read-only sysctl");
        }
        if (offset != 0 || length == 0) {
            return length;
        }
        char value[host_names::max_length + 2];
        const usize n = min(length, sizeof(value));
        TRY(from.read(0, value, n));
        usize end = 0;
        while (end < n && value[end] != '\n') {
            ++end;
        }
        TRY(m_entry.store(StringView(value, end)));
        return length;
    }
    ErrorOr<void> truncate(u64) override { return {}; } // O_TRUNC opens, as echo > does
    u64 size() const override { return 0; }             // as Linux's /proc files

  private:
    const FileEntry& m_entry;
};

struct DirectoryEntrySpec {
    const char* name;
    const FileEntry* files;
    usize count;
};
constexpr DirectoryEntrySpec sys_directories[] = {
    {"fs", fs_files, sizeof(fs_files) / sizeof(fs_files[0])},
    {"kernel", kernel_files, sizeof(kernel_files) / sizeof(kernel_files[0])},
};

void set_entry(DirectoryEntry& out, StringView name, u64 inode, VnodeType type) {
    __builtin_memcpy(out.name, name.data(), name.length());
    out.name[name.length()] = '\0';
    out.inode = inode;
    out.type = type;
}

// /proc/sys/kernel and /proc/sys/fs: files from a table.
class SysctlDirectory final : public Vnode {
  public:
    SysctlDirectory(const DirectoryEntrySpec& spec, RefPtr<Vnode> up)
        : Vnode(VnodeType::Directory, 0555), m_spec(spec), m_up(move(up)) {
        parent = m_up.ptr(); // for ".."; kept alive by m_up
    }
    bool is_read_only() const override { return false; } // hostname is writable

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        for (usize i = 0; i < m_spec.count; ++i) {
            if (name == StringView(m_spec.files[i].name)) {
                auto file = TRY(try_make_ref<SysctlFile>(m_spec.files[i]));
                file->set_device(device());
                return RefPtr<Vnode>(file);
            }
        }
        return Error(Errno::NOENT, "no such sysctl");
    }
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        if (index >= m_spec.count) {
            return false;
        }
        set_entry(out, m_spec.files[index].name, inode() + 1 + index, VnodeType::Regular);
        return true;
    }

  private:
    const DirectoryEntrySpec& m_spec;
    RefPtr<Vnode> m_up;
};

class SysDirectory final : public Vnode {
  public:
    SysDirectory() : Vnode(VnodeType::Directory, 0555) {}

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        for (const DirectoryEntrySpec& spec : sys_directories) {
            if (name == StringView(spec.name)) {
                auto directory = TRY(try_make_ref<SysctlDirectory>(spec, RefPtr<Vnode>(this)));
                directory->set_device(device());
                return RefPtr<Vnode>(directory);
            }
        }
        return Error(Errno::NOENT, "no such sysctl directory");
    }
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        constexpr usize count = sizeof(sys_directories) / sizeof(sys_directories[0]);
        if (index >= count) {
            return false;
        }
        set_entry(out, sys_directories[index].name, inode() + 1 + index, VnodeType::Directory);
        return true;
    }
};

} // namespace

ErrorOr<RefPtr<Vnode>> create_directory(Vnode* parent, u64 device) {
    auto directory = TRY(try_make_ref<SysDirectory>());
    directory->set_device(device);
    directory->parent = parent;
    return RefPtr<Vnode>(directory);
}

} // namespace kite::proc_sys
