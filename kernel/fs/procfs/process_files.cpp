// process_files.cpp: the generated files of /proc/PID and
// /proc/PID/task/TID, in Linux's formats (fs/proc/array.c, base.c,
// task_mmu.c), and their tables. Each takes a snapshot (snapshot.h) and
// then formats it; the user memory is looked at under its own lock.
// Fields Kite does not keep (page-fault counts, a controlling terminal,
// code and data boundaries) are 0, as Linux prints them for a process
// that has none.
#include "fs/procfs.h"
#include "fs/procfs/entries.h"
#include "fs/procfs/snapshot.h"
#include "fs/vfs.h"
#include "lib/kbuffer.h"
#include "mm/page_cache.h"

namespace kite::procfs {

namespace {

constexpr u64 kib = 1024;
constexpr u64 unlimited = ~u64{0};
constexpr u32 o_largefile = 0100000; // O_LARGEFILE (x86-64), which Kite's open never needs

const char* state_name(char state) {
    switch (state) {
    case 'R':
        return "R (running)";
    case 'S':
        return "S (sleeping)";
    case 'D':
        return "D (disk sleep)";
    case 'T':
        return "T (stopped)";
    case 'Z':
        return "Z (zombie)";
    default:
        return "X (dead)";
    }
}

UserSpace::Usage usage_of(const Snapshot& s) {
    return s.space ? s.space->usage() : UserSpace::Usage{};
}

// /proc/PID/stat: the 52 fields of proc(5), in order, one line.
ErrorOr<void> generate_stat(Text& out, const Target& target) {
    const Snapshot s = TRY(take_snapshot(target));
    const UserSpace::Usage usage = usage_of(s);
    const UserSpace::ArgumentRange args =
        s.space ? s.space->arguments() : UserSpace::ArgumentRange{};
    const i32 shown = target.tid ? s.tid : s.pid;
    // The thread group's leader reports SIGCHLD as its exit signal; other
    // threads -1, as Linux.
    const int exit_signal = shown == s.pid ? 17 : -1;
    out.print("{} ({}) {} {} {} {} {} {} {} ", shown, s.name, s.state, s.ppid, s.pgrp, s.session,
              0 /* tty_nr */, -1 /* tpgid */, 0 /* flags */);
    out.print("{} {} {} {} {} {} {} {} {} {} {} {} {} ", 0, 0, 0, 0 /* faults */,
              to_clock_ticks(s.user_ticks), to_clock_ticks(s.system_ticks),
              to_clock_ticks(s.children_user_ticks), to_clock_ticks(s.children_system_ticks),
              20 + s.nice, s.nice, s.threads, 0 /* itrealvalue */, to_clock_ticks(s.start_ticks));
    out.print("{} {} {} {} {} {} {} {} ", usage.size, usage.resident, unlimited /* rsslim */, 0, 0,
              0 /* startcode endcode startstack */, 0, 0 /* kstkesp kstkeip */);
    out.print("{} {} {} {} {} {} {} {} {} {} {} {} {} {} ", s.thread_pending | s.shared_pending,
              s.blocked, s.ignored, s.caught, 0 /* wchan */, 0, 0 /* nswap cnswap */, exit_signal,
              0 /* processor */, 0 /* rt_priority */, 0 /* policy */, 0 /* delayacct_blkio_ticks */,
              0, 0 /* guest_time cguest_time */);
    out.print("{} {} {} {} {} {} {} {}\n", 0, 0 /* start_data end_data */, usage.brk_start,
              args.arg_start, args.arg_end, args.env_start, args.env_end, s.exit_code);
    return {};
}

// /proc/PID/status: the fields procps, busybox and glibc read, in
// Linux's order and layout (a tab after each name, kB right-aligned in 8).
ErrorOr<void> generate_status(Text& out, const Target& target) {
    const Snapshot s = TRY(take_snapshot(target));
    const UserSpace::Usage usage = usage_of(s);
    out.print("Name:\t{}\nUmask:\t0022\nState:\t{}\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\n"
              "TracerPid:\t0\n",
              s.name, state_name(s.state), s.pid, target.tid ? s.tid : s.pid, s.ppid);
    out.print("Uid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\nFDSize:\t{}\nGroups:\t \n", s.uid, s.uid,
              s.uid, s.uid, s.gid, s.gid, s.gid, s.gid, s.fd_slots);
    out.print("NStgid:\t{}\nNSpid:\t{}\nNSpgid:\t{}\nNSsid:\t{}\nKthread:\t0\n", s.pid,
              target.tid ? s.tid : s.pid, s.pgrp, s.session);
    if (s.space) { // a zombie has no memory lines, as on Linux
        const u64 rss = usage.resident * page_size / kib;
        const u64 shmem = usage.resident_shared * page_size / kib;
        // Kite keeps no peaks: VmPeak and VmHWM are the present figures.
        out.print("VmPeak:\t{:8} kB\nVmSize:\t{:8} kB\nVmLck:\t{:8} kB\nVmPin:\t{:8} kB\n",
                  usage.size / kib, usage.size / kib, 0, 0);
        out.print("VmHWM:\t{:8} kB\nVmRSS:\t{:8} kB\nRssAnon:\t{:8} kB\nRssFile:\t{:8} kB\n"
                  "RssShmem:\t{:8} kB\n",
                  rss, rss, rss - shmem, 0, shmem);
        out.print("VmData:\t{:8} kB\nVmStk:\t{:8} kB\nVmExe:\t{:8} kB\nVmLib:\t{:8} kB\n"
                  "VmPTE:\t{:8} kB\nVmSwap:\t{:8} kB\nHugetlbPages:\t{:8} kB\n",
                  usage.data / kib, usage.stack / kib, usage.text / kib, 0, 0, 0, 0);
        out.print("CoreDumping:\t0\nTHP_enabled:\t0\n");
    }
    out.print("Threads:\t{}\nSigQ:\t{}/{}\n", s.threads, s.pending_queued, s.pending_limit);
    out.print("SigPnd:\t{:016x}\nShdPnd:\t{:016x}\nSigBlk:\t{:016x}\nSigIgn:\t{:016x}\n"
              "SigCgt:\t{:016x}\n",
              s.thread_pending, s.shared_pending, s.blocked, s.ignored, s.caught);
    out.print("CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
              "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
              "Seccomp:\t0\nSeccomp_filters:\t0\n");
    out.print("Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n"
              "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
    return {};
}

// /proc/PID/statm: size resident shared text lib data dt, in pages.
ErrorOr<void> generate_statm(Text& out, const Target& target) {
    const Snapshot s = TRY(take_snapshot(target));
    const UserSpace::Usage usage = usage_of(s);
    out.print("{} {} {} {} 0 {} 0\n", usage.size / page_size, usage.resident, usage.resident_shared,
              usage.text / page_size, (usage.data + usage.stack) / page_size);
    return {};
}

// The bytes of [start, end) of the process's memory, as they are now.
void append_memory(Text& out, const UserSpace& space, u64 start, u64 end) {
    u8 chunk[512];
    while (start < end) {
        const usize want = min<u64>(sizeof(chunk), end - start);
        const usize got = space.read_resident(start, chunk, want);
        out.append(chunk, got);
        if (got < want) {
            return;
        }
        start += got;
    }
}

// /proc/PID/cmdline and environ: argv's (or envp's) strings, each with its
// NUL; empty for a zombie (or a kernel-made process before its first exec).
ErrorOr<void> append_arguments(Text& out, const Target& target, bool environment) {
    const Snapshot s = TRY(take_snapshot(target));
    if (s.space) {
        const UserSpace::ArgumentRange args = s.space->arguments();
        append_memory(out, *s.space, environment ? args.env_start : args.arg_start,
                      environment ? args.env_end : args.arg_end);
    }
    return {};
}

ErrorOr<void> generate_cmdline(Text& out, const Target& target) {
    return append_arguments(out, target, false);
}

ErrorOr<void> generate_environ(Text& out, const Target& target) {
    return append_arguments(out, target, true);
}

ErrorOr<void> generate_comm(Text& out, const Target& target) {
    const Snapshot s = TRY(take_snapshot(target));
    out.print("{}\n", s.name);
    return {};
}

// A write to comm renames the process, as PR_SET_NAME does: at most 15
// bytes are taken (a newline among them too, as Linux keeps it). Only the
// process itself may (EINVAL for another, as Linux answers).
ErrorOr<usize> write_comm(const Target& target, const IoBuffer& from, usize length) {
    Process* self = Process::current();
    if (!self || self->pid() != target.pid) {
        return Error(Errno::INVAL, "only a process may rename itself");
    }
    char name[16] = {};
    const usize n = min<usize>(length, 15);
    TRY(from.read(0, name, n));
    usize end = 0;
    while (end < n && name[end]) {
        ++end;
    }
    self->set_name(StringView(name, end));
    return length;
}

// /proc/PID/maps: one line per region, as show_map_vma prints it.
ErrorOr<void> generate_maps(Text& out, const Target& target) {
    const Snapshot s = TRY(take_snapshot(target));
    if (!s.space) {
        return {};
    }
    // The paths of the first mapped files, found between two walks of the
    // regions: a path needs the namespace lock, ranked below the space's.
    // A region that changed meanwhile (its file is not the one found
    // first) goes without a name.
    constexpr usize named_files = 32;
    constexpr usize name_capacity = 256;
    RefPtr<Vnode> files[named_files];
    usize file_count = 0;
    s.space->for_each_region([&](const Region&, StringView, const Vnode* file) {
        if (file && file_count < named_files) {
            files[file_count++] = RefPtr<Vnode>(const_cast<Vnode*>(file));
        }
    });
    KBuffer names = TRY(KBuffer::try_create(file_count * name_capacity));
    usize lengths[named_files];
    for (usize i = 0; i < file_count; ++i) {
        auto length =
            vfs::absolute_path(files[i], names.chars() + i * name_capacity, name_capacity);
        // No name leads to it any more (Linux prints the name it had and
        // " (deleted)"; Kite does not keep the name), or a very long one.
        lengths[i] = length.is_error() ? 0 : length.value() - 1;
    }
    usize next_file = 0;
    s.space->for_each_region([&](const Region& region, StringView kind, const Vnode* file) {
        if (file && next_file < file_count && files[next_file].ptr() == file) {
            kind = lengths[next_file] > 0
                       ? StringView(names.chars() + next_file * name_capacity, lengths[next_file])
                       : StringView("(deleted)");
            ++next_file;
        }
        u64 device = 0;
        u64 inode = 0;
        if (region.file) {
            const auto* cache = static_cast<const PageCache*>(region.file);
            device = cache->device();
            inode = cache->inode();
        }
        // st_dev's encoding (Linux's new_encode_dev) to major and minor.
        const u64 major = ((device >> 8) & 0xfff) | ((device >> 32) & ~u64{0xfff});
        const u64 minor = (device & 0xff) | ((device >> 12) & ~u64{0xff});
        char line[128];
        StringView text = format_to(
            line, sizeof(line), "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ", region.start,
            region.end, (region.protection & ProtRead) ? 'r' : '-',
            (region.protection & ProtWrite) ? 'w' : '-', (region.protection & ProtExec) ? 'x' : '-',
            region.shared ? 's' : 'p',
            region.shared || region.file ? region.shared_page * page_size : 0, major, minor, inode);
        out.write(text);
        if (!kind.is_empty()) {
            // The name starts in column 73 (Linux pads to 72, then a space).
            for (usize column = text.length(); column < 73; ++column) {
                out.write(" ");
            }
            out.write(kind);
        }
        out.write("\n");
    });
    return {};
}

// /proc/PID/fdinfo/N.
ErrorOr<void> generate_fdinfo(Text& out, const Target& target) {
    bool close_on_exec = false;
    const RefPtr<OpenFile> file = TRY(open_file_of(target, target.fd, &close_on_exec));
    char name[8];
    // Linux's open() adds O_LARGEFILE on x86-64; a pipe has none.
    const bool by_path = file->vnode()->anonymous_name(name, sizeof(name)) == 0;
    const u32 flags = file->flags() | (by_path ? o_largefile : 0) |
                      (close_on_exec ? static_cast<u32>(O_CLOEXEC) : 0);
    out.print("pos:\t{}\nflags:\t0{:o}\nmnt_id:\t{}\nino:\t{}\n", file->offset(), flags,
              file->vnode()->device(), file->vnode()->inode());
    return {};
}

} // namespace

const Entry process_entries[] = {
    {.name = "cmdline", .mode = 0444, .generate = generate_cmdline},
    {.name = "comm", .mode = 0644, .generate = generate_comm, .write = write_comm},
    {.name = "environ", .mode = 0400, .generate = generate_environ},
    {.name = "maps", .mode = 0444, .generate = generate_maps},
    {.name = "mounts", .mode = 0444, .generate = generate_mounts},
    {.name = "stat", .mode = 0444, .generate = generate_stat},
    {.name = "statm", .mode = 0444, .generate = generate_statm},
    {.name = "status", .mode = 0444, .generate = generate_status},
};
const usize process_entry_count = sizeof(process_entries) / sizeof(process_entries[0]);

const Entry fdinfo_entry = {.name = "fdinfo", .mode = 0444, .generate = generate_fdinfo};

} // namespace kite::procfs
