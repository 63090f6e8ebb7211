// smp_bench.cpp: what a call to another CPU costs: one IPI to one other
// CPU and the wait for its answer (smp_call::on_cpus), the base of every
// TLB shootdown. 0 (not measurable) with one CPU.
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/smp_call.h"
#include "bench/kbench.h"

namespace kite {

namespace {

void nothing(void*) {}

} // namespace

KBENCH(ipi_round_trip) {
    if (cpu_local::online() < 2) {
        return 0;
    }
    InterruptGuard stay_here; // the thread must not move to the other CPU
    const u32 other = cpu_local::id() == 0 ? 1 : 0;
    return kbench::measure(2000, [other] { smp_call::on_cpus(u64{1} << other, nothing, nullptr); });
}

} // namespace kite
