// signal_pending.h: what a long loop inside one system call checks between
// its steps (a page copied, a chunk sent), so that a pending signal is not
// held back for as long as the call would run: a 2 GiB sendfile or read of
// /dev/zero stops early, as on Linux, and returns what it did.
#pragma once

namespace kite {

// A signal waits that would end a wait of this thread (Linux's
// signal_pending). Devices and copies between files stop for it:
// /dev/zero, sendfile, copy_file_range, the console.
[[nodiscard]] bool signal_pending();
// SIGKILL waits for this thread (Linux's fatal_signal_pending). Regular
// files stop only for it: a handled signal never shortens their reads.
[[nodiscard]] bool fatal_signal_pending();

} // namespace kite
