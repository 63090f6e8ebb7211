// address_space.cpp: see address_space.h.
#include "arch/x86_64/address_space.h"

#include "sync/spinlock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/page_table.h"
#include "arch/x86_64/tlb.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/physical.h"
#include "sync/spinlock.h"

extern "C" kite::PageTable boot_pml4;

namespace kite {

namespace {

AddressSpace* kernel_space = nullptr;
alignas(AddressSpace) u8 kernel_space_storage[sizeof(AddressSpace)];

PageTable& table_at(PhysAddr address) {
    return *phys_to_virt<PageTable>(address);
}

bool is_canonical(u64 v) {
    return v < user_space_end || v >= kernel_space_start;
}

u64 entry_flags(MapFlags flags) {
    u64 bits = PagePresent;
    if (has(flags, MapFlags::Writable)) {
        bits |= PageWritable;
    }
    if (has(flags, MapFlags::User)) {
        bits |= PageUser;
    }
    if (!has(flags, MapFlags::Executable)) {
        bits |= PageNoExecute;
    }
    if (has(flags, MapFlags::Global)) {
        bits |= PageGlobal;
    }
    if (has(flags, MapFlags::Uncached)) {
        bits |= PageCacheDisable | PageWriteThrough;
    }
    return bits;
}

// Present-entry counting for the tables this code allocated. Tables made at
// boot (in the kernel image by boot.asm, or carved before the allocator
// existed) are never freed and not counted.
bool is_counted(PhysAddr table) {
    return physical::manages(table) &&
           physical::page(table).use == static_cast<u8>(PageUse::PageTable);
}
void count_entry(PhysAddr table, int delta) {
    if (is_counted(table)) {
        physical::page(table).refcount += static_cast<u32>(delta);
    }
}
u32 entries_in(PhysAddr table) {
    return is_counted(table) ? physical::page(table).refcount : 1;
}

ErrorOr<PhysAddr> new_table() {
    const PhysAddr table = TRY(physical::allocate_zeroed());
    Page& page = physical::page(table);
    page.use = static_cast<u8>(PageUse::PageTable);
    page.refcount = 0;
    return table;
}

void free_table(PhysAddr table) {
    physical::free(table);
}

} // namespace

void AddressSpace::init_kernel() {
    const PhysAddr pml4 = kernel_image_phys(&boot_pml4);
    for (usize i = 256; i < PageTable::entry_count; ++i) {
        PageTableEntry& entry = boot_pml4.entries[i];
        if (!entry.present()) {
            auto table = new_table();
            if (table.is_error()) {
                panic("no memory for the kernel's page directory pointer tables");
            }
            entry = PageTableEntry::make(table.value(), PagePresent | PageWritable);
        }
    }
    kernel_space = new (kernel_space_storage) AddressSpace(pml4, true);
    cpu_local::get().loaded_space = kernel_space; // boot.asm loaded boot_pml4
}

AddressSpace& AddressSpace::kernel() {
    VERIFY(kernel_space != nullptr);
    return *kernel_space;
}

ErrorOr<OwnPtr<AddressSpace>> AddressSpace::create() {
    const PhysAddr pml4 = TRY(new_table());
    PageTable& table = table_at(pml4);
    const PageTable& kernel_table = table_at(kernel().m_pml4);
    for (usize i = 256; i < PageTable::entry_count; ++i) {
        table.entries[i] = kernel_table.entries[i];
    }
    auto* space = new AddressSpace(pml4, false);
    if (!space) {
        free_table(pml4);
        return Error(Errno::NOMEM, "out of memory");
    }
    return OwnPtr<AddressSpace>::adopt(space);
}

namespace {

// Calls f(index) for every present entry of a table, looking from both
// ends inward (user tables fill from the bottom, the stack's from the top)
// and stopping once all `count` present entries were seen.
template <typename F>
void for_each_present_entry(PageTable& table, u32 count, F f) {
    for (usize low = 0, high = PageTable::entry_count - 1; count > 0 && low <= high;
         ++low, --high) {
        if (table.entries[low].present()) {
            f(low);
            --count;
        }
        if (high != low && count > 0 && table.entries[high].present()) {
            f(high);
            --count;
        }
    }
}

} // namespace

void AddressSpace::release_user_half(PageVisitor visit, void* context) {
    VERIFY(!m_is_kernel);
    PageTable& pml4 = table_at(m_pml4);
    for (usize i = 0; i < 256; ++i) {
        PageTableEntry& pml4_entry = pml4.entries[i];
        if (!pml4_entry.present()) {
            continue;
        }
        const PhysAddr pdpt_frame = pml4_entry.address();
        PageTable& pdpt = table_at(pdpt_frame);
        for_each_present_entry(pdpt, entries_in(pdpt_frame), [&](usize j) {
            const PhysAddr pd_frame = pdpt.entries[j].address();
            PageTable& pd = table_at(pd_frame);
            VERIFY(!(pdpt.entries[j].raw & PageHuge));
            for_each_present_entry(pd, entries_in(pd_frame), [&](usize k) {
                const PhysAddr pt_frame = pd.entries[k].address();
                PageTable& pt = table_at(pt_frame);
                VERIFY(!(pd.entries[k].raw & PageHuge));
                for_each_present_entry(pt, entries_in(pt_frame), [&](usize l) {
                    const u64 virt = (u64{i} << 39) | (u64{j} << 30) | (u64{k} << 21) | (l << 12);
                    visit(virt, pt.entries[l].address(), pt.entries[l].flags(), context);
                });
                free_table(pt_frame);
            });
            free_table(pd_frame);
        });
        free_table(pdpt_frame);
        pml4_entry = PageTableEntry{};
    }
}

AddressSpace::~AddressSpace() {
    VERIFY(!m_is_kernel);
    VERIFY(!is_active());
    // CPUs that keep the tables lazily let go of them before they are freed.
    flush_others(0, user_space_end);
    if (const u64 left = loaded_on()) {
        panic("address space {:p} freed while CPUs {:#x} (a bit per id) still use it", m_pml4,
              left);
    }
    PageTable& pml4 = table_at(m_pml4);
    for (usize i = 0; i < 256; ++i) {
        if (!pml4.entries[i].present()) {
            continue;
        }
        PageTable& pdpt = table_at(pml4.entries[i].address());
        for (PageTableEntry& pdpt_entry : pdpt.entries) {
            if (!pdpt_entry.present()) {
                continue;
            }
            PageTable& pd = table_at(pdpt_entry.address());
            for (PageTableEntry& pd_entry : pd.entries) {
                if (pd_entry.present()) {
                    free_table(pd_entry.address());
                }
            }
            free_table(pdpt_entry.address());
        }
        free_table(pml4.entries[i].address());
    }
    free_table(m_pml4);
}

bool AddressSpace::is_active() const {
    return (cpu::read_cr3() & PageTableEntry::address_mask) == m_pml4.value();
}

void AddressSpace::activate() {
    InterruptGuard this_cpu;
    CpuLocal& here = cpu_local::get();
    const u64 me = u64{1} << here.id;
    if (here.loaded_space && here.loaded_space != this && !here.loaded_space->m_is_kernel) {
        __atomic_and_fetch(&here.loaded_space->m_cpus, ~me, __ATOMIC_SEQ_CST);
    }
    if (!m_is_kernel) {
        // Before the load: a CPU changing these tables from now on, whose
        // look at the mask follows its change, flushes this one too.
        __atomic_or_fetch(&m_cpus, me, __ATOMIC_SEQ_CST);
    }
    here.loaded_space = this;
    cpu::write_cr3(m_pml4.value());
}

bool AddressSpace::is_loaded_here() const {
    return cpu_local::get().loaded_space == this;
}

void AddressSpace::flush_others(u64 start, u64 end) {
    if (m_is_kernel) {
        return; // kernel_stack.cpp flushes the kernel half's retired stacks itself
    }
    if (m_batch_depth > 0) {
        const bool empty = m_batch_start >= m_batch_end;
        m_batch_start = empty || start < m_batch_start ? start : m_batch_start;
        m_batch_end = empty || end > m_batch_end ? end : m_batch_end;
        return;
    }
    tlb::flush_others(*this, start, end);
}

AddressSpace::FlushBatch::FlushBatch(AddressSpace& space) : m_space(space) {
    if (m_space.m_batch_depth++ == 0) {
        m_space.m_batch_start = m_space.m_batch_end = 0;
    }
}

AddressSpace::FlushBatch::~FlushBatch() {
    if (--m_space.m_batch_depth == 0 && m_space.m_batch_start < m_space.m_batch_end) {
        tlb::flush_others(m_space, m_space.m_batch_start, m_space.m_batch_end);
    }
}

ErrorOr<void> AddressSpace::check(VirtAddr virt) const {
    const u64 v = virt.value();
    if (!virt.is_aligned(page_size) || !is_canonical(v)) {
        return Error(Errno::INVAL, "address not page-aligned or not canonical");
    }
    if (m_is_kernel != (v >= kernel_space_start)) {
        return Error(Errno::INVAL, "address in the other half of the address space");
    }
    return {};
}

namespace {

// The kernel half is shared by every thread: kernel stacks are mapped and
// unmapped at run time, preemptibly, and two of them may share a table.
// (A user half is guarded by its UserSpace's mutex.)
Spinlock kernel_tables_lock{"kernel page tables", LockRank::KernelTables};

} // namespace

ErrorOr<void> AddressSpace::map(VirtAddr virt, PhysAddr phys, MapFlags flags) {
    if (m_is_kernel) {
        SpinlockGuard guard(kernel_tables_lock);
        return map_entry(virt, phys, flags);
    }
    return map_entry(virt, phys, flags);
}

ErrorOr<PhysAddr> AddressSpace::unmap(VirtAddr virt) {
    if (m_is_kernel) {
        SpinlockGuard guard(kernel_tables_lock);
        return unmap_entry(virt);
    }
    return unmap_entry(virt);
}

ErrorOr<void> AddressSpace::map_entry(VirtAddr virt, PhysAddr phys, MapFlags flags) {
    TRY(check(virt));
    if (!phys.is_aligned(page_size)) {
        return Error(Errno::INVAL, "physical address not page-aligned");
    }
    const u64 v = virt.value();
    const usize indices[3] = {pml4_index(v), pdpt_index(v), pd_index(v)};
    const u64 table_flags = PagePresent | PageWritable | (m_is_kernel ? u64{0} : u64{PageUser});
    PhysAddr table = m_pml4;
    for (usize index : indices) {
        PageTableEntry& entry = table_at(table).entries[index];
        if (!entry.present()) {
            const PhysAddr next = TRY(new_table());
            entry = PageTableEntry::make(next, table_flags);
            count_entry(table, +1);
        } else if (entry.raw & PageHuge) {
            return Error(Errno::EXIST, "address lies in a large page");
        }
        table = entry.address();
    }
    PageTableEntry& leaf = table_at(table).entries[pt_index(v)];
    if (leaf.present()) {
        return Error(Errno::EXIST, "page already mapped");
    }
    leaf = PageTableEntry::make(phys, entry_flags(flags));
    count_entry(table, +1);
    return {};
}

ErrorOr<PhysAddr> AddressSpace::unmap_entry(VirtAddr virt) {
    TRY(check(virt));
    const u64 v = virt.value();
    PhysAddr tables[4] = {m_pml4};
    PageTableEntry* entries[4];
    const usize indices[4] = {pml4_index(v), pdpt_index(v), pd_index(v), pt_index(v)};
    for (usize level = 0; level < 4; ++level) {
        entries[level] = &table_at(tables[level]).entries[indices[level]];
        if (!entries[level]->present()) {
            return Error(Errno::NOENT, "page not mapped");
        }
        if (level < 3) {
            if (entries[level]->raw & PageHuge) {
                return Error(Errno::INVAL, "address lies in a large page");
            }
            tables[level + 1] = entries[level]->address();
        }
    }
    const PhysAddr frame = entries[3]->address();
    *entries[3] = {};
    count_entry(tables[3], -1);
    // Free tables that became empty, bottom up. The PML4 and the shared
    // kernel PDPTs (level 1 in the kernel half) always stay.
    const usize top = m_is_kernel ? 2 : 1;
    for (usize level = 3; level >= top; --level) {
        if (!is_counted(tables[level]) || entries_in(tables[level]) != 0) {
            break;
        }
        *entries[level - 1] = {};
        count_entry(tables[level - 1], -1);
        free_table(tables[level]);
    }
    // After the tables are unlinked: invlpg also drops cached upper-level
    // entries for this address (SDM 3A 4.10.4.1).
    cpu::invlpg(v);
    return frame;
}

ErrorOr<AddressSpace::PresentPage> AddressSpace::present_page(VirtAddr virt) {
    TRY(check(virt));
    const u64 v = virt.value();
    PhysAddr table = m_pml4;
    u64 writable = PageWritable;
    const usize indices[3] = {pml4_index(v), pdpt_index(v), pd_index(v)};
    for (usize index : indices) {
        const PageTableEntry entry = table_at(table).entries[index];
        if (!entry.present()) {
            return Error(Errno::NOENT, "page not mapped");
        }
        if (entry.raw & PageHuge) {
            return Error(Errno::INVAL, "address lies in a large page");
        }
        writable &= entry.raw;
        table = entry.address();
    }
    PageTableEntry& leaf = table_at(table).entries[pt_index(v)];
    if (!leaf.present()) {
        return Error(Errno::NOENT, "page not mapped");
    }
    return PresentPage(this, &leaf, v, leaf.address(), (writable & leaf.raw) != 0);
}

void AddressSpace::PresentPage::replace(PhysAddr phys, MapFlags flags) {
    *m_leaf = PageTableEntry::make(phys, entry_flags(flags));
    cpu::invlpg(m_virt);
    // Before the caller lets go of the old frame (copy-on-write).
    m_space->flush_others(m_virt, m_virt + page_size);
}

ErrorOr<void> AddressSpace::protect(VirtAddr virt, MapFlags flags) {
    PresentPage page = TRY(present_page(virt));
    page.replace(page.frame(), flags);
    return {};
}

void AddressSpace::visit_present(u64 start, u64 end, PageVisitor visit, void* context,
                                 bool make_read_only) {
    constexpr u64 span[4] = {u64{1} << 39, u64{1} << 30, u64{1} << 21, u64{1} << 12};
    end = min(end, user_space_end);
    // An explicit walk: level by level, skipping whole absent subtrees.
    u64 v = start & ~(page_size - 1);
    while (v < end) {
        PhysAddr table = m_pml4;
        usize level = 0;
        bool skipped = false;
        for (; level < 3; ++level) {
            const usize index = (v >> (39 - 9 * level)) & 511;
            const PageTableEntry entry = table_at(table).entries[index];
            if (!entry.present() || (entry.raw & PageHuge)) {
                v = (v & ~(span[level] - 1)) + span[level]; // next subtree
                skipped = true;
                break;
            }
            table = entry.address();
        }
        if (skipped) {
            continue;
        }
        PageTable& pt = table_at(table);
        for (usize i = pt_index(v); i < PageTable::entry_count && v < end; ++i, v += page_size) {
            PageTableEntry& entry = pt.entries[i];
            if (!entry.present()) {
                continue;
            }
            if (make_read_only) {
                entry.raw &= ~u64{PageWritable};
            }
            visit(v, entry.address(), entry.flags(), context);
        }
    }
}

ErrorOr<AddressSpace::Mapping> AddressSpace::translate(VirtAddr virt) const {
    return translate_in(m_pml4, virt);
}

ErrorOr<AddressSpace::Mapping> AddressSpace::translate_in(PhysAddr pml4, VirtAddr virt) {
    const u64 v = virt.value();
    if (!is_canonical(v)) {
        return Error(Errno::INVAL, "address not canonical");
    }
    const usize indices[4] = {pml4_index(v), pdpt_index(v), pd_index(v), pt_index(v)};
    PhysAddr table = pml4;
    bool writable = true;
    bool user = true;
    bool executable = true;
    for (usize level = 0; level < 4; ++level) {
        const PageTableEntry entry = table_at(table).entries[indices[level]];
        if (!entry.present()) {
            return Error(Errno::NOENT, "page not mapped");
        }
        writable = writable && (entry.raw & PageWritable);
        user = user && (entry.raw & PageUser);
        executable = executable && !(entry.raw & PageNoExecute);
        const bool leaf = level == 3 || (level > 0 && (entry.raw & PageHuge));
        if (leaf) {
            const u64 size = level == 3 ? page_size : level == 2 ? 2 * MiB : GiB;
            const u64 base = entry.address().value() & ~(size - 1);
            return Mapping{PhysAddr(base + (v & (size - 1))), writable, user, executable};
        }
        table = entry.address();
    }
    return Error(Errno::NOENT, "page not mapped");
}

} // namespace kite
