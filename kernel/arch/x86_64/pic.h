// pic.h: the two cascaded 8259A programmable interrupt controllers.
#pragma once

#include "interrupts/controller.h"

namespace kite {

InterruptController& pic8259();

} // namespace kite
