// extable.cpp: lookup in .ex_table. The table holds a handful of entries, so a
// linear scan is the simplest correct choice; sort it when it grows.
#include "arch/x86_64/extable.h"

extern "C" const kite::ExceptionTableEntry __ex_table_start[];
extern "C" const kite::ExceptionTableEntry __ex_table_end[];

namespace kite {

const ExceptionTableEntry* find_exception_fixup(u64 instruction) {
    for (const ExceptionTableEntry* entry = __ex_table_start; entry != __ex_table_end; ++entry) {
        if (entry->instruction == instruction) {
            return entry;
        }
    }
    return nullptr;
}

} // namespace kite
