// console_tty.cpp: see console_tty.h.
#include "tty/console_tty.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "console/console.h"
#include "sched/scheduler.h"
#include "time/clock.h"
#include "tty/keyboard.h"

namespace kite::console_tty {

namespace {

SignalHandler signal_handler = nullptr;
Wakeup reader_wakeup = nullptr;
Stats counters;
WaitQueue readers;
i32 foreground = 0;

class ConsoleHooks final : public LineDiscipline::Hooks {
  public:
    void echo(StringView text) override { console::write(text); }
    void signal(Signal number) override {
        if (signal_handler) {
            signal_handler(number);
        }
        readers.wake_all(); // a reader may have to give up
    }
    void input_available() override {
        readers.wake_all();
        if (reader_wakeup) {
            reader_wakeup();
        }
    }
};

ConsoleHooks hooks;
LineDiscipline discipline(hooks);
KeyboardDecoder keyboard;

void on_scancode(u8 scancode) {
    char bytes[KeyboardDecoder::max_output];
    const usize count = keyboard.feed(scancode, bytes);
    for (usize i = 0; i < count; ++i) {
        ++counters.keyboard_bytes;
        discipline.receive(static_cast<u8>(bytes[i]));
    }
}

void on_serial_byte(u8 byte) {
    ++counters.serial_bytes;
    discipline.receive(byte);
}

} // namespace

void init() {
    if (!ps2::init(on_scancode)) {
        kprintln("console: no PS/2 controller answered; keyboard input is off");
    }
    serial::enable_receive(on_serial_byte);
}

void input(u8 byte) {
    InterruptGuard guard;
    discipline.receive(byte);
}

namespace {

// Waits until the line discipline has something for a reader (or the
// interrupted flag is set, or the wait is interrupted by a signal); returns
// false in the last case.
bool wait_for_input(const volatile bool* interrupted) {
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
        // Interrupts are off from the check to the wait, so a wake-up
        // cannot fall between them. Timed waits re-check every tick.
        if (readers.wait(timed ? clock::tick_period_ns() : 0) == WaitResult::Interrupted) {
            return false;
        }
    }
}

} // namespace

usize read(u8* out, usize capacity, const volatile bool* interrupted) {
    InterruptGuard guard;
    (void)wait_for_input(interrupted);
    return discipline.read(out, capacity);
}

ErrorOr<usize> read_interruptible(u8* out, usize capacity) {
    InterruptGuard guard;
    if (!wait_for_input(nullptr)) {
        return Error(Errno::RESTARTSYS, "interrupted by a signal");
    }
    return discipline.read(out, capacity);
}

i32 foreground_group() {
    return foreground;
}
void set_foreground_group(i32 pgid) {
    foreground = pgid;
}

Termios termios() {
    InterruptGuard guard;
    return discipline.termios();
}

void set_termios(const Termios& value) {
    InterruptGuard guard;
    discipline.set_termios(value);
}

void set_signal_handler(SignalHandler handler) {
    signal_handler = handler;
}
void set_reader_wakeup(Wakeup wakeup) {
    reader_wakeup = wakeup;
}
Stats stats() {
    return counters;
}

} // namespace kite::console_tty
