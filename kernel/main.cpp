// main.cpp: kernel_main, where the C++ kernel starts (boot.asm calls it after
// the global constructors) and the order in which the kernel comes up.
#include "acpi/acpi.h"
#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/cpu_timer.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/kernel_map.h"
#include "arch/x86_64/local_apic.h"
#include "arch/x86_64/protections.h"
#include "arch/x86_64/smp_boot.h"
#include "arch/x86_64/smp_call.h"
#include "bench/kbench.h"
#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/stack_protector.h"
#include "dev/ata/ata.h"
#include "dev/pci.h"
#include "dev/virtio/virtio_blk.h"
#include "fs/boot_disk.h"
#include "fs/root_disk.h"
#include "fs/timerfd.h"
#include "fs/vfs.h"
#include "fs/writeback.h"
#include "interrupts/irq.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "monitor/monitor.h"
#include "proc/exec.h"
#include "proc/process.h"
#include "proc/process_timers.h"
#include "proc/user_tests.h"
#include "random/random.h"
#include "sched/scheduler.h"
#include "syscalls/syscall.h"
#include "tests/ktest.h"
#include "time/clock.h"
#include "tty/console_tty.h"

using namespace kite;

namespace {

// Sizes as people read them: 639 KiB, 127 MiB, 4 GiB.
void print_size(u64 bytes) {
    if (bytes >= 4 * GiB && bytes % GiB == 0) {
        kprint("{} GiB", bytes / GiB);
    } else if (bytes >= 4 * MiB) {
        kprint("{} MiB", bytes / MiB);
    } else if (bytes >= 4 * KiB) {
        kprint("{} KiB", bytes / KiB);
    } else {
        kprint("{} bytes", bytes);
    }
}

void print_banner() {
    const BootInfo& info = boot_info();
    console::set_style(console::Style::Warning);
    kprintln("Kite {} (x86_64) - booted by {}", KITE_VERSION,
             info.bootloader_name[0] ? info.bootloader_name : "an unnamed loader");
    console::set_style(console::Style::Normal);
    kprintln("command line: \"{}\"", kernel_command_line());

    kprintln("memory map ({} entries):", info.memory_map_count);
    u64 usable = 0;
    for (usize i = 0; i < info.memory_map_count; ++i) {
        const MemoryRegion& region = info.memory_map[i];
        kprint("  {:#018x}-{:#018x} {:>10} ", region.base, region.base + region.length - 1,
               memory_type_name(region.type));
        print_size(region.length);
        kprintln("");
        if (region.type == static_cast<u32>(MemoryType::Available)) {
            usable += region.length;
        }
    }
    if (info.memory_map_dropped > 0) {
        kprintln("  ({} more entries not kept)", info.memory_map_dropped);
    }
    kprint("usable memory: ");
    print_size(usable);
    kprintln(" ({} bytes)", usable);
    kprintln("boot information: {:#x}-{:#x} ({} bytes)", boot_info_address().value(),
             boot_info_address().value() + info.total_size, info.total_size);
    for (usize i = 0; i < info.module_count; ++i) {
        const BootModule& module = info.modules[i];
        kprintln("module \"{}\": {:#x}-{:#x} ({} bytes)", module.name, module.start, module.end,
                 module.end - module.start);
    }
}

// Runs the first process: init= from the command line, else /sbin/init,
// from / (the initrd, or the disk root= names). When it exits, the kernel
// monitor takes the console.
void run_init() {
    const StringView path = root_disk::init_program();
    if (vfs::resolve(path, vfs::root()).is_error()) {
        kprintln("no {} on /", path);
        return;
    }
    char path_copy[256];
    const StringView program = format_to(path_copy, sizeof(path_copy), "{}", path);
    const char* argv[] = {path_copy, nullptr};
    const char* envp[] = {"PATH=/bin:/usr/bin", "HOME=/", "TERM=linux", nullptr};
    auto arguments = make_arguments(argv, envp);
    if (arguments.is_error()) {
        return;
    }
    auto init = Process::spawn(program, arguments.value());
    if (init.is_error()) {
        kprintln("cannot start {}: {}", program, init.error().what());
        return;
    }
    const int status = Process::wait_and_reap(init.value());
    kprintln("{} exited with wait status {:#x}", program, status);
}

// The application processors, when the interrupts go through the APICs
// (irq::init chose them) and the MADT lists more than this CPU.
void start_other_cpus() {
    smp_call::init();
    const acpi::MadtInfo* madt = acpi::madt();
    if (!madt || !local_apic::enabled_here()) {
        kprintln("smp: one CPU (no local APIC in use)");
        return;
    }
    cpu_timer::calibrate([](bool in_user_mode) {
        Scheduler::tick(in_user_mode);
        process_timers::charge_tick(in_user_mode);
    });
    smp_boot::start_application_processors(*madt);
}

} // namespace

extern "C" [[noreturn]] void kernel_main(u32 multiboot_magic, u32 multiboot_info) {
    console::init();
    gdt::init_boot_cpu();
    cpu_local::init(cpu_locals[0], 0);
    idt::init();
    // The canary, as early as a failure can be reported. Every function
    // entered so far has returned; kernel_main never does (so its own
    // canary, if it has one, is never checked).
    random::seed_early();
    stack_protector::init();
    kernel_map::init();
    load_boot_info(multiboot_magic, PhysAddr(multiboot_info));
    print_banner();
    protections::init();
    physical::init(boot_info());
    AddressSpace::init_kernel();
    StringView heap_debug_option;
    heap_init(command_line_option(kernel_command_line(), "kite.heap_debug", heap_debug_option) &&
              heap_debug_option != "0");
    physical::print_stats();
    fpu::init();
    Scheduler::init();
    acpi::init(boot_info()); // before irq::init, which reads the MADT
    irq::init();
    clock::init();
    clock::set_tick_hook([](bool in_user_mode) {
        Scheduler::tick(in_user_mode);
        process_timers::tick(in_user_mode);
        timerfd::tick();
    });
    console_tty::init();
    syscalls_init();
    start_other_cpus();
    vfs::init(boot_info());
    pci::init();
    cpu::enable_interrupts();
    virtio_blk::probe(); // with interrupts on: reading the partition tables waits for them
    ata::probe();
    root_disk::mount(); // before kite.mnt's disk, which must not be the root's again
    boot_disk::mount();
    writeback::start_flusher();
    random::init(); // with the timer running: its interrupts add to the jitter

    StringView selection;
    if (command_line_option(kernel_command_line(), "kite.test", selection)) {
        ktest::run(selection);
    }
    if (command_line_option(kernel_command_line(), "kite.bench", selection)) {
        kbench::run(selection);
    }
    if (command_line_option(kernel_command_line(), "kite.utest", selection)) {
        user_tests::run(selection);
    }
    if (command_line_option(kernel_command_line(), "kite.ubench", selection)) {
        user_tests::run_benchmarks(selection);
    }
    kprintln("Kite is up.");
    run_init();
    monitor::run();
}
