// eventfd.cpp: see eventfd.h. The counter's mutex guards it; readers and
// writers sleep on their queues with it, and every change wakes the other
// side and tells poll (fs/poll_wait.h).
#include "fs/eventfd.h"

#include "api/constants.h"
#include "fs/open_file.h"
#include "fs/poll_wait.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"

namespace kite::eventfd {

namespace {

constexpr u64 counter_max = ~u64{0} - 1; // Linux's ULLONG_MAX - 1

class EventCounter final : public Vnode {
  public:
    EventCounter(u64 initial, bool semaphore)
        : Vnode(VnodeType::Anonymous, 0600), m_count(initial), m_semaphore(semaphore) {}

    const char* anonymous_kind() const override { return "[eventfd]"; }
    bool is_seekable() const override { return false; }
    u64 poll_event_count() const override { return __atomic_load_n(&m_events, __ATOMIC_RELAXED); }
    u32 poll_ready() override {
        MutexGuard guard(m_lock);
        u32 events = 0;
        if (m_count > 0) {
            events |= abi::POLLIN | abi::POLLRDNORM;
        }
        if (m_count == ~u64{0}) {
            events |= abi::POLLERR; // only an overflow in the kernel gets here (Linux too)
        } else if (m_count < counter_max) {
            events |= abi::POLLOUT | abi::POLLWRNORM;
        }
        return events;
    }

    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        return write_with_flags(0, from, length, 0);
    }

    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override {
        if (length < sizeof(u64)) {
            return Error(Errno::INVAL, "an eventfd reads 8 bytes");
        }
        u64 value;
        {
            MutexGuard guard(m_lock);
            while (m_count == 0) {
                if (flags & O_NONBLOCK) {
                    return Error(Errno::AGAIN, "the counter is 0");
                }
                if (m_readable.wait(m_lock) == WaitResult::Interrupted) {
                    return Error(Errno::RESTARTSYS, "interrupted by a signal");
                }
            }
            // Taken before the copy, as Linux's eventfd_read: a bad buffer
            // loses the value.
            value = m_semaphore ? 1 : m_count;
            m_count -= value;
            changed_locked();
        }
        TRY(to.write(0, &value, sizeof(value)));
        return sizeof(value);
    }

    ErrorOr<usize> write_with_flags(u64, const IoBuffer& from, usize length, u32 flags) override {
        // Exactly 8 (Linux 6.x); a read takes any buffer of 8 or more.
        if (length != sizeof(u64)) {
            return Error(Errno::INVAL, "an eventfd writes 8 bytes");
        }
        u64 value;
        TRY(from.read(0, &value, sizeof(value)));
        if (value == ~u64{0}) {
            return Error(Errno::INVAL, "0xffffffffffffffff cannot be added");
        }
        MutexGuard guard(m_lock);
        while (value > counter_max - m_count) {
            if (flags & O_NONBLOCK) {
                return Error(Errno::AGAIN, "the counter would overflow");
            }
            if (m_writable.wait(m_lock) == WaitResult::Interrupted) {
                return Error(Errno::RESTARTSYS, "interrupted by a signal");
            }
        }
        m_count += value;
        if (value != 0) {
            changed_locked();
        }
        return sizeof(value);
    }

  private:
    void changed_locked() {
        __atomic_add_fetch(&m_events, 1, __ATOMIC_RELAXED);
        m_readable.wake_all();
        m_writable.wake_all();
        poll_wait::notify();
    }

    Mutex m_lock{"eventfd", LockRank::EventCounter};
    u64 m_count;
    bool m_semaphore;
    u64 m_events = 0; // for EPOLLET: every change
    WaitQueue m_readable;
    WaitQueue m_writable;
};

} // namespace

ErrorOr<RefPtr<Vnode>> create(u64 initial, bool semaphore) {
    auto counter = TRY(try_make_ref<EventCounter>(initial, semaphore));
    return RefPtr<Vnode>(counter);
}

} // namespace kite::eventfd
