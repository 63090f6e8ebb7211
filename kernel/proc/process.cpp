// process.cpp: see process.h.
#include "proc/process.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/interrupt_guard.h"
#include "console/console.h"
#include "debug/panic.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/exec.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

Process* all_processes = nullptr;
i32 next_pid = 1;

u64 page_down(u64 v) {
    return v & ~(page_size - 1);
}

void release_range(AddressSpace& space, u64 start, u64 end) {
    for (u64 page = start; page < end; page += page_size) {
        auto frame = space.unmap(VirtAddr(page));
        if (!frame.is_error()) {
            physical::free(frame.value());
        }
    }
}

// What the new process's thread runs first: exec the program into the frame
// reserved at the top of its kernel stack, then leave for user mode.
struct SpawnRequest {
    Process* process;
    char path[256];
    ProgramArguments arguments;
};

void start_user_thread(void* argument) {
    auto* request = static_cast<SpawnRequest*>(argument);
    Process* process = request->process;
    auto* frame = reinterpret_cast<InterruptFrame*>(process->thread()->kernel_stack_top() -
                                                    sizeof(InterruptFrame));
    auto result = exec(*process, request->path, request->arguments, *frame);
    if (result.is_error()) {
        kprintln("kite: cannot run {}: {}", request->path, result.error().what());
    }
    kfree(request->arguments.strings);
    delete request;
    if (result.is_error()) {
        process->exit(127 << 8);
    }
    return_to_user(frame);
}

// Linux signal numbers for the faults user code can cause.
constexpr int SIGILL = 4;
constexpr int SIGTRAP = 5;
constexpr int SIGBUS = 7;
constexpr int SIGFPE = 8;
constexpr int SIGSEGV = 11;

const char* signal_name(int signal) {
    switch (signal) {
    case SIGILL:
        return "SIGILL";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGSEGV:
        return "SIGSEGV";
    }
    return "signal";
}

} // namespace

MapFlags map_flags_for(u32 protection) {
    MapFlags flags = MapFlags::User;
    if (protection & ProtWrite) {
        flags = flags | MapFlags::Writable;
    }
    if (protection & ProtExec) {
        flags = flags | MapFlags::Executable;
    }
    return flags;
}

void Process::set_name(StringView name) {
    const usize n = min(name.length(), name_size - 1);
    __builtin_memcpy(m_name, name.data(), n);
    m_name[n] = '\0';
}

Process* Process::current() {
    Thread* thread = Scheduler::current();
    return thread ? thread->process() : nullptr;
}

Process* Process::find(i32 pid) {
    for (Process* p = all_processes; p; p = p->m_next) {
        if (p->m_pid == pid) {
            return p;
        }
    }
    return nullptr;
}

ErrorOr<Process*> Process::spawn(StringView path, const ProgramArguments& arguments) {
    auto* process = new Process();
    if (!process) {
        return Error(Errno::NOMEM, "out of memory");
    }
    OwnPtr<Process> owner = OwnPtr<Process>::adopt(process);
    process->m_address_space = TRY(AddressSpace::create());
    process->m_memory = TRY(try_make<MemoryMap>());
    process->m_cwd = vfs::root();
    RefPtr<Vnode> console = TRY(vfs::resolve("/dev/console", vfs::root()));
    auto file = TRY(try_make_ref<OpenFile>(console, O_RDWR));
    for (int fd = 0; fd < 3; ++fd) {
        TRY(process->m_fds.install(file, false));
    }
    auto* request = new SpawnRequest{process, {}, {}};
    if (!request || path.length() >= sizeof(request->path)) {
        delete request;
        return Error(request ? Errno::NAMETOOLONG : Errno::NOMEM, "cannot spawn");
    }
    __builtin_memcpy(request->path, path.data(), path.length());
    request->path[path.length()] = '\0';
    request->arguments = arguments;
    request->arguments.strings = static_cast<char*>(kmalloc(arguments.bytes + 1));
    if (!request->arguments.strings) {
        delete request;
        return Error(Errno::NOMEM, "out of memory");
    }
    __builtin_memcpy(request->arguments.strings, arguments.strings, arguments.bytes);
    process->set_name(path);
    process->m_pid = next_pid++;
    // The thread's kernel stack keeps room at its top for the user frame.
    auto thread = Thread::create(process->m_name, start_user_thread, request, process);
    if (thread.is_error()) {
        kfree(request->arguments.strings);
        delete request;
        return thread.release_error();
    }
    process->m_thread = thread.value();
    InterruptGuard guard;
    process->m_next = all_processes;
    all_processes = process;
    return owner.leak();
}

void Process::replace_memory(OwnPtr<AddressSpace> space, OwnPtr<MemoryMap> memory) {
    OwnPtr<AddressSpace> old = move(m_address_space);
    OwnPtr<MemoryMap> old_memory = move(m_memory);
    m_address_space = move(space);
    m_memory = move(memory);
    if (current() == this) {
        m_address_space->activate();
    }
    if (old && old_memory) {
        release_image(*old, *old_memory);
    }
}

void Process::release_image(AddressSpace& space, const MemoryMap& memory) {
    for (usize i = 0; i < memory.count(); ++i) {
        release_range(space, memory[i].start, memory[i].end);
    }
}

void Process::release_pages(u64 start, u64 end) {
    release_range(*m_address_space, start, end);
}

bool Process::handle_page_fault(u64 address, bool write, bool execute) {
    const Region* region = m_memory->find(address);
    if (!region) {
        return false;
    }
    if ((write && !(region->protection & ProtWrite)) ||
        (execute && !(region->protection & ProtExec)) ||
        (!write && !execute && region->protection == ProtNone)) {
        return false;
    }
    const VirtAddr page(page_down(address));
    if (!m_address_space->translate(page).is_error()) {
        return false; // present: a protection fault, not a missing page
    }
    auto frame = physical::allocate_zeroed();
    if (frame.is_error()) {
        return false; // out of memory: the access fails
    }
    if (m_address_space->map(page, frame.value(), map_flags_for(region->protection)).is_error()) {
        physical::free(frame.value());
        return false;
    }
    return true;
}

void Process::exit(int wait_status) {
    VERIFY(current() == this);
    m_fds.close_all();
    m_cwd.clear();
    // Detach the address space before tearing it down: if this thread is
    // preempted meanwhile, the scheduler must not load it again.
    OwnPtr<AddressSpace> space;
    {
        InterruptGuard guard;
        space = move(m_address_space);
        AddressSpace::kernel().activate();
    }
    release_image(*space, *m_memory);
    m_memory.reset();
    space.reset();
    {
        InterruptGuard guard;
        m_wait_status = wait_status;
        m_state = ProcessState::Zombie;
        m_exited.wake_all();
    }
    Scheduler::exit_current();
}

int Process::wait_and_reap(Process* process) {
    {
        InterruptGuard guard;
        while (process->m_state != ProcessState::Zombie) {
            process->m_exited.wait();
        }
        Process** link = &all_processes;
        while (*link != process) {
            link = &(*link)->m_next;
        }
        *link = process->m_next;
    }
    // The thread may still be switching away from its last instant; let it.
    Scheduler::yield();
    const int status = process->m_wait_status;
    delete process;
    return status;
}

void Process::handle_user_exception(InterruptFrame& frame, u64 cr2) {
    Process* process = current();
    VERIFY(process != nullptr);
    int signal = SIGSEGV;
    switch (static_cast<ExceptionVector>(frame.vector)) {
    case ExceptionVector::PageFault: {
        const bool write = frame.error_code & 2;
        const bool execute = frame.error_code & 16;
        cpu::enable_interrupts();
        if (!(frame.error_code & 1) && process->handle_page_fault(cr2, write, execute)) {
            return;
        }
        signal = SIGSEGV;
        break;
    }
    case ExceptionVector::DivideError:
    case ExceptionVector::X87FloatingPoint:
    case ExceptionVector::SimdFloatingPoint:
        signal = SIGFPE;
        break;
    case ExceptionVector::InvalidOpcode:
        signal = SIGILL;
        break;
    case ExceptionVector::Breakpoint:
    case ExceptionVector::Debug:
        signal = SIGTRAP;
        break;
    case ExceptionVector::AlignmentCheck:
        signal = SIGBUS;
        break;
    default:
        signal = SIGSEGV;
        break;
    }
    cpu::enable_interrupts();
    kprintln("kite: pid {} ({}) killed by {}: {} at rip {:#x}{}", process->pid(), process->name(),
             signal_name(signal), exception_name(frame.vector), frame.rip, "");
    if (static_cast<ExceptionVector>(frame.vector) == ExceptionVector::PageFault) {
        kprintln("      address {:#x}", cr2);
    }
    process->exit(signal);
}

// From return_to_user: the frame's RIP is not a user address. Leaving
// through it would fault in ring 0, so the process dies here.
extern "C" [[noreturn]] void user_return_to_bad_address(InterruptFrame* frame) {
    cpu::enable_interrupts();
    Process* process = Process::current();
    VERIFY(process != nullptr);
    kprintln("kite: pid {} ({}) killed by SIGSEGV: return to non-canonical address {:#x}",
             process->pid(), process->name(), frame->rip);
    process->exit(SIGSEGV);
}

bool Process::resolve_kernel_fault_on_user_address(u64 address, bool write) {
    Process* process = current();
    return process && address < user_space_end && process->handle_page_fault(address, write, false);
}

} // namespace kite
