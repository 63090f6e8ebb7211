// shared_memory.h: the pages behind a MAP_SHARED|MAP_ANONYMOUS mapping. Every
// process that maps it (the creator and its forked children) reaches the
// same frames: a page is made on the first touch by anyone and then found
// by everyone. The object holds one reference to each of its frames; each
// mapping of a frame holds another.
#pragma once

#include "lib/error.h"
#include "lib/kbuffer.h"
#include "lib/ref_ptr.h"
#include "sync/mutex.h"

namespace kite {

class SharedMemory : public RefCounted<SharedMemory> {
  public:
    // An object of `pages` zero pages (made on first touch).
    [[nodiscard]] static ErrorOr<RefPtr<SharedMemory>> try_create(u64 pages);
    ~SharedMemory();

    // The frame of page `index`, made (zeroed) if no one touched it yet,
    // with a new reference for the caller's mapping.
    [[nodiscard]] ErrorOr<PhysAddr> frame_for_mapping(u64 index);
    [[nodiscard]] u64 page_count() const { return m_pages; }

    // System V shared memory (ipc/shm.cpp) marks its segments' objects, so
    // that shmdt detaches only them, and, once a segment is removed, asks
    // to hear of the last detach: the hook runs first thing in the
    // destructor, before any frame goes.
    bool is_ipc_segment = false;
    void (*release_hook)(SharedMemory&) = nullptr;

    // Use try_create; public only for try_make_ref.
    explicit SharedMemory(u64 pages) : m_pages(pages) {}

  private:
    // Frames by page index in blocks of 512, made as pages are touched, so
    // a large mapping costs a pointer per 2 MiB until it is used.
    static constexpr u64 block_pages = 512;
    struct Block {
        PhysAddr frames[block_pages];
    };
    Mutex m_lock{"shared memory", LockRank::SharedMemory};
    u64 m_pages;
    // m_pages / block_pages (rounded up) pointers to the blocks made so far;
    // this object owns the blocks and frees them with itself.
    KBuffer m_block_table;
    [[nodiscard]] Block** blocks() const { return reinterpret_cast<Block**>(m_block_table.data()); }
};

} // namespace kite
