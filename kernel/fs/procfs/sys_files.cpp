// sys_files.cpp: /proc/sys, the sysctl files Kite has: kernel/{hostname,
// domainname, ostype, osrelease, version, pid_max}, fs/pipe-max-size and
// vm/{drop_caches, max_map_count},
// as lines of procfs's tables (entries.h). hostname and domainname are
// writable: a write sets the name up to its first newline, as Linux's
// proc_dostring.
#include "fs/procfs/entries.h"
#include "fs/writeback.h"
#include "mm/memory_map.h"
#include "proc/host_names.h"
#include "proc/process.h"

namespace kite::procfs {

namespace {

// Kite gives out pids without reusing them; pid_max reports Linux's 64-bit
// PID_MAX_LIMIT, by which programs size their tables.
constexpr u32 pid_max = 4194304;
constexpr u32 pipe_max_size = 1048576; // fcntl F_SETPIPE_SZ's limit (descriptor_calls.cpp)

ErrorOr<void> generate_hostname(Text& out, const Target&) {
    out.print("{}\n", host_names::host().text);
    return {};
}
ErrorOr<void> generate_domainname(Text& out, const Target&) {
    out.print("{}\n", host_names::domain().text);
    return {};
}
ErrorOr<void> generate_ostype(Text& out, const Target&) {
    out.write("Kite\n"); // uname's sysname
    return {};
}
ErrorOr<void> generate_osrelease(Text& out, const Target&) {
    out.print("{}\n", KITE_VERSION);
    return {};
}
ErrorOr<void> generate_version(Text& out, const Target&) {
    out.print("Kite {}\n", KITE_VERSION);
    return {};
}
ErrorOr<void> generate_pid_max(Text& out, const Target&) {
    out.print("{}\n", pid_max);
    return {};
}
ErrorOr<void> generate_threads_max(Text& out, const Target&) {
    out.print("{}\n", Process::max_tasks());
    return {};
}
ErrorOr<void> generate_pipe_max_size(Text& out, const Target&) {
    out.print("{}\n", pipe_max_size);
    return {};
}

// The bytes of a write up to its first newline, given to store (a name
// too long is EINVAL, from the name's own check). All of it is taken.
ErrorOr<usize> store_string(const IoBuffer& from, usize length,
                            ErrorOr<void> (*store)(StringView)) {
    if (length == 0) {
        return 0;
    }
    char value[host_names::max_length + 2];
    const usize n = min(length, sizeof(value));
    TRY(from.read(0, value, n));
    usize end = 0;
    while (end < n && value[end] != '\n') {
        ++end;
    }
    TRY(store(StringView(value, end)));
    return length;
}
ErrorOr<usize> write_hostname(const Target&, const IoBuffer& from, usize length) {
    return store_string(from, length, host_names::set_host);
}
ErrorOr<usize> write_domainname(const Target&, const IoBuffer& from, usize length) {
    return store_string(from, length, host_names::set_domain);
}
// A read-only sysctl refuses writes with EACCES, as Linux's
// proc_sys_permission does even for root.
ErrorOr<usize> write_read_only(const Target&, const IoBuffer&, usize) {
    return Error(Errno::ACCES, "a read-only sysctl");
}

// vm/drop_caches: 1, 2 or 3 (Kite has one cache: the disks') writes every
// change back and frees the clean cached pages; reads give 0.
ErrorOr<void> generate_drop_caches(Text& out, const Target&) {
    out.write("0\n");
    return {};
}
ErrorOr<usize> write_drop_caches(const Target&, const IoBuffer& from, usize length) {
    char value[4] = {};
    TRY(from.read(0, value, min<usize>(length, sizeof(value))));
    const bool number =
        length >= 1 && value[0] >= '1' && value[0] <= '3' && (length == 1 || value[1] == '\n');
    if (!number) {
        return Error(Errno::INVAL, "drop_caches takes 1, 2 or 3");
    }
    writeback::drop_caches();
    return length;
}

ErrorOr<void> generate_max_map_count(Text& out, const Target&) {
    out.print("{}\n", MemoryMap::max_regions);
    return {};
}

const Entry kernel_entries[] = {
    {.name = "domainname",
     .mode = 0644,
     .generate = generate_domainname,
     .write = write_domainname},
    {.name = "hostname", .mode = 0644, .generate = generate_hostname, .write = write_hostname},
    {.name = "osrelease", .mode = 0444, .generate = generate_osrelease, .write = write_read_only},
    {.name = "ostype", .mode = 0444, .generate = generate_ostype, .write = write_read_only},
    {.name = "pid_max", .mode = 0444, .generate = generate_pid_max, .write = write_read_only},
    {.name = "threads-max",
     .mode = 0444,
     .generate = generate_threads_max,
     .write = write_read_only},
    {.name = "version", .mode = 0444, .generate = generate_version, .write = write_read_only},
};
const Entry fs_entries[] = {
    {.name = "pipe-max-size",
     .mode = 0444,
     .generate = generate_pipe_max_size,
     .write = write_read_only},
};

} // namespace

const Entry vm_entries[] = {
    {.name = "drop_caches",
     .mode = 0200,
     .generate = generate_drop_caches,
     .write = write_drop_caches},
    // Linux's root may change it; Kite's is fixed.
    {.name = "max_map_count",
     .mode = 0444,
     .generate = generate_max_map_count,
     .write = write_read_only},
};

const Entry sys_entries[sys_entry_count] = {
    directory_entry("fs", fs_entries),
    directory_entry("kernel", kernel_entries),
    directory_entry("vm", vm_entries),
};
static_assert(sizeof(sys_entries) / sizeof(sys_entries[0]) == sys_entry_count);

} // namespace kite::procfs
