// kmalloc.h: the kernel heap of the running kernel (mm/heap.h over the
// physical frame allocator). C++ new and delete use it too; new yields
// nullptr when memory is exhausted (the kernel is built with -fcheck-new),
// and OwnPtr/try_make (lib/own_ptr.h) turn that into ENOMEM.
#pragma once

#include "mm/heap.h"

namespace kite {

// debug turns on the heap's checks (poisoning, red zones, double and
// invalid free detection); the kernel command line sets it with
// kite.heap_debug=1, and the test run turns it on.
void heap_init(bool debug);

[[nodiscard]] void* kmalloc(usize size);
[[nodiscard]] void* kmalloc_aligned(usize size, usize alignment);
[[nodiscard]] void* kzalloc(usize size);
void kfree(void* pointer);
// kfree with the caller named explicitly (for operator delete's reports).
void kfree_from(void* pointer, const void* caller);

[[nodiscard]] Heap::Stats heap_stats();
// Gives cached empty slabs back, so free-frame counts can be compared.
void heap_release_cached();
[[nodiscard]] bool heap_debug();

// For tests: replaces the handler that panics on a heap problem.
Heap::ProblemHandler heap_set_problem_handler(Heap::ProblemHandler handler);

} // namespace kite
