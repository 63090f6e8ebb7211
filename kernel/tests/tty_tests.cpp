// tty_tests.cpp: the console's input path inside the kernel: bytes fed as
// the interrupt handlers feed them come out of the blocking read as lines.
#include "tests/ktest.h"
#include "tty/console_tty.h"

namespace kite {

KTEST(console_read_returns_edited_lines) {
    for (char c : StringView("lsx\x7f -l\n")) {
        console_tty::input(static_cast<u8>(c));
    }
    u8 line[64];
    const usize length = console_tty::read(line, sizeof(line));
    KEXPECT(StringView(reinterpret_cast<char*>(line), length) == "ls -l\n");
    console_tty::input(4); // Ctrl-D at the start of a line: end of file
    KEXPECT_EQ(console_tty::read(line, sizeof(line)), 0u);
}

} // namespace kite
