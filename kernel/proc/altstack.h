// altstack.h: the alternate signal stack of the calling thread
// (sigaltstack, SA_ONSTACK): where a handler runs when the thread's own
// stack cannot take its frame, as after a stack overflow.
#pragma once

#include "api/signal_action.h"
#include "lib/error.h"

namespace kite {

struct UserThreadState;

// Whether sp is on the thread's alternate stack (never, with
// SS_AUTODISARM: it was turned off when the handler started).
[[nodiscard]] bool on_altstack(const UserThreadState& user, u64 sp);
// The alternate stack as sigaltstack reports it, seen from sp.
[[nodiscard]] abi::signals::StackT current_altstack(u64 sp);
// sigaltstack's change, with Linux's rules and errors: EPERM while the
// thread runs on the alternate stack (sp), EINVAL for unknown flags,
// ENOMEM below MINSIGSTKSZ.
[[nodiscard]] ErrorOr<void> set_altstack(const abi::signals::StackT& stack, u64 sp);

} // namespace kite
