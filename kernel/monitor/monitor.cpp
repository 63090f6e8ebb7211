// monitor.cpp: see monitor.h. Commands: help, mem, ticks, date, irqs, echo,
// reboot.
#include "monitor/monitor.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ps2.h"
#include "console/console.h"
#include "interrupts/irq.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/process.h"
#include "time/calendar.h"
#include "time/clock.h"
#include "tty/console_tty.h"

namespace kite::monitor {

namespace {

volatile bool interrupted = false;

void on_signal(int) {
    interrupted = true;
}

struct Command {
    const char* name;
    const char* help;
    void (*run)(StringView arguments);
};

void help(StringView);

void mem(StringView) {
    physical::print_stats();
    const Heap::Stats h = heap_stats();
    kprintln("heap: {} objects, {} bytes live; {} slab frames ({} cached), {} large frames",
             h.live_objects, h.live_bytes, h.slab_frames, h.cached_slabs, h.large_frames);
}

void ticks(StringView) {
    const u64 ns = clock::monotonic_ns();
    kprintln("ticks {} ({} Hz), monotonic {} ns, up {}.{:03} s", clock::ticks(), clock::tick_hz, ns,
             ns / 1'000'000'000, ns / 1'000'000 % 1000);
}

void date(StringView) {
    const DateTime now = from_unix_time(clock::realtime_ns() / 1'000'000'000);
    kprintln("{}-{:02}-{:02} {:02}:{:02}:{:02} UTC", now.year, now.month, now.day, now.hour,
             now.minute, now.second);
}

void irqs(StringView) {
    for (u8 line = 0; line < irq::line_count; ++line) {
        if (irq::count(line) > 0) {
            kprintln("IRQ {:>2}: {}", line, irq::count(line));
        }
    }
    const auto input = console_tty::stats();
    kprintln("spurious: {}; keyboard bytes {}, serial bytes {}", irq::spurious_count(),
             input.keyboard_bytes, input.serial_bytes);
}

void echo(StringView arguments) {
    kprintln("{}", arguments);
}

void reboot(StringView) {
    kprintln("rebooting");
    ps2::reset_machine();
    cpu::halt_forever();
}

constexpr Command commands[] = {
    {"help", "list the commands", help},
    {"mem", "physical memory and heap figures", mem},
    {"ticks", "timer ticks and the monotonic clock", ticks},
    {"date", "the wall-clock time", date},
    {"irqs", "interrupt counts per IRQ line", irqs},
    {"echo", "print the rest of the line", echo},
    {"reboot", "reset the machine", reboot},
};

void help(StringView) {
    for (const Command& c : commands) {
        kprintln("  {:<8} {}", c.name, c.help);
    }
}

void execute(StringView line) {
    usize start = 0;
    while (start < line.length() && line[start] == ' ') {
        ++start;
    }
    usize end = start;
    while (end < line.length() && line[end] != ' ') {
        ++end;
    }
    const StringView name = line.substring(start, end - start);
    if (name.is_empty()) {
        return;
    }
    StringView arguments = line.substring(end);
    while (!arguments.is_empty() && arguments[0] == ' ') {
        arguments = arguments.substring(1);
    }
    for (const Command& c : commands) {
        if (name == c.name) {
            c.run(arguments);
            return;
        }
    }
    kprintln("unknown command: {} (try help)", name);
}

} // namespace

void run() {
    Process::install_console_signals(on_signal);
    kprintln("Kernel monitor: type 'help' for commands.");
    char line[LineDiscipline::line_size + 1];
    for (;;) {
        kprint("kite> ");
        interrupted = false;
        const usize length =
            console_tty::read(reinterpret_cast<u8*>(line), sizeof(line) - 1, &interrupted);
        if (interrupted) {
            continue; // Ctrl-C: the line discipline echoed ^C and dropped the line
        }
        if (length == 0) {
            kprintln("(end of input)");
            continue;
        }
        const usize text = line[length - 1] == '\n' ? length - 1 : length;
        execute({line, text});
    }
}

} // namespace kite::monitor
