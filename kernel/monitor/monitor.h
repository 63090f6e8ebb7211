// monitor.h: the kernel monitor, a small command line on the console that
// runs until processes exist. It proves the input path end to end: keyboard
// or serial -> interrupt -> line discipline -> blocking read.
#pragma once

namespace kite::monitor {

[[noreturn]] void run();

} // namespace kite::monitor
