// pipe.cpp: see pipe.h. Each pipe's mutex guards its buffer and counts; it
// is held across the copies to and from user memory (which may fault), and
// waiters sleep on the pipe's queues with it, re-checking after every wake.
// Every wake of readers or writers also tells poll(2) (fs/poll_wait.h).
#include "fs/pipe.h"

#include "fs/open_file.h"
#include "fs/poll_wait.h"
#include "lib/format.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"

namespace kite {

namespace {

class Pipe : public RefCounted<Pipe> {
  public:
    u64 inode = 0; // what /proc names it by (set once, as the ends are made)

    [[nodiscard]] ErrorOr<void> init() {
        m_storage = TRY(KBuffer::try_create(pipe_capacity));
        m_buffer = m_storage.data();
        return {};
    }

    ErrorOr<usize> read(const IoBuffer& to, usize length, bool nonblocking) {
        if (length == 0) {
            return 0;
        }
        MutexGuard guard(m_lock);
        while (m_count == 0) {
            if (m_writers == 0) {
                return 0; // end of file
            }
            if (nonblocking) {
                return Error(Errno::AGAIN, "pipe empty");
            }
            if (m_readable.wait(m_lock) == WaitResult::Interrupted) {
                // Signal delivery makes this EINTR, or restarts the read.
                return Error(Errno::RESTARTSYS, "interrupted by a signal");
            }
        }
        const usize n = min(length, m_count);
        u8 chunk[256];
        for (usize done = 0; done < n;) {
            const usize piece = min(n - done, sizeof(chunk));
            const usize at = (m_head + done) % pipe_capacity;
            const u8* bytes = m_buffer + at;
            if (at + piece > pipe_capacity) { // wraps around: gathered first
                for (usize i = 0; i < piece; ++i) {
                    chunk[i] = m_buffer[(at + i) % pipe_capacity];
                }
                bytes = chunk;
            }
            auto copied = to.write(done, bytes, piece);
            if (copied.is_error()) {
                if (done == 0) {
                    return copied.release_error();
                }
                m_head = (m_head + done) % pipe_capacity;
                m_count -= done;
                m_writable.wake_all();
                poll_wait::notify();
                return done;
            }
            done += piece;
        }
        m_head = (m_head + n) % pipe_capacity;
        m_count -= n;
        m_writable.wake_all();
        poll_wait::notify();
        return n;
    }

    ErrorOr<usize> write(const IoBuffer& from, usize length, bool nonblocking) {
        MutexGuard guard(m_lock);
        usize done = 0;
        while (done < length) {
            if (m_readers == 0) {
                Process::current()->send_signal(signals::PIPE);
                return done > 0 ? ErrorOr<usize>(done) : Error(Errno::PIPE, "no reader left");
            }
            const usize room = pipe_capacity - m_count;
            // A small write goes in whole or waits; a large one in pieces.
            const usize want = length - done;
            const bool fits = length <= pipe_atomic_size ? room >= want : room > 0;
            if (!fits) {
                if (nonblocking) {
                    return done > 0 ? ErrorOr<usize>(done) : Error(Errno::AGAIN, "pipe full");
                }
                if (m_writable.wait(m_lock) == WaitResult::Interrupted) {
                    return done > 0 ? ErrorOr<usize>(done)
                                    : Error(Errno::RESTARTSYS, "interrupted by a signal");
                }
                continue;
            }
            const usize n = min(want, room);
            u8 chunk[256];
            for (usize put = 0; put < n;) {
                const usize piece = min(n - put, sizeof(chunk));
                // Straight into the buffer, past what it holds, unless the
                // piece wraps around (then through the chunk).
                const usize at = (m_head + m_count) % pipe_capacity;
                const bool wraps = at + piece > pipe_capacity;
                auto copied = from.read(done + put, wraps ? chunk : m_buffer + at, piece);
                if (copied.is_error()) {
                    m_readable.wake_all();
                    poll_wait::notify();
                    return done + put > 0 ? ErrorOr<usize>(done + put) : copied.release_error();
                }
                if (wraps) {
                    for (usize i = 0; i < piece; ++i) {
                        m_buffer[(at + i) % pipe_capacity] = chunk[i];
                    }
                }
                m_count += piece;
                put += piece;
            }
            done += n;
            m_readable.wake_all();
            poll_wait::notify();
        }
        return done;
    }

    void add_end(bool writer) {
        MutexGuard guard(m_lock);
        ++(writer ? m_writers : m_readers);
    }
    void drop_end(bool writer) {
        MutexGuard guard(m_lock);
        --(writer ? m_writers : m_readers);
        m_readable.wake_all();
        m_writable.wake_all();
        poll_wait::notify();
    }
    [[nodiscard]] usize buffered() const { return m_count; }
    // poll(2), as Linux's pipe_poll: the read end is readable with data
    // and hung up once no writer is left; the write end is writable with
    // room for an atomic write (Linux: a free page) and an error once no
    // reader is left.
    [[nodiscard]] u32 poll_ready(bool writer) {
        MutexGuard guard(m_lock);
        if (writer) {
            return (pipe_capacity - m_count >= pipe_atomic_size ? abi::POLLOUT | abi::POLLWRNORM
                                                                : 0) |
                   (m_readers == 0 ? abi::POLLERR : 0);
        }
        return (m_count > 0 ? abi::POLLIN | abi::POLLRDNORM : 0) |
               (m_writers == 0 ? abi::POLLHUP : 0);
    }

  private:
    Mutex m_lock{"pipe", LockRank::PipeData};
    KBuffer m_storage;
    u8* m_buffer = nullptr; // m_storage's bytes: the ring
    usize m_head = 0;
    usize m_count = 0;
    u32 m_readers = 0;
    u32 m_writers = 0;
    WaitQueue m_readable;
    WaitQueue m_writable;
};

class PipeEnd final : public Vnode {
  public:
    PipeEnd(RefPtr<Pipe> pipe, bool writer)
        : Vnode(VnodeType::Fifo, 0600), m_pipe(move(pipe)), m_writer(writer) {
        m_pipe->add_end(writer);
    }
    ~PipeEnd() override { m_pipe->drop_end(m_writer); }

    u64 size() const override { return m_pipe->buffered(); }
    u32 poll_ready() override { return m_pipe->poll_ready(m_writer); }
    bool is_seekable() const override { return false; }
    // Both ends are one pipe to /proc, named by the read end's inode.
    usize anonymous_name(char* out, usize capacity) const override {
        return format_to(out, capacity, "pipe:[{}]", m_pipe->inode).length();
    }
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        return write_with_flags(0, from, length, 0);
    }
    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override {
        if (m_writer) {
            return Error(Errno::BADF, "the write end of a pipe");
        }
        return m_pipe->read(to, length, flags & O_NONBLOCK);
    }
    ErrorOr<usize> write_with_flags(u64, const IoBuffer& from, usize length, u32 flags) override {
        if (!m_writer) {
            return Error(Errno::BADF, "the read end of a pipe");
        }
        return m_pipe->write(from, length, flags & O_NONBLOCK);
    }

  private:
    RefPtr<Pipe> m_pipe;
    bool m_writer;
};

} // namespace

ErrorOr<PipeEnds> create_pipe() {
    auto pipe = TRY(try_make_ref<Pipe>());
    TRY(pipe->init());
    auto read_end = TRY(try_make_ref<PipeEnd>(pipe, false));
    pipe->inode = read_end->inode();
    auto write_end = TRY(try_make_ref<PipeEnd>(pipe, true));
    return PipeEnds{RefPtr<Vnode>(read_end), RefPtr<Vnode>(write_end)};
}

} // namespace kite
