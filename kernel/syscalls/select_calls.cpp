// select_calls.cpp: select and pselect6, Linux's bitmap form of poll: three
// fd_sets (read, write, except) of nfds bits each, answered in place. They
// share the wait with poll (syscalls/wait_loop.h) and ask each vnode the
// same question (Vnode::poll_ready); the events map to the sets as Linux's
// POLLIN_SET, POLLOUT_SET and POLLEX_SET.
#include "api/constants.h"
#include "api/types.h"
#include "fs/open_file.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "proc/wait_mask.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "syscalls/wait_loop.h"

namespace kite {

namespace {

constexpr u32 read_set_events =
    abi::POLLRDNORM | abi::POLLRDBAND | abi::POLLIN | abi::POLLHUP | abi::POLLERR;
constexpr u32 write_set_events = abi::POLLWRBAND | abi::POLLWRNORM | abi::POLLOUT | abi::POLLERR;
constexpr u32 except_set_events = abi::POLLPRI;

constexpr usize bits_per_word = 64;

// The three sets the caller gave (a null one is empty and not written),
// and the three answers, each `words` long.
class FdSets {
  public:
    [[nodiscard]] ErrorOr<void> init(usize bits, const u64 (&addresses)[3]) {
        m_bits = bits;
        m_words = (bits + bits_per_word - 1) / bits_per_word;
        m_storage = TRY(KBuffer::try_create(6 * m_words * sizeof(u64) + 1));
        // A null set asks for nothing: its words must read as zero.
        __builtin_memset(m_storage.data(), 0, 6 * m_words * sizeof(u64));
        for (int i = 0; i < 3; ++i) {
            m_addresses[i] = addresses[i];
            if (addresses[i] != 0) {
                TRY(copy_from_user(asked(i), {addresses[i]}, bytes()));
            }
        }
        return {};
    }

    // EBADF if a set names a descriptor that is not open (Linux's
    // max_select_fd, before any wait).
    [[nodiscard]] ErrorOr<void> check_open(const FdTable& fds) const {
        for (usize fd = 0; fd < m_bits; ++fd) {
            if (is_asked(fd) && !fds.is_open(static_cast<int>(fd))) {
                return Error(Errno::BADF, "select on a descriptor that is not open");
            }
        }
        return {};
    }

    // Fills the answers; how many bits are set in them.
    [[nodiscard]] usize check(FdTable& fds) {
        __builtin_memset(answer(0), 0, 3 * bytes());
        usize ready = 0;
        for (usize fd = 0; fd < m_bits; ++fd) {
            if (!is_asked(fd)) {
                continue;
            }
            auto file = fds.get(static_cast<int>(fd));
            if (file.is_error()) {
                continue; // closed since: Linux's POLLNVAL, in no set
            }
            const u32 events = file.value()->vnode()->poll_ready();
            const u32 wanted[3] = {read_set_events, write_set_events, except_set_events};
            for (int i = 0; i < 3; ++i) {
                if (has(asked(i), fd) && (events & wanted[i])) {
                    answer(i)[fd / bits_per_word] |= u64{1} << (fd % bits_per_word);
                    ++ready;
                }
            }
        }
        return ready;
    }

    [[nodiscard]] ErrorOr<void> write_back() const {
        for (int i = 0; i < 3; ++i) {
            if (m_addresses[i] != 0) {
                TRY(copy_to_user({m_addresses[i]}, answer(i), bytes()));
            }
        }
        return {};
    }

  private:
    // Linux copies whole longs: FDS_BYTES(nfds).
    [[nodiscard]] usize bytes() const { return m_words * sizeof(u64); }
    [[nodiscard]] u64* asked(int i) const {
        return reinterpret_cast<u64*>(m_storage.data()) + i * m_words;
    }
    [[nodiscard]] u64* answer(int i) const { return asked(3 + i); }
    [[nodiscard]] static bool has(const u64* set, usize fd) {
        return set[fd / bits_per_word] & (u64{1} << (fd % bits_per_word));
    }
    [[nodiscard]] bool is_asked(usize fd) const {
        return has(asked(0), fd) || has(asked(1), fd) || has(asked(2), fd);
    }

    KBuffer m_storage; // asked: read, write, except; then the three answers
    usize m_bits = 0;
    usize m_words = 0;
    u64 m_addresses[3] = {};
};

// What select and pselect6 share, once the timeout and the mask are read.
ErrorOr<usize> select_sets(const SyscallArguments& args, const WaitDeadline& deadline) {
    const int nfds = int_argument(args.a0);
    if (nfds < 0) {
        return Error(Errno::INVAL, "negative nfds");
    }
    FdTable& fds = Process::current()->fds();
    // Linux reads no further than its descriptor table reaches (max_fds:
    // 64, doubled as descriptors above it are opened); so does Kite's.
    const usize bits = min<usize>(static_cast<usize>(nfds), static_cast<usize>(fds.capacity()));
    FdSets sets;
    TRY(sets.init(bits, {args.a1, args.a2, args.a3}));
    TRY(sets.check_open(fds));
    const usize ready =
        TRY(wait_until_ready(deadline, [&]() -> ErrorOr<usize> { return sets.check(fds); }));
    TRY(sets.write_back());
    return ready;
}

// A struct timeval as Linux's select reads it: microseconds past a second
// carry into the seconds; what is still negative is EINVAL.
ErrorOr<u64> read_timeval_ns(u64 address) {
    const auto time = TRY(read_user<abi::Timeval>({address}));
    const i64 seconds = time.seconds + time.microseconds / 1'000'000;
    const i64 nanoseconds = (time.microseconds % 1'000'000) * 1000;
    if (time.seconds < 0 || seconds < 0 || nanoseconds < 0) {
        return Error(Errno::INVAL, "bad timeval");
    }
    return min<u64>(static_cast<u64>(seconds), 1ull << 32) * 1'000'000'000 +
           static_cast<u64>(nanoseconds);
}

} // namespace

// select(nfds, readfds, writefds, exceptfds, timeout): the timeval (null:
// for ever) is updated with the time left, as on Linux. Interrupted, the
// call restarts if no handler ran.
SyscallResult sys_select(const SyscallArguments& args) {
    WaitDeadline deadline = WaitDeadline::forever();
    if (args.a4 != 0) {
        deadline = WaitDeadline::after_ns(TRY(read_timeval_ns(args.a4)));
    }
    auto ready = select_sets(args, deadline);
    write_time_left(args.a4, deadline, true);
    return TRY(move(ready));
}

// pselect6(nfds, readfds, writefds, exceptfds, timeout, sig): a timespec,
// and sig points at Linux's pair {const sigset_t* mask; size_t size} (null:
// no mask), the mask in place for the wait only.
SyscallResult sys_pselect6(const SyscallArguments& args) {
    struct SigsetArgument {
        u64 mask;
        u64 size;
    };
    static_assert(sizeof(SigsetArgument) == 16);
    SigsetArgument sig{0, 0};
    if (args.a5 != 0) {
        sig = TRY(read_user<SigsetArgument>({args.a5}));
    }
    WaitDeadline deadline = WaitDeadline::forever();
    if (args.a4 != 0) {
        deadline = WaitDeadline::after_ns(TRY(read_timespec_ns(args.a4)));
    }
    WaitSignalMask mask;
    TRY(mask.install_from_user(sig.mask, sig.size));
    auto ready = select_sets(args, deadline);
    write_time_left(args.a4, deadline, false);
    if (ready.is_error() && ready.release_error().code() == Errno::RESTARTNOHAND) {
        mask.keep_for_delivery();
    }
    return TRY(move(ready));
}

} // namespace kite
