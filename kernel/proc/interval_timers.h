// interval_timers.h: a process's timers, the state behind setitimer (and
// alarm, its view of ITIMER_REAL) and timer_create. Per process: every
// thread of it shares them. A pure core: the caller passes the time, the
// tick length and the signals pending, and sends the signals it is handed
// back (proc/process_timers.h does so from the timer tick), so the host
// unit tests run it as it is.
//
// Times are nanoseconds. Real-time deadlines are on the monotonic clock
// (CLOCK_REALTIME is the monotonic clock plus a constant until the wall
// clock can be set); the CPU-time timers count down the ticks charged to
// the process. A process starts with every timer disarmed (fork: the child
// has none), exec keeps the three interval timers and deletes the POSIX
// ones (as Linux does), exit clears everything.
#pragma once

#include "lib/error.h"
#include "lib/own_ptr.h"
#include "lib/types.h"

namespace kite {

// A timer as setitimer, getitimer, timer_settime and timer_gettime see it:
// the time to the next expiry (0: disarmed) and the period (0: one shot).
struct TimerValue {
    u64 value_ns = 0;
    u64 interval_ns = 0;
};

// setitimer's three timers, by Linux's numbers (ITIMER_REAL, _VIRTUAL, _PROF).
enum class IntervalTimer : u8 { Real = 0, Virtual = 1, Prof = 2 };

// A POSIX timer as timer_create made it: its clock and what it does when
// it expires (struct sigevent).
struct PosixTimerSetup {
    int clock = 0;      // the Linux clock id (CLOCK_REALTIME, ...)
    bool signal = true; // SIGEV_SIGNAL (and SIGEV_THREAD); false: SIGEV_NONE
    int signal_number = 0;
    u64 value = 0;            // sigev_value, for the siginfo (SI_TIMER)
    bool value_is_id = false; // no sigevent given: the value is the timer's id
    i32 thread_id = 0;        // SIGEV_THREAD_ID: the thread it goes to; 0: the process
};

// One signal an expiry sends: SIGALRM from ITIMER_REAL (timer_id -1, a
// kernel siginfo), or a POSIX timer's, with what its SI_TIMER siginfo
// carries and the thread it goes to (0: the process).
struct TimerSignal {
    int signal;
    int timer_id;
    int overrun;
    i32 thread_id;
    u64 value;
};

class IntervalTimers {
  public:
    static constexpr u64 no_deadline = ~u64{0};
    // Linux bounds a process's POSIX timers by RLIMIT_SIGPENDING; Kite has
    // a fixed number (EAGAIN past it).
    static constexpr int max_posix_timers = 32;

    IntervalTimers() = default;
    ~IntervalTimers();
    IntervalTimers(const IntervalTimers&) = delete;
    IntervalTimers& operator=(const IntervalTimers&) = delete;

    // getitimer: what is left and the period. As Linux: an ITIMER_REAL due
    // but not yet fired shows 1 us, a CPU timer due shows a tick, and a CPU
    // timer keeps its period even while disarmed.
    [[nodiscard]] TimerValue get(IntervalTimer which, u64 now_ns, u64 tick_ns) const;
    // setitimer: replaces the setting, returns the one before. As Linux, a
    // CPU timer gets a tick more than asked (the tick now running is not
    // counted whole), and an ITIMER_REAL with no value keeps no period.
    TimerValue set(IntervalTimer which, const TimerValue& setting, u64 now_ns, u64 tick_ns);

    // timer_create: the new timer's id (0 up), or EAGAIN when every one is
    // taken (ENOMEM if there is no memory for the table).
    [[nodiscard]] ErrorOr<int> create(const PosixTimerSetup& wanted);
    // timer_delete. EINVAL for an id that is no timer, as for all below.
    [[nodiscard]] ErrorOr<void> remove(int id);
    [[nodiscard]] ErrorOr<PosixTimerSetup> setup(int id) const;
    // timer_gettime.
    [[nodiscard]] ErrorOr<TimerValue> get_posix(int id, u64 now_ns) const;
    // timer_settime: arms the timer to expire at the monotonic time
    // `expires_at_ns` (0 disarms it, and there is no period then; the
    // caller never asks for time 0, the first instant after boot); returns
    // the setting before.
    [[nodiscard]] ErrorOr<TimerValue> set_posix(int id, u64 expires_at_ns, u64 interval_ns,
                                                u64 now_ns);
    // timer_getoverrun: how many expirations joined the timer's last
    // delivered signal (they found it still pending). `pending`: the
    // process's pending signals, which say whether the last signal the
    // timer sent is still waiting (Kite's signals do not tell the timer
    // when they are delivered; Linux counts at delivery).
    [[nodiscard]] ErrorOr<int> overrun(int id, u64 pending) const;

    // exec: the POSIX timers go, the interval timers stay.
    void delete_posix_timers();
    // exit: everything stops.
    void clear();

    // From the timer tick, for the running process, when cpu_timers_armed:
    // charges one tick (user time if in_user_mode) and gives the signals to
    // send (a sigset: SIGVTALRM, SIGPROF).
    [[nodiscard]] bool cpu_timers_armed() const { return m_virtual.armed || m_prof.armed; }
    [[nodiscard]] u64 charge_tick(bool in_user_mode, u64 tick_ns);

    // The real-time timers due at now_ns: re-arms the periodic ones and
    // gives the signals to send (`pending`: the process's pending signals,
    // for the overrun counts) and the next deadline.
    struct Expired {
        u64 signals = 0;
        u64 next_deadline_ns = no_deadline;
        TimerSignal sent[1 + max_posix_timers];
        int sent_count = 0;
    };
    [[nodiscard]] Expired expire(u64 now_ns, u64 pending);
    // The earliest real-time deadline (no_deadline: none armed).
    [[nodiscard]] u64 next_deadline() const;

  private:
    struct CpuTimer {
        bool armed = false;
        i64 left_ns = 0; // goes to or below 0 when it expires
        u64 interval_ns = 0;
    };
    struct PosixTimer {
        bool in_use = false;
        PosixTimerSetup setup;
        u64 expires_at_ns = 0; // 0: disarmed
        u64 interval_ns = 0;
        int overrun = 0;      // expirations joining the signal sent last
        int overrun_last = 0; // those of the signal before it
    };
    struct PosixTimers {
        PosixTimer timers[max_posix_timers];
    };

    [[nodiscard]] PosixTimer* find(int id) const;
    static TimerValue cpu_value(const CpuTimer& timer, u64 tick_ns);

    u64 m_real_at_ns = 0; // ITIMER_REAL's deadline; 0: disarmed
    u64 m_real_interval_ns = 0;
    CpuTimer m_virtual;          // user time
    CpuTimer m_prof;             // user and system time
    OwnPtr<PosixTimers> m_posix; // made by the first timer_create
};

} // namespace kite
