// socket.h: the socket ABI as Linux x86-64 defines it: address families,
// types, message flags, socket options and the structures the socket
// calls read and write (sockaddr_un, msghdr, cmsghdr, ucred); struct
// timeval (SO_RCVTIMEO) is api/types.h's.
#pragma once

#include "api/types.h"
#include "lib/types.h"

namespace kite::abi {

// Address families (AF_*).
constexpr int AF_UNSPEC = 0;
constexpr int AF_UNIX = 1;

// Socket types, and the flags socket(2) and socketpair(2) take in the type.
constexpr int SOCK_STREAM = 1;
constexpr int SOCK_DGRAM = 2;
constexpr int SOCK_SEQPACKET = 5;
constexpr int SOCK_MAX = 11; // types at or above are EINVAL, below unknown ESOCKTNOSUPPORT
constexpr int SOCK_TYPE_MASK = 0xf;
constexpr int SOCK_NONBLOCK = 04000;   // O_NONBLOCK
constexpr int SOCK_CLOEXEC = 02000000; // O_CLOEXEC

// shutdown(2).
constexpr int SHUT_RD = 0;
constexpr int SHUT_WR = 1;
constexpr int SHUT_RDWR = 2;

// Message flags (MSG_*), in and out.
constexpr u32 MSG_PEEK = 0x2;
constexpr u32 MSG_CTRUNC = 0x8;
constexpr u32 MSG_TRUNC = 0x20;
constexpr u32 MSG_DONTWAIT = 0x40;
constexpr u32 MSG_EOR = 0x80;
constexpr u32 MSG_WAITALL = 0x100;
constexpr u32 MSG_NOSIGNAL = 0x4000;
constexpr u32 MSG_CMSG_CLOEXEC = 0x40000000;

// poll(2)'s peer-closed bit, which the shared list does not name.
constexpr u32 POLLRDHUP = 0x2000;

// Socket options at SOL_SOCKET.
constexpr int SOL_SOCKET = 1;
constexpr int SO_REUSEADDR = 2;
constexpr int SO_TYPE = 3;
constexpr int SO_ERROR = 4;
constexpr int SO_SNDBUF = 7;
constexpr int SO_RCVBUF = 8;
constexpr int SO_KEEPALIVE = 9;
constexpr int SO_PASSCRED = 16;
constexpr int SO_PEERCRED = 17;
constexpr int SO_RCVTIMEO = 20;
constexpr int SO_SNDTIMEO = 21;
constexpr int SO_ACCEPTCONN = 30;
constexpr int SO_PROTOCOL = 38;
constexpr int SO_DOMAIN = 39;

// Control message types at SOL_SOCKET.
constexpr int SCM_RIGHTS = 1;
constexpr int SCM_CREDENTIALS = 2;
constexpr usize SCM_MAX_FD = 253; // descriptors in one message

struct SockaddrUn {
    u16 family;
    char path[108];
};
static_assert(sizeof(SockaddrUn) == 110);
static_assert(__builtin_offsetof(SockaddrUn, path) == 2);

struct MsgHdr {
    u64 name;
    u32 name_length;
    u32 pad0;
    u64 iov;
    u64 iov_length;
    u64 control;
    u64 control_length;
    i32 flags;
    u32 pad1;
};
static_assert(sizeof(MsgHdr) == 56);
static_assert(__builtin_offsetof(MsgHdr, iov) == 16);
static_assert(__builtin_offsetof(MsgHdr, control) == 32);
static_assert(__builtin_offsetof(MsgHdr, flags) == 48);

struct CmsgHdr {
    u64 length; // header and data, without the padding after
    i32 level;
    i32 type;
};
static_assert(sizeof(CmsgHdr) == 16);

// CMSG_ALIGN, CMSG_LEN and CMSG_SPACE.
constexpr usize cmsg_align(usize length) {
    return (length + 7) & ~usize{7};
}
constexpr usize cmsg_length(usize data) {
    return sizeof(CmsgHdr) + data;
}
constexpr usize cmsg_space(usize data) {
    return sizeof(CmsgHdr) + cmsg_align(data);
}

struct Ucred {
    i32 pid;
    u32 uid;
    u32 gid;
};
static_assert(sizeof(Ucred) == 12);

} // namespace kite::abi
