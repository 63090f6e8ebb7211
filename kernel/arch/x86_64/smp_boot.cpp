// smp_boot.cpp: see smp_boot.h. The trampoline and its page tables occupy
// four pages at 0x8000-0xBFFF, in conventional memory the frame allocator
// never hands out (it keeps the first MiB for the BIOS's areas):
//   0x8000  the trampoline's code, GDT and parameter block
//   0x9000  its PML4: entry 0 -> 0xA000, entries 256-511 the kernel's own
//   0xA000  a PDPT whose entry 0 -> 0xB000
//   0xB000  a PD whose entry 0 maps 0-2 MiB as one large page
// CPUs start one at a time, so one parameter block serves them all.
#include "arch/x86_64/smp_boot.h"

#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/cpu_timer.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/local_apic.h"
#include "arch/x86_64/page_table.h"
#include "arch/x86_64/stacks.h"
#include "boot/boot_info.h"
#include "console/console.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/kernel_stack.h"
#include "sched/scheduler.h"
#include "time/clock.h"

extern "C" const kite::u8 ap_trampoline_start[];
extern "C" const kite::u8 ap_trampoline_end[];
extern "C" const kite::u8 ap_trampoline_parameters[];
extern "C" void ap_higher_half();

namespace kite::smp_boot {

namespace {

// What ap_trampoline.asm reads, at ap_trampoline_parameters.
struct [[gnu::packed]] TrampolineParameters {
    u32 cr3; // the trampoline PML4
    u32 cpu;
    u64 stack_top;
    u64 cpu_local;
    u64 kernel_cr3;
    u64 entry;
};
static_assert(sizeof(TrampolineParameters) == 40);

constexpr u64 trampoline_base = 0x8000; // STARTUP page 8: ap_trampoline.asm's TRAMPOLINE_BASE
constexpr u8 startup_page = trampoline_base / page_size;
constexpr u64 trampoline_pml4 = 0x9000;
constexpr u64 trampoline_pdpt = 0xA000;
constexpr u64 trampoline_pd = 0xB000;
constexpr u64 trampoline_end = 0xC000;

// Intel's start-up sequence (SDM vol. 3, 9.4.4): INIT, 10 ms, STARTUP,
// 200 us, STARTUP again if the CPU has not started. Then a generous wait,
// as under TCG a virtual CPU may not run for a while on a busy host.
constexpr u64 after_init_ns = 10'000'000;
constexpr u64 after_startup_ns = 200'000;
constexpr u64 answer_timeout_ns = 5'000'000'000;

// Each started CPU's stacks: the one ap_main runs on (the idle loop's) and
// the three IST stacks. They live as long as the kernel.
struct Stacks {
    OwnPtr<KernelStack> main;
    OwnPtr<KernelStack> ist[3];
};
Stacks stacks[max_cpus];

// Copied to every CPU: paging, WP, protections and FPU/SSE bits as the
// boot CPU set them.
u64 boot_cr0 = 0;
u64 boot_cr4 = 0;
const acpi::MadtInfo* machine = nullptr;
u32 not_started = 0;

void wait_ns(u64 ns) {
    const u64 start = clock::monotonic_ns();
    while (clock::monotonic_ns() - start < ns) {
        cpu::pause();
    }
}

// Whether [trampoline_base, trampoline_end) is RAM no boot module uses.
bool low_pages_free() {
    const BootInfo& info = boot_info();
    bool in_ram = false;
    for (usize i = 0; i < info.memory_map_count; ++i) {
        const MemoryRegion& region = info.memory_map[i];
        const bool covers =
            region.base <= trampoline_base && region.base + region.length >= trampoline_end;
        if (region.type == static_cast<u32>(MemoryType::Available) && covers) {
            in_ram = true;
        } else if (region.type != static_cast<u32>(MemoryType::Available) &&
                   region.base < trampoline_end && region.base + region.length > trampoline_base) {
            return false;
        }
    }
    for (usize i = 0; i < info.module_count; ++i) {
        if (info.modules[i].start < trampoline_end && info.modules[i].end > trampoline_base) {
            return false;
        }
    }
    return in_ram;
}

void install_trampoline() {
    const usize length = static_cast<usize>(ap_trampoline_end - ap_trampoline_start);
    static_assert(trampoline_pml4 - trampoline_base == page_size);
    VERIFY(length <= page_size);
    __builtin_memcpy(phys_to_virt<u8>(PhysAddr(trampoline_base)), ap_trampoline_start, length);

    auto* pml4 = phys_to_virt<PageTable>(PhysAddr(trampoline_pml4));
    auto* pdpt = phys_to_virt<PageTable>(PhysAddr(trampoline_pdpt));
    auto* pd = phys_to_virt<PageTable>(PhysAddr(trampoline_pd));
    *pml4 = PageTable{};
    *pdpt = PageTable{};
    *pd = PageTable{};
    const u64 table = PagePresent | PageWritable;
    pml4->entries[0] = PageTableEntry::make(PhysAddr(trampoline_pdpt), table);
    pdpt->entries[0] = PageTableEntry::make(PhysAddr(trampoline_pd), table);
    pd->entries[0] = PageTableEntry::make(PhysAddr(0), table | PageHuge);
    const auto* kernel = phys_to_virt<PageTable>(AddressSpace::kernel().pml4());
    for (usize i = PageTable::entry_count / 2; i < PageTable::entry_count; ++i) {
        pml4->entries[i] = kernel->entries[i];
    }
}

TrampolineParameters& parameters() {
    const u64 offset = static_cast<u64>(ap_trampoline_parameters - ap_trampoline_start);
    return *phys_to_virt<TrampolineParameters>(PhysAddr(trampoline_base + offset));
}

ErrorOr<void> allocate(OwnPtr<KernelStack>& stack) {
    if (!stack) {
        KernelStack created = TRY(KernelStack::create());
        stack = TRY(try_make<KernelStack>(move(created)));
    }
    return {};
}

// Kept when a CPU does not answer: the next one takes its place and stacks.
ErrorOr<void> allocate_stacks(Stacks& s) {
    TRY(allocate(s.main));
    for (OwnPtr<KernelStack>& ist : s.ist) {
        TRY(allocate(ist));
    }
    return {};
}

// Starts the CPU with this APIC ID as CPU `id`; true once it is online.
bool start(u32 apic_id, u32 id) {
    TrampolineParameters& p = parameters();
    p.cr3 = static_cast<u32>(trampoline_pml4);
    p.cpu = id;
    p.stack_top = stacks[id].main->top();
    p.cpu_local = reinterpret_cast<u64>(&cpu_local::of(id));
    p.kernel_cr3 = AddressSpace::kernel().pml4().value();
    p.entry = reinterpret_cast<u64>(ap_higher_half);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    const auto started = [id] { return cpu_local::online() > id; };
    local_apic::send_init(apic_id);
    if (!local_apic::wait_for_delivery()) {
        return false;
    }
    wait_ns(after_init_ns);
    for (int attempt = 0; attempt < 2 && !started(); ++attempt) {
        local_apic::send_startup(apic_id, startup_page);
        (void)local_apic::wait_for_delivery();
        wait_ns(after_startup_ns);
    }
    const u64 begin = clock::monotonic_ns();
    while (!started() && clock::monotonic_ns() - begin < answer_timeout_ns) {
        cpu::pause();
    }
    if (!started()) {
        // Back to waiting for a STARTUP: it must not wake later on the
        // parameters of the next CPU.
        local_apic::send_init(apic_id);
        (void)local_apic::wait_for_delivery();
        return false;
    }
    return true;
}

} // namespace

void start_application_processors(const acpi::MadtInfo& madt) {
    machine = &madt;
    const u32 boot_apic_id = local_apic::id();
    cpu_local::of(0).apic_id = boot_apic_id;
    if (madt.cpu_count <= 1) {
        kprintln("smp: one CPU");
        return;
    }
    if (!low_pages_free()) {
        kprintln("smp: {:#x}-{:#x} is not free RAM; the other CPUs are left off", trampoline_base,
                 trampoline_end);
        not_started = static_cast<u32>(madt.cpu_count - 1);
        return;
    }
    install_trampoline();
    boot_cr0 = cpu::read_cr0();
    boot_cr4 = cpu::read_cr4();
    u32 next = 1;
    for (usize i = 0; i < madt.cpu_count; ++i) {
        const u32 apic_id = madt.cpus[i].apic_id;
        if (apic_id == boot_apic_id) {
            continue;
        }
        if (next == max_cpus || apic_id > 0xFF) {
            kprintln("smp: CPU with APIC ID {} left off ({})", apic_id,
                     next == max_cpus ? "Kite runs at most 16" : "needs x2APIC");
            ++not_started;
            continue;
        }
        if (auto allocated = allocate_stacks(stacks[next]); allocated.is_error()) {
            kprintln("smp: no stacks for another CPU: {}", allocated.error().what());
            ++not_started;
            continue;
        }
        if (!start(apic_id, next)) {
            kprintln("smp: CPU with APIC ID {} did not answer; left off", apic_id);
            ++not_started;
            continue;
        }
        ++next;
    }
    kprintln("smp: {} CPUs online{}", cpu_local::online(),
             not_started ? " (some left off, see above)" : "");
}

u32 left_off() {
    return not_started;
}

} // namespace kite::smp_boot

// An application processor's first C++, on its main stack with the GS base
// set (ap_trampoline.asm). Interrupts are off until it is online.
extern "C" [[noreturn]] void ap_main(kite::u32 id) {
    using namespace kite;
    cpu::write_cr0(smp_boot::boot_cr0);
    cpu::write_cr4(smp_boot::boot_cr4);
    fpu::restore(fpu::initial_state());
    const smp_boot::Stacks& own = smp_boot::stacks[id];
    const gdt::StackBounds ist[3] = {
        {own.ist[0]->bottom(), own.ist[0]->top()},
        {own.ist[1]->bottom(), own.ist[1]->top()},
        {own.ist[2]->bottom(), own.ist[2]->top()},
    };
    gdt::init(id, ist);
    idt::load();
    CpuLocal& local = cpu_local::of(id);
    cpu_local::init(local, id);
    local.apic_id = local_apic::id();
    local.loaded_space = &AddressSpace::kernel(); // the trampoline loaded it
    local_apic::enable_this_cpu(acpi::lint_is_nmi(*smp_boot::machine, local.apic_id, 1));
    Scheduler::init_this_cpu(own.main->top());
    cpu_local::mark_online();
    cpu_timer::start_this_cpu();
    // This code is the CPU's idle thread now: it halts until an interrupt
    // (its tick, or an IPI; the I/O APIC sends device interrupts to the
    // boot CPU), whose way out switches to a thread if one is waiting.
    // sti's one-instruction delay means no interrupt slips in before hlt.
    for (;;) {
        asm volatile("sti; hlt" : : : "memory");
    }
}
