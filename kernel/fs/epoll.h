// epoll.h: an epoll instance: a set of watched open files (each with the
// descriptor it was added by, the events asked and the user's data) and
// what is ready among them. epoll_calls.cpp is its system-call face.
//
// Readiness comes from each vnode's poll_ready, as for poll. To answer
// epoll_wait without asking every watched file each time, an instance keeps
// the entries found ready at its last look (its ready list) and the
// poll_wait generation of that look: while the generation has not moved,
// nothing has notified (fs/poll_wait.h's contract), so only the ready list
// can hold events and only it is checked again; once it has moved, every
// entry is. Edge-triggered entries report readiness they had not reported,
// or, on a vnode that counts its events (Vnode::poll_event_count), a new
// event: a second write to a pipe already readable.
//
// Lifetimes: an entry names its open file without holding it; the file's
// destructor removes every entry for it (Linux's rule), and an instance's
// destructor its own. One lock (a mutex ranked below every vnode's) guards
// all instances, entries and OpenFile::epoll_items.
#pragma once

#include "api/epoll.h"
#include "fs/open_file.h"

namespace kite::epoll {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create();
[[nodiscard]] bool is_epoll(const Vnode& vnode);

// epoll_ctl on the instance `epoll` (is_epoll holds) for `file`, open as
// descriptor fd: EEXIST, ENOENT, ELOOP (an epoll that would watch itself
// through others, or nest deeper than Linux's 4), EINVAL.
[[nodiscard]] ErrorOr<void> control(Vnode& epoll, int op, int fd, const RefPtr<OpenFile>& file,
                                    const abi::EpollEvent& event);
// One look: fills up to max events, returns how many (0: none ready now).
[[nodiscard]] usize collect(Vnode& epoll, abi::EpollEvent* out, usize max);

// The file is going away: its entries go from every instance.
void forget_file(OpenFile& file);

} // namespace kite::epoll
