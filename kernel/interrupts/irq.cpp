// irq.cpp: routes vectors 32-47 to IRQ handlers through the controller.
#include "interrupts/irq.h"

#include "acpi/acpi.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/io_apic.h"
#include "arch/x86_64/local_apic.h"
#include "arch/x86_64/pic.h"
#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "sched/scheduler.h"
#include "sync/spinlock.h"

namespace kite::irq {

namespace {

// Guards the handler table and the controller's masks.
Spinlock handlers_lock{"irq handlers", LockRank::Irq};

InterruptController* controller = nullptr;
Handler handlers[line_count];
struct Shared {
    SharedHandler handler;
    void* context;
};
Shared shared[line_count][max_shared_handlers];
u64 counts[line_count];
u64 spurious = 0;

void dispatch(InterruptFrame& frame) {
    const u8 line = static_cast<u8>(frame.vector - first_vector);
    if (controller->is_spurious(line)) {
        ++spurious;
        return;
    }
    ++counts[line];
    if (handlers[line]) {
        handlers[line](frame);
    }
    for (const Shared& entry : shared[line]) {
        if (SharedHandler handler = __atomic_load_n(&entry.handler, __ATOMIC_ACQUIRE)) {
            handler(entry.context);
        }
    }
    controller->end_of_interrupt(line);
    // After the EOI, so the controller can deliver the next interrupt to
    // whichever thread runs next.
    Scheduler::preempt_if_needed();
}

// The local APIC's spurious interrupt: nothing to do, and no EOI.
void ignore(InterruptFrame&) {}

// The I/O APICs when the MADT lists them and kite.apic is not "off", else
// the 8259 pair.
InterruptController& choose_controller() {
    StringView apic;
    if (command_line_option(kernel_command_line(), "kite.apic", apic) && apic == "off") {
        kprintln("irq: kite.apic=off: the 8259 PIC");
        return pic8259();
    }
    const acpi::MadtInfo* madt = acpi::madt();
    if (!madt) {
        return pic8259();
    }
    auto apics = io_apic::controller(*madt);
    if (apics.is_error()) {
        kprintln("irq: the 8259 PIC ({})", apics.error().what());
        return pic8259();
    }
    return *apics.value();
}

} // namespace

void init() {
    controller = &choose_controller();
    idt::set_handler(local_apic::spurious_vector, ignore);
    controller->init(first_vector);
    kprintln("irq: {}", controller->name());
    for (u8 line = 0; line < line_count; ++line) {
        idt::set_handler(static_cast<u8>(first_vector + line), dispatch);
    }
}

void install(u8 line, Handler handler) {
    SpinlockGuard guard(handlers_lock);
    handlers[line] = handler;
    controller->enable(line);
}

void uninstall(u8 line) {
    SpinlockGuard guard(handlers_lock);
    controller->disable(line);
    handlers[line] = nullptr;
}

bool add_shared(u8 line, SharedHandler handler, void* context) {
    if (line >= line_count) {
        return false;
    }
    SpinlockGuard guard(handlers_lock);
    for (Shared& entry : shared[line]) {
        if (!entry.handler) {
            // The context before the handler: dispatch reads them unlocked.
            entry.context = context;
            __atomic_store_n(&entry.handler, handler, __ATOMIC_RELEASE);
            controller->enable(line);
            return true;
        }
    }
    return false;
}

u64 count(u8 line) {
    return counts[line];
}
u64 spurious_count() {
    return spurious;
}

} // namespace kite::irq
