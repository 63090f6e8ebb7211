// tmpfs.cpp: a writable MemoryDirectory tree (see memory_fs.h).
#include "fs/tmpfs.h"

#include "fs/memory_fs.h"

namespace kite::tmpfs {

namespace {
u64 next_device = 0x100;
} // namespace

ErrorOr<RefPtr<Vnode>> create_root() {
    auto root = TRY(try_make_ref<MemoryDirectory>(true, 01777));
    root->set_device(next_device++);
    return RefPtr<Vnode>(root);
}

} // namespace kite::tmpfs
