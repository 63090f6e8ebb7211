// kbench.cpp: the benchmark runner (see kbench.h).
#include "bench/kbench.h"

#include "arch/x86_64/qemu.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/panic.h"

extern "C" const kite::kbench::Benchmark* const __kbench_start[];
extern "C" const kite::kbench::Benchmark* const __kbench_end[];

namespace kite::kbench {

namespace {

void run_one(const Benchmark& benchmark) {
    kprintln("KBENCH {} {} cycles/op", benchmark.name, benchmark.function());
}

} // namespace

void run(StringView selection) {
    set_panic_exits_emulator(true);
    bool all_found = true;
    if (selection.is_empty() || selection == "all") {
        for (auto* entry = __kbench_start; entry != __kbench_end; ++entry) {
            run_one(**entry);
        }
    } else {
        for_each_list_item(selection, [&](StringView name) {
            for (auto* entry = __kbench_start; entry != __kbench_end; ++entry) {
                if (StringView((*entry)->name) == name) {
                    run_one(**entry);
                    return;
                }
            }
            kprintln("KBENCH {} unknown", name);
            all_found = false;
        });
    }
    kprintln("KBENCH DONE");
    qemu::exit(all_found ? qemu::ExitCode::Success : qemu::ExitCode::Failure);
    panic("kite.bench needs QEMU's isa-debug-exit device to report its result");
}

} // namespace kite::kbench
