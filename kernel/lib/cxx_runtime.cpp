// cxx_runtime.cpp: the few pieces of the C++ ABI that compiled kernel code
// refers to. (Guard variables for function-local statics are not needed:
// the kernel is built with -fno-threadsafe-statics.)
#include "debug/panic.h"
#include "lib/types.h"

using InitFunction = void (*)();
extern "C" const InitFunction __init_array_start[];
extern "C" const InitFunction __init_array_end[];

extern "C" {

// Runs every global constructor, in link order; called by boot.asm before
// kernel_main. Constructors must not print: the console is not set up yet.
void run_global_constructors() {
    for (const InitFunction* f = __init_array_start; f != __init_array_end; ++f) {
        (*f)();
    }
}

// Destructors of globals are registered here by the compiler. The kernel
// never exits, so they never run.
void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) {
    return 0;
}

[[noreturn]] void __cxa_pure_virtual() {
    kite::panic("pure virtual function called");
}

} // extern "C"
