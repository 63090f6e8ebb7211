// unix_socket.h: AF_UNIX sockets (stream, datagram and seqpacket), as
// Linux's net/unix. An open socket is a UnixSocketFile (the vnode its open
// file holds) over a UnixSocket, the state peers, listeners and queued
// messages share. Names are path names (a socket vnode bind leaves in a
// file system) or abstract (sun_path[0] == 0, the bytes up to the given
// length, in a table of their own); sockets without one are unnamed.
//
// Every socket's state is guarded by one sleeping lock, the sockets lock
// (LockRank::UnixSockets), which is held across the copies to and from
// user memory; waiters sleep on one queue and re-check after every wake
// (each change wakes them all and tells poll(2)). A connection always
// involves two sockets and often a name, and one lock keeps those steps
// whole without an order between sockets.
#pragma once

#include "api/socket.h"
#include "net/file_rights.h"
#include "net/io_vector.h"
#include "net/unix_socket_name.h"

namespace kite {

// A sockaddr_un as Linux keeps it: path names cut at their NUL (length
// 2 + strlen + 1), abstract names exactly as given; length 2 is unnamed.
struct SocketAddress {
    abi::SockaddrUn raw{abi::AF_UNIX, {}};
    u32 length = 2;

    [[nodiscard]] bool is_unnamed() const { return length <= 2; }
    [[nodiscard]] bool is_abstract() const { return length > 2 && raw.path[0] == '\0'; }
    // A path name's path (NUL-terminated in raw.path).
    [[nodiscard]] StringView path() const { return StringView(raw.path, length - 3); }
    // From the bytes a caller gave (EINVAL for a bad length or family).
    // For bind, length 2 asks for an automatic abstract name.
    [[nodiscard]] static ErrorOr<SocketAddress> from(const void* bytes, usize length);
};

// One sendmsg: the bytes, where to (null: the peer), the flags.
struct SendRequest {
    const IoVector& data;
    u32 flags = 0;            // MSG_*
    bool nonblocking = false; // the open file's O_NONBLOCK
    const SocketAddress* to = nullptr;
    FileRights rights;                       // SCM_RIGHTS
    const abi::Ucred* credentials = nullptr; // SCM_CREDENTIALS (checked by the caller)
};

// What one recvmsg got besides the bytes.
struct ReceivedMessage {
    usize result = 0; // recvmsg's return value
    u32 flags = 0;    // msg_flags: MSG_TRUNC
    SocketAddress from;
    bool has_credentials = false; // SO_PASSCRED was on
    abi::Ucred credentials{};
    FileRights rights;
};

class UnixSocketFile final : public SocketVnode {
  public:
    [[nodiscard]] static ErrorOr<RefPtr<UnixSocketFile>> create(int type);
    struct Pair {
        RefPtr<UnixSocketFile> first;
        RefPtr<UnixSocketFile> second;
    };
    [[nodiscard]] static ErrorOr<Pair> create_pair(int type);
    ~UnixSocketFile() override;

    // permissions: a path name's node's (0777 less the caller's umask).
    [[nodiscard]] ErrorOr<void> bind(const SocketAddress& address, u32 permissions);
    [[nodiscard]] ErrorOr<void> listen(int backlog);
    // AF_UNSPEC (address null) dissolves a datagram socket's association.
    [[nodiscard]] ErrorOr<void> connect(const SocketAddress* address, bool nonblocking);
    [[nodiscard]] ErrorOr<RefPtr<UnixSocketFile>> accept(bool nonblocking, SocketAddress& peer);
    [[nodiscard]] ErrorOr<usize> send(SendRequest& request);
    [[nodiscard]] ErrorOr<void> receive(const IoVector& data, u32 flags, bool nonblocking,
                                        ReceivedMessage& out);
    [[nodiscard]] ErrorOr<void> shutdown(int how);
    [[nodiscard]] SocketAddress name() const;
    [[nodiscard]] ErrorOr<SocketAddress> peer_name() const;
    // SOL_SOCKET options: the value's bytes (at most 16) into out, their
    // count returned; ENOPROTOOPT for options AF_UNIX does not have.
    [[nodiscard]] ErrorOr<usize> get_option(int name, u8* out) const;
    [[nodiscard]] ErrorOr<void> set_option(int name, const u8* value, usize length);
    [[nodiscard]] int socket_type() const;

    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        return write_with_flags(0, from, length, 0);
    }
    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override;
    ErrorOr<usize> write_with_flags(u64, const IoBuffer& from, usize length, u32 flags) override;
    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override;
    u32 poll_ready() override;
    u64 poll_event_count() const override;

    // The socket under this vnode, for the collector of descriptor cycles
    // (net/unix_socket.cpp), under the sockets lock.
    [[nodiscard]] UnixSocket* socket_for_collector() const;

  private:
    template <typename T, typename... Args>
    friend ErrorOr<RefPtr<T>> try_make_ref(Args&&... args);
    explicit UnixSocketFile(RefPtr<UnixSocket> socket);
    RefPtr<UnixSocket> m_socket;
};

} // namespace kite
