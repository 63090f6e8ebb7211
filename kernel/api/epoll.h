// epoll.h: Linux x86-64's epoll ABI: struct epoll_event (packed on x86-64:
// 12 bytes) and the flags of epoll_create1, epoll_ctl and the events.
#pragma once

#include "lib/types.h"

namespace kite::abi {

struct [[gnu::packed]] EpollEvent {
    u32 events;
    u64 data; // the user's, returned as given
};
static_assert(sizeof(EpollEvent) == 12);
static_assert(__builtin_offsetof(EpollEvent, data) == 4);

constexpr int EPOLL_CTL_ADD = 1;
constexpr int EPOLL_CTL_DEL = 2;
constexpr int EPOLL_CTL_MOD = 3;

// The event bits are poll's (POLLIN...), and these.
constexpr u32 EPOLLMSG = 0x400;
constexpr u32 EPOLLRDHUP = 0x2000;
constexpr u32 EPOLLEXCLUSIVE = 1u << 28;
constexpr u32 EPOLLWAKEUP = 1u << 29;
constexpr u32 EPOLLONESHOT = 1u << 30;
constexpr u32 EPOLLET = 1u << 31;
// The bits that say how to report, not what (Linux's EP_PRIVATE_BITS).
constexpr u32 epoll_private_bits = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

// Linux's EP_MAX_EVENTS: epoll_wait's maxevents above it is EINVAL.
constexpr u64 epoll_max_events = 0x7fffffff / sizeof(EpollEvent);

} // namespace kite::abi
