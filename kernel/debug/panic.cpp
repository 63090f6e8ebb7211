// panic.cpp: the panic path. It must work in the worst state the kernel can
// be in: interrupts are turned off first, nothing is allocated, every memory
// read of the backtrace is a fault-safe probe, and a panic inside a panic
// stops at once instead of recursing.
#include "debug/panic.h"

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/qemu.h"
#include "console/console.h"

namespace kite {

namespace {

bool exits_emulator = false;
volatile bool panicking = false;

// Returns false if a panic is already being reported (then it has ended the
// emulator or halted).
void begin() {
    cpu::disable_interrupts();
    if (panicking) {
        console::write("\nKERNEL PANIC while reporting a panic; halting.\n");
        if (exits_emulator) {
            qemu::exit(qemu::ExitCode::Failure);
        }
        cpu::halt_forever();
    }
    panicking = true;
    console::set_style(console::Style::Error);
}

[[noreturn]] void end() {
    kprintln("System halted.");
    console::set_style(console::Style::Normal);
    if (exits_emulator) {
        qemu::exit(qemu::ExitCode::Failure);
    }
    cpu::halt_forever();
}

} // namespace

void set_panic_exits_emulator(bool exits) {
    exits_emulator = exits;
}
bool panic_in_progress() {
    return panicking;
}

void panic_vformat(const SourceLocation& where, StringView fmt, const FormatArg* args,
                   usize arg_count) {
    begin();
    kprint("\nKERNEL PANIC: ");
    vformat(console::sink(), fmt, args, arg_count);
    kprintln("\n  at {}:{} in {}", where.file, where.line, where.function);
    print_backtrace(console::sink(), cpu::read_rbp());
    end();
}

void panic_with_frame(const InterruptFrame& frame, u64 cr2) {
    begin();
    write_exception_report(console::sink(), frame, cr2);
    end();
}

void panic_with_report(void (*write_report)(FormatSink& sink, const void* context),
                       const void* context) {
    begin();
    write_report(console::sink(), context);
    end();
}

} // namespace kite
