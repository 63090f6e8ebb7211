// procfs.h: the process file system at /proc, in Linux's formats: the
// system files (meminfo, stat, loadavg, uptime, cpuinfo, version, Kite's
// own kite/memory), /proc/self and /proc/thread-self, and per process
// /proc/PID (stat, status, statm, cmdline, comm, environ, maps, the exe,
// cwd and root links, fd/ and fdinfo/, task/TID). The pieces are in
// fs/procfs/: entries.h says how a file is declared (one table line).
#pragma once

#include "fs/open_file.h"
#include "fs/vnode.h"

namespace kite::procfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

// What /proc/PID/fd/N says of an open file: its absolute path, or the
// vnode's own name for one no path names ("pipe:[N]"). A view into out.
[[nodiscard]] ErrorOr<StringView> describe_open_file(const OpenFile& file, char* out,
                                                     usize capacity);

} // namespace kite::procfs
