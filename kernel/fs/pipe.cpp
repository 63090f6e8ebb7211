// pipe.cpp: see pipe.h. Each pipe's mutex guards its buffer and counts; it
// is held across the copies to and from user memory (which may fault), and
// waiters sleep on the pipe's queues with it, re-checking after every wake.
// Every wake of readers or writers also tells poll(2) (fs/poll_wait.h).
#include "fs/pipe.h"

#include "api/termios.h"

#include "fs/open_file.h"
#include "fs/poll_wait.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"

namespace kite {

namespace {

class Pipe : public RefCounted<Pipe> {
  public:
    explicit Pipe(bool packets) : m_packet_mode(packets) {}
    [[nodiscard]] ErrorOr<void> init() {
        m_storage = TRY(KBuffer::try_create(pipe_capacity));
        m_buffer = m_storage.data();
        return {};
    }

    [[nodiscard]] usize capacity() {
        MutexGuard guard(m_lock);
        return m_capacity;
    }
    // F_SETPIPE_SZ: a new ring of `capacity` bytes with what the old held,
    // in order; EBUSY if that does not fit.
    [[nodiscard]] ErrorOr<void> resize(usize capacity) {
        MutexGuard guard(m_lock);
        if (capacity < m_count || (m_packet_mode && capacity / pipe_atomic_size < m_packet_count)) {
            return Error(Errno::BUSY, "the pipe holds more than the new size");
        }
        if (capacity == m_capacity) {
            return {};
        }
        KBuffer storage = TRY(KBuffer::try_create(capacity));
        for (usize i = 0; i < m_count; ++i) {
            storage.data()[i] = m_buffer[(m_head + i) % m_capacity];
        }
        m_storage = move(storage);
        m_buffer = m_storage.data();
        m_head = 0;
        m_capacity = capacity;
        m_writable.wake_all();
        poll_wait::notify();
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
        // In packet mode the read ends with the packet, which goes whole.
        const usize available = m_packet_mode ? m_packets[m_packet_head] : m_count;
        const usize n = min(length, available);
        u8 chunk[256];
        for (usize done = 0; done < n;) {
            const usize piece = min(n - done, sizeof(chunk));
            const usize at = (m_head + done) % m_capacity;
            const u8* bytes = m_buffer + at;
            if (at + piece > m_capacity) { // wraps around: gathered first
                for (usize i = 0; i < piece; ++i) {
                    chunk[i] = m_buffer[(at + i) % m_capacity];
                }
                bytes = chunk;
            }
            auto copied = to.write(done, bytes, piece);
            if (copied.is_error()) {
                if (done == 0) {
                    return copied.release_error();
                }
                consume(m_packet_mode ? available : done);
                return done;
            }
            done += piece;
        }
        consume(m_packet_mode ? available : n);
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
            const usize room = m_capacity - m_count;
            // A small write goes in whole or waits; a large one in pieces.
            const usize want = length - done;
            // A packet needs a free slot (and then has room: each holds at
            // most pipe_atomic_size bytes).
            const bool fits = m_packet_mode                ? m_packet_count < packet_slots()
                              : length <= pipe_atomic_size ? room >= want
                                                           : room > 0;
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
            const usize n = min(want, m_packet_mode ? pipe_atomic_size : room);
            u8 chunk[256];
            for (usize put = 0; put < n;) {
                const usize piece = min(n - put, sizeof(chunk));
                // Straight into the buffer, past what it holds, unless the
                // piece wraps around (then through the chunk).
                const usize at = (m_head + m_count) % m_capacity;
                const bool wraps = at + piece > m_capacity;
                auto copied = from.read(done + put, wraps ? chunk : m_buffer + at, piece);
                if (copied.is_error()) {
                    if (m_packet_mode && put > 0) {
                        add_packet(put);
                    }
                    ++m_reader_events;
                    m_readable.wake_all();
                    poll_wait::notify();
                    return done + put > 0 ? ErrorOr<usize>(done + put) : copied.release_error();
                }
                if (wraps) {
                    for (usize i = 0; i < piece; ++i) {
                        m_buffer[(at + i) % m_capacity] = chunk[i];
                    }
                }
                m_count += piece;
                put += piece;
            }
            done += n;
            if (m_packet_mode) {
                add_packet(n);
            }
            ++m_reader_events;
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
        ++(writer ? m_reader_events : m_writer_events);
        m_readable.wake_all();
        m_writable.wake_all();
        poll_wait::notify();
    }
    [[nodiscard]] usize buffered() const { return m_count; }
    // For EPOLLET (Vnode::poll_event_count): each end counts what may
    // wake it: the read end every write and the writers going, the write
    // end every read and the readers going.
    [[nodiscard]] u64 events(bool writer) const {
        return __atomic_load_n(writer ? &m_writer_events : &m_reader_events, __ATOMIC_RELAXED);
    }
    // poll(2), as Linux's pipe_poll: the read end is readable with data
    // and hung up once no writer is left; the write end is writable with
    // room for an atomic write (Linux: a free page) and an error once no
    // reader is left.
    [[nodiscard]] u32 poll_ready(bool writer) {
        MutexGuard guard(m_lock);
        if (writer) {
            const bool room = m_packet_mode ? m_packet_count < packet_slots()
                                            : m_capacity - m_count >= pipe_atomic_size;
            return (room ? abi::POLLOUT | abi::POLLWRNORM : 0) |
                   (m_readers == 0 ? abi::POLLERR : 0);
        }
        return (m_count > 0 ? abi::POLLIN | abi::POLLRDNORM : 0) |
               (m_writers == 0 ? abi::POLLHUP : 0);
    }

  private:
    // Packets the ring may hold: one per page, as Linux's pipe buffers, up
    // to the slots kept (a ring grown by F_SETPIPE_SZ holds no more).
    [[nodiscard]] usize packet_slots() const {
        return min(m_capacity / pipe_atomic_size, pipe_max_packets);
    }
    // Drops bytes read from the front (in packet mode, its first packet).
    void consume(usize bytes) {
        m_head = (m_head + bytes) % m_capacity;
        m_count -= bytes;
        if (m_packet_mode) {
            m_packet_head = (m_packet_head + 1) % pipe_max_packets;
            --m_packet_count;
        }
        ++m_writer_events;
        m_writable.wake_all();
        poll_wait::notify();
    }
    void add_packet(usize bytes) {
        m_packets[(m_packet_head + m_packet_count) % pipe_max_packets] = static_cast<u16>(bytes);
        ++m_packet_count;
    }

    Mutex m_lock{"pipe", LockRank::PipeData};
    KBuffer m_storage;
    u8* m_buffer = nullptr;           // m_storage's bytes: the ring
    usize m_capacity = pipe_capacity; // the ring's size: 64 KiB until F_SETPIPE_SZ
    usize m_head = 0;
    usize m_count = 0;
    u32 m_readers = 0;
    u32 m_writers = 0;
    WaitQueue m_readable;
    WaitQueue m_writable;
    u64 m_reader_events = 0; // written under m_lock, read without it
    u64 m_writer_events = 0;
    // Packet mode: the packets' lengths, oldest at m_packet_head.
    bool m_packet_mode;
    u16 m_packets[pipe_max_packets] = {};
    usize m_packet_head = 0;
    usize m_packet_count = 0;
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
    u64 poll_event_count() const override { return m_pipe->events(m_writer); }
    ErrorOr<usize> pipe_buffer_size() override { return m_pipe->capacity(); }
    // FIONREAD, on either end: the bytes the pipe holds.
    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override {
        if (request != abi::FIONREAD) {
            return Error(Errno::NOTTY, "not a terminal");
        }
        TRY(write_user<i32>(argument, static_cast<i32>(m_pipe->buffered())));
        return 0;
    }
    ErrorOr<void> set_pipe_buffer_size(usize bytes) override { return m_pipe->resize(bytes); }
    bool is_seekable() const override { return false; }
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

// A named pipe (mknod S_IFIFO): a vnode in a file system whose opens
// share one Pipe while any is open (the bytes go with the last close). As
// Linux's fifo_open: a reader waits for a writer and a writer for a
// reader, unless O_NONBLOCK (a reader then goes on, a writer fails with
// ENXIO); O_RDWR waits for nobody. A waiter watches the other side's open
// count, not its number of ends, so a writer that comes and goes at once
// still lets the reader through.
class Fifo final : public Vnode {
  public:
    explicit Fifo(u32 permissions) : Vnode(VnodeType::Fifo, permissions) {}

    bool is_seekable() const override { return false; }
    ErrorOr<void> opened(u32 flags) override;
    void closed(u32 flags) override;
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        return write_with_flags(0, from, length, 0);
    }
    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override {
        const RefPtr<Pipe> pipe = current();
        return pipe ? pipe->read(to, length, flags & O_NONBLOCK) : ErrorOr<usize>(0);
    }
    ErrorOr<usize> write_with_flags(u64, const IoBuffer& from, usize length, u32 flags) override {
        const RefPtr<Pipe> pipe = current();
        if (!pipe) {
            return Error(Errno::PIPE, "no reader");
        }
        return pipe->write(from, length, flags & O_NONBLOCK);
    }
    // Both sides' view: an open file of a FIFO is a reader, a writer or
    // (O_RDWR) both, and this vnode cannot tell which one asks.
    u32 poll_ready() override {
        const RefPtr<Pipe> pipe = current();
        return pipe ? pipe->poll_ready(false) | pipe->poll_ready(true) : 0;
    }
    u64 poll_event_count() const override {
        MutexGuard guard(m_lock);
        return m_pipe ? m_pipe->events(false) + m_pipe->events(true) : 0;
    }

  private:
    [[nodiscard]] RefPtr<Pipe> current() {
        MutexGuard guard(m_lock);
        return m_pipe;
    }
    // Under m_lock: one end fewer; the pipe goes with the last.
    void drop_locked(bool writer) {
        --(writer ? m_writers : m_readers);
        m_pipe->drop_end(writer);
        if (m_readers == 0 && m_writers == 0) {
            m_pipe = nullptr;
        }
    }
    // Under m_lock: waits until the other side's open count moves past
    // seen; on a signal, undoes this open (RESTARTSYS: EINTR or restart).
    ErrorOr<void> wait_for_partner(const u64& opens, bool writer) {
        const u64 seen = opens;
        while (opens == seen) {
            if (m_partner.wait(m_lock) == WaitResult::Interrupted) {
                drop_locked(writer);
                return Error(Errno::RESTARTSYS, "interrupted by a signal");
            }
        }
        return {};
    }

    mutable Mutex m_lock{"fifo", LockRank::FifoOpen};
    RefPtr<Pipe> m_pipe; // while any open file has it open
    u32 m_readers = 0;
    u32 m_writers = 0;
    u64 m_reader_opens = 0;
    u64 m_writer_opens = 0;
    WaitQueue m_partner; // opens waiting for the other side
};

ErrorOr<void> Fifo::opened(u32 flags) {
    const u32 mode = flags & O_ACCMODE;
    if (mode == O_ACCMODE) {
        return Error(Errno::INVAL, "a FIFO is read, written or both");
    }
    const bool nonblocking = flags & O_NONBLOCK;
    MutexGuard guard(m_lock);
    if (mode == O_WRONLY && nonblocking && m_readers == 0) {
        return Error(Errno::NXIO, "no reader has the FIFO open");
    }
    if (!m_pipe) {
        auto pipe = TRY(try_make_ref<Pipe>(false));
        TRY(pipe->init());
        m_pipe = move(pipe);
    }
    const bool reads = mode != O_WRONLY;
    const bool writes = mode != O_RDONLY;
    if (reads) {
        ++m_readers;
        ++m_reader_opens;
        m_pipe->add_end(false);
    }
    if (writes) {
        ++m_writers;
        ++m_writer_opens;
        m_pipe->add_end(true);
    }
    m_partner.wake_all();
    if (reads && writes) {
        return {};
    }
    if (reads && !nonblocking && m_writers == 0) {
        return wait_for_partner(m_writer_opens, false);
    }
    if (writes && m_readers == 0) {
        return wait_for_partner(m_reader_opens, true);
    }
    return {};
}

void Fifo::closed(u32 flags) {
    const u32 mode = flags & O_ACCMODE;
    MutexGuard guard(m_lock);
    if (mode != O_WRONLY) {
        drop_locked(false);
    }
    if (mode != O_RDONLY) {
        drop_locked(true);
    }
}

} // namespace

ErrorOr<PipeEnds> create_pipe(bool packets) {
    auto pipe = TRY(try_make_ref<Pipe>(packets));
    TRY(pipe->init());
    auto read_end = TRY(try_make_ref<PipeEnd>(pipe, false));
    auto write_end = TRY(try_make_ref<PipeEnd>(pipe, true));
    return PipeEnds{RefPtr<Vnode>(read_end), RefPtr<Vnode>(write_end)};
}

ErrorOr<RefPtr<Vnode>> create_fifo(u32 permissions) {
    return RefPtr<Vnode>(TRY(try_make_ref<Fifo>(permissions)));
}

} // namespace kite
