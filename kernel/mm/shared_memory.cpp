// shared_memory.cpp: see shared_memory.h.
#include "mm/shared_memory.h"

#include "mm/kmalloc.h"
#include "mm/user_frames.h"

namespace kite {

ErrorOr<RefPtr<SharedMemory>> SharedMemory::try_create(u64 pages) {
    auto memory = TRY(try_make_ref<SharedMemory>(pages));
    const u64 blocks = (pages + block_pages - 1) / block_pages;
    memory->m_blocks = static_cast<Block**>(kzalloc(blocks * sizeof(Block*)));
    if (!memory->m_blocks) {
        return Error(Errno::NOMEM, "no memory for a shared mapping");
    }
    return memory;
}

SharedMemory::~SharedMemory() {
    if (!m_blocks) {
        return;
    }
    const u64 blocks = (m_pages + block_pages - 1) / block_pages;
    for (u64 b = 0; b < blocks; ++b) {
        if (Block* block = m_blocks[b]) {
            for (const PhysAddr frame : block->frames) {
                if (frame.value() != 0) {
                    release_user_frame(frame);
                }
            }
            kfree(block);
        }
    }
    kfree(m_blocks);
}

ErrorOr<PhysAddr> SharedMemory::frame_for_mapping(u64 index) {
    if (index >= m_pages) {
        return Error(Errno::FAULT, "past the end of the shared mapping");
    }
    MutexGuard guard(m_lock);
    Block*& block = m_blocks[index / block_pages];
    if (!block) {
        block = static_cast<Block*>(kzalloc(sizeof(Block)));
        if (!block) {
            return Error(Errno::NOMEM, "no memory for a shared mapping");
        }
    }
    PhysAddr& frame = block->frames[index % block_pages];
    if (frame.value() == 0) {
        frame = TRY(allocate_user_frame());
    }
    retain_user_frame(frame);
    return frame;
}

} // namespace kite
