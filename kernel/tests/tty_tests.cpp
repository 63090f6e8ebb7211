// tty_tests.cpp: the console's input path inside the kernel: bytes fed as
// the interrupt handlers feed them come out of the blocking read as lines.
#include "fs/vfs.h"
#include "mm/user_memory.h"
#include "tests/ktest.h"
#include "time/clock.h"
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

namespace kite {

namespace {

struct RawMode {
    Termios saved = console_tty::termios();
    RawMode(u8 vmin, u8 vtime) {
        Termios raw = saved;
        raw.c_lflag &= ~(ICANON | ECHO);
        raw.c_cc[VMIN] = vmin;
        raw.c_cc[VTIME] = vtime;
        console_tty::set_termios(raw);
    }
    ~RawMode() { console_tty::set_termios(saved); }
};

} // namespace

KTEST(console_raw_mode_vtime_times_out) {
    RawMode raw(0, 2); // wait at most 0.2 s for a byte
    u8 byte;
    const u64 start = clock::monotonic_ns();
    KEXPECT_EQ(console_tty::read(&byte, 1), 0u);
    // No upper bound: see sleep_lasts_at_least_as_asked.
    KEXPECT(clock::monotonic_ns() - start >= 200'000'000);
    console_tty::input('q');
    KEXPECT_EQ(console_tty::read(&byte, 1), 1u);
    KEXPECT_EQ(byte, 'q');
}

KTEST(console_raw_mode_vmin_zero_vtime_zero_polls) {
    RawMode raw(0, 0);
    u8 bytes[4];
    KEXPECT_EQ(console_tty::read(bytes, sizeof(bytes)), 0u);
    console_tty::input('a');
    console_tty::input('b');
    KEXPECT_EQ(console_tty::read(bytes, sizeof(bytes)), 2u);
}

} // namespace kite

namespace kite {

// Through the device node, as a process reads it: a line is not cut at 256
// bytes (the old limit of one read), and a read into a bad buffer gets
// EFAULT and takes no input: the whole line is there for the next read.
KTEST(console_device_reads_long_lines_and_keeps_input_on_a_bad_buffer) {
    const Termios saved = console_tty::termios();
    Termios quiet = saved;
    quiet.c_lflag &= ~ECHO; // canonical, without echoing 600 bytes
    console_tty::set_termios(quiet);
    auto console = vfs::resolve("/dev/console", vfs::root());
    KEXPECT(!console.is_error());
    constexpr usize length = 600;
    for (usize i = 0; i < length; ++i) {
        console_tty::input(static_cast<u8>('a' + i % 26));
    }
    console_tty::input('\n');
    // No process: the copy to this user address faults and nothing maps it.
    auto bad = console.value()->read(0, IoBuffer::user({0x1000}), 1000);
    KEXPECT(bad.is_error() && bad.error().code() == Errno::FAULT);
    static u8 line[1024];
    auto good = console.value()->read(0, IoBuffer::kernel(line), sizeof(line));
    KEXPECT(!good.is_error() && good.value() == length + 1);
    KEXPECT_EQ(line[0], 'a');
    KEXPECT_EQ(line[length - 1], static_cast<u8>('a' + (length - 1) % 26));
    KEXPECT_EQ(line[length], '\n');
    console_tty::set_termios(saved);
}

} // namespace kite
