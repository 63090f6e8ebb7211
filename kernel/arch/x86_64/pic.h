// pic.h: the two cascaded 8259A programmable interrupt controllers.
#pragma once

#include "interrupts/controller.h"

namespace kite {

InterruptController& pic8259();

// Remaps the pair to first_vector.. and masks every line, for machines
// whose interrupts come through the I/O APIC instead.
void pic8259_disable(u8 first_vector);

} // namespace kite
