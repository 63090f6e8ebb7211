// controller.h: what the kernel needs from an interrupt controller. The
// 8259 PIC pair implements it now; a LAPIC/IOAPIC implementation can replace
// it without touching drivers, which only see interrupts/irq.h.
#pragma once

#include "lib/types.h"

namespace kite {

class InterruptController {
  public:
    virtual void init(u8 first_vector) = 0; // every line masked afterwards
    virtual void enable(u8 line) = 0;
    virtual void disable(u8 line) = 0;
    // True if the interrupt on line was spurious: then no handler runs and
    // end_of_interrupt must not be sent for it.
    [[nodiscard]] virtual bool is_spurious(u8 line) = 0;
    virtual void end_of_interrupt(u8 line) = 0;
    [[nodiscard]] virtual const char* name() const = 0;

  protected:
    ~InterruptController() = default;
};

} // namespace kite
