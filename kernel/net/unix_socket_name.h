// unix_socket_name.h: the vnodes of AF_UNIX sockets. Two kinds share
// VnodeType::Socket: an endpoint, which an open file holds (socket(2),
// socketpair(2), accept(2)), and a name, the file bind(2) leaves in a file
// system for connect(2) and sendto(2) to find. A name outlives its socket
// (the file stays until unlinked; connecting then is ECONNREFUSED), so it
// points at the socket only while the socket is open: the link is cleared,
// under the sockets lock, when the socket is released.
#pragma once

#include "fs/vnode.h"
#include "lib/format.h"

namespace kite {

class UnixSocket;

class SocketVnode : public Vnode {
  public:
    // An endpoint or a name (every Socket vnode is one of these).
    [[nodiscard]] bool is_endpoint() const { return m_endpoint; }
    bool is_seekable() const override { return false; }
    // /proc/PID/fd names an endpoint socket:[inode], as Linux.
    usize anonymous_name(char* out, usize capacity) const override {
        return m_endpoint ? format_to(out, capacity, "socket:[{}]", inode()).length() : 0;
    }

  protected:
    SocketVnode(bool endpoint, u32 permissions)
        : Vnode(VnodeType::Socket, permissions), m_endpoint(endpoint) {}

  private:
    bool m_endpoint;
};

class UnixSocketName final : public SocketVnode {
  public:
    explicit UnixSocketName(u32 permissions) : SocketVnode(false, permissions) {}
    // The socket bound to this name while it is open; under the sockets
    // lock (net/unix_socket.cpp).
    UnixSocket* bound = nullptr;
};

// A new name vnode, for a memory file system's create(VnodeType::Socket).
[[nodiscard]] inline ErrorOr<RefPtr<Vnode>> create_socket_name(u32 permissions) {
    return RefPtr<Vnode>(TRY(try_make_ref<UnixSocketName>(permissions)));
}

} // namespace kite
