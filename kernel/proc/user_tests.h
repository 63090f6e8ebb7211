// user_tests.h: running user-space test programs from the initrd, one
// process after another, for kite.utest=all|name,name. A program passes by
// exiting with status 0; a program named crash_<signal>_... passes by being
// killed with that signal (the kernel must kill it and go on). Around the
// whole run, free frames and heap usage must come back to where they were.
#pragma once

#include "lib/string_view.h"

namespace kite::user_tests {

[[noreturn]] void run(StringView selection);

// Runs the programs of a benchmark run (kite.ubench=...) and ends QEMU.
[[noreturn]] void run_benchmarks(StringView selection);

} // namespace kite::user_tests
