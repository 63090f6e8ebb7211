// host_kmalloc.cpp: the kernel heap's entry points over the host's malloc,
// for kernel code under test that allocates through KBuffer (lib/kbuffer.h)
// without the kernel's heap behind it. AddressSanitizer checks every use.
#include "mm/kmalloc.h"

#include <cstdlib>

namespace kite {

void* kmalloc(usize size) {
    return std::malloc(size ? size : 1);
}
void* kzalloc(usize size) {
    return std::calloc(1, size ? size : 1);
}
void kfree(void* pointer) {
    std::free(pointer);
}

} // namespace kite
