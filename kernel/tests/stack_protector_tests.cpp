// stack_protector_tests.cpp: the kernel's stack canary is random, protected
// functions keep it in their frames, and overwriting it stops the kernel
// with a report naming the function (kernel.fatal.stack_smashed).
#include "debug/stack_protector.h"
#include "random/random.h"
#include "tests/ktest.h"

namespace kite {

namespace {

// The address a pointer holds, hidden from the optimiser: what the tests
// read and write through it is beyond what the compiler can see of the
// buffer, and must happen.
template <typename T>
T* opaque(T* pointer) {
    asm volatile("" : "+r"(pointer));
    return pointer;
}

// The canary's slot in the frame of the function that owns buffer: the
// first word between the buffer and that function's saved frame pointer
// that holds the guard (GCC puts it right above the arrays). Null if none.
volatile u64* find_canary(u8* buffer, usize size, void* frame) {
    u64 at = (reinterpret_cast<u64>(opaque(buffer)) + size + 7) & ~u64{7};
    for (; at < reinterpret_cast<u64>(frame); at += 8) {
        auto* word = reinterpret_cast<volatile u64*>(at);
        if (*word == __stack_chk_guard) {
            return word;
        }
    }
    return nullptr;
}

// A protected function (it has a local array): whether its frame holds the
// canary.
[[gnu::noinline]] bool frame_holds_canary() {
    u8 buffer[24];
    random::fill(buffer, sizeof(buffer)); // the buffer is used
    return find_canary(buffer, sizeof(buffer), __builtin_frame_address(0)) != nullptr;
}

// Overruns a local buffer as a bad length would, byte by byte from its
// start up to the end of the canary's slot: the canary is overwritten, the
// saved frame pointer and return address above it are not (so the report's
// backtrace still reaches kernel_main). The check as it returns must fire.
[[gnu::noinline]] void overrun_local_buffer() {
    u8 buffer[24];
    random::fill(buffer, sizeof(buffer));
    volatile u64* canary = find_canary(buffer, sizeof(buffer), __builtin_frame_address(0));
    if (canary == nullptr) {
        return; // no canary: returns, and the harness finds no report
    }
    u8* overrun = opaque(buffer);
    const usize length = reinterpret_cast<u64>(canary + 1) - reinterpret_cast<u64>(buffer);
    for (usize i = 0; i < length; ++i) {
        reinterpret_cast<volatile u8*>(overrun)[i] = 'A';
    }
}

} // namespace

KTEST(stack_protector_canary_is_random) {
    const u64 guard = __stack_chk_guard;
    KEXPECT(guard != 0);
    KEXPECT(guard != stack_protector::boot_guard); // init() replaced the link-time value
    KEXPECT_EQ(guard & 0xFF, 0u);                  // the zero byte that stops string overruns
    KEXPECT(guard >> 8 != 0);
}

KTEST(stack_protector_guards_functions_with_buffers) {
    KEXPECT(frame_holds_canary());
}

KTEST_FATAL(stack_smashed) {
    overrun_local_buffer();
}

} // namespace kite
