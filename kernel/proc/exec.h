// exec.h: loading a program into a process: ELF64 static executables
// (ET_EXEC, and ET_DYN static-pie at a fixed base) and "#!" scripts.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/error.h"
#include "lib/kbuffer.h"
#include "lib/string_view.h"

namespace kite {

class Process;

// argv and envp gathered into kernel memory that this object owns:
// argc + envc NUL-terminated strings, argv first. Move-only.
struct ProgramArguments {
    static constexpr usize max_bytes = 256 * 1024; // strings of argv and envp together (E2BIG)
    static constexpr usize max_strings = 32 * 1024;

    [[nodiscard]] char* strings() const { return storage.chars(); }
    // A copy with storage of its own, exactly as large as it needs.
    [[nodiscard]] ErrorOr<ProgramArguments> clone() const;

    KBuffer storage;
    usize bytes = 0;
    usize argc = 0;
    usize envc = 0;
};

// Replaces process's program with the one at path. On success the frame
// is set so that returning to user mode starts the program; on any error
// the process is left exactly as it was. Errors: ENOENT, EACCES (not an
// executable regular file), ENOEXEC (malformed, wrong machine, dynamically
// linked...), E2BIG, ENOMEM, ELOOP (#! nesting).
[[nodiscard]] ErrorOr<void> exec(Process& process, StringView path,
                                 const ProgramArguments& arguments, InterruptFrame& frame);

// Builds ProgramArguments from kernel strings (for the kernel's own
// spawns).
[[nodiscard]] ErrorOr<ProgramArguments> make_arguments(const char* const* argv,
                                                       const char* const* envp);
// The same from user argv/envp arrays (execve); an empty (or NULL) argv
// becomes {""}, as on Linux.
[[nodiscard]] ErrorOr<ProgramArguments> copy_arguments_from_user(u64 argv, u64 envp);
// For a "#!interpreter [argument]" line of the script at path: the
// arguments the interpreter runs with, [interpreter, argument?, path,
// argv[1]...], and the interpreter's name (inside line).
[[nodiscard]] ErrorOr<ProgramArguments> script_arguments(StringView line, StringView path,
                                                         const ProgramArguments& args,
                                                         StringView& interpreter);

} // namespace kite
