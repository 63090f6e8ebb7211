// program_arguments.cpp: argv and envp gathered into kernel memory: from
// kernel strings, from user arrays (execve), or rewritten for a "#!"
// script. E2BIG past ProgramArguments::max_bytes or max_strings.
#include "mm/user_memory.h"
#include "proc/elf_loader.h"
#include "proc/exec.h"

namespace kite {

namespace {

ErrorOr<void> append_string(ProgramArguments& out, const char* text, usize length) {
    if (out.bytes + length + 1 > ProgramArguments::max_bytes ||
        out.argc + out.envc == ProgramArguments::max_strings) {
        return Error(Errno::TOOBIG, "argument list too long");
    }
    __builtin_memcpy(out.strings() + out.bytes, text, length);
    out.strings()[out.bytes + length] = '\0';
    out.bytes += length + 1;
    return {};
}

} // namespace

// "#!interpreter [argument]": the interpreter runs with argv
// [interpreter, argument?, path, argv[1]...].
ErrorOr<ProgramArguments> script_arguments(StringView line, StringView path,
                                           const ProgramArguments& args, StringView& interpreter) {
    usize i = 2;
    while (i < line.length() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    usize start = i;
    while (i < line.length() && line[i] != ' ' && line[i] != '\t') {
        ++i;
    }
    interpreter = line.substring(start, i - start);
    while (i < line.length() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    usize end = line.length();
    while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
        --end;
    }
    const StringView argument = line.substring(i, end - i);
    if (interpreter.is_empty()) {
        return not_executable("#! line names no interpreter");
    }
    const usize first_length = args.argc > 0 ? __builtin_strlen(args.strings()) + 1 : 0;
    const usize bytes = args.bytes - first_length + interpreter.length() + 1 +
                        (argument.is_empty() ? 0 : argument.length() + 1) + path.length() + 1;
    if (bytes > ProgramArguments::max_bytes) {
        return Error(Errno::TOOBIG, "argument list too long");
    }
    ProgramArguments out;
    out.storage = TRY(KBuffer::try_create(bytes));
    usize at = 0;
    auto put = [&](StringView s) {
        __builtin_memcpy(out.strings() + at, s.data(), s.length());
        out.strings()[at + s.length()] = '\0';
        at += s.length() + 1;
    };
    put(interpreter);
    if (!argument.is_empty()) {
        put(argument);
    }
    put(path);
    __builtin_memcpy(out.strings() + at, args.strings() + first_length, args.bytes - first_length);
    out.bytes = bytes;
    out.argc = (args.argc > 0 ? args.argc - 1 : 0) + 2 + (argument.is_empty() ? 0 : 1);
    out.envc = args.envc;
    return out;
}

ErrorOr<ProgramArguments> make_arguments(const char* const* argv, const char* const* envp) {
    ProgramArguments out;
    out.storage = TRY(KBuffer::try_create(ProgramArguments::max_bytes));
    for (usize i = 0; argv && argv[i]; ++i, ++out.argc) {
        TRY(append_string(out, argv[i], __builtin_strlen(argv[i])));
    }
    for (usize i = 0; envp && envp[i]; ++i, ++out.envc) {
        TRY(append_string(out, envp[i], __builtin_strlen(envp[i])));
    }
    return out;
}

ErrorOr<ProgramArguments> copy_arguments_from_user(u64 argv, u64 envp) {
    ProgramArguments out;
    out.storage = TRY(KBuffer::try_create(ProgramArguments::max_bytes));
    auto copy_list = [&](u64 list, usize& count) -> ErrorOr<void> {
        for (u64 i = 0; list != 0; ++i) {
            const u64 pointer = TRY(read_user<u64>({list + i * 8}));
            if (pointer == 0) {
                return {};
            }
            if (out.argc + out.envc == ProgramArguments::max_strings) {
                return Error(Errno::TOOBIG, "too many arguments");
            }
            const usize room = ProgramArguments::max_bytes - out.bytes;
            if (room == 0) {
                return Error(Errno::TOOBIG, "argument list too long");
            }
            const usize length = TRY(
                copy_string_from_user(out.strings() + out.bytes, {pointer}, room, Errno::TOOBIG));
            out.bytes += length + 1;
            ++count;
        }
        return {};
    };
    TRY(copy_list(argv, out.argc));
    if (out.argc == 0) {
        // As Linux since 5.18: a program run with no arguments gets one,
        // "", so that one reading argv[1] does not walk into envp.
        out.strings()[out.bytes++] = '\0';
        out.argc = 1;
    }
    TRY(copy_list(envp, out.envc));
    return out;
}

ErrorOr<ProgramArguments> ProgramArguments::clone() const {
    ProgramArguments copy;
    copy.storage = TRY(KBuffer::try_copy(strings(), bytes));
    copy.bytes = bytes;
    copy.argc = argc;
    copy.envc = envc;
    return copy;
}

} // namespace kite
