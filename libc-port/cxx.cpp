// cxx.cpp: what C++ programs need from the runtime beyond newlib:
// operator new/delete over malloc, and the ABI hooks GCC emits calls to.
// No exceptions or RTTI: a failed allocation aborts rather than throwing.
#include <stdlib.h>

// GCC's <new> is not on the include path (-nostdinc++); these are the
// replaceable global forms, declared implicitly by the compiler.
void* operator new(size_t size) {
    void* memory = malloc(size ? size : 1);
    if (!memory)
        abort();
    return memory;
}
void* operator new[](size_t size) {
    return operator new(size);
}
void operator delete(void* memory) noexcept {
    free(memory);
}
void operator delete[](void* memory) noexcept {
    free(memory);
}
void operator delete(void* memory, size_t) noexcept {
    free(memory);
}
void operator delete[](void* memory, size_t) noexcept {
    free(memory);
}

extern "C" {
// A pure virtual function called through a half-built or destroyed object.
void __cxa_pure_virtual() {
    abort();
}

// Static destructors: GCC registers them with __cxa_atexit; newlib's
// __cxa_atexit needs __dso_handle, which a static program defines once.
void* __dso_handle = nullptr;
}
