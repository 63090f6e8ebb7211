// console_tty.h: the console terminal. Both inputs (the PS/2 keyboard in the
// QEMU window and COM1 in the terminal running QEMU) feed one line
// discipline; its echo and all output go to both screens (VGA and serial).
#pragma once

#include "lib/error.h"
#include "mm/user_memory.h"
#include "tty/line_discipline.h"

namespace kite::console_tty {

// Starts the keyboard and serial input paths.
void init();

// Feeds one input byte, as the interrupt handlers do (tests use it too).
void input(u8 byte);

// Blocks the calling thread on the console's wait queue until read would
// return something or `interrupted` is set (the monitor's Ctrl-C); returns
// the bytes read, or 0 for end of file. In raw mode VMIN and VTIME (tenths
// of a second) work as in termios(3): VMIN=0 VTIME>0 waits at most VTIME
// for any byte; VMIN>0 VTIME>0 returns once VMIN bytes are there or VTIME
// has passed since the last byte arrived (after the first); VMIN=0 VTIME=0
// never waits.
[[nodiscard]] usize read(u8* out, usize capacity, const volatile bool* interrupted = nullptr);
// The same for a process reading into `to` (any length; canonical mode
// still ends at a line): a background reader is stopped (job_control), a
// signal ends the wait with RESTARTSYS, and input is taken only once copied
// (a bad buffer gets EFAULT, or the count before the bad page, and the rest
// stays for the next read).
[[nodiscard]] ErrorOr<usize> read(const IoBuffer& to, usize length);
// Linux's terminal ioctls: TCGETS, TCSETS(W/F), TIOCGWINSZ, TIOCSWINSZ,
// FIONREAD (the bytes a read may take now), TIOCGPGRP, TIOCSPGRP, TIOCGSID,
// TIOCSCTTY and TIOCNOTTY (the controlling terminal: tty/job_control.h).
[[nodiscard]] ErrorOr<i64> ioctl(u64 request, UserAddress argument);

// The window size; a change sends SIGWINCH to the foreground group.
[[nodiscard]] abi::WindowSize window_size();
void set_window_size(const abi::WindowSize& size);

// poll(2): whether a read would find input now.
[[nodiscard]] bool has_input();

[[nodiscard]] Termios termios();
void set_termios(const Termios& termios);

// Called from interrupt context whenever input becomes readable.
using Wakeup = void (*)();
void set_reader_wakeup(Wakeup wakeup);

struct Stats {
    u64 keyboard_bytes; // produced by the scancode decoder
    u64 serial_bytes;   // received on COM1
};
[[nodiscard]] Stats stats();

} // namespace kite::console_tty
