// signalfd.cpp: see signalfd.h. Reads take signals through
// Process::wait_for_signal (rt_sigtimedwait's path); sending a signal tells
// poll (proc/signal_delivery.cpp calls poll_wait::notify).
#include "fs/signalfd.h"

#include "api/constants.h"
#include "api/signalfd.h"
#include "fs/poll_wait.h"
#include "proc/process.h"
#include "proc/signals.h"

namespace kite::signalfd {

namespace {

constexpr const char* signalfd_kind = "[signalfd]";

// Linux's signalfd_copyinfo: the fields the siginfo's kind carries.
abi::SignalfdSiginfo record_of(int signal, const signals::SigInfo& info) {
    abi::SignalfdSiginfo out{};
    out.signo = static_cast<u32>(signal);
    out.errno_value = info.errno_value;
    out.code = info.code;
    const bool fault = (signals::bit(signal) & signals::synchronous_signals) && info.code > 0 &&
                       info.code < signals::SI_KERNEL;
    if (info.code == signals::SI_TIMER) {
        out.tid = static_cast<u32>(info.timer.timer_id);
        out.overrun = static_cast<u32>(info.timer.overrun);
        out.ptr = info.timer.value;
        out.int_value = static_cast<i32>(info.timer.value);
    } else if (signal == signals::CHLD && info.code > 0 && info.code < signals::SI_KERNEL) {
        out.pid = static_cast<u32>(info.child.pid);
        out.uid = info.child.uid;
        out.status = info.child.status;
        out.utime = static_cast<u64>(info.child.user_time);
        out.stime = static_cast<u64>(info.child.system_time);
    } else if (fault) {
        out.addr = info.fault.address;
    } else {
        out.pid = static_cast<u32>(info.kill.pid);
        out.uid = info.kill.uid;
        if (info.code < 0 && info.code != signals::SI_TKILL) { // sigqueue's value
            out.ptr = info.kill.value;
            out.int_value = static_cast<i32>(info.kill.value);
        }
    }
    return out;
}

class SignalFd final : public Vnode {
  public:
    explicit SignalFd(u64 mask) : Vnode(VnodeType::Anonymous, 0600), m_mask(mask) {}

    const char* anonymous_kind() const override { return signalfd_kind; }
    bool is_seekable() const override { return false; }
    void set_mask(u64 mask) {
        __atomic_store_n(&m_mask, mask, __ATOMIC_RELAXED);
        poll_wait::notify(); // what is readable changed
    }
    [[nodiscard]] u64 mask() const { return __atomic_load_n(&m_mask, __ATOMIC_RELAXED); }

    u32 poll_ready() override {
        Process* process = Process::current();
        Thread& self = *Scheduler::current();
        if (!process) {
            return 0;
        }
        SpinlockGuard guard(Process::table_lock());
        const u64 pending = self.user.pending.mask() | process->pending_signals();
        return pending & mask() ? abi::POLLIN | abi::POLLRDNORM : 0;
    }

    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    // As many records as fit; only the first may wait.
    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override {
        constexpr usize record = sizeof(abi::SignalfdSiginfo);
        if (length < record) {
            return Error(Errno::INVAL, "a signalfd reads 128 bytes at a time");
        }
        Process& process = *Process::current();
        usize done = 0;
        while (done + record <= length) {
            const bool may_wait = done == 0 && !(flags & O_NONBLOCK);
            signals::SigInfo info;
            auto taken = process.wait_for_signal(mask(), may_wait ? ~u64{0} : 0, info);
            if (taken.is_error()) {
                if (done > 0) {
                    break;
                }
                if (taken.release_error().code() == Errno::INTR) {
                    return Error(Errno::RESTARTSYS, "interrupted by a signal");
                }
                return taken.release_error(); // EAGAIN
            }
            const abi::SignalfdSiginfo out = record_of(taken.value(), info);
            auto written = to.write(done, &out, record);
            if (written.is_error()) {
                return done > 0 ? ErrorOr<usize>(done) : written.release_error();
            }
            done += record;
        }
        return done;
    }

  private:
    u64 m_mask;
};

} // namespace

ErrorOr<RefPtr<Vnode>> create(u64 mask) {
    auto fd = TRY(try_make_ref<SignalFd>(mask & ~signals::unblockable));
    return RefPtr<Vnode>(fd);
}

bool is_signalfd(const Vnode& vnode) {
    return vnode.anonymous_kind() == signalfd_kind;
}

void set_mask(Vnode& signalfd, u64 mask) {
    static_cast<SignalFd&>(signalfd).set_mask(mask & ~signals::unblockable);
}

} // namespace kite::signalfd
