// wait_mask.cpp: see wait_mask.h. Signal masks change under the process
// table lock, as rt_sigprocmask's do.
#include "proc/wait_mask.h"

#include "mm/user_memory.h"
#include "proc/process.h"
#include "proc/signals.h"

namespace kite {

ErrorOr<void> WaitSignalMask::install_from_user(u64 address, u64 size) {
    if (address == 0) {
        return {};
    }
    if (size != sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    const u64 mask = TRY(read_user<u64>({address}));
    Thread& self = *Scheduler::current();
    SpinlockGuard guard(Process::table_lock());
    m_old = self.user.blocked_signals;
    m_installed = true;
    self.user.blocked_signals = mask & ~signals::unblockable;
    // A signal already waiting that the new mask lets in ends the wait at
    // once: the process's through retargeting, the thread's here.
    Process::current()->retarget_pending_locked();
    if (self.user.pending.mask() & ~self.user.blocked_signals) {
        self.user.signals_to_check = true;
        Scheduler::interrupt(&self);
    }
    return {};
}

void WaitSignalMask::keep_for_delivery() {
    if (!m_installed) {
        return;
    }
    Thread& self = *Scheduler::current();
    SpinlockGuard guard(Process::table_lock());
    self.user.saved_mask = m_old;
    self.user.mask_saved = true;
    self.user.signals_to_check = true;
    m_installed = false;
}

WaitSignalMask::~WaitSignalMask() {
    if (!m_installed) {
        return;
    }
    Thread& self = *Scheduler::current();
    SpinlockGuard guard(Process::table_lock());
    self.user.blocked_signals = m_old;
    Process::current()->retarget_pending_locked();
}

} // namespace kite
