// kernel_map.cpp: boot-time kernel page tables.
//
// After init():
//   [_text_start, _text_end)      R-X
//   [_rodata_start, _rodata_end)  R--   (also .init_array, .ktests, .ex_table)
//   [_data_start, _bss_end)       RW-   except stack guard pages: unmapped
//   [_ksyms_start, _ksyms_end)    R--
//   direct map                    RW-   (2 MiB pages, 4 GiB), except the
//                                       kernel image's own frames: R-- but
//                                       for data and bss (4 KiB pages there)
//   identity map                  gone
// With CR0.WP set (boot.asm) a write to a read-only page faults in ring 0 too.
// So no kernel code or constant has a writable alias anywhere in the
// kernel half (kernel_map_tests.cpp walks the tables to check).
#include "arch/x86_64/kernel_map.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/page_table.h"
#include "arch/x86_64/stacks.h"
#include "debug/panic.h"
#include "mm/direct_map.h"

extern "C" {
extern kite::PageTable boot_pml4;
extern kite::PageTable boot_pdpt_high;
extern kite::PageTable boot_pd_direct[4];
extern const kite::u8 _text_start[], _text_end[];
extern const kite::u8 _rodata_start[], _rodata_end[];
extern const kite::u8 _data_start[], _bss_end[];
extern const kite::u8 _ksyms_start[], _ksyms_end[];
extern const kite::u8 _kernel_end[];
extern const kite::u8 _kernel_phys_start[], _kernel_phys_end[];
}

namespace kite::kernel_map {

namespace {

// Enough 4 KiB page tables for an 8 MiB kernel image.
constexpr usize max_page_tables = 4;
[[gnu::section(".bss.page_tables")]] PageTable kernel_pd;
[[gnu::section(".bss.page_tables")]] PageTable kernel_pts[max_page_tables];
// The direct map's 4 KiB pages over the same physical 8 MiB.
[[gnu::section(".bss.page_tables")]] PageTable direct_image_pts[max_page_tables];

u64 addr(const void* p) {
    return reinterpret_cast<u64>(p);
}

bool is_guard_page(u64 virt) {
    const u64 guards[] = {
        addr(boot_stack_guard),
        addr(double_fault_stack.guard_page()),
        addr(nmi_stack.guard_page()),
        addr(machine_check_stack.guard_page()),
    };
    for (u64 guard : guards) {
        if (virt == guard) {
            return true;
        }
    }
    return false;
}

u64 flags_for(u64 virt) {
    if (virt >= addr(_text_start) && virt < addr(_text_end)) {
        return PagePresent;
    }
    if (virt >= addr(_data_start) && virt < addr(_bss_end)) {
        return PagePresent | PageWritable | PageNoExecute;
    }
    return PagePresent | PageNoExecute; // rodata, ksyms, padding
}

// Whether the direct map may write physical page phys: anything but the
// kernel image's frames, and of those only data and bss (the bootstrap,
// text, rodata, the symbol table and the padding between are read-only).
bool direct_map_writable(u64 phys) {
    if (phys < addr(_kernel_phys_start) || phys >= addr(_kernel_phys_end)) {
        return true;
    }
    return phys >= addr(_data_start) - kernel_vma && phys < addr(_bss_end) - kernel_vma;
}

// Splits the direct map's 2 MiB pages over the kernel image into 4 KiB
// pages with direct_map_writable's permissions. Runs before the flush that
// ends init(); nothing reaches the image through these entries meanwhile
// (the kernel runs through kernel_pd already).
void protect_image_in_direct_map() {
    PageTable& pd = boot_pd_direct[0]; // the first GiB: the image lies in its first 8 MiB
    const usize first = addr(_kernel_phys_start) / (2 * MiB);
    const usize last = (addr(_kernel_phys_end) - 1) / (2 * MiB);
    VERIFY(last < max_page_tables); // init() checked the image's size
    for (usize i = first; i <= last; ++i) {
        PageTable& pt = direct_image_pts[i];
        for (usize j = 0; j < PageTable::entry_count; ++j) {
            const u64 phys = i * 2 * MiB + j * 4096;
            pt.entries[j] = PageTableEntry::make(
                PhysAddr(phys),
                PagePresent | PageNoExecute | (direct_map_writable(phys) ? u64{PageWritable} : 0));
        }
        pd.entries[i] = PageTableEntry::make(kernel_image_phys(&pt),
                                             PagePresent | PageWritable | PageNoExecute);
    }
}

} // namespace

void init() {
    const u64 start = addr(_text_start);
    const u64 end = addr(_kernel_end);
    VERIFY(start % 4096 == 0 && end % 4096 == 0);
    const usize first_pt = pd_index(start);
    const usize last_pt = pd_index(end - 1);
    if (last_pt >= max_page_tables) {
        panic("kernel image ends at {:p}, past the {} MiB that kernel_map.cpp maps", end,
              max_page_tables * 2);
    }

    for (u64 virt = start; virt < end; virt += 4096) {
        if (is_guard_page(virt)) {
            continue;
        }
        PageTable& pt = kernel_pts[pd_index(virt)];
        pt.entries[pt_index(virt)] =
            PageTableEntry::make(PhysAddr(virt - kernel_vma), flags_for(virt));
    }
    for (usize i = first_pt; i <= last_pt; ++i) {
        kernel_pd.entries[i] =
            PageTableEntry::make(kernel_image_phys(&kernel_pts[i]), PagePresent | PageWritable);
    }

    boot_pdpt_high.entries[pdpt_index(kernel_vma)] =
        PageTableEntry::make(kernel_image_phys(&kernel_pd), PagePresent | PageWritable);
    // Flush before touching boot_pd_direct: the CPU may still walk the old
    // kernel mapping through it (SDM 3A 4.10.2), and it is about to become NX.
    cpu::flush_tlb();
    for (PageTable& pd : boot_pd_direct) {
        for (PageTableEntry& entry : pd.entries) {
            entry.raw |= PageNoExecute;
        }
    }
    protect_image_in_direct_map();
    boot_pml4.entries[0] = {}; // the identity map
    cpu::flush_tlb();
}

void extend_direct_map(u64 end, PhysAddr (*allocate_table)()) {
    end = (end + 2 * MiB - 1) & ~(2 * MiB - 1);
    if (end <= direct_map_end()) {
        return;
    }
    if (end > direct_map_limit) {
        panic("physical memory ends at {:#x}, beyond the {} GiB direct map", end,
              direct_map_limit / GiB);
    }
    // boot_pml4[256] points at the direct map's PDPT (boot_pdpt_direct).
    PageTable* pdpt =
        phys_to_virt<PageTable>(boot_pml4.entries[pml4_index(direct_map_base)].address());
    for (u64 phys = direct_map_end(); phys < end; phys += 2 * MiB) {
        PageTableEntry& pdpt_entry = pdpt->entries[pdpt_index(direct_map_base + phys)];
        if (!pdpt_entry.present()) {
            pdpt_entry = PageTableEntry::make(allocate_table(), PagePresent | PageWritable);
        }
        PageTable* pd = phys_to_virt<PageTable>(pdpt_entry.address());
        pd->entries[pd_index(direct_map_base + phys)] = PageTableEntry::make(
            PhysAddr(phys), PagePresent | PageWritable | PageHuge | PageNoExecute);
    }
    set_direct_map_end(end);
    cpu::flush_tlb();
}

} // namespace kite::kernel_map
