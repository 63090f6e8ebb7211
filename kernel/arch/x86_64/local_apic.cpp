// local_apic.cpp: see local_apic.h. Register offsets and bits are the Intel
// SDM's (volume 3, chapter 11, "Advanced Programmable Interrupt Controller").
#include "arch/x86_64/local_apic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/mmio.h"

#include <cpuid.h>

namespace kite::local_apic {

namespace {

constexpr u32 msr_apic_base = 0x1B;
constexpr u64 apic_base_global_enable = 1u << 11;
constexpr u64 apic_base_x2apic = 1u << 10;

constexpr u64 reg_id = 0x20;
constexpr u64 reg_task_priority = 0x80;
constexpr u64 reg_eoi = 0xB0;
constexpr u64 reg_spurious = 0xF0;
constexpr u64 reg_in_service = 0x100; // 8 registers of 32 bits, 16 bytes apart
constexpr u64 reg_error_status = 0x280;
constexpr u64 reg_icr_low = 0x300;
constexpr u64 reg_icr_high = 0x310;
constexpr u64 reg_lvt_timer = 0x320;
constexpr u64 reg_lvt_lint0 = 0x350;
constexpr u64 reg_lvt_lint1 = 0x360;
constexpr u64 reg_lvt_error = 0x370;
constexpr u64 reg_timer_initial = 0x380;
constexpr u64 reg_timer_current = 0x390;
constexpr u64 reg_timer_divide = 0x3E0;

constexpr u32 spurious_apic_enable = 1u << 8;
constexpr u32 lvt_masked = 1u << 16;
constexpr u32 lvt_timer_periodic = 1u << 17;
constexpr u32 delivery_nmi = 0x4 << 8;
constexpr u32 delivery_init = 0x5 << 8;
constexpr u32 delivery_startup = 0x6 << 8;
constexpr u32 icr_delivery_pending = 1u << 12;
constexpr u32 icr_level_assert = 1u << 14;
constexpr u32 shorthand_all_but_self = 0x3 << 18;
constexpr u32 timer_divide_by_16 = 0x3;

volatile u8* registers = nullptr;

u32 read(u64 reg) {
    return mmio::read32(registers, reg);
}
void write(u64 reg, u32 value) {
    mmio::write32(registers, reg, value);
}

void send(u32 apic_id, u32 low) {
    // The write of the low half sends it; the destination goes first.
    write(reg_icr_high, apic_id << 24);
    write(reg_icr_low, low);
}

} // namespace

ErrorOr<void> map(u64 physical) {
    u32 eax, ebx, ecx, edx;
    __cpuid(1, eax, ebx, ecx, edx);
    if (!(edx & (1u << 9))) {
        return Error(Errno::NODEV, "the CPU has no local APIC");
    }
    if (cpu::rdmsr(msr_apic_base) & apic_base_x2apic) {
        return Error(Errno::NODEV, "the local APIC is in x2APIC mode, which Kite does not drive");
    }
    registers = TRY(mmio::map(PhysAddr(physical), 4096));
    return {};
}

bool available() {
    return registers != nullptr;
}

bool enabled_here() {
    return registers && (read(reg_spurious) & spurious_apic_enable);
}

void enable_this_cpu(bool lint1_nmi) {
    cpu::wrmsr(msr_apic_base, cpu::rdmsr(msr_apic_base) | apic_base_global_enable);
    write(reg_spurious, spurious_apic_enable | spurious_vector);
    write(reg_task_priority, 0);
    write(reg_lvt_lint0, lvt_masked);
    write(reg_lvt_lint1, lint1_nmi ? delivery_nmi : lvt_masked);
    write(reg_lvt_error, lvt_masked);
    write(reg_lvt_timer, lvt_masked);
    // Clear errors left from before (the register latches on a write).
    write(reg_error_status, 0);
    write(reg_error_status, 0);
    end_of_interrupt(); // anything the firmware left in service
}

u32 id() {
    return read(reg_id) >> 24;
}

void end_of_interrupt() {
    write(reg_eoi, 0);
}

bool in_service(u8 vector) {
    return read(reg_in_service + (vector / 32) * 0x10) & (1u << (vector % 32));
}

void send_ipi(u32 apic_id, u8 vector) {
    send(apic_id, vector);
}

void send_ipi_to_others(u8 vector) {
    send(0, shorthand_all_but_self | vector);
}

void send_nmi_to_others() {
    send(0, shorthand_all_but_self | delivery_nmi);
}

void send_init(u32 apic_id) {
    send(apic_id, delivery_init | icr_level_assert);
}

void send_startup(u32 apic_id, u8 page) {
    send(apic_id, delivery_startup | page);
}

bool wait_for_delivery() {
    for (u32 i = 0; i < 1'000'000; ++i) {
        if (!(read(reg_icr_low) & icr_delivery_pending)) {
            return true;
        }
        cpu::pause();
    }
    return false;
}

void start_timer_one_shot_masked(u32 count) {
    write(reg_timer_divide, timer_divide_by_16);
    write(reg_lvt_timer, lvt_masked);
    write(reg_timer_initial, count);
}

u32 timer_current_count() {
    return read(reg_timer_current);
}

void start_timer_periodic(u8 vector, u32 count) {
    write(reg_timer_divide, timer_divide_by_16);
    write(reg_lvt_timer, lvt_timer_periodic | vector);
    write(reg_timer_initial, count);
}

void stop_timer() {
    write(reg_lvt_timer, lvt_masked);
    write(reg_timer_initial, 0);
}

} // namespace kite::local_apic
