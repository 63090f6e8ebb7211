// probe.h: fault-tolerant single instructions (probe.asm). Each returns
// true when the access succeeded and false when it faulted; the fault itself
// is recorded (exceptions.h, last_recovered_fault).
#pragma once

#include "lib/types.h"

extern "C" {
[[nodiscard]] bool probe_read_u64(kite::u64 address, kite::u64* value);
[[nodiscard]] bool probe_write_u8(kite::u64 address, kite::u8 value);
[[nodiscard]] bool probe_divide(kite::u64 dividend, kite::u64 divisor, kite::u64* quotient);
[[nodiscard]] bool probe_invalid_opcode();
[[nodiscard]] bool probe_breakpoint();
}
