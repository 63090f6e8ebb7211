// extable.h: the exception table. Each entry says: if instruction faults in
// kernel mode, resume at fixup. Entries are emitted next to the instruction
// (probe.asm) into the .ex_table section.
#pragma once

#include "lib/types.h"

namespace kite {

struct ExceptionTableEntry {
    u64 instruction;
    u64 fixup;
};
static_assert(sizeof(ExceptionTableEntry) == 16);

// The entry for a faulting instruction address, or nullptr.
[[nodiscard]] const ExceptionTableEntry* find_exception_fixup(u64 instruction);

} // namespace kite
