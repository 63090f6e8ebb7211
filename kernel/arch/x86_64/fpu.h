// fpu.h: x87/SSE state. The kernel itself is built without SSE
// (-mgeneral-regs-only), so only user threads' state needs keeping; it is
// saved and restored eagerly at every context switch (fxsave/fxrstor).
#pragma once

#include "lib/types.h"

namespace kite {

struct alignas(16) FpuState {
    u8 bytes[512]; // the fxsave area
};
static_assert(sizeof(FpuState) == 512);

namespace fpu {

// Sets CR0.MP, clears CR0.EM and CR0.TS, sets CR4.OSFXSR and OSXMMEXCPT,
// and records the clean initial state.
void init();
// The state a new thread starts with (FPU reset, MXCSR 0x1F80: all
// exceptions masked, round to nearest).
[[nodiscard]] const FpuState& initial_state();

inline void save(FpuState& state) {
    asm volatile("fxsave64 %0" : "=m"(state));
}
// For a copy that goes to user space (a signal frame): fxsave leaves some
// bytes of the area as they were (416-511 are reserved or free for
// software, and a CPU may skip the 6 spare bytes of each x87 register, as
// QEMU does), which on the kernel stack would hand the user whatever the
// stack held there. So the area is zeroed first; "+m" keeps the compiler
// from dropping that as a dead store.
inline void save_for_user(FpuState& state) {
    __builtin_memset(state.bytes, 0, sizeof(state.bytes));
    asm volatile("fxsave64 %0" : "+m"(state));
}
inline void restore(const FpuState& state) {
    asm volatile("fxrstor64 %0" : : "m"(state));
}

} // namespace fpu
} // namespace kite
