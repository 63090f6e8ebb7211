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
inline void restore(const FpuState& state) {
    asm volatile("fxrstor64 %0" : : "m"(state));
}

} // namespace fpu
} // namespace kite
