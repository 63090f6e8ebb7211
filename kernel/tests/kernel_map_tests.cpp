// kernel_map_tests.cpp: W^X in the kernel half, checked on the page tables
// themselves, not on what kernel_map.cpp meant to set. Every present page of
// PML4 entries 256-511 (the kernel image, the direct map of all RAM, kernel
// stacks, MMIO, the heap's mappings), with the permissions of its whole
// path, must be:
//   - not both writable and executable;
//   - executable only inside the kernel's text, [_text_start, _text_end);
//   - writable only over frames that are not the kernel image's read-only
//     ones (bootstrap, text, rodata, symbol table): no writable alias;
//   - not user-accessible.
#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/page_table.h"
#include "console/console.h"
#include "mm/direct_map.h"
#include "mm/physical.h"
#include "tests/ktest.h"

extern "C" const kite::u8 _text_start[], _text_end[];
extern "C" const kite::u8 _data_start[], _bss_end[];
extern "C" const kite::u8 _kernel_phys_start[], _kernel_phys_end[];

namespace kite {

namespace {

u64 addr(const void* p) {
    return reinterpret_cast<u64>(p);
}

// One present leaf: a 4 KiB, 2 MiB or 1 GiB page.
struct KernelPage {
    u64 virt;
    u64 size;
    u64 phys;
    bool writable;   // on every level of the walk
    bool executable; // NX on none
    bool user;       // U on every level
};

constexpr u64 level_size[4] = {u64{1} << 39, GiB, 2 * MiB, page_size};

u64 canonical(u64 virt) {
    return (virt & (u64{1} << 47)) ? virt | 0xffff000000000000 : virt;
}

// Calls visit(page) for every present leaf under table (at level 0-3,
// mapping from virt on), with the permissions inherited from above.
template <typename Visit>
void walk(PhysAddr table, usize level, u64 virt, KernelPage inherited, Visit& visit) {
    const PageTable& entries = *phys_to_virt<PageTable>(table);
    const usize first = level == 0 ? 256 : 0; // the kernel half only
    for (usize i = first; i < PageTable::entry_count; ++i) {
        const PageTableEntry entry = entries.entries[i];
        if (!entry.present()) {
            continue;
        }
        KernelPage page = inherited;
        page.virt = canonical(virt + i * level_size[level]);
        page.writable = page.writable && (entry.raw & PageWritable);
        page.executable = page.executable && !(entry.raw & PageNoExecute);
        page.user = page.user && (entry.raw & PageUser);
        if (level == 3 || (level > 0 && (entry.raw & PageHuge))) {
            page.size = level_size[level];
            // The PAT bit of a large page is bit 12: not part of its address.
            page.phys = entry.address().value() & ~(page.size - 1);
            visit(page);
        } else {
            walk(entry.address(), level + 1, page.virt, page, visit);
        }
    }
}

bool overlaps(u64 a, u64 a_end, u64 b, u64 b_end) {
    return a < b_end && b < a_end;
}

// The kernel image's frames that must have no writable mapping: all of
// the image but data and bss.
bool aliases_read_only_image(const KernelPage& page) {
    const u64 end = page.phys + page.size;
    const u64 data = addr(_data_start) - kernel_vma;
    const u64 data_end = addr(_bss_end) - kernel_vma;
    return overlaps(page.phys, end, addr(_kernel_phys_start), data) ||
           overlaps(page.phys, end, data_end, addr(_kernel_phys_end));
}

struct Findings {
    static constexpr usize capacity = 8;
    const char* what[capacity];
    KernelPage page[capacity];
    usize count = 0;
    u64 executable_bytes = 0;
    u64 direct_map_bytes = 0;

    void add(const char* problem, const KernelPage& p) {
        if (count < capacity) {
            what[count] = problem;
            page[count] = p;
        }
        ++count;
    }
};

Findings check_kernel_half() {
    Findings findings;
    const u64 text = addr(_text_start);
    const u64 text_end = (addr(_text_end) + page_size - 1) & ~(page_size - 1);
    auto visit = [&](const KernelPage& page) {
        const u64 end = page.virt + page.size;
        if (page.writable && page.executable) {
            findings.add("writable and executable", page);
        }
        if (page.executable && (page.virt < text || end > text_end)) {
            findings.add("executable outside the kernel text", page);
        }
        if (page.writable && aliases_read_only_image(page)) {
            findings.add("a writable alias of the kernel's text or read-only data", page);
        }
        if (page.user) {
            findings.add("user-accessible in the kernel half", page);
        }
        if (page.executable) {
            findings.executable_bytes += page.size;
        }
        if (page.virt >= direct_map_base && page.virt < direct_map_base + direct_map_limit) {
            findings.direct_map_bytes += page.size;
        }
    };
    const KernelPage top = {0, 0, 0, true, true, true};
    walk(AddressSpace::kernel().pml4(), 0, 0, top, visit);
    return findings;
}

void report(const Findings& findings) {
    for (usize i = 0; i < findings.count && i < Findings::capacity; ++i) {
        const KernelPage& p = findings.page[i];
        kprintln("  {:p} ({} KiB, physical {:#x}): {}", p.virt, p.size / KiB, p.phys,
                 findings.what[i]);
    }
}

// A page of the kernel half no one else uses (PML4 entry 450).
constexpr u64 scratch_page = 0xffffe10000000000;

} // namespace

KTEST(kernel_half_is_write_xor_execute) {
    const Findings findings = check_kernel_half();
    report(findings);
    KEXPECT_EQ(findings.count, 0u);
    // The walk saw the text (it is all executable and only it) and the
    // direct map of all RAM.
    const u64 text_pages = (addr(_text_end) - addr(_text_start) + page_size - 1) / page_size;
    KEXPECT_EQ(findings.executable_bytes, text_pages * page_size);
    KEXPECT(findings.direct_map_bytes >= direct_map_end());
}

// The check finds what it is for: a planted writable and executable page,
// then a planted writable alias of the kernel's text.
KTEST(kernel_half_check_finds_planted_mappings) {
    AddressSpace& kernel = AddressSpace::kernel();
    auto frame = physical::allocate_zeroed();
    KEXPECT(!frame.is_error());
    if (frame.is_error()) {
        return;
    }
    KEXPECT(
        !kernel
             .map(VirtAddr(scratch_page), frame.value(), MapFlags::Writable | MapFlags::Executable)
             .is_error());
    Findings findings = check_kernel_half();
    KEXPECT_EQ(findings.count, 2u); // W+X, and executable outside the text
    KEXPECT(findings.count >= 1 && findings.page[0].virt == scratch_page);
    KEXPECT(!kernel.unmap(VirtAddr(scratch_page)).is_error());
    physical::free(frame.value());

    KEXPECT(!kernel.map(VirtAddr(scratch_page), kernel_image_phys(_text_start), MapFlags::Writable)
                 .is_error());
    findings = check_kernel_half();
    KEXPECT_EQ(findings.count, 1u);
    KEXPECT(findings.count >= 1 && findings.page[0].virt == scratch_page &&
            findings.page[0].phys == kernel_image_phys(_text_start).value());
    KEXPECT(!kernel.unmap(VirtAddr(scratch_page)).is_error());
    KEXPECT_EQ(check_kernel_half().count, 0u);
}

} // namespace kite
