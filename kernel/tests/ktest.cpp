// ktest.cpp: the in-kernel test runner (see ktest.h for the output format).
#include "tests/ktest.h"

#include "arch/x86_64/qemu.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/panic.h"

extern "C" const kite::ktest::TestCase* const __ktests_start[];
extern "C" const kite::ktest::TestCase* const __ktests_end[];

namespace kite::ktest {

namespace {

bool current_failed = false;
bool current_skipped = false;
usize passed = 0;
usize failed = 0;
usize skipped = 0;

void run_one(const TestCase& test) {
    current_failed = false;
    current_skipped = false;
    kprintln("KTEST {} ...", test.name);
    test.function();
    if (test.kind == Kind::Fatal) {
        fail(__FILE__, __LINE__, "a fatal test returned instead of panicking");
    }
    if (current_skipped && !current_failed) {
        kprintln("KTEST {} ... skipped", test.name);
        ++skipped;
        return;
    }
    kprintln("KTEST {} ... {}", test.name, current_failed ? "FAIL" : "ok");
    ++(current_failed ? failed : passed);
}

const TestCase* find(StringView name) {
    for (auto* entry = __ktests_start; entry != __ktests_end; ++entry) {
        if (StringView((*entry)->name) == name) {
            return *entry;
        }
    }
    return nullptr;
}

} // namespace

void fail(const char* file, int line, StringView what) {
    current_failed = true;
    kprintln("    FAIL: {}:{}: {}", file, line, what);
}

void skip(StringView why) {
    current_skipped = true;
    kprintln("    skipped: {}", why);
}

void run(StringView selection) {
    set_panic_exits_emulator(true);
    const usize registered = static_cast<usize>(__ktests_end - __ktests_start);
    kprintln("KTEST BEGIN: {} tests registered, running {}", registered,
             selection.is_empty() ? StringView("all") : selection);
    if (selection.is_empty() || selection == "all") {
        for (auto* entry = __ktests_start; entry != __ktests_end; ++entry) {
            if ((*entry)->kind == Kind::Normal) {
                run_one(**entry);
            }
        }
    } else {
        for_each_list_item(selection, [](StringView name) {
            if (const TestCase* test = find(name)) {
                run_one(*test);
            } else {
                kprintln("KTEST {} ... FAIL", name);
                kprintln("    FAIL: no test named {}", name);
                ++failed;
            }
        });
    }
    if (skipped > 0) {
        kprintln("KTEST SUMMARY: {} passed, {} failed, {} skipped", passed, failed, skipped);
    } else {
        kprintln("KTEST SUMMARY: {} passed, {} failed", passed, failed);
    }
    qemu::exit(failed == 0 && passed > 0 ? qemu::ExitCode::Success : qemu::ExitCode::Failure);
    panic("kite.test needs QEMU's isa-debug-exit device to report its result");
}

} // namespace kite::ktest
