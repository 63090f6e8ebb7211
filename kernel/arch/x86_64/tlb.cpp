// tlb.cpp: see tlb.h.
#include "arch/x86_64/tlb.h"

#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/smp_call.h"
#include "mm/page.h"

namespace kite::tlb {

namespace {

struct Request {
    AddressSpace* space;
    u64 start;
    u64 end;
};

u64 sent = 0;
u64 answered = 0;
u64 left_lazily = 0;

void flush_range(u64 start, u64 end) {
    if ((end - start) / page_size > max_single_flushes) {
        cpu::flush_tlb();
        return;
    }
    for (u64 page = start & ~(page_size - 1); page < end; page += page_size) {
        cpu::invlpg(page);
    }
}

// On a target CPU, in the IPI handler (or its own smp_call wait loop).
void answer(void* raw) {
    const Request& request = *static_cast<const Request*>(raw);
    CpuLocal& here = cpu_local::get();
    __atomic_add_fetch(&answered, 1, __ATOMIC_RELAXED);
    if (here.loaded_space != request.space) {
        return; // it switched away after the sender read the mask
    }
    if (here.lazy_space) {
        __atomic_add_fetch(&left_lazily, 1, __ATOMIC_RELAXED);
        AddressSpace::kernel().activate();
        return;
    }
    flush_range(request.start, request.end);
}

void flush_global(void*) {
    cpu::flush_tlb_global();
}

} // namespace

void flush_others(AddressSpace& space, u64 start, u64 end) {
    // After the caller's change to the tables (a full fence: the mask is
    // read after the entries are written, as activate writes the mask
    // before it loads CR3).
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    const u64 others = space.loaded_on() & ~(u64{1} << cpu_local::get().id);
    if (others == 0 || start >= end) {
        return;
    }
    __atomic_add_fetch(&sent, 1, __ATOMIC_RELAXED);
    Request request{&space, start, end};
    smp_call::on_cpus(others, answer, &request);
}

void flush_everything_everywhere() {
    if (cpu_local::online() == 1) {
        cpu::flush_tlb_global();
        return;
    }
    smp_call::on_every_cpu(flush_global, nullptr);
}

Counts counts() {
    return {__atomic_load_n(&sent, __ATOMIC_RELAXED), __atomic_load_n(&answered, __ATOMIC_RELAXED),
            __atomic_load_n(&left_lazily, __ATOMIC_RELAXED)};
}

} // namespace kite::tlb
