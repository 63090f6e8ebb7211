// user_tests.cpp: see user_tests.h. Output: "UTEST <name> ... ok" or
// "... FAIL (<why>)", then "UTEST SUMMARY: N passed, M failed", and QEMU
// exits with pass or fail.
#include "proc/user_tests.h"

#include "arch/x86_64/qemu.h"
#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/panic.h"
#include "fs/vfs.h"
#include "fs/writeback.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/exec.h"
#include "proc/process.h"
#include "sched/scheduler.h"

namespace kite::user_tests {

namespace {

constexpr const char* test_directory = "/test";
constexpr const char* bench_directory = "/bench";

struct SignalName {
    const char* name;
    int number;
};
constexpr SignalName signal_names[] = {
    {"sigill", 4}, {"sigtrap", 5}, {"sigbus", 7}, {"sigfpe", 8}, {"sigsegv", 11}};

// The status a test must end with: 0, or the signal its name promises.
int expected_status(StringView name) {
    if (!name.starts_with("crash_")) {
        return 0;
    }
    for (const SignalName& s : signal_names) {
        if (name.substring(6).starts_with(s.name)) {
            return s.number;
        }
    }
    return -1; // a crash_ test naming no known signal can never pass
}

constexpr usize max_arguments = 8;

// Runs directory/name with argv [path, data directory], or, when the
// command line has kite.utest_args=A,B,... (a fuzzer's seed and count),
// [path, A, B, ...]; returns the wait status.
int run_program(const char* directory, StringView name) {
    char path[300];
    const StringView full = format_to(path, sizeof(path), "{}/{}", directory, name);
    char words[max_arguments][64];
    const char* argv[max_arguments + 2] = {path, "/test/data", nullptr};
    StringView list;
    if (command_line_option(kernel_command_line(), "kite.utest_args", list)) {
        usize count = 0;
        for_each_list_item(list, [&](StringView item) {
            if (count < max_arguments) {
                (void)format_to(words[count], sizeof(words[count]), "{}", item);
                argv[1 + count] = words[count];
                argv[2 + count] = nullptr;
                ++count;
            }
        });
    }
    const char* envp[] = {"KITE=1", "PATH=/bin", nullptr};
    auto arguments = make_arguments(argv, envp);
    if (arguments.is_error()) {
        return -1;
    }
    auto process = Process::spawn(full, arguments.value());
    if (process.is_error()) {
        kprintln("    cannot start {}: {}", full, process.error().what());
        return -1;
    }
    return Process::wait_and_reap(process.value());
}

struct Usage {
    u64 free_frames;
    u64 heap_objects;
    u64 heap_bytes;
};

// With several CPUs, a test's last process may still be on its way out
// elsewhere when its parent has reaped it (a thread is freed by the next
// switch on its CPU), and an orphan it killed may not have ended yet: wait
// until only `threads` remain (a few seconds at most: a thread left behind
// is a leak the check then reports).
void settle(u32 threads) {
    for (int i = 0; i < 500; ++i) {
        Process::free_unwanted_zombies();
        if (Scheduler::stats().threads <= threads) {
            return;
        }
        Scheduler::sleep_ns(10'000'000);
    }
    kprintln("UTEST: {} threads still alive after the tests (expected {})",
             Scheduler::stats().threads, threads);
}

Usage usage() {
    Scheduler::wait_for_exiting_threads();
    writeback::drop_caches(); // a disk's cache is not memory taken
    heap_release_cached();
    const auto h = heap_stats();
    return {physical::stats().free_frames, h.live_objects, h.live_bytes};
}

// Calls visit(name) for each program selected in directory.
template <typename Visit>
void for_each_program(const char* directory, StringView selection, Visit visit) {
    if (!selection.is_empty() && selection != "all") {
        for_each_list_item(selection, visit);
        return;
    }
    auto dir = vfs::resolve(directory, vfs::root());
    if (dir.is_error()) {
        kprintln("no {} directory in the initrd", directory);
        return;
    }
    DirectoryEntry entry;
    for (usize i = 0; !dir.value()->read_directory(i, entry).is_error() &&
                      dir.value()->read_directory(i, entry).value();
         ++i) {
        if (entry.type == VnodeType::Regular) {
            visit(StringView(entry.name));
        }
    }
}

} // namespace

void run(StringView selection) {
    set_panic_exits_emulator(true);
    const u32 threads_before = Scheduler::stats().threads;
    const Usage before = usage();
    usize passed = 0;
    usize failed = 0;
    for_each_program(test_directory, selection, [&](StringView name) {
        kprintln("UTEST {} ...", name);
        const int status = run_program(test_directory, name);
        const int expected = expected_status(name);
        if (status == expected) {
            kprintln("UTEST {} ... ok", name);
            ++passed;
        } else {
            kprintln("UTEST {} ... FAIL (wait status {:#x}, expected {:#x})", name, status,
                     expected);
            ++failed;
        }
    });
    settle(threads_before);
    const Usage after = usage();
    const bool leak_free = after.free_frames == before.free_frames &&
                           after.heap_objects == before.heap_objects &&
                           after.heap_bytes == before.heap_bytes;
    kprintln(
        "UTEST LEAK CHECK: free frames {} -> {}, heap objects {} -> {}, heap bytes {} -> {}: {}",
        before.free_frames, after.free_frames, before.heap_objects, after.heap_objects,
        before.heap_bytes, after.heap_bytes, leak_free ? "ok" : "FAIL");
    if (!leak_free) {
        ++failed;
    }
    kprintln("UTEST SUMMARY: {} passed, {} failed", passed, failed);
    qemu::exit(failed == 0 && passed > 0 ? qemu::ExitCode::Success : qemu::ExitCode::Failure);
    panic("kite.utest needs QEMU's isa-debug-exit device to report its result");
}

void run_benchmarks(StringView selection) {
    set_panic_exits_emulator(true);
    bool all_ok = true;
    for_each_program(bench_directory, selection, [&](StringView name) {
        const int status = run_program(bench_directory, name);
        all_ok = all_ok && status == 0;
    });
    kprintln("UBENCH DONE");
    qemu::exit(all_ok ? qemu::ExitCode::Success : qemu::ExitCode::Failure);
    panic("kite.ubench needs QEMU's isa-debug-exit device to report its result");
}

} // namespace kite::user_tests
