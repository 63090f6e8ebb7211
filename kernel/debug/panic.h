// panic.h: stopping the kernel when it finds a bug in itself.
//
//   panic("frame {} freed twice", address);
//   VERIFY(count > 0);
//
// A panic prints the reason, the source location and a backtrace with symbol
// names to every console, then halts with interrupts off. When the kernel
// runs its tests, it also ends QEMU with the failure code, so a panic can
// never look like a pass.
#pragma once

#include "debug/source_location.h"
#include "lib/format.h"

namespace kite {

struct InterruptFrame;

// A format string that remembers where it was written.
struct PanicFormat {
    template <usize N>
    consteval PanicFormat(const char (&text)[N], SourceLocation where = SourceLocation::current())
        : fmt(text, N - 1), location(where) {}
    StringView fmt;
    SourceLocation location;
};

[[noreturn]] void panic_vformat(const SourceLocation& where, StringView fmt, const FormatArg* args,
                                usize arg_count);

template <typename... Args>
[[noreturn]] void panic(PanicFormat message, const Args&... args) {
    const FormatArg packed[sizeof...(Args) + 1] = {make_format_arg(args)...};
    panic_vformat(message.location, message.fmt, packed, sizeof...(Args));
}

// The report for an exception the kernel cannot handle (arch code calls it).
[[noreturn]] void panic_with_frame(const InterruptFrame& frame, u64 cr2);

// A panic whose report the caller writes, after the panic has begun
// (interrupts off, the error colour) and before "System halted.".
[[noreturn]] void panic_with_report(void (*write_report)(FormatSink& sink, const void* context),
                                    const void* context);

// In test runs a panic also ends the emulator with the failure exit code.
void set_panic_exits_emulator(bool exits);

// Hooks for tests that provoke a panic on purpose (see tests/panic_tests.cpp).
[[nodiscard]] bool panic_in_progress();

} // namespace kite

// Always-on assertion: a false condition is a kernel bug.
#define VERIFY(condition)                                                                          \
    do {                                                                                           \
        if (!(condition)) [[unlikely]] {                                                           \
            ::kite::panic("VERIFY({}) failed", #condition);                                        \
        }                                                                                          \
    } while (0)
