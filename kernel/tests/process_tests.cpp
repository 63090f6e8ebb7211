// process_tests.cpp: user processes seen from the kernel.
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/exec.h"
#include "proc/process.h"
#include "tests/ktest.h"

namespace kite {

namespace {

Process* spawn_spinner(const char* iterations) {
    const char* argv[] = {"/test/spin", iterations, nullptr};
    const char* envp[] = {nullptr};
    auto arguments = make_arguments(argv, envp);
    if (arguments.is_error()) {
        return nullptr;
    }
    auto process = Process::spawn("/test/spin", arguments.value());
    return process.is_error() ? nullptr : process.value();
}

} // namespace

// Two CPU-bound user processes that never make a system call both get the
// CPU while both are alive: only preemption can do that.
KTEST(two_user_processes_share_the_cpu) {
    heap_release_cached();
    const u64 free_before = physical::stats().free_frames;
    Process* a = spawn_spinner("40000000");
    Process* b = spawn_spinner("40000000");
    KEXPECT(a && b);
    if (!a || !b) {
        return;
    }
    // Waits until both have been charged a tick while both still run.
    // Counted in ticks, not time: a busy emulator host can stop the guest,
    // timer included. A zombie's thread is not looked at (it may be gone),
    // and no exit can come between the look at the state and at the thread.
    enum class Seen { Waiting, BothRan, OneExited };
    auto look = [&] {
        SpinlockGuard guard(Process::table_lock());
        if (a->state() != ProcessState::Running || b->state() != ProcessState::Running) {
            return Seen::OneExited;
        }
        return a->first_thread()->runtime_ticks > 0 && b->first_thread()->runtime_ticks > 0
                   ? Seen::BothRan
                   : Seen::Waiting;
    };
    for (int i = 0; i < 1000 && look() == Seen::Waiting; ++i) {
        Scheduler::sleep_ns(10'000'000);
    }
    KEXPECT(look() == Seen::BothRan);
    KEXPECT_EQ(Process::wait_and_reap(a), 0);
    KEXPECT_EQ(Process::wait_and_reap(b), 0);
    heap_release_cached();
    KEXPECT_EQ(physical::stats().free_frames, free_before);
}

KTEST(spawn_of_a_missing_program_exits_127) {
    const char* argv[] = {"/no/such/program", nullptr};
    auto arguments = make_arguments(argv, nullptr);
    KEXPECT(!arguments.is_error());
    auto process = Process::spawn("/no/such/program", arguments.value());
    KEXPECT(!process.is_error());
    if (!process.is_error()) {
        KEXPECT_EQ(Process::wait_and_reap(process.value()), 127 << 8);
    }
}

} // namespace kite
