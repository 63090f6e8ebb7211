// wait_mask.h: the signal mask a wait on descriptors (ppoll, pselect6,
// epoll_pwait) puts in place while it sleeps, as Linux's set_user_sigmask.
// Swapped in before the wait; put back when the call ends, unless a signal
// ended it: then the mask stays for the delivery of that signal (the
// rt_sigsuspend path, UserThreadState::mask_saved), so the handler runs
// under the wait's mask and returns to the one from before, and a signal
// the wait's mask let in cannot slip past.
#pragma once

#include "lib/error.h"
#include "lib/utility.h"

namespace kite {

class WaitSignalMask : NonCopyable {
  public:
    WaitSignalMask() = default;
    ~WaitSignalMask(); // puts the old mask back, unless kept for delivery
    // The user's sigset (address 0: none, nothing changes) of `size`
    // bytes, which must be sigset_t's 8 (EINVAL); EFAULT if unreadable.
    [[nodiscard]] ErrorOr<void> install_from_user(u64 address, u64 size);
    // The wait was interrupted: delivery restores the old mask.
    void keep_for_delivery();

  private:
    bool m_installed = false;
    u64 m_old = 0;
};

} // namespace kite
