// system_calls.cpp: the machine as a whole: sysinfo, getcpu, reboot,
// syslog (klogctl), sethostname and setdomainname.
#include "api/system_info.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/power.h"
#include "console/console.h"
#include "console/kernel_log.h"
#include "lib/kbuffer.h"
#include "mm/physical.h"
#include "proc/host_names.h"
#include "proc/process.h"
#include "sched/load_average.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

using namespace abi;

SyscallResult sys_sysinfo(const SyscallArguments& args) {
    SysInfo info{};
    // Whole seconds, a started one counted, as Linux's do_sysinfo.
    const u64 now = clock::monotonic_ns();
    info.uptime = static_cast<i64>((now + 999'999'999) / 1'000'000'000);
    const load_average::Averages loads = load_average::averages();
    for (usize i = 0; i < 3; ++i) {
        info.loads[i] = loads.fixed[i] << (SI_LOAD_SHIFT - load_average::fraction_bits);
    }
    const physical::Stats memory = physical::stats();
    info.totalram = memory.managed_frames * page_size;
    info.freeram = memory.free_frames * page_size;
    info.mem_unit = 1;
    // Linux counts every thread, the kernel's included.
    info.procs = static_cast<u16>(Scheduler::stats().threads);
    TRY(write_user({args.a0}, info));
    return 0;
}

// The CPU the caller runs on (it may have moved by the time it looks), one
// NUMA node; either pointer may be null. The third argument (a cache) has
// been unused since Linux 2.6.24.
SyscallResult sys_getcpu(const SyscallArguments& args) {
    if (args.a0) {
        TRY(write_user<u32>({args.a0}, cpu_local::id()));
    }
    if (args.a1) {
        TRY(write_user<u32>({args.a1}, 0));
    }
    return 0;
}

// Everything runs as root, so no EPERM. Ctrl-Alt-Del has no action of its
// own in Kite, so CAD_ON and CAD_OFF only succeed.
SyscallResult sys_reboot(const SyscallArguments& args) {
    const u32 magic1 = static_cast<u32>(args.a0);
    const u32 magic2 = static_cast<u32>(args.a1);
    if (magic1 != LINUX_REBOOT_MAGIC1 ||
        (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
         magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C)) {
        return Error(Errno::INVAL, "bad reboot magic");
    }
    switch (static_cast<u32>(args.a2)) {
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;
    case LINUX_REBOOT_CMD_POWER_OFF:
        kprintln("reboot: Power down");
        power::power_off();
    case LINUX_REBOOT_CMD_RESTART:
    case LINUX_REBOOT_CMD_RESTART2:
        kprintln("reboot: Restarting system");
        power::reset();
    case LINUX_REBOOT_CMD_HALT:
        kprintln("reboot: System halted");
        cpu::halt_forever();
    default:
        return Error(Errno::INVAL, "unknown reboot command");
    }
}

namespace {

// Linux's minimum_console_loglevel, and what CONSOLE_ON puts back (-1: none).
constexpr int minimum_console_level = 1;
int saved_console_level = -1;

// READ, READ_ALL and READ_CLEAR: copied aside under the console lock, then
// out to the caller.
SyscallResult read_log(i32 action, u64 buffer, i32 length) {
    if (buffer == 0 || length < 0) {
        return Error(Errno::INVAL, "syslog: no buffer");
    }
    if (length == 0) {
        return 0;
    }
    if (action == SYSLOG_ACTION_READ) {
        // Waits for a message. The log has no wait queue (messages come
        // from any context, the scheduler's own included), so this looks
        // again every 20 ms.
        while (console::log_unread() == 0) {
            if (Scheduler::sleep_interruptible_ns(20'000'000) == WaitResult::Interrupted) {
                return Error(Errno::RESTARTSYS, "interrupted by a signal");
            }
        }
    }
    KBuffer aside =
        TRY(KBuffer::try_create(min<usize>(static_cast<usize>(length), KernelLog::capacity)));
    char* bytes = reinterpret_cast<char*>(aside.data());
    const usize count = action == SYSLOG_ACTION_READ ? console::log_read_unread(bytes, aside.size())
                                                     : console::log_copy_all(bytes, aside.size());
    if (action == SYSLOG_ACTION_READ_CLEAR) {
        console::log_clear();
    }
    TRY(copy_to_user({buffer}, bytes, count));
    return static_cast<i64>(count);
}

} // namespace

SyscallResult sys_syslog(const SyscallArguments& args) {
    const i32 action = static_cast<i32>(args.a0);
    const i32 length = static_cast<i32>(args.a2);
    switch (action) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
        return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR:
        return read_log(action, args.a1, length);
    case SYSLOG_ACTION_CLEAR:
        console::log_clear();
        return 0;
    case SYSLOG_ACTION_CONSOLE_OFF:
        if (saved_console_level == -1) {
            saved_console_level = console::console_level();
        }
        console::set_console_level(minimum_console_level);
        return 0;
    case SYSLOG_ACTION_CONSOLE_ON:
        if (saved_console_level != -1) {
            console::set_console_level(saved_console_level);
            saved_console_level = -1;
        }
        return 0;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
        if (length < 1 || length > 8) {
            return Error(Errno::INVAL, "console level out of 1..8");
        }
        console::set_console_level(max(length, minimum_console_level));
        saved_console_level = -1;
        return 0;
    case SYSLOG_ACTION_SIZE_UNREAD:
        return static_cast<i64>(console::log_unread());
    case SYSLOG_ACTION_SIZE_BUFFER:
        return static_cast<i64>(KernelLog::capacity);
    default:
        return Error(Errno::INVAL, "unknown syslog action");
    }
}

namespace {

// sethostname and setdomainname: the length is an int, EINVAL if negative
// or above 64; the bytes need no NUL.
SyscallResult set_name(u64 address, u64 raw_length, ErrorOr<void> (*set)(StringView)) {
    const i32 length = static_cast<i32>(raw_length);
    if (length < 0 || static_cast<usize>(length) > host_names::max_length) {
        return Error(Errno::INVAL, "name longer than 64 bytes");
    }
    char name[host_names::max_length];
    TRY(copy_from_user(name, {address}, static_cast<usize>(length)));
    TRY(set(StringView(name, static_cast<usize>(length))));
    return 0;
}

} // namespace

SyscallResult sys_sethostname(const SyscallArguments& args) {
    return set_name(args.a0, args.a1, host_names::set_host);
}

SyscallResult sys_setdomainname(const SyscallArguments& args) {
    return set_name(args.a0, args.a1, host_names::set_domain);
}

} // namespace kite
