// signalfd.h: signalfd(2)'s descriptor: a set of signals, read as struct
// signalfd_siginfo records instead of delivered. A signal stays pending
// (for its thread or the process, where it was sent) until a read takes
// it, as rt_sigtimedwait would; readable while one of the set is pending
// for the thread that asks (readiness depends on the caller, as on Linux).
#pragma once

#include "fs/vnode.h"

namespace kite::signalfd {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create(u64 mask);
[[nodiscard]] bool is_signalfd(const Vnode& vnode);
// signalfd4 on an existing one: the new set.
void set_mask(Vnode& signalfd, u64 mask);

} // namespace kite::signalfd
