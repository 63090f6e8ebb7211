// interrupt_guard.h: a scope in which this CPU takes no maskable interrupts.
// It saves the interrupt flag on entry and restores exactly that on exit, so
// guards nest. Every critical section that an interrupt handler could race
// with holds one.
#pragma once

#include "arch/x86_64/cpu.h"
#include "lib/utility.h"

namespace kite {

class [[nodiscard]] InterruptGuard : NonCopyable {
  public:
    InterruptGuard() : m_were_enabled(cpu::interrupts_enabled()) { cpu::disable_interrupts(); }
    ~InterruptGuard() {
        if (m_were_enabled) {
            cpu::enable_interrupts();
        }
    }

  private:
    bool m_were_enabled;
};

} // namespace kite
