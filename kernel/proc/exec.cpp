// exec.cpp: see exec.h.
//
// The new program is built in a fresh user space (proc/elf_loader.h);
// only when everything has succeeded does it replace the process's, so a
// bad file leaves the caller untouched. The file's bytes are read into the
// image's pages; the rest of each segment and the stack are brought in on
// first touch by the page-fault handler.
#include "proc/exec.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "fs/memory_fs.h"
#include "fs/mounts.h"
#include "fs/vfs.h"
#include "lib/kbuffer.h"
#include "proc/elf_loader.h"
#include "proc/process.h"
#include "random/random.h"

namespace kite {

namespace {

using user_layout::stack_top;
constexpr usize max_script_nesting = 4;

// Lays out argc, argv, envp, the auxiliary vector and the strings at the top
// of the stack (System V ABI, 3.4.1); returns the initial rsp. The stack's
// region is as large as RLIMIT_STACK (stack_limit) allows, and at least
// as large as what is put on it, as Linux's: a program that needs more
// faults at its end (SIGSEGV).
ErrorOr<u64> build_stack(Image& image, const ProgramArguments& args, StringView path,
                         u64 stack_limit) {
    struct Aux {
        u64 key, value;
    };
    constexpr usize aux_count = 15;
    const usize strings_size = args.bytes + path.length() + 1 + 16;
    const u64 info_start = (stack_top - strings_size) & ~u64{15};
    const usize words = 1 + args.argc + 1 + args.envc + 1 + 2 * aux_count;
    const u64 sp = (info_start - words * 8) & ~u64{15};
    const usize block_size = stack_top - sp;
    const u64 limit = min(stack_limit, user_layout::max_stack_size) & ~(page_size - 1);
    const u64 size = max(limit, (block_size + page_size - 1) & ~(page_size - 1));
    TRY(image.space->add_stack_region(
        stack_top - size, ProtRead | ProtWrite | (image.executable_stack ? ProtExec : 0)));
    KBuffer block_storage = TRY(KBuffer::try_create(block_size, true));
    u8* block = block_storage.data();
    auto* words_at = reinterpret_cast<u64*>(block);
    u8* info = block + (info_start - sp);
    // Strings: argv and envp as given, then the file name, then 16 random bytes.
    __builtin_memcpy(info, args.strings(), args.bytes);
    __builtin_memcpy(info + args.bytes, path.data(), path.length());
    const u64 execfn = info_start + args.bytes;
    const u64 random = execfn + path.length() + 1;
    random::fill(info + args.bytes + path.length() + 1, 16); // the C library's stack canary
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
    TRY(write_to_image(image, sp, block, block_size));
    // The strings begin at info_start: argv's, then envp's.
    u64 env_start = info_start;
    for (usize i = 0; i < args.argc; ++i) {
        env_start += __builtin_strlen(args.strings() + (env_start - info_start)) + 1;
    }
    image.space->set_arguments({.arg_start = info_start,
                                .arg_end = env_start,
                                .env_start = env_start,
                                .env_end = info_start + args.bytes});
    return sp;
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
    if (mounts::info_for_device(file->device()).flags & mounts::no_exec) {
        return Error(Errno::ACCES, "its file system is mounted noexec");
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
    const u64 sp = TRY(build_stack(image, args, path, process.limits.soft(Resource::Stack)));
    {
        const KBuffer canonical = TRY(KBuffer::try_create(max_path_length));
        const usize length =
            TRY(vfs::canonical_path(path, process.cwd(), canonical.chars(), max_path_length));
        image.space->set_executable(TRY(MemorySymlink::create({canonical.chars(), length - 1})));
    }

    // Commit: from here on nothing can fail. The other threads go first
    // (they run in the memory about to go). If another thread is already
    // ending the group, this one has SIGKILL pending and dies on its way
    // out: the error is never seen.
    const bool own = Process::current() == &process;
    if (own && !process.become_single_threaded()) {
        return Error(Errno::INTR, "another thread is ending the process");
    }
    image.space->set_initial_break(image.highest_end);
    if (own) {
        process.before_releasing_memory();
    }
    process.replace_user_space(move(image.space));
    process.after_releasing_memory();
    process.fds().close_on_exec();
    Thread* thread = own ? Scheduler::current() : process.first_thread();
    thread->fs_base = 0; // no TLS until the new program sets one
    thread->user.altstack_sp = thread->user.altstack_size = 0; // nor an alternate stack
    thread->user.altstack_flags = signals::SS_DISABLE;
    thread->reset_fpu_state(own);
    if (own) {
        cpu::wrmsr(cpu_local::msr_fs_base, 0);
    }
    {
        // POSIX timers do not survive exec (Linux deletes them); the
        // interval timers (alarm, setitimer) do.
        SpinlockGuard guard(Process::table_lock());
        process.timers.delete_posix_timers();
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
    // A whole new context: it leaves by iretq, which loads every register
    // from the frame (0), where sysret would hand the program its entry
    // address in rcx and the flags in r11 (Linux's execve returns by iret).
    frame.vector = InterruptFrame::restored_context;
    return {};
}

} // namespace

ErrorOr<void> exec(Process& process, StringView path, const ProgramArguments& arguments,
                   InterruptFrame& frame) {
    return exec_nested(process, path, arguments, frame, 0);
}

void Process::replace_user_space(RefPtr<UserSpace> space) {
    RefPtr<UserSpace> old;
    {
        // The scheduler loads the space of the process it switches to.
        SpinlockGuard guard(table_lock());
        old = move(m_user_space);
        m_user_space = move(space);
        if (current() == this) {
            m_user_space->activate();
        }
    }
    // `old` goes here, with no lock held: its last reference releases it.
}

} // namespace kite
