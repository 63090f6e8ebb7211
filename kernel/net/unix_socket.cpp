// unix_socket.cpp: see unix_socket.h. The rules follow Linux's
// net/unix/af_unix.c: which errno, in which order, when a peer goes.
#include "net/unix_socket.h"

#include "debug/panic.h"
#include "fs/name_rules.h"
#include "fs/namespace_lock.h"
#include "fs/poll_wait.h"
#include "fs/vfs.h"
#include "lib/own_ptr.h"
#include "proc/process.h"
#include "sync/mutex.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u8 receive_shut = 1; // RCV_SHUTDOWN
constexpr u8 send_shut = 2;    // SEND_SHUTDOWN
constexpr u8 both_shut = 3;

constexpr u32 default_buffer = 212992;   // net.core.wmem_default and rmem_default
constexpr u32 max_buffer = 212992;       // net.core.wmem_max and rmem_max
constexpr u32 min_send_buffer = 4608;    // SOCK_MIN_SNDBUF
constexpr u32 min_receive_buffer = 2304; // SOCK_MIN_RCVBUF
constexpr u32 max_datagram_queue = 10;   // net.unix.max_dgram_qlen
constexpr u32 max_backlog = 4096;        // net.core.somaxconn
constexpr usize max_chunk = 64 * KiB;    // one stream message at most
// What a queued message costs its sender's send buffer beyond its bytes
// (Linux counts the sk_buff), so that empty messages are bounded too.
constexpr usize message_overhead = 256;

constexpr u64 FIONREAD = 0x541b; // SIOCINQ

// A singly linked FIFO that owns its entries; destroyed iteratively, so a
// long queue does not recurse down the kernel stack.
template <typename T>
class Fifo : NonCopyable {
  public:
    struct Node {
        explicit Node(T&& v) : value(move(v)) {}
        T value;
        OwnPtr<Node> next;
    };
    Fifo() = default;
    ~Fifo() {
        while (m_head) {
            (void)take_front();
        }
    }
    // Out of memory, value is left as it was: the caller decides where
    // what it holds goes (files in flight must not be dropped under the
    // sockets lock).
    [[nodiscard]] ErrorOr<void> push(T&& value) {
        OwnPtr<Node> node = TRY(try_make<Node>(move(value)));
        append(move(node));
        return {};
    }
    [[nodiscard]] Node* head() const { return m_head.ptr(); }
    [[nodiscard]] T* front() const { return m_head ? &m_head->value : nullptr; }
    [[nodiscard]] usize count() const { return m_count; }
    [[nodiscard]] bool is_empty() const { return m_count == 0; }
    T take_front() {
        OwnPtr<Node> node = move(m_head);
        m_head = move(node->next);
        if (!m_head) {
            m_tail = nullptr;
        }
        --m_count;
        return move(node->value);
    }
    // Moves the first entry to the end of other; allocates nothing.
    void move_front_to(Fifo& other) {
        OwnPtr<Node> node = move(m_head);
        m_head = move(node->next);
        if (!m_head) {
            m_tail = nullptr;
        }
        --m_count;
        other.append(move(node));
    }
    // Moves every entry to the end of other.
    void move_to(Fifo& other) {
        while (m_head) {
            move_front_to(other);
        }
    }

  private:
    void append(OwnPtr<Node> node) {
        Node* raw = node.ptr();
        if (m_tail) {
            m_tail->next = move(node);
        } else {
            m_head = move(node);
        }
        m_tail = raw;
        ++m_count;
    }

    OwnPtr<Node> m_head;
    Node* m_tail = nullptr;
    usize m_count = 0;
};

} // namespace

// One queued message: a datagram, a seqpacket record or a piece of a
// stream, with what came along with it.
struct QueuedMessage {
    KBuffer data;
    usize length = 0;
    usize consumed = 0; // a stream's bytes already read
    RefPtr<UnixSocket> sender;
    usize charge = 0; // on the sender's send buffer until taken off the queue
    SocketAddress from;
    abi::Ucred credentials{};
    FileRights rights;
};

using MessageQueue = Fifo<QueuedMessage>;

class UnixSocket : public RefCounted<UnixSocket> {
  public:
    enum class State : u8 { Unconnected, Listening, Connected };

    explicit UnixSocket(int socket_type) : type(socket_type) {}
    ~UnixSocket() { VERIFY(released || !listed); }

    [[nodiscard]] bool is_connection_based() const { return type != abi::SOCK_DGRAM; }

    const int type;
    State state = State::Unconnected;
    bool released = false; // its file is closed (or, pending, its listener's)
    bool listed = false;   // on the list of all sockets
    u8 shutdown = 0;
    Errno error{}; // SO_ERROR; 0 for none
    bool passcred = false;
    bool reuseaddr = false;
    u32 send_buffer = default_buffer;
    u32 receive_buffer = default_buffer;
    u64 send_timeout_ns = 0; // 0: none
    u64 receive_timeout_ns = 0;
    usize send_charge = 0; // bytes of this socket's messages still queued
    RefPtr<UnixSocket> peer;
    // The peer's credentials at connect or socketpair (SO_PEERCRED); a
    // listener's own, from listen, which its connections get.
    abi::Ucred peer_credentials{0, ~0u, ~0u};
    SocketAddress address;
    RefPtr<UnixSocketName> name; // a path name's vnode, while bound
    MessageQueue queue;
    usize queued_bytes = 0;
    Fifo<RefPtr<UnixSocket>> pending; // a listener's connections not yet accepted
    u32 backlog = 0;
    // All sockets, for abstract names and the collection of descriptor
    // cycles.
    UnixSocket* previous = nullptr;
    UnixSocket* next = nullptr;
    // The collector's marks (see collect_cycles).
    usize in_flight = 0;
    OpenFile* in_flight_file = nullptr;
    bool several_files = false;
    bool unreachable = false;
    // The endpoint vnode over this socket while there is one.
    UnixSocketFile* file = nullptr;
};

namespace {

Mutex sockets_lock{"unix sockets", LockRank::UnixSockets};
WaitQueue socket_waiters; // every socket wait: a change wakes them all
UnixSocket* all_sockets = nullptr;
u32 next_autobind = 0;

// Counts every change, for EPOLLET (Vnode::poll_event_count): one count
// for all sockets, so an edge may be reported that concerns another
// socket, never one missed.
u64 change_count = 0;

// Something a waiter or poll(2) may care about changed.
void changed() {
    __atomic_add_fetch(&change_count, 1, __ATOMIC_RELAXED);
    socket_waiters.wake_all();
    poll_wait::notify();
}

void add_to_list(UnixSocket& socket) {
    socket.next = all_sockets;
    if (all_sockets) {
        all_sockets->previous = &socket;
    }
    all_sockets = &socket;
    socket.listed = true;
}

void remove_from_list(UnixSocket& socket) {
    if (!socket.listed) {
        return;
    }
    if (socket.previous) {
        socket.previous->next = socket.next;
    } else {
        all_sockets = socket.next;
    }
    if (socket.next) {
        socket.next->previous = socket.previous;
    }
    socket.previous = socket.next = nullptr;
    socket.listed = false;
}

abi::Ucred current_credentials() {
    Process* self = Process::current();
    return {self->pid(), self->uid, self->gid};
}

// The deadline of a wait with the socket's timeout (0: none).
u64 deadline_after(u64 timeout_ns) {
    return timeout_ns ? clock::monotonic_ns() + timeout_ns : 0;
}

// Sleeps until some socket changes; the sockets lock is held, and let go
// while asleep. EAGAIN if the call may not wait or its timeout (SO_RCVTIMEO,
// SO_SNDTIMEO) has passed; a signal restarts the call, or with a timeout is
// EINTR, as Linux's sock_intr_errno.
ErrorOr<void> wait_for_change(bool nonblocking, u64 deadline) {
    if (nonblocking) {
        return Error(Errno::AGAIN, "would block");
    }
    u64 timeout = 0;
    if (deadline) {
        const u64 now = clock::monotonic_ns();
        if (now >= deadline) {
            return Error(Errno::AGAIN, "socket timeout");
        }
        timeout = deadline - now;
    }
    switch (socket_waiters.wait(sockets_lock, timeout)) {
    case WaitResult::Interrupted:
        return Error(deadline ? Errno::INTR : Errno::RESTARTSYS, "interrupted by a signal");
    case WaitResult::TimedOut:
        return Error(Errno::AGAIN, "socket timeout");
    case WaitResult::Woken:
        break;
    }
    return {};
}

bool same_address(const SocketAddress& a, const SocketAddress& b) {
    return a.length == b.length && __builtin_memcmp(&a.raw, &b.raw, a.length) == 0;
}

bool abstract_name_taken(const SocketAddress& address) {
    for (UnixSocket* s = all_sockets; s; s = s->next) {
        if (s->address.is_abstract() && same_address(s->address, address)) {
            return true;
        }
    }
    return false;
}

// Linux's autobind: an abstract name of five hex digits.
ErrorOr<void> autobind(UnixSocket& socket) {
    if (!socket.address.is_unnamed()) {
        return {};
    }
    SocketAddress address;
    address.length = 2 + 1 + 5;
    for (u32 tries = 0; tries <= 0xfffff; ++tries) {
        const u32 n = next_autobind++ & 0xfffff;
        address.raw.path[0] = '\0';
        for (int i = 0; i < 5; ++i) {
            address.raw.path[1 + i] = "0123456789abcdef"[(n >> (4 * (4 - i))) & 0xf];
        }
        if (!abstract_name_taken(address)) {
            socket.address = address;
            return {};
        }
    }
    return Error(Errno::NOSPC, "no automatic name left");
}

// A message's removal from its queue: its sender's buffer has room again.
// Takes the first queued message off the socket's accounts and moves it
// to garbage, to be dropped after the lock. It cannot fail: this is how a
// closing socket or a receive lets go of messages that may carry files.
void discard_message(UnixSocket& socket, MessageQueue& garbage) {
    const QueuedMessage& message = *socket.queue.front();
    socket.queued_bytes -= message.length - message.consumed;
    if (message.sender) {
        message.sender->send_charge -= message.charge;
    }
    socket.queue.move_front_to(garbage);
}

// Closes the socket's side: wakes and resets its peer, frees its name and
// hands its queued messages to garbage (dropped once the lock is let go:
// the files in them may be sockets, whose closing takes the lock).
void release(UnixSocket& socket, MessageQueue& garbage, bool was_pending) {
    socket.released = true;
    remove_from_list(socket);
    if (socket.name) {
        socket.name->bound = nullptr;
        socket.name.clear();
    }
    while (!socket.pending.is_empty()) {
        RefPtr<UnixSocket> connection = socket.pending.take_front();
        release(*connection, garbage, true);
    }
    if (socket.peer && socket.is_connection_based()) {
        UnixSocket& peer = *socket.peer;
        peer.shutdown = both_shut;
        if (!socket.queue.is_empty() || was_pending) {
            peer.error = Errno::CONNRESET;
        }
    }
    socket.peer.clear();
    while (!socket.queue.is_empty()) {
        discard_message(socket, garbage);
    }
    socket.state = UnixSocket::State::Unconnected;
    socket.file = nullptr;
    changed();
}

// The socket an open file's rights entry is, or null.
UnixSocket* socket_of(OpenFile& file);

// Linux's unix_gc, simply: sockets whose every reference is a message in
// flight, all of them queued on such sockets, are a cycle no program can
// reach (a socket sent over itself, say); their queues are thrown away.
void collect_cycles(MessageQueue& garbage) {
    for (UnixSocket* s = all_sockets; s; s = s->next) {
        s->in_flight = 0;
        s->in_flight_file = nullptr;
        s->several_files = false;
    }
    bool any = false;
    for (UnixSocket* s = all_sockets; s; s = s->next) {
        for (auto* node = s->queue.head(); node; node = node->next.ptr()) {
            for (usize i = 0; i < node->value.rights.count(); ++i) {
                OpenFile* file = node->value.rights[i].ptr();
                UnixSocket* target = socket_of(*file);
                if (!target) {
                    continue;
                }
                any = true;
                ++target->in_flight;
                if (target->in_flight_file && target->in_flight_file != file) {
                    target->several_files = true;
                }
                target->in_flight_file = file;
            }
        }
    }
    if (!any) {
        return;
    }
    // Candidates: one open file over the socket's vnode, referred to only
    // by messages in flight (a descriptor or a call in progress holds one
    // more reference).
    for (UnixSocket* s = all_sockets; s; s = s->next) {
        s->unreachable = s->in_flight > 0 && !s->several_files && s->file &&
                         s->file->ref_count() == 1 &&
                         s->in_flight_file->ref_count() == s->in_flight;
    }
    // What a reachable socket holds is reachable.
    for (bool marked = true; marked;) {
        marked = false;
        for (UnixSocket* s = all_sockets; s; s = s->next) {
            if (s->unreachable) {
                continue;
            }
            for (auto* node = s->queue.head(); node; node = node->next.ptr()) {
                for (usize i = 0; i < node->value.rights.count(); ++i) {
                    UnixSocket* target = socket_of(*node->value.rights[i]);
                    if (target && target->unreachable) {
                        target->unreachable = false;
                        marked = true;
                    }
                }
            }
        }
    }
    for (UnixSocket* s = all_sockets; s; s = s->next) {
        if (s->unreachable) {
            while (!s->queue.is_empty()) {
                discard_message(*s, garbage);
            }
        }
    }
}

// The name vnode a path name resolves to (before the sockets lock: the
// resolution takes the namespace lock, which ranks below it); null for an
// abstract name.
ErrorOr<RefPtr<Vnode>> resolve_name(const SocketAddress& address) {
    if (address.is_abstract()) {
        return RefPtr<Vnode>();
    }
    const StringView path = address.path();
    const RefPtr<Vnode> base = path[0] == '/' ? vfs::root() : Process::current()->cwd();
    return vfs::resolve(path, base);
}

// The open socket bound to the address (name_vnode from resolve_name):
// ECONNREFUSED if none is (a file that is no socket, a closed one),
// EPROTOTYPE if it is of another type. Under the sockets lock.
ErrorOr<RefPtr<UnixSocket>> bound_socket(const SocketAddress& address,
                                         const RefPtr<Vnode>& name_vnode, int type) {
    UnixSocket* found = nullptr;
    if (address.is_abstract()) {
        for (UnixSocket* s = all_sockets; s && !found; s = s->next) {
            if (s->address.is_abstract() && same_address(s->address, address) &&
                s->state != UnixSocket::State::Connected) {
                found = s;
            }
        }
        // A connected socket can hold the name too (an accepted one shows
        // its listener's): the listener is the one not connected; any
        // bound datagram socket answers.
        for (UnixSocket* s = all_sockets; s && !found; s = s->next) {
            if (s->address.is_abstract() && same_address(s->address, address) && !s->name &&
                s->type == abi::SOCK_DGRAM) {
                found = s;
            }
        }
    } else if (name_vnode->type() == VnodeType::Socket &&
               !static_cast<SocketVnode&>(*name_vnode).is_endpoint()) {
        found = static_cast<UnixSocketName&>(*name_vnode).bound;
    }
    if (!found || found->released) {
        return Error(Errno::CONNREFUSED, "no socket is bound there");
    }
    if (found->type != type) {
        return Error(Errno::PROTOTYPE, "a socket of another type");
    }
    return RefPtr<UnixSocket>(found);
}

ErrorOr<RefPtr<UnixSocket>> new_socket(int type) {
    RefPtr<UnixSocket> socket = TRY(try_make_ref<UnixSocket>(type));
    MutexGuard guard(sockets_lock);
    add_to_list(*socket);
    return socket;
}

// Readiness, as Linux's unix_poll and unix_dgram_poll.
u32 poll_locked(const UnixSocket& s) {
    using State = UnixSocket::State;
    u32 mask = 0;
    if (s.error != Errno{}) {
        mask |= abi::POLLERR;
    }
    if (s.shutdown == both_shut) {
        mask |= abi::POLLHUP;
    }
    if (s.shutdown & receive_shut) {
        mask |= abi::POLLRDHUP | abi::POLLIN | abi::POLLRDNORM;
    }
    if (!s.queue.is_empty() || !s.pending.is_empty()) {
        mask |= abi::POLLIN | abi::POLLRDNORM;
    }
    if (s.is_connection_based() && s.state == State::Unconnected) {
        mask |= abi::POLLHUP;
    }
    bool writable = s.state != State::Listening && (s.send_charge << 2) <= s.send_buffer;
    if (writable && !s.is_connection_based() && s.peer && s.peer->peer.ptr() != &s &&
        s.peer->queue.count() > max_datagram_queue) {
        writable = false;
    }
    if (writable) {
        mask |= abi::POLLOUT | abi::POLLWRNORM | abi::POLLWRBAND;
    }
    return mask;
}

// A stream send: pieces of at most half the send buffer, each waiting for
// room; the rights go with the first piece.
ErrorOr<usize> send_stream(UnixSocket& s, SendRequest& request, u64 deadline,
                           const abi::Ucred& credentials) {
    const bool nonblocking = request.nonblocking || (request.flags & abi::MSG_DONTWAIT);
    const usize total = request.data.length();
    usize sent = 0;
    auto broken = [&]() -> ErrorOr<usize> {
        if (sent > 0) {
            return sent;
        }
        if (!(request.flags & abi::MSG_NOSIGNAL)) {
            Process::current()->send_signal(signals::PIPE);
        }
        return Error(Errno::PIPE, "the peer is gone");
    };
    if (s.shutdown & send_shut) {
        return broken();
    }
    if (total == 0) {
        return 0; // Linux sends nothing (and any rights are dropped)
    }
    do {
        UnixSocket* peer = s.peer.ptr();
        if (!peer || peer->released || (peer->shutdown & receive_shut)) {
            return broken();
        }
        if (s.send_charge >= s.send_buffer) {
            auto waited = wait_for_change(nonblocking, deadline);
            if (waited.is_error()) {
                return sent > 0 ? ErrorOr<usize>(sent) : waited.release_error();
            }
            continue;
        }
        const usize piece = min(total - sent, min<usize>(s.send_buffer / 2 - 64, max_chunk));
        QueuedMessage message;
        auto data = KBuffer::try_create(piece > 0 ? piece : 1);
        if (data.is_error()) {
            return sent > 0 ? ErrorOr<usize>(sent) : data.release_error();
        }
        message.data = data.release_value();
        auto copied = request.data.read(sent, message.data.data(), piece);
        if (copied.is_error()) {
            return sent > 0 ? ErrorOr<usize>(sent) : copied.release_error();
        }
        message.length = piece;
        message.sender = &s;
        message.charge = piece + message_overhead;
        message.from = s.address;
        message.credentials = credentials;
        message.rights = move(request.rights); // the first piece's; empty after
        auto pushed = peer->queue.push(move(message));
        if (pushed.is_error()) {
            // The files go back to the request, dropped after the lock.
            request.rights = move(message.rights);
            return sent > 0 ? ErrorOr<usize>(sent) : pushed.release_error();
        }
        s.send_charge += piece + message_overhead;
        peer->queued_bytes += piece;
        sent += piece;
        changed();
    } while (sent < total);
    return sent;
}

// A datagram or seqpacket send: the whole message or nothing.
ErrorOr<usize> send_message(UnixSocket& s, SendRequest& request, RefPtr<UnixSocket> target,
                            u64 deadline, const abi::Ucred& credentials) {
    const bool nonblocking = request.nonblocking || (request.flags & abi::MSG_DONTWAIT);
    const usize length = request.data.length();
    if (length > s.send_buffer - 32) {
        return Error(Errno::MSGSIZE, "message longer than the send buffer");
    }
    KBuffer data = TRY(KBuffer::try_create(length > 0 ? length : 1));
    TRY(request.data.read(0, data.data(), length));
    for (;;) {
        UnixSocket* other = target ? target.ptr() : s.peer.ptr();
        if (!other) {
            return Error(Errno::NOTCONN, "not connected");
        }
        if (other->released) {
            if (s.type == abi::SOCK_SEQPACKET) {
                return Error(Errno::PIPE, "the peer is gone");
            }
            if (s.peer.ptr() == other) { // dissolved, as Linux: ENOTCONN from now on
                s.peer.clear();
                s.state = UnixSocket::State::Unconnected;
            }
            return Error(Errno::CONNREFUSED, "the receiver is closed");
        }
        if (other->peer && other->peer.ptr() != &s) {
            return Error(Errno::PERM, "the receiver is connected to another socket");
        }
        if ((s.shutdown & send_shut) || (other->shutdown & receive_shut)) {
            return Error(Errno::PIPE, "shut down");
        }
        const bool queue_full =
            other->peer.ptr() != &s && other->queue.count() > max_datagram_queue;
        if (queue_full || s.send_charge >= s.send_buffer) {
            TRY(wait_for_change(nonblocking, deadline));
            continue;
        }
        QueuedMessage message;
        message.data = move(data);
        message.length = length;
        message.sender = &s;
        message.charge = length + message_overhead;
        message.from = s.address;
        message.credentials = credentials;
        message.rights = move(request.rights);
        auto pushed = other->queue.push(move(message));
        if (pushed.is_error()) {
            request.rights = move(message.rights); // dropped after the lock
            return pushed.release_error();
        }
        s.send_charge += length + message_overhead;
        other->queued_bytes += length;
        changed();
        return length;
    }
}

// Copies a message's credentials and rights into out, taking the rights
// (or, when peeking, another reference to them).
ErrorOr<void> deliver_extras(const UnixSocket& s, QueuedMessage& message, bool peek,
                             ReceivedMessage& out) {
    if (s.passcred) {
        out.has_credentials = true;
        out.credentials = message.credentials;
    }
    if (!message.rights.is_empty() && out.rights.is_empty()) {
        if (peek) {
            out.rights = TRY(message.rights.copy());
        } else {
            out.rights = move(message.rights);
        }
    }
    return {};
}

void note_sender(const QueuedMessage& message, ReceivedMessage& out) {
    out.from = message.from;
    if (out.from.is_unnamed()) {
        out.from.length = 0; // Linux leaves msg_namelen 0 for an unnamed sender
    }
}

ErrorOr<void> receive_stream(UnixSocket& s, const IoVector& to, u32 flags, bool nonblocking,
                             u64 deadline, ReceivedMessage& out, MessageQueue& garbage) {
    const bool peek = flags & abi::MSG_PEEK;
    const usize wanted = to.length();
    const usize target = (flags & abi::MSG_WAITALL) ? wanted : min<usize>(wanted, 1);
    usize copied = 0;
    bool have_credentials = false;
    abi::Ucred first_credentials{};
    // While peeking, the messages already looked at are skipped.
    MessageQueue::Node* cursor = s.queue.head();
    usize peek_skip = 0;
    for (;;) {
        QueuedMessage* message = peek ? (cursor ? &cursor->value : nullptr) : s.queue.front();
        if (!message) {
            if (copied >= target) {
                break;
            }
            if (s.error != Errno{}) {
                if (copied > 0) {
                    break;
                }
                const Errno error = s.error;
                s.error = Errno{};
                return Error(error, "connection reset");
            }
            if (s.shutdown & receive_shut) {
                break;
            }
            auto waited = wait_for_change(nonblocking, deadline);
            if (waited.is_error()) {
                if (copied > 0) {
                    break;
                }
                return waited.release_error();
            }
            if (peek) {
                cursor = s.queue.head();
                peek_skip = 0;
                copied = 0; // look again from the start
            }
            continue;
        }
        // With SO_PASSCRED, the bytes of different writers are never run
        // together (their credentials would be lost).
        if (s.passcred) {
            if (have_credentials && (first_credentials.pid != message->credentials.pid ||
                                     first_credentials.uid != message->credentials.uid ||
                                     first_credentials.gid != message->credentials.gid)) {
                break;
            }
            have_credentials = true;
            first_credentials = message->credentials;
        }
        if (copied == 0) {
            note_sender(*message, out);
        }
        const usize skip = message->consumed + (peek ? peek_skip : 0);
        const usize chunk = min(message->length - skip, wanted - copied);
        if (chunk > 0) {
            auto written = to.write(copied, message->data.data() + skip, chunk);
            if (written.is_error()) {
                if (copied > 0) {
                    break;
                }
                return written.release_error();
            }
        }
        copied += chunk;
        const bool had_rights = !message->rights.is_empty();
        TRY(deliver_extras(s, *message, peek, out));
        if (peek) {
            if (had_rights) {
                break;
            }
            if (skip + chunk < message->length) {
                break; // the caller's buffer is full
            }
            cursor = cursor->next.ptr();
            peek_skip = 0;
        } else {
            message->consumed += chunk;
            s.queued_bytes -= chunk;
            if (message->consumed < message->length) {
                break;
            }
            discard_message(s, garbage);
            if (had_rights) {
                break;
            }
        }
        if (copied >= wanted) {
            break;
        }
    }
    if (!peek) {
        changed(); // the sender has room
    }
    out.result = copied;
    return {};
}

ErrorOr<void> receive_message(UnixSocket& s, const IoVector& to, u32 flags, bool nonblocking,
                              u64 deadline, ReceivedMessage& out, MessageQueue& garbage) {
    const bool peek = flags & abi::MSG_PEEK;
    while (s.queue.is_empty()) {
        if (s.error != Errno{}) {
            const Errno error = s.error;
            s.error = Errno{};
            return Error(error, "socket error");
        }
        if (s.shutdown & receive_shut) {
            out.result = 0;
            return {};
        }
        TRY(wait_for_change(nonblocking, deadline));
    }
    QueuedMessage& message = *s.queue.front();
    const usize n = min(message.length, to.length());
    TRY(to.write(0, message.data.data(), n));
    note_sender(message, out);
    TRY(deliver_extras(s, message, peek, out));
    if (message.length > n) {
        out.flags |= abi::MSG_TRUNC;
    }
    out.result = (flags & abi::MSG_TRUNC) ? message.length : n;
    if (!peek) {
        discard_message(s, garbage);
        changed();
    }
    return {};
}

UnixSocket* socket_of(OpenFile& file) {
    Vnode& vnode = *file.vnode();
    if (vnode.type() != VnodeType::Socket || !static_cast<SocketVnode&>(vnode).is_endpoint()) {
        return nullptr;
    }
    return static_cast<UnixSocketFile&>(vnode).socket_for_collector();
}

} // namespace

ErrorOr<SocketAddress> SocketAddress::from(const void* bytes, usize length) {
    if (length < 2 || length > sizeof(abi::SockaddrUn)) {
        return Error(Errno::INVAL, "bad address length");
    }
    SocketAddress address;
    __builtin_memcpy(&address.raw, bytes, length);
    if (address.raw.family != abi::AF_UNIX) {
        return Error(Errno::INVAL, "not an AF_UNIX address");
    }
    address.length = static_cast<u32>(length);
    if (length > 2 && address.raw.path[0] != '\0') {
        // A path name ends at its NUL (or at the end of sun_path).
        usize path_length = 0;
        while (path_length < length - 2 && address.raw.path[path_length] != '\0') {
            ++path_length;
        }
        if (path_length == sizeof(address.raw.path)) {
            return Error(Errno::INVAL, "path name without room for its NUL");
        }
        address.raw.path[path_length] = '\0';
        address.length = static_cast<u32>(2 + path_length + 1);
    }
    return address;
}

UnixSocketFile::UnixSocketFile(RefPtr<UnixSocket> socket)
    : SocketVnode(true, 0777), m_socket(move(socket)) {}

UnixSocket* UnixSocketFile::socket_for_collector() const {
    return m_socket.ptr();
}

ErrorOr<RefPtr<UnixSocketFile>> UnixSocketFile::create(int type) {
    RefPtr<UnixSocket> socket = TRY(new_socket(type));
    auto file = try_make_ref<UnixSocketFile>(socket);
    MutexGuard guard(sockets_lock);
    if (file.is_error()) {
        MessageQueue none;
        release(*socket, none, false);
        return file.release_error();
    }
    socket->file = file.value().ptr();
    return file.release_value();
}

ErrorOr<UnixSocketFile::Pair> UnixSocketFile::create_pair(int type) {
    // One at a time: a TRY inside the braces would leave the first behind
    // when the second fails (GCC runs no destructor for it).
    RefPtr<UnixSocketFile> first = TRY(create(type));
    RefPtr<UnixSocketFile> second = TRY(create(type));
    Pair pair{move(first), move(second)};
    const abi::Ucred credentials = current_credentials();
    MutexGuard guard(sockets_lock);
    UnixSocket& a = *pair.first->m_socket;
    UnixSocket& b = *pair.second->m_socket;
    a.peer = &b;
    b.peer = &a;
    a.state = b.state = UnixSocket::State::Connected;
    a.peer_credentials = b.peer_credentials = credentials;
    return pair;
}

namespace {

// Messages of released sockets, dropped after the lock by whoever drains
// them: their files may be sockets holding more messages, so freeing them
// where they are found would recurse once per level of sockets sent inside
// sockets (a stack overflow a program can build). Under sockets_lock.
MessageQueue deferred_garbage;
bool draining_garbage = false;

} // namespace

UnixSocketFile::~UnixSocketFile() {
    {
        MessageQueue garbage;
        MutexGuard guard(sockets_lock);
        release(*m_socket, garbage, false);
        collect_cycles(garbage);
        garbage.move_to(deferred_garbage);
        if (draining_garbage) {
            return; // an outer destructor's loop drops it
        }
        draining_garbage = true;
    }
    for (;;) {
        MessageQueue batch; // dropped at the end of each turn, with no lock held
        {
            MutexGuard guard(sockets_lock);
            deferred_garbage.move_to(batch);
            if (batch.is_empty()) {
                draining_garbage = false;
                return;
            }
        }
    }
}

ErrorOr<void> UnixSocketFile::bind(const SocketAddress& address, u32 name_permissions) {
    UnixSocket& s = *m_socket;
    if (address.is_unnamed()) {
        MutexGuard guard(sockets_lock);
        return autobind(s);
    }
    if (address.is_abstract()) {
        MutexGuard guard(sockets_lock);
        if (!s.address.is_unnamed()) {
            return Error(Errno::INVAL, "already bound");
        }
        if (abstract_name_taken(address)) {
            return Error(Errno::ADDRINUSE, "the name is taken");
        }
        s.address = address;
        return {};
    }
    // A path name: the socket vnode is made first (EADDRINUSE if the name
    // exists, even for a socket already bound, as Linux).
    const StringView path = address.path();
    const RefPtr<Vnode> base = path[0] == '/' ? vfs::root() : Process::current()->cwd();
    RefPtr<Vnode> node;
    {
        const vfs::NamespaceGuard tree;
        auto target = vfs::resolve_for(vfs::NameUse::MakeLink, path, base);
        if (target.is_error()) {
            return target.error().code() == Errno::EXIST
                       ? Error(Errno::ADDRINUSE, "the path exists")
                       : target.release_error();
        }
        node = TRY(target.value().directory->create(target.value().name, VnodeType::Socket,
                                                    name_permissions));
    }
    {
        MutexGuard guard(sockets_lock);
        if (s.address.is_unnamed() && !s.released) {
            s.address = address;
            s.name = static_cast<UnixSocketName*>(node.ptr());
            s.name->bound = &s;
            return {};
        }
    }
    // Bound meanwhile: the node made for nothing goes again.
    const vfs::NamespaceGuard tree;
    auto made = vfs::resolve_for(vfs::NameUse::Unlink, path, base);
    if (!made.is_error() && made.value().existing == node) {
        (void)made.value().directory->remove(made.value().name);
    }
    return Error(Errno::INVAL, "already bound");
}

ErrorOr<void> UnixSocketFile::listen(int backlog) {
    UnixSocket& s = *m_socket;
    MutexGuard guard(sockets_lock);
    if (s.type == abi::SOCK_DGRAM) {
        return Error(Errno::OPNOTSUPP, "datagram sockets do not listen");
    }
    if (s.state == UnixSocket::State::Connected || s.address.is_unnamed()) {
        return Error(Errno::INVAL, "connected or unbound");
    }
    s.backlog = static_cast<u32>(backlog) > max_backlog ? max_backlog : static_cast<u32>(backlog);
    s.state = UnixSocket::State::Listening;
    s.peer_credentials = current_credentials();
    changed();
    return {};
}

ErrorOr<void> UnixSocketFile::connect(const SocketAddress* address, bool nonblocking) {
    UnixSocket& s = *m_socket;
    if (!address) { // AF_UNSPEC
        if (s.is_connection_based()) {
            return Error(Errno::INVAL, "not an AF_UNIX address");
        }
        MutexGuard guard(sockets_lock);
        s.peer.clear();
        s.state = UnixSocket::State::Unconnected;
        changed();
        return {};
    }
    if (address->is_unnamed()) {
        return Error(Errno::INVAL, "no name to connect to");
    }
    const RefPtr<Vnode> name_vnode = TRY(resolve_name(*address));
    const abi::Ucred credentials = current_credentials();
    MutexGuard guard(sockets_lock);
    if (s.passcred) {
        TRY(autobind(s));
    }
    if (!s.is_connection_based()) {
        RefPtr<UnixSocket> other = TRY(bound_socket(*address, name_vnode, s.type));
        if (other->peer && other->peer.ptr() != &s && other.ptr() != &s) {
            return Error(Errno::PERM, "the receiver is connected to another socket");
        }
        s.peer = other;
        s.state = UnixSocket::State::Connected;
        changed();
        return {};
    }
    const u64 deadline = deadline_after(s.send_timeout_ns);
    RefPtr<UnixSocket> other;
    for (;;) {
        other = TRY(bound_socket(*address, name_vnode, s.type));
        if (other->state != UnixSocket::State::Listening || (other->shutdown & receive_shut)) {
            return Error(Errno::CONNREFUSED, "not listening");
        }
        if (other->pending.count() <= other->backlog) {
            break;
        }
        TRY(wait_for_change(nonblocking, deadline)); // EAGAIN, not EINPROGRESS, as Linux
    }
    if (s.state == UnixSocket::State::Connected) {
        return Error(Errno::ISCONN, "already connected");
    }
    if (s.state == UnixSocket::State::Listening) {
        return Error(Errno::INVAL, "a listening socket");
    }
    // The listener's end of the connection, waiting for accept.
    RefPtr<UnixSocket> end = TRY(try_make_ref<UnixSocket>(s.type));
    add_to_list(*end);
    end->state = UnixSocket::State::Connected;
    end->peer = &s;
    end->address = other->address;
    end->peer_credentials = credentials;
    end->passcred = other->passcred;
    auto queued = other->pending.push(RefPtr<UnixSocket>(end));
    if (queued.is_error()) {
        MessageQueue none;
        end->peer.clear();
        release(*end, none, false);
        return queued.release_error();
    }
    s.peer = end;
    s.state = UnixSocket::State::Connected;
    s.peer_credentials = other->peer_credentials;
    changed();
    return {};
}

ErrorOr<RefPtr<UnixSocketFile>> UnixSocketFile::accept(bool nonblocking, SocketAddress& peer) {
    UnixSocket& s = *m_socket;
    // Declared before the guard, so dropped after it: the connector may
    // have sent descriptors already, and their end must not come under the
    // lock.
    MessageQueue garbage;
    MutexGuard guard(sockets_lock);
    if (s.type == abi::SOCK_DGRAM) {
        return Error(Errno::OPNOTSUPP, "datagram sockets do not accept");
    }
    if (s.state != UnixSocket::State::Listening) {
        return Error(Errno::INVAL, "not listening");
    }
    const u64 deadline = deadline_after(s.receive_timeout_ns);
    while (s.pending.is_empty()) {
        // shutdown() of the listener ends accepts waiting for nothing (as
        // Linux's skb_recv_datagram on RCV_SHUTDOWN): EINVAL.
        if (s.shutdown & receive_shut) {
            return Error(Errno::INVAL, "the listener was shut down");
        }
        TRY(wait_for_change(nonblocking, deadline));
        if (s.state != UnixSocket::State::Listening) {
            return Error(Errno::INVAL, "not listening");
        }
    }
    RefPtr<UnixSocket> end = s.pending.take_front();
    changed(); // room in the backlog
    auto file = try_make_ref<UnixSocketFile>(end);
    if (file.is_error()) {
        release(*end, garbage, true);
        return file.release_error();
    }
    end->file = file.value().ptr();
    peer = end->peer ? end->peer->address : SocketAddress{};
    return file.release_value();
}

namespace {

// Messages with descriptors sent since the last collection (under
// sockets_lock). Cycles of sockets whose only references are in flight
// form when their descriptors are closed, which destroys nothing, so the
// collector also runs every so many such sends (Linux: past 16000 files
// in flight) and their memory stays bounded.
constexpr u32 collect_every = 1024;
u32 rights_sends_since_collection = 0;

} // namespace

ErrorOr<usize> UnixSocketFile::send(SendRequest& request) {
    UnixSocket& s = *m_socket;
    RefPtr<Vnode> name_vnode;
    if (request.to && s.type == abi::SOCK_DGRAM) {
        if (request.to->is_unnamed()) {
            return Error(Errno::INVAL, "no name to send to");
        }
        name_vnode = TRY(resolve_name(*request.to));
    }
    const abi::Ucred credentials =
        request.credentials ? *request.credentials : current_credentials();
    // Rights not sent, and what a collection throws away, are dropped
    // after the lock (they may be sockets).
    MessageQueue garbage;
    const bool has_rights = !request.rights.is_empty();
    FileRights unsent = move(request.rights);
    MutexGuard guard(sockets_lock);
    request.rights = move(unsent);
    const u64 deadline = deadline_after(s.send_timeout_ns);
    // In a lambda so that every path, early errors too, hands the unsent
    // rights back before the lock is left.
    ErrorOr<usize> result = [&]() -> ErrorOr<usize> {
        if (s.type == abi::SOCK_STREAM) {
            if (request.to) {
                return Error(s.state == UnixSocket::State::Connected ? Errno::ISCONN
                                                                     : Errno::OPNOTSUPP,
                             "an address on a stream socket");
            }
            if (s.state != UnixSocket::State::Connected) {
                return Error(Errno::NOTCONN, "not connected");
            }
            return send_stream(s, request, deadline, credentials);
        } else if (s.type == abi::SOCK_SEQPACKET) {
            if (s.state != UnixSocket::State::Connected) {
                return Error(Errno::NOTCONN, "not connected");
            }
            return send_message(s, request, {}, deadline, credentials);
        }
        RefPtr<UnixSocket> target;
        if (request.to) {
            target = TRY(bound_socket(*request.to, name_vnode, s.type));
        }
        if (s.passcred || (target && target->passcred) || (s.peer && s.peer->passcred)) {
            TRY(autobind(s));
        }
        return send_message(s, request, move(target), deadline, credentials);
    }();
    unsent = move(request.rights);
    if (has_rights && !result.is_error() && ++rights_sends_since_collection >= collect_every) {
        rights_sends_since_collection = 0;
        collect_cycles(garbage);
    }
    return result;
}

ErrorOr<void> UnixSocketFile::receive(const IoVector& data, u32 flags, bool nonblocking,
                                      ReceivedMessage& out) {
    UnixSocket& s = *m_socket;
    MessageQueue garbage; // messages read: their files were taken, or go after the lock
    MutexGuard guard(sockets_lock);
    nonblocking = nonblocking || (flags & abi::MSG_DONTWAIT);
    const u64 deadline = deadline_after(s.receive_timeout_ns);
    if (s.type == abi::SOCK_STREAM) {
        if (s.state != UnixSocket::State::Connected) {
            return Error(Errno::INVAL, "not connected");
        }
        return receive_stream(s, data, flags, nonblocking, deadline, out, garbage);
    }
    if (s.type == abi::SOCK_SEQPACKET && s.state != UnixSocket::State::Connected) {
        return Error(Errno::NOTCONN, "not connected");
    }
    return receive_message(s, data, flags, nonblocking, deadline, out, garbage);
}

ErrorOr<void> UnixSocketFile::shutdown(int how) {
    if (how < abi::SHUT_RD || how > abi::SHUT_RDWR) {
        return Error(Errno::INVAL, "bad shutdown mode");
    }
    // SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 as RCV_SHUTDOWN | SEND_SHUTDOWN bits.
    const u8 mode = static_cast<u8>(how + 1);
    UnixSocket& s = *m_socket;
    MutexGuard guard(sockets_lock);
    s.shutdown |= mode;
    if (s.peer && s.is_connection_based()) {
        const u8 peer_mode = static_cast<u8>(((mode & receive_shut) ? send_shut : 0) |
                                             ((mode & send_shut) ? receive_shut : 0));
        s.peer->shutdown |= peer_mode;
    }
    changed();
    return {};
}

int UnixSocketFile::socket_type() const {
    return m_socket->type; // fixed at creation
}

u64 UnixSocketFile::poll_event_count() const {
    return __atomic_load_n(&change_count, __ATOMIC_RELAXED);
}

SocketAddress UnixSocketFile::name() const {
    MutexGuard guard(sockets_lock);
    return m_socket->address;
}

ErrorOr<SocketAddress> UnixSocketFile::peer_name() const {
    MutexGuard guard(sockets_lock);
    if (!m_socket->peer) {
        return Error(Errno::NOTCONN, "not connected");
    }
    return m_socket->peer->address;
}

namespace {

usize put_int(u8* out, int value) {
    __builtin_memcpy(out, &value, sizeof(value));
    return sizeof(value);
}

usize put_timeout(u8* out, u64 ns) {
    const abi::Timeval value{static_cast<i64>(ns / 1'000'000'000),
                             static_cast<i64>(ns % 1'000'000'000 / 1000)};
    __builtin_memcpy(out, &value, sizeof(value));
    return sizeof(value);
}

} // namespace

ErrorOr<usize> UnixSocketFile::get_option(int name, u8* out) const {
    UnixSocket& s = *m_socket;
    MutexGuard guard(sockets_lock);
    switch (name) {
    case abi::SO_TYPE:
        return put_int(out, s.type);
    case abi::SO_DOMAIN:
        return put_int(out, abi::AF_UNIX);
    case abi::SO_PROTOCOL:
        return put_int(out, 0);
    case abi::SO_ACCEPTCONN:
        return put_int(out, s.state == UnixSocket::State::Listening);
    case abi::SO_ERROR: {
        const int error = static_cast<int>(s.error);
        s.error = Errno{};
        return put_int(out, error);
    }
    case abi::SO_REUSEADDR:
        return put_int(out, s.reuseaddr);
    case abi::SO_PASSCRED:
        return put_int(out, s.passcred);
    case abi::SO_SNDBUF:
        return put_int(out, static_cast<int>(s.send_buffer));
    case abi::SO_RCVBUF:
        return put_int(out, static_cast<int>(s.receive_buffer));
    case abi::SO_PEERCRED:
        __builtin_memcpy(out, &s.peer_credentials, sizeof(abi::Ucred));
        return sizeof(abi::Ucred);
    case abi::SO_RCVTIMEO:
        return put_timeout(out, s.receive_timeout_ns);
    case abi::SO_SNDTIMEO:
        return put_timeout(out, s.send_timeout_ns);
    default:
        return Error(Errno::NOPROTOOPT, "no such socket option");
    }
}

ErrorOr<void> UnixSocketFile::set_option(int name, const u8* value, usize length) {
    UnixSocket& s = *m_socket;
    if (name == abi::SO_RCVTIMEO || name == abi::SO_SNDTIMEO) {
        abi::Timeval time;
        if (length < sizeof(time)) {
            return Error(Errno::INVAL, "option too short");
        }
        __builtin_memcpy(&time, value, sizeof(time));
        if (time.microseconds < 0 || time.microseconds >= 1'000'000) {
            return Error(Errno::DOM, "microseconds out of range");
        }
        // A negative time is the shortest wait Linux gives (none at all);
        // zero is no timeout.
        const u64 ns = time.seconds < 0 ? 1
                                        : static_cast<u64>(time.seconds) * 1'000'000'000 +
                                              static_cast<u64>(time.microseconds) * 1000;
        MutexGuard guard(sockets_lock);
        (name == abi::SO_RCVTIMEO ? s.receive_timeout_ns : s.send_timeout_ns) = ns;
        return {};
    }
    if (length < sizeof(int)) {
        return Error(Errno::INVAL, "option too short");
    }
    int number;
    __builtin_memcpy(&number, value, sizeof(number));
    MutexGuard guard(sockets_lock);
    switch (name) {
    case abi::SO_REUSEADDR:
        s.reuseaddr = number != 0;
        return {};
    case abi::SO_PASSCRED:
        s.passcred = number != 0;
        return {};
    case abi::SO_SNDBUF:
    case abi::SO_RCVBUF: {
        // Linux doubles what it is given (for its own overhead), within
        // the system's maximum and above a minimum.
        const u32 asked = min<u32>(static_cast<u32>(number), max_buffer);
        const u32 minimum = name == abi::SO_SNDBUF ? min_send_buffer : min_receive_buffer;
        const u32 size = max<u32>(asked * 2, minimum);
        (name == abi::SO_SNDBUF ? s.send_buffer : s.receive_buffer) = size;
        changed(); // a larger send buffer may make room
        return {};
    }
    default:
        return Error(Errno::NOPROTOOPT, "no such socket option");
    }
}

ErrorOr<usize> UnixSocketFile::read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) {
    ReceivedMessage received;
    TRY(receive(IoVector::single(to, length), 0, flags & O_NONBLOCK, received));
    return received.result;
}

ErrorOr<usize> UnixSocketFile::write_with_flags(u64, const IoBuffer& from, usize length,
                                                u32 flags) {
    const IoVector data = IoVector::single(from, length);
    SendRequest request{data, 0, (flags & O_NONBLOCK) != 0, nullptr, {}, nullptr};
    return send(request);
}

ErrorOr<i64> UnixSocketFile::ioctl(u64 request, UserAddress argument) {
    if (request != FIONREAD) {
        return Vnode::ioctl(request, argument);
    }
    int amount;
    {
        MutexGuard guard(sockets_lock);
        UnixSocket& s = *m_socket;
        if (s.state == UnixSocket::State::Listening) {
            return Error(Errno::INVAL, "a listening socket");
        }
        // A stream's queued bytes; the next message's length otherwise.
        amount = static_cast<int>(s.type == abi::SOCK_STREAM
                                      ? s.queued_bytes
                                      : (s.queue.is_empty() ? 0 : s.queue.front()->length));
    }
    TRY(write_user(argument, amount));
    return 0;
}

u32 UnixSocketFile::poll_ready() {
    MutexGuard guard(sockets_lock);
    return poll_locked(*m_socket);
}

} // namespace kite
