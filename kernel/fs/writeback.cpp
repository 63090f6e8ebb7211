// writeback.cpp: see writeback.h. A file system being written back is held
// (a reference), not the list lock: unmount leaves the list first, and a
// detached one's last reference may go during a write-back.
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

namespace {

// Calls work(fs) for every registered file system, without the list lock:
// each is held meanwhile. Those registered after the walk began may be
// missed; one that leaves meanwhile is still visited (and has nothing to do).
template <typename Work>
void for_each_fs(Work work) {
    constexpr usize batch = 16;
    for (usize skip = 0;; skip += batch) {
        Writeback* held[batch];
        usize count = 0;
        {
            MutexGuard guard(list_lock);
            usize seen = 0;
            for (Writeback* fs = first; fs && count < batch; fs = fs->next_writeback) {
                if (seen++ >= skip) {
                    fs->hold();
                    held[count++] = fs;
                }
            }
        }
        for (usize i = 0; i < count; ++i) {
            work(*held[i]);
            held[i]->let_go();
        }
        if (count < batch) {
            return;
        }
    }
}

} // namespace

ErrorOr<void> sync_all() {
    ErrorOr<void> first_error;
    for_each_fs([&](Writeback& fs) {
        auto result = fs.write_back();
        if (result.is_error() && !first_error.is_error()) {
            first_error = result.release_error();
        }
    });
    return first_error;
}

usize reclaim(usize pages, PageCache* held) {
    usize freed = 0;
    for_each_fs([&](Writeback& fs) {
        if (freed < pages) {
            freed += fs.reclaim(pages - freed, held);
        }
    });
    return freed;
}

void drop_caches() {
    (void)sync_all();
    for_each_fs([](Writeback& fs) { fs.drop_clean(); });
}

void start_flusher() {
    auto thread = Thread::create("flush", flusher, nullptr); // queued to run
    if (thread.is_error()) {
        kprintln("writeback: no flusher thread: {}", thread.error().what());
    }
}

} // namespace kite::writeback
