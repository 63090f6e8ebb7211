// smp_tests.cpp: the application processors (arch/x86_64/smp_boot.h) and
// cross-CPU calls (smp_call.h). Under -smp 1 they check the one-CPU case;
// CI runs them under -smp 1, 2, 4 and 8.
#include "acpi/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/local_apic.h"
#include "arch/x86_64/smp_boot.h"
#include "arch/x86_64/smp_call.h"
#include "sync/spinlock.h"
#include "tests/ktest.h"

namespace kite {

namespace {

constexpr u32 msr_lstar = 0xC0000082;

u64 all_online_mask() {
    const u32 online = cpu_local::online();
    return online == 64 ? ~u64{0} : (u64{1} << online) - 1;
}

void record_cpu(void* argument) {
    __atomic_or_fetch(static_cast<u64*>(argument), u64{1} << cpu_local::get().id, __ATOMIC_RELAXED);
}

} // namespace

KTEST(smp_every_listed_cpu_is_online) {
    const acpi::MadtInfo* madt = acpi::madt();
    if (!madt || !local_apic::enabled_here()) {
        ktest::skip("no local APIC in use: one CPU");
        return;
    }
    KEXPECT_EQ(cpu_local::online() + smp_boot::left_off(), static_cast<u32>(madt->cpu_count));
    KEXPECT_EQ(smp_boot::left_off(), 0u); // QEMU's CPUs all answer
    // Every online CPU has its own local APIC ID.
    for (u32 a = 0; a < cpu_local::online(); ++a) {
        KEXPECT_EQ(cpu_local::of(a).id, a);
        for (u32 b = a + 1; b < cpu_local::online(); ++b) {
            KEXPECT(cpu_local::of(a).apic_id != cpu_local::of(b).apic_id);
        }
    }
}

KTEST(smp_call_runs_on_every_online_cpu) {
    const u64 before = smp_call::answered(0);
    u64 seen = 0;
    smp_call::on_every_cpu(record_cpu, &seen);
    KEXPECT_EQ(seen, all_online_mask());
    seen = 0;
    smp_call::on_every_cpu(record_cpu, &seen); // and again: the slot was freed
    KEXPECT_EQ(seen, all_online_mask());
    KEXPECT_EQ(smp_call::answered(0), before + 2);
    KEXPECT(cpu::interrupts_enabled());
}

namespace {

Spinlock counter_lock{"smp test counter", LockRank::ProcessTable};
constexpr u64 increments_per_cpu = 200'000;

struct Counter {
    u64 value = 0; // plain: only the lock makes the increments add up
    u64 started = 0;
};

void count_under_lock(void* argument) {
    auto* counter = static_cast<Counter*>(argument);
    // Start together, so the CPUs contend for the lock.
    __atomic_add_fetch(&counter->started, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&counter->started, __ATOMIC_ACQUIRE) < cpu_local::online()) {
        cpu::pause();
    }
    for (u64 i = 0; i < increments_per_cpu; ++i) {
        counter_lock.acquire();
        const u64 value = *static_cast<volatile u64*>(&counter->value);
        *static_cast<volatile u64*>(&counter->value) = value + 1;
        counter_lock.release();
    }
}

} // namespace

KTEST(smp_counter_under_a_spinlock_is_exact_on_every_cpu) {
    Counter counter;
    smp_call::on_every_cpu(count_under_lock, &counter);
    KEXPECT_EQ(counter.started, u64{cpu_local::online()});
    KEXPECT_EQ(counter.value, increments_per_cpu * cpu_local::online());
}

namespace {

struct CpuState {
    u64 gs_self;
    u64 gdt_base;
    u64 double_fault_stack;
    u64 cr0, cr4, efer, lstar;
    u32 apic_id;
    bool interrupts_were_off;
};

CpuState states[max_cpus];

void record_state(void*) {
    CpuLocal& here = cpu_local::get();
    CpuState& s = states[here.id];
    s.gs_self = cpu::rdmsr(cpu_local::msr_gs_base);
    gdt::DescriptorTablePointer pointer{};
    asm volatile("sgdt %0" : "=m"(pointer));
    s.gdt_base = pointer.base;
    s.double_fault_stack = gdt::ist_stack(gdt::Ist::DoubleFault).top;
    s.cr0 = cpu::read_cr0();
    s.cr4 = cpu::read_cr4();
    s.efer = cpu::rdmsr(cpu::msr_efer);
    s.lstar = cpu::rdmsr(msr_lstar);
    s.apic_id = local_apic::available() ? local_apic::id() : 0;
    s.interrupts_were_off = !cpu::interrupts_enabled();
}

} // namespace

// Each CPU runs on its own GDT, TSS stacks and CpuLocal, with the boot
// CPU's control registers and syscall entry.
KTEST(smp_each_cpu_has_its_own_tables_and_the_boot_cpus_settings) {
    smp_call::on_every_cpu(record_state, nullptr);
    const u32 online = cpu_local::online();
    for (u32 a = 0; a < online; ++a) {
        const CpuState& s = states[a];
        KEXPECT_EQ(s.gs_self, reinterpret_cast<u64>(&cpu_local::of(a)));
        KEXPECT_EQ(s.cr0, states[0].cr0);
        KEXPECT_EQ(s.cr4, states[0].cr4);
        KEXPECT_EQ(s.efer, states[0].efer);
        KEXPECT_EQ(s.lstar, states[0].lstar);
        KEXPECT_EQ(s.apic_id, cpu_local::of(a).apic_id);
        KEXPECT(s.double_fault_stack != 0);
        if (a != 0) {
            KEXPECT(s.interrupts_were_off); // the calls run in an IPI handler
        }
        for (u32 b = a + 1; b < online; ++b) {
            KEXPECT(s.gdt_base != states[b].gdt_base);
            KEXPECT(s.double_fault_stack != states[b].double_fault_stack);
        }
    }
}

} // namespace kite
