// namespace_lock.cpp: see namespace_lock.h.
#include "fs/namespace_lock.h"

namespace kite::vfs {

namespace {
Mutex tree_lock{"vfs namespace", LockRank::VfsNamespace};
} // namespace

Mutex& namespace_lock() {
    return tree_lock;
}

} // namespace kite::vfs
