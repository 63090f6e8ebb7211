// writeback.cpp: see writeback.h. The list lock is held while a file system
// writes back, so that unmount (which leaves the list first) never frees
// one the flusher is writing.
#include "fs/writeback.h"

#include "console/console.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"

namespace kite::writeback {

namespace {

Mutex list_lock{"writeback list", LockRank::Writebacks};
Writeback* first = nullptr; // under list_lock

void flusher(void*) {
    for (;;) {
        // Interruptible, though no signal reaches a kernel thread: an
        // uninterruptible sleeper would count in the load average.
        (void)Scheduler::sleep_interruptible_ns(flush_interval_ns);
        if (auto result = sync_all(); result.is_error()) {
            kprintln("writeback: {}", result.error().what());
        }
    }
}

} // namespace

void add(Writeback& fs) {
    MutexGuard guard(list_lock);
    fs.next_writeback = first;
    first = &fs;
}

void remove(Writeback& fs) {
    MutexGuard guard(list_lock);
    for (Writeback** link = &first; *link; link = &(*link)->next_writeback) {
        if (*link == &fs) {
            *link = fs.next_writeback;
            return;
        }
    }
}

ErrorOr<void> sync_all() {
    MutexGuard guard(list_lock);
    ErrorOr<void> first_error;
    for (Writeback* fs = first; fs; fs = fs->next_writeback) {
        auto result = fs->write_back();
        if (result.is_error() && !first_error.is_error()) {
            first_error = result.release_error();
        }
    }
    return first_error;
}

void drop_caches() {
    (void)sync_all();
    MutexGuard guard(list_lock);
    for (Writeback* fs = first; fs; fs = fs->next_writeback) {
        fs->drop_clean();
    }
}

void start_flusher() {
    auto thread = Thread::create("flush", flusher, nullptr); // queued to run
    if (thread.is_error()) {
        kprintln("writeback: no flusher thread: {}", thread.error().what());
    }
}

} // namespace kite::writeback
