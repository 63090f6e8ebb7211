// format_tests.cpp: the formatter as compiled for the kernel (the host unit
// tests cover it in depth; this proves the freestanding build agrees).
#include "lib/format.h"
#include "tests/ktest.h"

namespace kite {

KTEST(format_in_kernel) {
    char buffer[128];
    KEXPECT(format_to(buffer, sizeof(buffer), "{} {:#x} {:>5} {}", -42, 255u, "ab", true) ==
            "-42 0xff    ab true");
    KEXPECT(format_to(buffer, sizeof(buffer), "{:p}", PhysAddr(0x1000)) == "0x0000000000001000");
}

} // namespace kite
