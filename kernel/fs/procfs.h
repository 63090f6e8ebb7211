// procfs.h: the process file system at /proc, as far as Linux programs
// need it to find themselves: /proc/self (a symlink to the caller's pid)
// and /proc/PID/exe (a symlink to the program's canonical path, as exec
// found it). Busybox re-executes itself through /proc/self/exe to run an
// applet, and static glibc reads that link at start. Nothing else of
// Linux's /proc is here yet.
#pragma once

#include "fs/vnode.h"

namespace kite::procfs {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root();

} // namespace kite::procfs
