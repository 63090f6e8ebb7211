// exec.cpp: see exec.h.
//
// The new program is built in a fresh address space and memory map; only
// when everything has succeeded does it replace the process's, so a bad
// file leaves the caller untouched. Loadable segments are copied in from
// the file (the initrd is memory already); the rest of each segment and the
// stack are brought in on first touch by the page-fault handler.
#include "proc/exec.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "fs/vfs.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "mm/user_memory.h"
#include "proc/elf.h"
#include "proc/process.h"
#include "time/clock.h"

namespace kite {

namespace {

using user_layout::stack_size;
using user_layout::stack_top;
using user_layout::static_pie_base;
constexpr u64 lowest_load_address = user_layout::lowest_mapping;
constexpr usize max_script_nesting = 4;
constexpr usize max_program_headers = 64;

u64 page_down(u64 v) {
    return v & ~(page_size - 1);
}
u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

Error not_executable(const char* why) {
    return Error(Errno::NOEXEC, why);
}

ErrorOr<void> read_exactly(Vnode& file, u64 offset, void* to, usize length) {
    const usize n = TRY(file.read(offset, IoBuffer::kernel(to), length));
    if (n != length) {
        return not_executable("file shorter than its headers say");
    }
    return {};
}

// A new program image under construction; if never committed, dropping
// the space gives back every frame it got.
struct Image {
    RefPtr<UserSpace> space;
    u64 entry = 0;
    u64 program_headers_address = 0;
    u16 program_header_count = 0;
    u64 highest_end = 0;
    bool executable_stack = false;
};

// Copies bytes into the image at a user address, allocating pages as needed.
ErrorOr<void> write_to_image(Image& image, u64 address, const u8* data, usize length) {
    while (length > 0) {
        const u64 page = page_down(address);
        const usize in_page = min<u64>(length, page + page_size - address);
        u8* to = TRY(image.space->image_page(page));
        __builtin_memcpy(to + (address - page), data, in_page);
        address += in_page;
        data += in_page;
        length -= in_page;
    }
    return {};
}

// Reads part of the file straight into the image's pages.
ErrorOr<void> load_from_file(Image& image, Vnode& file, u64 offset, u64 address, u64 length) {
    while (length > 0) {
        const u64 page = page_down(address);
        const usize in_page = min<u64>(length, page + page_size - address);
        u8* to = TRY(image.space->image_page(page));
        TRY(read_exactly(file, offset, to + (address - page), in_page));
        address += in_page;
        offset += in_page;
        length -= in_page;
    }
    return {};
}

ErrorOr<void> load_segments(Vnode& file, const elf::FileHeader& header, Image& image,
                            elf::ProgramHeader* headers, u64 table_size);

ErrorOr<void> load_elf(Vnode& file, const elf::FileHeader& header, Image& image) {
    const u8* id = header.ident;
    if (id[4] != elf::class_64 || id[5] != elf::data_little_endian ||
        id[6] != elf::current_version) {
        return not_executable("not a little-endian ELF64 file");
    }
    if (header.machine != elf::machine_x86_64) {
        return not_executable("ELF file for another machine");
    }
    if (header.type != elf::type_executable && header.type != elf::type_shared) {
        return not_executable("ELF file is not an executable");
    }
    if (header.program_header_size != sizeof(elf::ProgramHeader) ||
        header.program_header_count == 0 || header.program_header_count > max_program_headers) {
        return not_executable("bad program header table");
    }
    const u64 table_size = u64{header.program_header_count} * sizeof(elf::ProgramHeader);
    if (header.program_header_offset > file.size() ||
        table_size > file.size() - header.program_header_offset) {
        return not_executable("program headers outside the file");
    }
    auto* headers = static_cast<elf::ProgramHeader*>(kmalloc(table_size));
    if (!headers) {
        return Error(Errno::NOMEM, "out of memory");
    }
    auto result = load_segments(file, header, image, headers, table_size);
    kfree(headers);
    return result;
}

ErrorOr<void> load_segments(Vnode& file, const elf::FileHeader& header, Image& image,
                            elf::ProgramHeader* headers, u64 table_size) {
    TRY(read_exactly(file, header.program_header_offset, headers, table_size));

    const u64 bias = header.type == elf::type_shared ? static_pie_base : 0;
    bool entry_ok = false;
    for (u16 i = 0; i < header.program_header_count; ++i) {
        const elf::ProgramHeader& ph = headers[i];
        if (ph.type == elf::segment_interpreter) {
            return not_executable("dynamically linked (PT_INTERP): not supported");
        }
        if (ph.type == elf::segment_gnu_stack) {
            image.executable_stack = ph.flags & elf::flag_execute;
            continue;
        }
        if (ph.type != elf::segment_load || ph.memory_size == 0) {
            continue;
        }
        const u64 start = ph.virtual_address + bias;
        if (ph.file_size > ph.memory_size || ph.offset > file.size() ||
            ph.file_size > file.size() - ph.offset) {
            return not_executable("segment outside the file");
        }
        if (start < lowest_load_address || start >= user_task_size ||
            ph.memory_size > user_task_size - start ||
            start + ph.memory_size > stack_top - stack_size) {
            return not_executable("segment outside user space");
        }
        if ((ph.virtual_address - ph.offset) % page_size != 0) {
            return not_executable("segment misaligned with its file offset");
        }
        if ((ph.flags & elf::flag_write) && (ph.flags & elf::flag_execute)) {
            return not_executable("segment both writable and executable");
        }
        u32 protection = ProtNone;
        protection |= (ph.flags & elf::flag_read) ? ProtRead : 0;
        protection |= (ph.flags & elf::flag_write) ? ProtWrite : 0;
        protection |= (ph.flags & elf::flag_execute) ? ProtExec : 0;
        const u64 end = start + ph.memory_size;
        if (image.space->add_region(page_down(start), page_up(end), protection).is_error()) {
            return not_executable("segments overlap");
        }
        TRY(load_from_file(image, file, ph.offset, start, ph.file_size));
        if (header.entry + bias >= start && header.entry + bias < end &&
            (ph.flags & elf::flag_execute)) {
            entry_ok = true;
        }
        if (header.program_header_offset >= ph.offset &&
            header.program_header_offset + table_size <= ph.offset + ph.file_size) {
            image.program_headers_address = start + (header.program_header_offset - ph.offset);
        }
        image.highest_end = max(image.highest_end, page_up(end));
    }
    if (!entry_ok) {
        return not_executable("entry point not in an executable segment");
    }
    image.entry = header.entry + bias;
    image.program_header_count = header.program_header_count;
    return {};
}

u64 random_state = 0;

u64 next_random() {
    if (random_state == 0) {
        random_state = cpu::rdtsc() ^ 0x9E3779B97F4A7C15;
    }
    // xorshift64*: AT_RANDOM wants unpredictable bytes; without a hardware
    // source this is only as good as the TSC's low bits.
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545F4914F6CDD1D ^ cpu::rdtsc();
}

// Lays out argc, argv, envp, the auxiliary vector and the strings at the top
// of the stack (System V ABI, 3.4.1); returns the initial rsp.
ErrorOr<u64> build_stack(Image& image, const ProgramArguments& args, StringView path) {
    TRY(image.space->add_region(stack_top - stack_size, stack_top,
                                ProtRead | ProtWrite | (image.executable_stack ? ProtExec : 0)));
    struct Aux {
        u64 key, value;
    };
    constexpr usize aux_count = 15;
    const usize strings_size = args.bytes + path.length() + 1 + 16;
    const u64 info_start = (stack_top - strings_size) & ~u64{15};
    const usize words = 1 + args.argc + 1 + args.envc + 1 + 2 * aux_count;
    const u64 sp = (info_start - words * 8) & ~u64{15};
    const usize block_size = stack_top - sp;
    auto* block = static_cast<u8*>(kzalloc(block_size));
    if (!block) {
        return Error(Errno::NOMEM, "no memory for the initial stack");
    }
    auto* words_at = reinterpret_cast<u64*>(block);
    u8* info = block + (info_start - sp);
    // Strings: argv and envp as given, then the file name, then 16 random bytes.
    __builtin_memcpy(info, args.strings, args.bytes);
    __builtin_memcpy(info + args.bytes, path.data(), path.length());
    const u64 execfn = info_start + args.bytes;
    const u64 random = execfn + path.length() + 1;
    for (usize i = 0; i < 2; ++i) {
        const u64 r = next_random();
        __builtin_memcpy(info + args.bytes + path.length() + 1 + i * 8, &r, 8);
    }
    usize w = 0;
    words_at[w++] = args.argc;
    u64 string = info_start;
    for (usize i = 0; i < args.argc + args.envc; ++i) {
        if (i == args.argc) {
            words_at[w++] = 0; // end of argv
        }
        words_at[w++] = string;
        string += __builtin_strlen(reinterpret_cast<const char*>(block + (string - sp))) + 1;
    }
    if (args.argc + args.envc == args.argc) {
        words_at[w++] = 0;
    }
    words_at[w++] = 0; // end of envp
    const Aux aux[aux_count] = {
        {elf::AT_PHDR, image.program_headers_address},
        {elf::AT_PHENT, sizeof(elf::ProgramHeader)},
        {elf::AT_PHNUM, image.program_header_count},
        {elf::AT_PAGESZ, page_size},
        {elf::AT_BASE, 0},
        {elf::AT_FLAGS, 0},
        {elf::AT_ENTRY, image.entry},
        {elf::AT_UID, 0},
        {elf::AT_EUID, 0},
        {elf::AT_GID, 0},
        {elf::AT_EGID, 0},
        {elf::AT_SECURE, 0},
        {elf::AT_RANDOM, random},
        {elf::AT_EXECFN, execfn},
        {elf::AT_NULL, 0},
    };
    for (const Aux& a : aux) {
        words_at[w++] = a.key;
        words_at[w++] = a.value;
    }
    auto written = write_to_image(image, sp, block, block_size);
    kfree(block);
    TRY(written);
    return sp;
}

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
    const usize first_length = args.argc > 0 ? __builtin_strlen(args.strings) + 1 : 0;
    const usize bytes = args.bytes - first_length + interpreter.length() + 1 +
                        (argument.is_empty() ? 0 : argument.length() + 1) + path.length() + 1;
    if (bytes > ProgramArguments::max_bytes) {
        return Error(Errno::TOOBIG, "argument list too long");
    }
    ProgramArguments out;
    out.strings = static_cast<char*>(kmalloc(bytes));
    if (!out.strings) {
        return Error(Errno::NOMEM, "out of memory");
    }
    usize at = 0;
    auto put = [&](StringView s) {
        __builtin_memcpy(out.strings + at, s.data(), s.length());
        out.strings[at + s.length()] = '\0';
        at += s.length() + 1;
    };
    put(interpreter);
    if (!argument.is_empty()) {
        put(argument);
    }
    put(path);
    __builtin_memcpy(out.strings + at, args.strings + first_length, args.bytes - first_length);
    out.bytes = bytes;
    out.argc = (args.argc > 0 ? args.argc - 1 : 0) + 2 + (argument.is_empty() ? 0 : 1);
    out.envc = args.envc;
    return out;
}

ErrorOr<void> exec_nested(Process& process, StringView path, const ProgramArguments& args,
                          InterruptFrame& frame, usize depth) {
    RefPtr<Vnode> file = TRY(vfs::resolve(path, process.cwd()));
    if (file->type() != VnodeType::Regular) {
        return Error(file->is_directory() ? Errno::ACCES : Errno::ACCES, "not a regular file");
    }
    if ((file->permissions() & 0111) == 0) {
        return Error(Errno::ACCES, "no execute permission");
    }
    char start[256];
    const usize have = TRY(file->read(0, IoBuffer::kernel(start), sizeof(start)));
    if (have >= 2 && start[0] == '#' && start[1] == '!') {
        if (depth == max_script_nesting) {
            return Error(Errno::LOOP, "#! interpreters nested too deeply");
        }
        usize line_end = 2;
        while (line_end < have && start[line_end] != '\n') {
            ++line_end;
        }
        if (line_end == have && have == sizeof(start)) {
            return not_executable("#! line too long");
        }
        StringView interpreter;
        ProgramArguments script_args =
            TRY(script_arguments({start, line_end}, path, args, interpreter));
        char interpreter_path[256];
        __builtin_memcpy(interpreter_path, interpreter.data(), interpreter.length());
        auto result = exec_nested(process, {interpreter_path, interpreter.length()}, script_args,
                                  frame, depth + 1);
        kfree(script_args.strings);
        return result;
    }
    if (have < sizeof(elf::FileHeader) || start[0] != 0x7f || start[1] != 'E' || start[2] != 'L' ||
        start[3] != 'F') {
        return not_executable("not an ELF file or a #! script");
    }
    elf::FileHeader header;
    __builtin_memcpy(&header, start, sizeof(header));

    Image image;
    image.space = TRY(UserSpace::try_create());
    TRY(load_elf(*file, header, image));
    const u64 sp = TRY(build_stack(image, args, path));

    // Commit: from here on nothing can fail.
    image.space->set_initial_break(image.highest_end);
    process.replace_user_space(move(image.space));
    process.fds().close_on_exec();
    process.thread()->fs_base = 0; // no TLS until the new program sets one
    if (Process::current() == &process) {
        cpu::wrmsr(cpu_local::msr_fs_base, 0);
    }
    // Handlers do not survive exec (the code is gone); ignored stays ignored.
    for (auto& action : process.signal_actions) {
        if (action.handler != signals::SIG_IGN) {
            action = {};
        }
    }
    usize base = path.length();
    while (base > 0 && path[base - 1] != '/') {
        --base;
    }
    process.set_name(path.substring(base));
    frame = {};
    frame.rip = image.entry;
    frame.rsp = sp;
    frame.cs = gdt::user_code_selector;
    frame.ss = gdt::user_data_selector;
    frame.rflags = 0x202; // IF
    frame.vector = 0x100;
    return {};
}

ErrorOr<void> append_string(ProgramArguments& out, const char* text, usize length) {
    if (out.bytes + length + 1 > ProgramArguments::max_bytes ||
        out.argc + out.envc == ProgramArguments::max_strings) {
        return Error(Errno::TOOBIG, "argument list too long");
    }
    __builtin_memcpy(out.strings + out.bytes, text, length);
    out.strings[out.bytes + length] = '\0';
    out.bytes += length + 1;
    return {};
}

} // namespace

ErrorOr<void> exec(Process& process, StringView path, const ProgramArguments& arguments,
                   InterruptFrame& frame) {
    return exec_nested(process, path, arguments, frame, 0);
}

ErrorOr<ProgramArguments> make_arguments(const char* const* argv, const char* const* envp) {
    ProgramArguments out;
    out.strings = static_cast<char*>(kmalloc(ProgramArguments::max_bytes));
    if (!out.strings) {
        return Error(Errno::NOMEM, "out of memory");
    }
    for (usize i = 0; argv && argv[i]; ++i, ++out.argc) {
        auto appended = append_string(out, argv[i], __builtin_strlen(argv[i]));
        if (appended.is_error()) {
            kfree(out.strings);
            return appended.release_error();
        }
    }
    for (usize i = 0; envp && envp[i]; ++i, ++out.envc) {
        auto appended = append_string(out, envp[i], __builtin_strlen(envp[i]));
        if (appended.is_error()) {
            kfree(out.strings);
            return appended.release_error();
        }
    }
    return out;
}

ErrorOr<ProgramArguments> copy_arguments_from_user(u64 argv, u64 envp) {
    ProgramArguments out;
    out.strings = static_cast<char*>(kmalloc(ProgramArguments::max_bytes));
    if (!out.strings) {
        return Error(Errno::NOMEM, "out of memory");
    }
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
            const usize length =
                TRY(copy_string_from_user(out.strings + out.bytes, {pointer}, room, Errno::TOOBIG));
            out.bytes += length + 1;
            ++count;
        }
        return {};
    };
    auto result = copy_list(argv, out.argc);
    if (!result.is_error()) {
        result = copy_list(envp, out.envc);
    }
    if (result.is_error()) {
        kfree(out.strings);
        return result.release_error();
    }
    return out;
}

} // namespace kite
