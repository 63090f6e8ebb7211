// kbench.h: in-kernel benchmarks, run with kite.bench=all or
// kite.bench=name,name on the command line (never as part of the tests).
//
//   KBENCH(frame_alloc_free) { return measure(100000, [] { ... }); }
//
// Each benchmark returns cycles per operation (rdtsc); the runner prints
// "KBENCH <name> <cycles> cycles/op" and ends QEMU through isa-debug-exit.
// Under QEMU with -icount shift=0,sleep=off rdtsc counts guest
// instructions, so those figures repeat from run to run.
#pragma once

#include "arch/x86_64/cpu.h"
#include "lib/string_view.h"

namespace kite::kbench {

struct Benchmark {
    const char* name;
    u64 (*function)(); // cycles per operation
};

[[noreturn]] void run(StringView selection);

// Runs operation `iterations` times in each of 5 rounds and returns the
// median round's cycles per operation.
template <typename Operation>
u64 measure(u64 iterations, Operation operation) {
    constexpr usize rounds = 5;
    u64 results[rounds];
    for (usize round = 0; round < rounds; ++round) {
        const u64 start = cpu::rdtsc();
        for (u64 i = 0; i < iterations; ++i) {
            operation();
        }
        results[round] = (cpu::rdtsc() - start) / iterations;
    }
    for (usize i = 1; i < rounds; ++i) { // insertion sort; five elements
        for (usize j = i; j > 0 && results[j] < results[j - 1]; --j) {
            const u64 t = results[j];
            results[j] = results[j - 1];
            results[j - 1] = t;
        }
    }
    return results[rounds / 2];
}

} // namespace kite::kbench

#define KBENCH(bench_name)                                                                         \
    static kite::u64 kbench_##bench_name();                                                        \
    static const ::kite::kbench::Benchmark kbench_case_##bench_name = {#bench_name,                \
                                                                       kbench_##bench_name};       \
    [[gnu::used,                                                                                   \
      gnu::section(                                                                                \
          ".kbench")]] static const ::kite::kbench::Benchmark* const kbench_pointer_##bench_name = \
        &kbench_case_##bench_name;                                                                 \
    static kite::u64 kbench_##bench_name()
