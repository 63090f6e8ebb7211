// dispatch.cpp: syscall_dispatch, called by syscall_entry.asm with the
// user's registers in an InterruptFrame. The number is in rax; arguments in
// rdi, rsi, rdx, r10, r8, r9; the result or -errno goes back in rax. An
// unknown number is -ENOSYS; with kite.log_enosys=1 on the command line
// each one is also reported on the console, to find what a program needs.
#include "syscalls/syscall.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/idt.h"
#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/stack_poison.h"
#include "mm/kernel_stack.h"
#include "mm/user_memory.h"
#include "proc/process.h"
#include "sched/scheduler.h"

extern "C" void syscall_entry_poisoning(); // syscall_entry.asm

namespace kite {

namespace {

using Handler = SyscallResult (*)(const SyscallArguments&);

constexpr usize table_size = 512;

struct Table {
    Handler handlers[table_size] = {};
    constexpr Table() {
#define SYSCALL(number, name) handlers[number] = sys_##name;
#include "syscalls/syscall_list.h"
#undef SYSCALL
    }
};

constexpr Table table;
SyscallStats stats;
bool log_unknown = false; // kite.log_enosys=1; set once at boot

// Out of line and cold: a call with this many arguments inlined into
// syscall_dispatch would make every system call save registers for it.
[[gnu::cold, gnu::noinline]] void report_unknown(u64 number) {
    const Process* process = Process::current();
    kprintln("enosys: pid {} ({}) called unknown system call {}", process ? process->pid() : 0,
             process ? process->name() : "kernel", number);
}

} // namespace

void syscalls_init() {
    StringView value;
    log_unknown =
        command_line_option(kernel_command_line(), "kite.log_enosys", value) && value == "1";
    if (command_line_option(kernel_command_line(), "kite.stack_poison", value) && value == "1") {
        cpu_local::use_syscall_entry(syscall_entry_poisoning);
        kprintln("stack poison: every system call runs on a kernel stack filled with {:#x}",
                 stack_poison::stack_poison_byte);
    }
    set_user_exception_handler(Process::handle_user_exception);
    idt::set_return_to_user_hook([](InterruptFrame& frame) { Process::deliver_signals(frame); });
    set_user_page_resolver(Process::resolve_kernel_fault_on_user_address);
    set_user_access_check([](u64 address, u64 length, bool write) -> u64 {
        Process* process = Process::current();
        UserSpace* space = process ? process->user_space() : nullptr;
        return space ? space->accessible_length(address, length, write) : length;
    });
}

SyscallStats syscall_stats() {
    return stats;
}

} // namespace kite

using namespace kite;

extern "C" void syscall_dispatch(InterruptFrame* frame);

// kite.stack_poison=1's dispatcher: the stack below this call is filled
// with the pattern before the handler runs in it.
extern "C" void syscall_dispatch_poisoning(InterruptFrame* frame) {
    stack_poison::fill_below(Scheduler::current()->kernel_stack_top() - kernel_stack_size,
                             cpu::read_rsp());
    syscall_dispatch(frame);
}

extern "C" void syscall_dispatch(InterruptFrame* frame) {
    ++stats.calls;
    const u64 number = frame->rax;
    if (number >= table_size || !table.handlers[number]) {
        ++stats.unknown;
        if (log_unknown) {
            report_unknown(number);
        }
        frame->rax = static_cast<u64>(-static_cast<i64>(Errno::NOSYS));
        Process::deliver_signals(*frame);
        return;
    }
    frame->error_code = number; // kept for restarting after a signal
    const SyscallArguments args{frame->rdi, frame->rsi, frame->rdx, frame->r10,
                                frame->r8,  frame->r9,  frame};
    SyscallResult result = table.handlers[number](args);
    frame->rax = result.is_error() ? static_cast<u64>(-static_cast<i64>(result.error().code()))
                                   : static_cast<u64>(result.value());
    Process::deliver_signals(*frame);
}
