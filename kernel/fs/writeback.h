// writeback.h: the file systems that keep changes in memory for a disk
// (ext2 over its buffer cache), so that sync(2) and the periodic flusher
// can reach them all. A file system joins at mount and leaves at unmount.
#pragma once

#include "lib/error.h"

namespace kite {

class PageCache;

class Writeback {
  public:
    // Writes every change to the disk and flushes it.
    [[nodiscard]] virtual ErrorOr<void> write_back() = 0;
    // Frees the cached pages that hold no change (after write_back: all).
    virtual void drop_clean() = 0;
    // Memory is short: frees up to about pages frames of clean cached file
    // data; how many went. held: a page cache whose data lock the caller
    // holds (which may be shrunk without taking it), or null.
    virtual usize reclaim(usize pages, PageCache* held) = 0;
    // A reference on the file system, so the list can be walked without
    // its lock (the last one may unmount a detached file system, which
    // leaves the list).
    virtual void hold() = 0;
    virtual void let_go() = 0;
    Writeback* next_writeback = nullptr; // the registry's list

  protected:
    ~Writeback() = default;
};

namespace writeback {

constexpr u64 flush_interval_ns = 5'000'000'000; // as Linux's dirty_writeback_centisecs

void add(Writeback& fs);
void remove(Writeback& fs);
// sync(2): every registered file system, in turn; the first error.
[[nodiscard]] ErrorOr<void> sync_all();
// Linux's drop_caches: writes everything back, then frees every clean
// cached page. What a leak check calls first, so that a disk's cache does
// not count as memory taken.
void drop_caches();
// Memory is short: asks the file systems in turn for pages frames of
// clean cached data (see Writeback::reclaim); how many they freed. Only
// where PageCache::may_reclaim() says so.
usize reclaim(usize pages, PageCache* held);
// Starts the kernel thread that calls sync_all every flush_interval_ns.
void start_flusher();

} // namespace writeback

} // namespace kite
