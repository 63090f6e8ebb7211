// irq.cpp: routes vectors 32-47 to IRQ handlers through the controller.
#include "interrupts/irq.h"

#include "arch/x86_64/idt.h"
#include "arch/x86_64/pic.h"
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

} // namespace

void init() {
    controller = &pic8259();
    controller->init(first_vector);
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
