// shared_memory.cpp: see shared_memory.h.
#include "mm/shared_memory.h"

#include "lib/own_ptr.h"
#include "mm/user_frames.h"

namespace kite {

ErrorOr<RefPtr<SharedMemory>> SharedMemory::try_create(u64 pages) {
    auto memory = TRY(try_make_ref<SharedMemory>(pages));
    const u64 blocks = (pages + block_pages - 1) / block_pages;
    memory->m_block_table = TRY(KBuffer::try_create(blocks * sizeof(Block*), true));
    return memory;
}

SharedMemory::~SharedMemory() {
    if (release_hook) {
        release_hook(*this);
    }
    const u64 count = m_block_table.size() / sizeof(Block*);
    for (u64 b = 0; b < count; ++b) {
        if (Block* block = blocks()[b]) {
            for (const PhysAddr frame : block->frames) {
                if (frame.value() != 0) {
                    release_user_frame(frame);
                }
            }
            delete block;
        }
    }
}

ErrorOr<PhysAddr> SharedMemory::frame_for_mapping(u64 index) {
    if (index >= m_pages) {
        return Error(Errno::FAULT, "past the end of the shared mapping");
    }
    MutexGuard guard(m_lock);
    Block*& block = blocks()[index / block_pages];
    if (!block) {
        block = TRY(try_make<Block>()).leak(); // owned by this object (see the destructor)
    }
    PhysAddr& frame = block->frames[index % block_pages];
    if (frame.value() == 0) {
        frame = TRY(allocate_user_frame());
    }
    retain_user_frame(frame);
    return frame;
}

} // namespace kite
