// fork.cpp: Process::fork. Nothing is copied at fork time: every present
// page is shared, and the writable private ones become read-only in both
// processes (their region still says writable, which is how the page-fault
// handler knows to copy on the first write). Frame reference counts say
// how many address spaces map each frame.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "mm/physical.h"
#include "proc/process.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

struct ShareContext {
    AddressSpace* child;
    const Region* region;
    bool failed;
};

void share_page(u64 virt, PhysAddr frame, u64, void* raw) {
    auto* context = static_cast<ShareContext*>(raw);
    if (context->failed) {
        return;
    }
    const u32 protection = context->region->protection;
    // Writable pages are shared read-only until one side writes.
    const MapFlags flags =
        protection == ProtNone ? MapFlags::None : map_flags_for(protection & ~ProtWrite);
    if (context->child->map(VirtAddr(virt), frame, flags).is_error()) {
        context->failed = true;
        return;
    }
    ++physical::page(frame).refcount;
}

void start_forked_child(void* raw) {
    auto* process = static_cast<Process*>(raw);
    return_to_user(reinterpret_cast<InterruptFrame*>(process->thread()->kernel_stack_top() -
                                                     sizeof(InterruptFrame)));
}

} // namespace

ErrorOr<Process*> Process::fork(const InterruptFrame& frame) {
    free_unwanted_zombies();
    auto* child = new Process();
    if (!child) {
        return Error(Errno::NOMEM, "out of memory");
    }
    OwnPtr<Process> owner = OwnPtr<Process>::adopt(child);
    child->m_address_space = TRY(AddressSpace::create());
    child->m_memory = TRY(try_make<MemoryMap>());
    for (usize i = 0; i < m_memory->count(); ++i) {
        TRY(child->m_memory->add((*m_memory)[i].start, (*m_memory)[i].end,
                                 (*m_memory)[i].protection));
    }
    for (usize i = 0; i < m_memory->count(); ++i) {
        const Region& region = (*m_memory)[i];
        ShareContext context{child->m_address_space.ptr(), &region, false};
        m_address_space->visit_present(region.start, region.end, share_page, &context,
                                       region.protection & ProtWrite);
        if (context.failed) {
            cpu::flush_tlb();
            release_image(*child->m_address_space, *child->m_memory);
            return Error(Errno::NOMEM, "out of memory sharing pages");
        }
    }
    cpu::flush_tlb(); // our writable pages just became read-only

    child->m_fds = m_fds;
    child->m_cwd = m_cwd;
    child->uid = uid;
    child->gid = gid;
    child->brk_start = brk_start;
    child->brk_end = brk_end;
    child->m_pgid = m_pgid;
    for (int i = 0; i <= signals::count; ++i) {
        child->signal_actions[i] = signal_actions[i];
    }
    child->blocked_signals = blocked_signals;
    child->m_sid = m_sid;
    child->set_name(m_name);

    // Under the table lock (interrupts off), the child cannot run before
    // its frame is in place, and appears in the table whole.
    SpinlockGuard guard(table_lock());
    child->m_pid = next_pid++;
    auto thread = Thread::create(m_name, start_forked_child, child, child);
    if (thread.is_error()) {
        release_image(*child->m_address_space, *child->m_memory);
        return thread.release_error();
    }
    child->m_thread = thread.value();
    auto* child_frame = reinterpret_cast<InterruptFrame*>(child->m_thread->kernel_stack_top() -
                                                          sizeof(InterruptFrame));
    *child_frame = frame;
    child_frame->rax = 0; // fork returns 0 in the child
    child->m_thread->fs_base = cpu::rdmsr(cpu_local::msr_fs_base);
    child->m_thread->inherit_fpu_state();
    child->m_parent = this;
    child->m_next_sibling = m_first_child;
    m_first_child = child;
    child->m_next = all_processes_head();
    set_all_processes_head(child);
    return owner.leak();
}

} // namespace kite
