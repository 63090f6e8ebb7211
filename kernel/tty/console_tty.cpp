// console_tty.cpp: see console_tty.h.
//
// The console input lock guards the line discipline and the readers' wait
// queue; the input interrupts take it for each byte. Terminal signals are
// raised under it but sent after it is released (sending takes the process
// table lock, which ranks before it). The reader mutex lets one reader at a
// time take bytes, so that bytes it has looked at stay in the discipline
// until its copy to user memory succeeded; it is never held while waiting
// for input, so a waiting reader is always woken by a signal.
#include "tty/console_tty.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "console/console.h"
#include "debug/panic.h"
#include "fs/poll_wait.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"
#include "time/clock.h"
#include "tty/job_control.h"
#include "tty/keyboard.h"

namespace kite::console_tty {

namespace {

Spinlock input_lock{"console input", LockRank::ConsoleInput};
Mutex reader_lock{"console readers", LockRank::ConsoleReaders};
Wakeup reader_wakeup = nullptr;
Stats counters;
WaitQueue readers;
u32 raised_signals = 0; // bit n: signal n raised, not yet sent; under input_lock
// TIOCGWINSZ and TIOCSWINSZ: rows, columns (the VGA text screen's at boot)
// and pixels; under input_lock.
abi::WindowSize the_window{25, 80, 0, 0};

class ConsoleHooks final : public LineDiscipline::Hooks {
  public:
    void echo(StringView text) override { console::write(text); }
    void signal(int number) override {
        raised_signals |= u32{1} << number;
        readers.wake_all(); // a reader may have to give up
    }
    void input_available() override {
        readers.wake_all();
        poll_wait::notify();
        if (reader_wakeup) {
            reader_wakeup();
        }
    }
};

ConsoleHooks hooks;
LineDiscipline discipline(hooks);
KeyboardDecoder keyboard;

// Feeds bytes to the discipline, then sends the signals they raised.
void receive(const u8* bytes, usize count) {
    u32 raised;
    {
        SpinlockGuard guard(input_lock);
        for (usize i = 0; i < count; ++i) {
            discipline.receive(bytes[i]);
        }
        raised = raised_signals;
        raised_signals = 0;
    }
    while (raised) {
        const int number = __builtin_ctz(raised);
        raised &= raised - 1;
        job_control::signal_foreground(number);
    }
}

void on_scancode(u8 scancode) {
    char bytes[KeyboardDecoder::max_output];
    const usize count = keyboard.feed(scancode, bytes);
    counters.keyboard_bytes += count;
    receive(reinterpret_cast<const u8*>(bytes), count);
}

void on_serial_byte(u8 byte) {
    ++counters.serial_bytes;
    receive(&byte, 1);
}

// Waits, holding input_lock, until the line discipline has something for a
// reader (or the interrupted flag is set); false if a signal ended the wait.
bool wait_for_input(const volatile bool* interrupted) {
    VERIFY(input_lock.is_held());
    const Termios& t = discipline.termios();
    const bool raw = !(t.c_lflag & ICANON);
    const u64 vtime_ns = u64{t.c_cc[VTIME]} * 100'000'000;
    const usize vmin = t.c_cc[VMIN];
    if (raw && vmin == 0 && vtime_ns == 0) {
        return true; // pure poll
    }
    // Raw mode with VTIME: time out, measured from the start (VMIN=0) or
    // from the last byte's arrival (VMIN>0, once a byte is there).
    const bool timed = raw && vtime_ns > 0;
    u64 timer_start = clock::monotonic_ns();
    usize seen = discipline.buffered();
    for (;;) {
        if (discipline.can_read() || (interrupted && *interrupted)) {
            return true;
        }
        if (timed) {
            if (discipline.buffered() != seen) {
                seen = discipline.buffered();
                timer_start = clock::monotonic_ns();
            }
            const bool timer_running = vmin == 0 || seen > 0;
            if (timer_running && clock::monotonic_ns() - timer_start >= vtime_ns) {
                return true;
            }
        }
        // Timed waits re-check every tick.
        if (readers.wait(input_lock, timed ? clock::tick_period_ns() : 0) ==
            WaitResult::Interrupted) {
            return false;
        }
    }
}

} // namespace

void init() {
    if (!ps2::init(on_scancode)) {
        kprintln("console: no PS/2 controller answered; keyboard input is off");
    }
    serial::enable_receive(on_serial_byte);
}

void input(u8 byte) {
    receive(&byte, 1);
}

usize read(u8* out, usize capacity, const volatile bool* interrupted) {
    for (;;) {
        bool had_input;
        {
            SpinlockGuard guard(input_lock);
            (void)wait_for_input(interrupted);
            had_input = discipline.can_read();
        }
        MutexGuard reading(reader_lock);
        SpinlockGuard guard(input_lock);
        if (had_input && !discipline.can_read() && !(interrupted && *interrupted)) {
            continue; // another reader took it first: wait again
        }
        return discipline.read(out, capacity);
    }
}

ErrorOr<usize> read(const IoBuffer& to, usize length) {
    TRY(job_control::check_reader());
    for (;;) {
        // The wait happens without the reader mutex, so a reader that waits
        // never keeps another from waking for a signal.
        bool had_input;
        {
            SpinlockGuard guard(input_lock);
            if (!wait_for_input(nullptr)) {
                return Error(Errno::RESTARTSYS, "interrupted by a signal");
            }
            had_input = discipline.can_read();
        }
        // One reader at a time takes bytes, piece by piece through a small
        // buffer: each piece is taken from the discipline only once it is
        // in the reader's memory, so a bad buffer loses no input.
        MutexGuard reading(reader_lock);
        usize done = 0;
        bool wait_again = false;
        while (done < length) {
            u8 chunk[256];
            LineDiscipline::Peeked peeked;
            {
                SpinlockGuard guard(input_lock);
                peeked = discipline.peek(chunk, min(length - done, sizeof(chunk)));
            }
            if (done == 0 && peeked.entries == 0 && had_input) {
                // Taken by another reader, or flushed (Ctrl-C) since the
                // wait: not an end of file. Wait again (a signal ends it).
                wait_again = true;
                break;
            }
            if (peeked.bytes > 0) {
                auto copied = to.write(done, chunk, peeked.bytes);
                if (copied.is_error()) {
                    if (done == 0) {
                        return copied.release_error();
                    }
                    return done;
                }
            }
            {
                SpinlockGuard guard(input_lock);
                discipline.consume(peeked);
            }
            done += peeked.bytes;
            if (peeked.complete || peeked.entries == 0) {
                break;
            }
        }
        if (!wait_again) {
            return done;
        }
    }
}

namespace {

using namespace abi; // TCGETS and the other terminal ioctls, WindowSize

} // namespace

ErrorOr<i64> ioctl(u64 request, UserAddress argument) {
    switch (request) {
    case TCGETS:
        TRY(write_user(argument, termios()));
        return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        const Termios t = TRY(read_user<Termios>(argument));
        set_termios(t);
        return 0;
    }
    case TIOCGWINSZ:
        TRY(write_user(argument, window_size()));
        return 0;
    case TIOCSWINSZ: {
        const WindowSize size = TRY(read_user<WindowSize>(argument));
        set_window_size(size);
        return 0;
    }
    case FIONREAD: {
        i32 count;
        {
            SpinlockGuard guard(input_lock);
            count = static_cast<i32>(discipline.buffered());
        }
        TRY(write_user<i32>(argument, count));
        return 0;
    }
    case TIOCGPGRP:
        // Linux says ENOTTY unless this is the caller's controlling
        // terminal; Kite's init hands the console to a setsid'd shell
        // without TIOCSCTTY, so that check waits for init to make one.
        TRY(write_user<i32>(argument, job_control::foreground_group()));
        return 0;
    case TIOCSPGRP: {
        const i32 group = TRY(read_user<i32>(argument));
        TRY(job_control::request_foreground(group));
        return 0;
    }
    case TIOCGSID:
        TRY(job_control::check_controlling());
        TRY(write_user<i32>(argument, job_control::terminal_session()));
        return 0;
    case TIOCSCTTY:
        // The argument is a number, not a pointer: 1 lets root take the
        // terminal from another session.
        TRY(job_control::make_controlling(argument.value == 1));
        return 0;
    case TIOCNOTTY:
        TRY(job_control::give_up_controlling());
        return 0;
    default:
        return Error(Errno::NOTTY, "unsupported terminal ioctl");
    }
}

WindowSize window_size() {
    SpinlockGuard guard(input_lock);
    return the_window;
}

void set_window_size(const WindowSize& size) {
    bool changed;
    {
        SpinlockGuard guard(input_lock);
        changed = __builtin_memcmp(&size, &the_window, sizeof(size)) != 0;
        the_window = size;
    }
    // As Linux's tty_do_resize: the foreground group hears of a change.
    // Sent after the lock: sending takes the process table lock.
    if (changed) {
        job_control::signal_foreground_group(signals::WINCH);
    }
}

Termios termios() {
    SpinlockGuard guard(input_lock);
    return discipline.termios();
}

void set_termios(const Termios& value) {
    SpinlockGuard guard(input_lock);
    discipline.set_termios(value);
    poll_wait::notify(); // leaving canonical mode may make a partial line readable
}

bool has_input() {
    SpinlockGuard guard(input_lock);
    // Linux's n_tty_poll: a whole line (or end of file) in canonical mode,
    // any byte in raw mode, whatever VMIN says.
    const bool raw = !(discipline.termios().c_lflag & ICANON);
    return raw ? discipline.buffered() > 0 : discipline.can_read();
}

void set_reader_wakeup(Wakeup wakeup) {
    reader_wakeup = wakeup;
}
Stats stats() {
    return counters;
}

} // namespace kite::console_tty
