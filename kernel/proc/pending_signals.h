// pending_signals.h: the signals waiting for a thread or for a process,
// each with its siginfo. A standard signal (1-31) waits at most once: a
// second one sent meanwhile is dropped, as on Linux. A real-time signal
// (32-64) queues every instance, in order.
//
// Each siginfo waiting takes an entry, and the entries are counted for the
// user, against the target's RLIMIT_SIGPENDING, with Linux's rules
// (__sigqueue_alloc and __send_signal): over the limit a standard signal
// sent by the kernel or by kill() gets its entry all the same; any other
// signal waits without its siginfo (the receiver sees SI_USER from pid 0),
// but a real-time signal whose code is neither SI_USER nor the kernel's
// is refused (sigqueue's and tgkill's EAGAIN). Out of memory is the same
// as over the limit. Kite has one user, root: the count is the machine's.
// Guarded by the process table lock.
#pragma once

#include "api/signal_action.h"
#include "lib/types.h"

namespace kite {

class PendingSignals {
  public:
    using Info = abi::signals::SigInfo;

    PendingSignals() = default;
    ~PendingSignals() { clear(~u64{0}); }
    PendingSignals(const PendingSignals&) = delete;
    PendingSignals& operator=(const PendingSignals&) = delete;

    // The signals waiting (bit signal-1 each).
    [[nodiscard]] u64 mask() const { return m_mask; }
    // False if the signal is refused (see above); limit: the target's
    // RLIMIT_SIGPENDING.
    [[nodiscard]] bool add(int signal, const Info& info, u64 limit);
    // The entries waiting, in every set (/proc/PID/status's SigQ).
    [[nodiscard]] static u64 queued_for_user();
    // Takes the oldest instance of a waiting signal into info.
    void take(int signal, Info& info);
    // Drops every waiting instance of these signals.
    void clear(u64 signals);

  private:
    struct Entry {
        Entry* next;
        Info info;
    };
    void free_entry(Entry* entry);

    u64 m_mask = 0;
    Entry* m_head = nullptr; // oldest first
};

// The siginfo of a signal the kernel sends on its own behalf.
[[nodiscard]] abi::signals::SigInfo kernel_signal_info(int signal);

} // namespace kite
