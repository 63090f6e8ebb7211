// altstack.cpp: see altstack.h. The stack belongs to one thread: exec and
// a new thread start without one, fork's child keeps the caller's.
#include "proc/altstack.h"

#include "sched/scheduler.h"

namespace kite {

using namespace abi::signals;

bool on_altstack(const UserThreadState& user, u64 sp) {
    if (user.altstack_flags & SS_AUTODISARM) {
        return false;
    }
    return sp > user.altstack_sp && sp - user.altstack_sp <= user.altstack_size;
}

StackT current_altstack(u64 sp) {
    const UserThreadState& user = Scheduler::current()->user;
    StackT stack{user.altstack_sp, 0, 0, user.altstack_size};
    if (user.altstack_size == 0) {
        stack.flags = SS_DISABLE;
    } else if (on_altstack(user, sp)) {
        stack.flags = SS_ONSTACK;
    }
    stack.flags |= user.altstack_flags & SS_AUTODISARM;
    return stack;
}

ErrorOr<void> set_altstack(const StackT& stack, u64 sp) {
    UserThreadState& user = Scheduler::current()->user;
    if (on_altstack(user, sp)) {
        return Error(Errno::PERM, "cannot change the alternate stack while on it");
    }
    const i32 mode = stack.flags & ~SS_AUTODISARM;
    if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) {
        return Error(Errno::INVAL, "bad sigaltstack flags");
    }
    if (mode == SS_DISABLE) {
        user.altstack_sp = 0;
        user.altstack_size = 0;
    } else {
        if (stack.size < MINSIGSTKSZ) {
            return Error(Errno::NOMEM, "alternate stack too small");
        }
        user.altstack_sp = stack.sp;
        user.altstack_size = stack.size;
    }
    user.altstack_flags = stack.flags;
    return {};
}

} // namespace kite
