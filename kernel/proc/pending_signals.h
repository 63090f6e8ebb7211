// pending_signals.h: the signals waiting for a thread or for a process,
// each with its siginfo. A standard signal (1-31) waits at most once: a
// second one sent meanwhile is dropped, as on Linux. A real-time signal
// (32-64) queues every instance, in order, up to max_queued per set. If
// memory for the entry runs out the signal still waits, with a kernel
// siginfo. Guarded by the process table lock.
#pragma once

#include "api/signal_action.h"
#include "lib/types.h"

namespace kite {

class PendingSignals {
  public:
    using Info = abi::signals::SigInfo;
    static constexpr u32 max_queued = 256;

    PendingSignals() = default;
    ~PendingSignals() { clear(~u64{0}); }
    PendingSignals(const PendingSignals&) = delete;
    PendingSignals& operator=(const PendingSignals&) = delete;

    // The signals waiting (bit signal-1 each).
    [[nodiscard]] u64 mask() const { return m_mask; }
    // False if a real-time signal's queue is full (sigqueue's EAGAIN).
    [[nodiscard]] bool add(int signal, const Info& info);
    // Takes the oldest instance of a waiting signal into info.
    void take(int signal, Info& info);
    // Drops every waiting instance of these signals.
    void clear(u64 signals);

  private:
    struct Entry {
        Entry* next;
        Info info;
    };
    u64 m_mask = 0;
    Entry* m_head = nullptr; // oldest first
    u32 m_queued = 0;
};

// The siginfo of a signal the kernel sends on its own behalf.
[[nodiscard]] abi::signals::SigInfo kernel_signal_info(int signal);

} // namespace kite
