// address_space.h: one 4-level page-table hierarchy and the operations on
// 4 KiB pages in it.
//
// The kernel half (PML4 entries 256-511) is shared: every PDPT there is
// created once at boot, and every address space's PML4 points at the same
// ones, so a kernel mapping made later is seen everywhere. Intermediate
// tables of the user half are allocated on demand and freed when they
// become empty (a table frame's Page::refcount counts its present entries).
//
// With several CPUs, each user space knows which CPUs have its tables
// loaded (activate sets this CPU's bit and clears it in the space it
// leaves). Every change that takes a permission or a frame away is flushed
// from this CPU's TLB at once and from the others' through flush_others
// (arch/x86_64/tlb.h); PresentPage::replace does both, unmap only the
// local part, as its caller must flush the others before the frame is
// reused.
#pragma once

#include "lib/error.h"
#include "lib/own_ptr.h"
#include "lib/types.h"

namespace kite {

struct PageTableEntry; // arch/x86_64/page_table.h

enum class MapFlags : u32 {
    None = 0,
    Writable = 1 << 0,
    User = 1 << 1,
    Executable = 1 << 2, // without it the page is no-execute
    Global = 1 << 3,
    // Device memory (MMIO registers): caching off, so every access reaches
    // the device in program order (PCD and PWT: the UC memory type).
    Uncached = 1 << 4,
};
constexpr MapFlags operator|(MapFlags a, MapFlags b) {
    return static_cast<MapFlags>(static_cast<u32>(a) | static_cast<u32>(b));
}
constexpr bool has(MapFlags set, MapFlags flag) {
    return (static_cast<u32>(set) & static_cast<u32>(flag)) != 0;
}

constexpr u64 user_space_end = 0x0000800000000000;
// Like Linux's TASK_SIZE: the last user page is never mapped, so no
// instruction (a syscall in particular) can end at the canonical boundary
// and leave a non-canonical return address.
constexpr u64 user_task_size = 0x00007ffffffff000;
constexpr u64 kernel_space_start = 0xffff800000000000;

class AddressSpace {
  public:
    // Adopts the boot page tables as the kernel's address space and creates
    // the shared kernel-half PDPTs. Needs the physical allocator.
    static void init_kernel();
    static AddressSpace& kernel();
    // A new address space with an empty user half.
    [[nodiscard]] static ErrorOr<OwnPtr<AddressSpace>> create();

    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;
    // Frees the page tables of the user half and the PML4. Frames still
    // mapped are not freed: they belong to whoever mapped them.
    ~AddressSpace();

    // Maps one 4 KiB page. EINVAL for an unaligned or non-canonical address
    // or one in the other half, EEXIST if already mapped, ENOMEM.
    [[nodiscard]] ErrorOr<void> map(VirtAddr virt, PhysAddr phys, MapFlags flags);
    // Unmaps one page and returns the frame it mapped (ENOENT if none).
    [[nodiscard]] ErrorOr<PhysAddr> unmap(VirtAddr virt);
    // Changes the flags of one mapped page (ENOENT if not mapped).
    [[nodiscard]] ErrorOr<void> protect(VirtAddr virt, MapFlags flags);

    // A present 4 KiB page as one walk found it: the frame it maps, whether
    // it is writable (every level allows writes), and its entry, so that the
    // caller can point it elsewhere without walking again (copy-on-write).
    // Valid while the tables do not change (under their owner's lock).
    class PresentPage {
      public:
        [[nodiscard]] PhysAddr frame() const { return m_frame; }
        [[nodiscard]] bool writable() const { return m_writable; }
        // Maps the page to `phys` with `flags` instead (copy-on-write, protect).
        void replace(PhysAddr phys, MapFlags flags);

      private:
        friend class AddressSpace;
        PresentPage(AddressSpace* space, PageTableEntry* leaf, u64 virt, PhysAddr frame,
                    bool writable)
            : m_space(space), m_leaf(leaf), m_virt(virt), m_frame(frame), m_writable(writable) {}
        AddressSpace* m_space;
        PageTableEntry* m_leaf;
        u64 m_virt;
        PhysAddr m_frame;
        bool m_writable;
    };
    // ENOENT if virt is not mapped; EINVAL if it is unaligned, not
    // canonical, in the other half or in a large page.
    [[nodiscard]] ErrorOr<PresentPage> present_page(VirtAddr virt);

    // Calls visit(virt, frame, writable, ctx) for every present 4 KiB page in
    // [start, end) of the user half, skipping empty tables quickly. With
    // make_read_only, each visited page loses its write permission first
    // (fork's copy-on-write); the caller flushes the TLB afterwards.
    using PageVisitor = void (*)(u64 virt, PhysAddr frame, u64 flags, void* context);
    void visit_present(u64 start, u64 end, PageVisitor visit, void* context, bool make_read_only);

    // Tears the user half down in one walk: calls visit for every present
    // page (its owner lets go of the frame) and frees every user table. For
    // a space that is not active and is about to go.
    void release_user_half(PageVisitor visit, void* context);

    struct Mapping {
        PhysAddr phys; // of the byte at virt
        bool writable;
        bool user;
        bool executable;
    };
    // ENOENT if virt is not mapped. Understands 2 MiB and 1 GiB pages.
    [[nodiscard]] ErrorOr<Mapping> translate(VirtAddr virt) const;

    // Loads these tables on this CPU (and flushes its TLB).
    void activate();
    [[nodiscard]] bool is_loaded_here() const;
    [[nodiscard]] PhysAddr pml4() const { return m_pml4; }

    // Drops [start, end) from the TLB of every other CPU that may cache
    // this space's entries, and returns once they have; a CPU that keeps
    // the tables only lazily loads the kernel's instead. Within a
    // FlushBatch the ranges gather, and one flush goes out at its end.
    void flush_others(u64 start, u64 end);
    class [[nodiscard]] FlushBatch {
      public:
        explicit FlushBatch(AddressSpace& space);
        ~FlushBatch();
        FlushBatch(const FlushBatch&) = delete;
        FlushBatch& operator=(const FlushBatch&) = delete;

      private:
        AddressSpace& m_space;
    };
    // A bit per CPU id that has the tables loaded (tlb.cpp reads it).
    [[nodiscard]] u64 loaded_on() const { return __atomic_load_n(&m_cpus, __ATOMIC_SEQ_CST); }

    // translate() for any PML4, for code that runs before init_kernel.
    [[nodiscard]] static ErrorOr<Mapping> translate_in(PhysAddr pml4, VirtAddr virt);

  private:
    // map and unmap themselves; the kernel half takes its lock around them.
    [[nodiscard]] ErrorOr<void> map_entry(VirtAddr virt, PhysAddr phys, MapFlags flags);
    [[nodiscard]] ErrorOr<PhysAddr> unmap_entry(VirtAddr virt);
    AddressSpace(PhysAddr pml4, bool is_kernel) : m_pml4(pml4), m_is_kernel(is_kernel) {}
    [[nodiscard]] ErrorOr<void> check(VirtAddr virt) const;
    [[nodiscard]] bool is_active() const;

    PhysAddr m_pml4;
    bool m_is_kernel;
    u64 m_cpus = 0; // user spaces: CPUs with the tables loaded (a bit per id)
    // An open FlushBatch and the range it gathered (under the owner's lock).
    u32 m_batch_depth = 0;
    u64 m_batch_start = 0;
    u64 m_batch_end = 0;
};

} // namespace kite
