// socket_calls.cpp: socket(2) and the calls on sockets, for AF_UNIX (the
// only family Kite has; net/unix_socket.h does the work). This file reads
// and checks what user space passes: descriptors, socket addresses and
// their lengths, msghdr, iovecs and control messages, in Linux's order
// (net/socket.c, net/core/scm.c), and writes the results back.
#include "fs/open_file.h"
#include "net/unix_socket.h"
#include "proc/process.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr usize max_address = 128;             // sizeof(struct sockaddr_storage)
constexpr usize max_control = 131072;          // net.core.optmem_max
constexpr u64 max_control_length = 0x7fffffff; // INT_MAX: more is ENOBUFS
constexpr u32 MSG_OOB = 0x1;
constexpr int NPROTO = 46; // families at or above are EAFNOSUPPORT before any lookup

// An open socket: the open file (held for the call) and its vnode.
struct Socket {
    RefPtr<OpenFile> file;
    UnixSocketFile& socket;
    [[nodiscard]] bool nonblocking() const { return file->flags() & O_NONBLOCK; }
};

ErrorOr<Socket> socket_of(RefPtr<OpenFile> file) {
    Vnode& vnode = *file->vnode();
    if (vnode.type() != VnodeType::Socket || !static_cast<SocketVnode&>(vnode).is_endpoint()) {
        return Error(Errno::NOTSOCK, "not a socket");
    }
    return Socket{file, static_cast<UnixSocketFile&>(vnode)};
}

ErrorOr<Socket> socket_argument(u64 fd) {
    return socket_of(TRY(Process::current()->fds().get(int_argument(fd))));
}

// A user sockaddr as Linux's move_addr_to_kernel reads it: a length
// outside 0..128 is EINVAL, then the bytes are copied (EFAULT).
struct RawAddress {
    u8 bytes[max_address];
    usize length = 0;
};

ErrorOr<void> read_raw_address(u64 address, u64 length_argument, RawAddress& out) {
    const int length = int_argument(length_argument);
    if (length < 0 || static_cast<usize>(length) > max_address) {
        return Error(Errno::INVAL, "bad address length");
    }
    out.length = static_cast<usize>(length);
    if (length > 0) {
        TRY(copy_from_user(out.bytes, {address}, out.length));
    }
    return {};
}

ErrorOr<SocketAddress> address_argument(u64 address, u64 length) {
    RawAddress raw;
    TRY(read_raw_address(address, length, raw));
    return SocketAddress::from(raw.bytes, raw.length);
}

// Linux's move_addr_to_user: the caller's length (EFAULT, EINVAL if
// negative) bounds the bytes written; the whole length is written back.
ErrorOr<void> write_address(const SocketAddress& address, u64 to, u64 length_at) {
    const int room = TRY(read_user<i32>({length_at}));
    if (room < 0) {
        return Error(Errno::INVAL, "negative address length");
    }
    const usize n = min<usize>(static_cast<usize>(room), address.length);
    if (n > 0) {
        TRY(copy_to_user({to}, &address.raw, n));
    }
    return write_user<i32>({length_at}, static_cast<i32>(address.length));
}

// socket(2)'s and socketpair(2)'s type word: the type and SOCK_* flags.
struct SocketKind {
    int type;
    u32 file_flags; // O_RDWR and O_NONBLOCK
    bool cloexec;
};

ErrorOr<SocketKind> socket_kind(u64 family_argument, u64 type_argument, u64 protocol_argument) {
    const int family = int_argument(family_argument);
    const int word = int_argument(type_argument);
    const int protocol = int_argument(protocol_argument);
    if ((word & ~abi::SOCK_TYPE_MASK) & ~(abi::SOCK_CLOEXEC | abi::SOCK_NONBLOCK)) {
        return Error(Errno::INVAL, "unknown socket flags");
    }
    if (family < 0 || family >= NPROTO) {
        return Error(Errno::AFNOSUPPORT, "no such address family");
    }
    int type = word & abi::SOCK_TYPE_MASK;
    if (type >= abi::SOCK_MAX) {
        return Error(Errno::INVAL, "bad socket type");
    }
    // Kite has no network: AF_INET and AF_INET6 are as unknown as the
    // rest (Linux would make such sockets).
    if (family != abi::AF_UNIX) {
        return Error(Errno::AFNOSUPPORT, "only AF_UNIX sockets");
    }
    if (protocol != 0 && protocol != abi::AF_UNIX) { // PF_UNIX is allowed
        return Error(Errno::PROTONOSUPPORT, "AF_UNIX has no protocols");
    }
    constexpr int SOCK_RAW = 3; // AF_UNIX takes it as SOCK_DGRAM
    if (type == SOCK_RAW) {
        type = abi::SOCK_DGRAM;
    }
    if (type != abi::SOCK_STREAM && type != abi::SOCK_DGRAM && type != abi::SOCK_SEQPACKET) {
        return Error(Errno::SOCKTNOSUPPORT, "AF_UNIX has no such type");
    }
    return SocketKind{type, static_cast<u32>(O_RDWR | (word & abi::SOCK_NONBLOCK)),
                      (word & abi::SOCK_CLOEXEC) != 0};
}

ErrorOr<int> install(const RefPtr<UnixSocketFile>& socket, u32 file_flags, bool cloexec) {
    auto file = TRY(try_make_ref<OpenFile>(RefPtr<Vnode>(socket.ptr()), file_flags));
    Process* self = Process::current();
    return self->fds().install(move(file), cloexec, self->limits.open_files());
}

// The SCM_CREDENTIALS a sender may claim: its own, unless it is root (the
// capabilities Linux asks for, CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID).
ErrorOr<void> check_credentials(const abi::Ucred& claimed) {
    Process* self = Process::current();
    if (self->uid == 0) {
        return {};
    }
    if (claimed.pid != self->pid() || claimed.uid != self->uid || claimed.gid != self->gid) {
        return Error(Errno::PERM, "credentials not the sender's");
    }
    return {};
}

// The control messages of a sendmsg, as Linux's __scm_send: each header
// whole inside the buffer (EINVAL), other levels skipped, SCM_RIGHTS
// descriptors open (EBADF) and at most SCM_MAX_FD in all (EINVAL),
// SCM_CREDENTIALS of exactly one ucred and allowed (EPERM).
ErrorOr<void> parse_control(const u8* control, usize length, SendRequest& request,
                            abi::Ucred& credentials) {
    usize offset = 0;
    usize descriptors = 0;
    // Counted first, so that one FileRights holds every SCM_RIGHTS entry.
    for (int pass = 0; pass < 2; ++pass) {
        offset = 0;
        usize filled = 0;
        while (offset + sizeof(abi::CmsgHdr) <= length) {
            abi::CmsgHdr header;
            __builtin_memcpy(&header, control + offset, sizeof(header));
            if (header.length < sizeof(abi::CmsgHdr) || header.length > length - offset) {
                return Error(Errno::INVAL, "bad control message length");
            }
            const u8* data = control + offset + sizeof(abi::CmsgHdr);
            const usize data_length = header.length - sizeof(abi::CmsgHdr);
            if (header.level == abi::SOL_SOCKET) {
                if (header.type == abi::SCM_RIGHTS) {
                    const usize count = data_length / sizeof(i32);
                    if (pass == 0) {
                        if (count > abi::SCM_MAX_FD || descriptors + count > abi::SCM_MAX_FD) {
                            return Error(Errno::INVAL, "too many descriptors");
                        }
                        descriptors += count;
                    } else {
                        for (usize i = 0; i < count; ++i) {
                            i32 fd;
                            __builtin_memcpy(&fd, data + i * sizeof(i32), sizeof(fd));
                            request.rights[filled++] = TRY(Process::current()->fds().get(fd));
                        }
                    }
                } else if (header.type == abi::SCM_CREDENTIALS) {
                    if (header.length != abi::cmsg_length(sizeof(abi::Ucred))) {
                        return Error(Errno::INVAL, "bad SCM_CREDENTIALS length");
                    }
                    if (pass == 0) {
                        __builtin_memcpy(&credentials, data, sizeof(credentials));
                        TRY(check_credentials(credentials));
                        request.credentials = &credentials;
                    }
                } else {
                    return Error(Errno::INVAL, "unknown control message");
                }
            }
            offset += abi::cmsg_align(header.length);
        }
        if (pass == 0) {
            if (descriptors == 0) {
                return {};
            }
            request.rights = TRY(FileRights::create(descriptors));
        }
    }
    return {};
}

// A recvmsg's control buffer, filled as Linux's put_cmsg and
// scm_detach_fds: a message that does not fit is cut (MSG_CTRUNC).
struct ControlWriter {
    u64 address;
    usize room;
    usize used = 0;
    u32 flags = 0;

    ErrorOr<void> put(int type, const void* data, usize length) {
        if (room - used < sizeof(abi::CmsgHdr)) {
            flags |= abi::MSG_CTRUNC;
            return {};
        }
        usize total = abi::cmsg_length(length);
        if (room - used < total) {
            flags |= abi::MSG_CTRUNC;
            total = room - used;
        }
        const abi::CmsgHdr header{total, abi::SOL_SOCKET, type};
        TRY(copy_to_user({address + used}, &header, sizeof(header)));
        TRY(copy_to_user({address + used + sizeof(header)}, data, total - sizeof(header)));
        used += min(abi::cmsg_space(length), room - used);
        return {};
    }

    // Installs what fits of the rights as descriptors; the rest are closed.
    ErrorOr<void> put_rights(FileRights& rights, bool cloexec) {
        const usize space = room - used;
        const usize fit = space > sizeof(abi::CmsgHdr) ? (space - sizeof(abi::CmsgHdr)) / 4 : 0;
        const usize wanted = min(fit, rights.count());
        i32 fds[abi::SCM_MAX_FD];
        usize installed = 0;
        Process* self = Process::current();
        for (; installed < wanted; ++installed) {
            auto fd = self->fds().install(rights[installed], cloexec, self->limits.open_files());
            if (fd.is_error()) {
                break;
            }
            fds[installed] = fd.value();
        }
        if (installed > 0) {
            const usize total = abi::cmsg_length(installed * sizeof(i32));
            const abi::CmsgHdr header{total, abi::SOL_SOCKET, abi::SCM_RIGHTS};
            auto copied = copy_to_user({address + used}, &header, sizeof(header));
            if (!copied.is_error()) {
                copied =
                    copy_to_user({address + used + sizeof(header)}, fds, installed * sizeof(i32));
            }
            if (copied.is_error()) { // as Linux: a descriptor not told of is not installed
                for (usize i = 0; i < installed; ++i) {
                    (void)self->fds().close(fds[i]);
                }
                return copied.release_error();
            }
            used += min(abi::cmsg_space(installed * sizeof(i32)), space);
        }
        if (installed < rights.count()) {
            flags |= abi::MSG_CTRUNC;
        }
        return {};
    }
};

// sendto and sendmsg: the destination, if any, as the socket type reads
// it. A stream socket refuses any address before looking at it, and a
// seqpacket socket ignores it, as Linux.
ErrorOr<void> destination(const Socket& s, const RawAddress& raw, SocketAddress& out, bool& has) {
    has = raw.length > 0;
    if (!has) {
        return {};
    }
    const int type = s.socket.socket_type();
    if (type == abi::SOCK_SEQPACKET) {
        has = false;
        return {};
    }
    if (type == abi::SOCK_STREAM) {
        return {}; // the socket answers EISCONN or EOPNOTSUPP
    }
    out = TRY(SocketAddress::from(raw.bytes, raw.length));
    return {};
}

ErrorOr<i64> send_common(const Socket& s, const IoVector& data, u32 flags, const RawAddress& raw,
                         const u8* control, usize control_length) {
    if (flags & MSG_OOB) {
        return Error(Errno::OPNOTSUPP, "no out-of-band data");
    }
    SocketAddress to;
    bool has_to = false;
    TRY(destination(s, raw, to, has_to));
    SendRequest request{data, flags, s.nonblocking(), has_to ? &to : nullptr, {}, nullptr};
    abi::Ucred credentials{};
    if (control_length > 0) {
        TRY(parse_control(control, control_length, request, credentials));
    }
    return static_cast<i64>(TRY(s.socket.send(request)));
}

} // namespace

SyscallResult sys_socket(const SyscallArguments& args) {
    const SocketKind kind = TRY(socket_kind(args.a0, args.a1, args.a2));
    RefPtr<UnixSocketFile> socket = TRY(UnixSocketFile::create(kind.type));
    return TRY(install(socket, kind.file_flags, kind.cloexec));
}

SyscallResult sys_socketpair(const SyscallArguments& args) {
    const SocketKind kind = TRY(socket_kind(args.a0, args.a1, args.a2));
    UnixSocketFile::Pair pair = TRY(UnixSocketFile::create_pair(kind.type));
    FdTable& fds = Process::current()->fds();
    const int first = TRY(install(pair.first, kind.file_flags, kind.cloexec));
    auto second = install(pair.second, kind.file_flags, kind.cloexec);
    if (second.is_error()) {
        (void)fds.close(first);
        return second.release_error();
    }
    const i32 both[2] = {first, second.value()};
    auto written = copy_to_user({args.a3}, both, sizeof(both));
    if (written.is_error()) { // as Linux: no descriptors are left behind
        (void)fds.close(first);
        (void)fds.close(second.value());
        return written.release_error();
    }
    return 0;
}

SyscallResult sys_bind(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const SocketAddress address = TRY(address_argument(args.a1, args.a2));
    TRY(s.socket.bind(address, creation_mode(0777)));
    return 0;
}

SyscallResult sys_listen(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    TRY(s.socket.listen(int_argument(args.a1)));
    return 0;
}

SyscallResult sys_connect(const SyscallArguments& args) {
    // Linux looks at the descriptor, then copies the address, then asks
    // whether it is a socket.
    RefPtr<OpenFile> file = TRY(Process::current()->fds().get(int_argument(args.a0)));
    RawAddress raw;
    TRY(read_raw_address(args.a1, args.a2, raw));
    Socket s = TRY(socket_of(move(file)));
    u16 family = 0;
    if (raw.length >= sizeof(family)) {
        __builtin_memcpy(&family, raw.bytes, sizeof(family));
    }
    if (family == abi::AF_UNSPEC && raw.length >= sizeof(family)) {
        TRY(s.socket.connect(nullptr, s.nonblocking()));
        return 0;
    }
    const SocketAddress address = TRY(SocketAddress::from(raw.bytes, raw.length));
    TRY(s.socket.connect(&address, s.nonblocking()));
    return 0;
}

SyscallResult sys_accept4(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const int flags = int_argument(args.a3);
    if (flags & ~(abi::SOCK_CLOEXEC | abi::SOCK_NONBLOCK)) {
        return Error(Errno::INVAL, "unknown accept4 flags");
    }
    // Linux reserves the descriptor first: EMFILE comes before any wait
    // and no connection is taken. Kite checks there is one free (a thread
    // filling the table meanwhile makes the install below fail, and that
    // connection is lost).
    Process* self = Process::current();
    const int probe = TRY(self->fds().install(s.file, false, self->limits.open_files()));
    (void)self->fds().close(probe);
    SocketAddress peer;
    RefPtr<UnixSocketFile> connection = TRY(s.socket.accept(s.nonblocking(), peer));
    // As Linux: the address is written before the descriptor exists; if
    // that fails, the connection is dropped.
    if (args.a1 != 0) {
        TRY(write_address(peer, args.a1, args.a2));
    }
    return TRY(install(connection, static_cast<u32>(O_RDWR | (flags & abi::SOCK_NONBLOCK)),
                       flags & abi::SOCK_CLOEXEC));
}

SyscallResult sys_accept(const SyscallArguments& args) {
    return sys_accept4({args.a0, args.a1, args.a2, 0, 0, 0, args.frame});
}

SyscallResult sys_getsockname(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    TRY(write_address(s.socket.name(), args.a1, args.a2));
    return 0;
}

SyscallResult sys_getpeername(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const SocketAddress peer = TRY(s.socket.peer_name());
    TRY(write_address(peer, args.a1, args.a2));
    return 0;
}

SyscallResult sys_shutdown(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    TRY(s.socket.shutdown(int_argument(args.a1)));
    return 0;
}

SyscallResult sys_sendto(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    RawAddress raw;
    if (args.a4 != 0) {
        TRY(read_raw_address(args.a4, args.a5, raw));
    }
    const IoVector data = IoVector::single(IoBuffer::user({args.a1}), min<u64>(args.a2, max_io));
    return send_common(s, data, static_cast<u32>(args.a3), raw, nullptr, 0);
}

SyscallResult sys_sendmsg(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const abi::MsgHdr header = TRY(read_user<abi::MsgHdr>({args.a1}));
    const u32 flags = static_cast<u32>(args.a2);
    // Linux takes msg_namelen as 0 when msg_name is null.
    if (header.name != 0 && static_cast<i32>(header.name_length) < 0) {
        return Error(Errno::INVAL, "negative msg_namelen");
    }
    RawAddress raw;
    if (header.name != 0) {
        // Linux cuts a longer msg_namelen to sockaddr_storage's size.
        TRY(read_raw_address(header.name, min<u32>(header.name_length, max_address), raw));
    }
    const IoVector data = TRY(IoVector::from_user(header.iov, header.iov_length, max_io));
    if (header.control_length > max_control_length) {
        return Error(Errno::NOBUFS, "msg_controllen past INT_MAX");
    }
    KBuffer control;
    usize control_length = 0;
    if (header.control_length >= sizeof(abi::CmsgHdr)) {
        if (header.control_length > max_control) {
            return Error(Errno::NOBUFS, "control data past optmem_max");
        }
        control_length = header.control_length;
        control = TRY(KBuffer::try_create(control_length));
        TRY(copy_from_user(control.data(), {header.control}, control_length));
    }
    return send_common(s, data, flags, raw, static_cast<const u8*>(control.data()), control_length);
}

SyscallResult sys_recvfrom(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const u32 flags = static_cast<u32>(args.a3);
    if (flags & MSG_OOB) {
        return Error(Errno::OPNOTSUPP, "no out-of-band data");
    }
    const IoVector data = IoVector::single(IoBuffer::user({args.a1}), min<u64>(args.a2, max_io));
    ReceivedMessage received;
    received.from.length = 0; // no sender (end of file): msg_namelen 0, as Linux
    TRY(s.socket.receive(data, flags, s.nonblocking(), received));
    // Rights go only with recvmsg; here they are dropped (closed), as Linux.
    received.rights.clear();
    if (args.a4 != 0) {
        TRY(write_address(received.from, args.a4, args.a5));
    }
    return static_cast<i64>(received.result);
}

SyscallResult sys_recvmsg(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const abi::MsgHdr header = TRY(read_user<abi::MsgHdr>({args.a1}));
    const u32 flags = static_cast<u32>(args.a2);
    // Linux takes msg_namelen as 0 when msg_name is null.
    if (header.name != 0 && static_cast<i32>(header.name_length) < 0) {
        return Error(Errno::INVAL, "negative msg_namelen");
    }
    if (flags & MSG_OOB) {
        return Error(Errno::OPNOTSUPP, "no out-of-band data");
    }
    const IoVector data = TRY(IoVector::from_user(header.iov, header.iov_length, max_io));
    ReceivedMessage received;
    received.from.length = 0; // no sender (end of file): msg_namelen 0, as Linux
    TRY(s.socket.receive(data, flags & ~abi::MSG_CMSG_CLOEXEC, s.nonblocking(), received));
    const u64 at = args.a1;
    if (header.name != 0) {
        TRY(write_address(received.from, header.name,
                          at + __builtin_offsetof(abi::MsgHdr, name_length)));
    }
    ControlWriter control{header.control, header.control_length};
    if (received.has_credentials) {
        TRY(control.put(abi::SCM_CREDENTIALS, &received.credentials, sizeof(abi::Ucred)));
    }
    if (!received.rights.is_empty()) {
        TRY(control.put_rights(received.rights, flags & abi::MSG_CMSG_CLOEXEC));
        received.rights.clear(); // what did not fit is closed
    }
    TRY(write_user<u64>({at + __builtin_offsetof(abi::MsgHdr, control_length)}, control.used));
    TRY(write_user<i32>({at + __builtin_offsetof(abi::MsgHdr, flags)},
                        static_cast<i32>(received.flags | control.flags)));
    return static_cast<i64>(received.result);
}

SyscallResult sys_setsockopt(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const int level = int_argument(args.a1);
    const int name = int_argument(args.a2);
    const int length = int_argument(args.a4);
    if (length < 0) {
        return Error(Errno::INVAL, "negative option length");
    }
    if (level != abi::SOL_SOCKET) {
        return Error(Errno::OPNOTSUPP, "AF_UNIX has only SOL_SOCKET options");
    }
    if (static_cast<usize>(length) < sizeof(int)) {
        return Error(Errno::INVAL, "option too short");
    }
    // Only the bytes the option reads are copied (a struct timeval for
    // the timeouts, an int for the rest), as Linux.
    u8 value[16];
    const bool timeval = name == abi::SO_RCVTIMEO || name == abi::SO_SNDTIMEO;
    const usize n = timeval ? min<usize>(static_cast<usize>(length), sizeof(value)) : sizeof(int);
    TRY(copy_from_user(value, {args.a3}, n));
    TRY(s.socket.set_option(name, value, n));
    return 0;
}

SyscallResult sys_getsockopt(const SyscallArguments& args) {
    Socket s = TRY(socket_argument(args.a0));
    const int level = int_argument(args.a1);
    const int name = int_argument(args.a2);
    if (level != abi::SOL_SOCKET) {
        return Error(Errno::OPNOTSUPP, "AF_UNIX has only SOL_SOCKET options");
    }
    const int room = TRY(read_user<i32>({args.a4}));
    if (room < 0) {
        return Error(Errno::INVAL, "negative option length");
    }
    u8 value[16];
    const usize length = TRY(s.socket.get_option(name, value));
    const usize n = min<usize>(static_cast<usize>(room), length);
    TRY(copy_to_user({args.a3}, value, n));
    TRY(write_user<i32>({args.a4}, static_cast<i32>(n)));
    return 0;
}

} // namespace kite
