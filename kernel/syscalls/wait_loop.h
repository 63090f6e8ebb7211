// wait_loop.h: what every wait on descriptors shares (poll, ppoll, select,
// pselect6, epoll_wait): when it ends, and the loop itself: check; if
// nothing is ready, sleep until something may have changed (fs/poll_wait.h),
// the deadline passes or a signal comes; check again.
#pragma once

#include "fs/poll_wait.h"
#include "lib/error.h"
#include "time/clock.h"

namespace kite {

// When a wait gives up: never, at once (a zero timeout), or at a time on
// the monotonic clock.
class WaitDeadline {
  public:
    static WaitDeadline forever() { return WaitDeadline(true, 0); }
    static WaitDeadline immediate() { return WaitDeadline(false, 0); }
    static WaitDeadline after_ns(u64 ns) {
        return ns == 0 ? immediate() : WaitDeadline(false, clock::monotonic_ns() + ns);
    }
    [[nodiscard]] bool is_forever() const { return m_forever; }
    [[nodiscard]] bool is_immediate() const { return !m_forever && m_at == 0; }
    // What is left (0 once it has passed); not for a wait for ever.
    [[nodiscard]] u64 remaining_ns() const {
        const u64 now = clock::monotonic_ns();
        return m_at > now ? m_at - now : 0;
    }

  private:
    WaitDeadline(bool forever, u64 at) : m_forever(forever), m_at(at) {}
    bool m_forever;
    u64 m_at;
};

// Calls check() (ErrorOr<usize>: how many are ready) until it finds some
// ready or the deadline passes (0). A signal ends the wait with
// ERESTARTNOHAND, which each caller turns into its own answer. The
// generation is taken before the check, so a change during it is not lost.
template <typename Check>
[[nodiscard]] ErrorOr<usize> wait_until_ready(const WaitDeadline& deadline, Check&& check) {
    for (;;) {
        const u64 seen = poll_wait::generation();
        const usize ready = TRY(check());
        if (ready > 0 || deadline.is_immediate()) {
            return ready;
        }
        u64 timeout = 0; // none
        if (!deadline.is_forever()) {
            timeout = deadline.remaining_ns();
            if (timeout == 0) {
                return 0;
            }
        }
        if (poll_wait::wait_for_change(seen, timeout) == WaitResult::Interrupted) {
            return Error(Errno::RESTARTNOHAND, "interrupted by a signal");
        }
    }
}

// ppoll, select and pselect6 tell the caller the time left, as Linux does
// (not for a zero timeout, and a failed write is not an error).
void write_time_left(u64 address, const WaitDeadline& deadline, bool as_timeval);

} // namespace kite
