// boot_tests.cpp: what boot left behind: the boot information, the kernel's
// page permissions, the consoles, the C++ runtime and the symbol table.
#include "arch/x86_64/address_space.h"
#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/stacks.h"
#include "arch/x86_64/vga.h"
#include "boot/boot_info.h"
#include "console/console.h"
#include "debug/ksyms.h"
#include "tests/ktest.h"

extern "C" const kite::u8 _text_start[], _rodata_start[], _data_start[];

namespace kite {

namespace {

struct Translation {
    bool present;
    bool writable;
    bool executable;
    PhysAddr physical;
};

Translation translate(u64 virt) {
    auto mapping = AddressSpace::kernel().translate(VirtAddr(virt));
    if (mapping.is_error()) {
        return {false, false, false, {}};
    }
    return {true, mapping.value().writable, mapping.value().executable, mapping.value().phys};
}

// Set by a global constructor: proves .init_array ran before kernel_main.
struct ConstructorProbe {
    ConstructorProbe() : value(0x4b495445) {}
    u32 value;
};
ConstructorProbe constructor_probe;

} // namespace

KTEST(global_constructors_ran) {
    KEXPECT_EQ(constructor_probe.value, 0x4b495445u);
}

KTEST(boot_info_has_memory_map_and_initrd) {
    const BootInfo& info = boot_info();
    KEXPECT(info.memory_map_count > 0);
    u64 available = 0;
    for (usize i = 0; i < info.memory_map_count; ++i) {
        if (info.memory_map[i].type == static_cast<u32>(MemoryType::Available)) {
            available += info.memory_map[i].length;
        }
    }
    KEXPECT(available >= 16 * MiB);
    KEXPECT(StringView(info.bootloader_name).starts_with("GRUB"));
    KEXPECT_EQ(info.module_count, 1u);
    KEXPECT(StringView(info.modules[0].name) == "initrd");
    KEXPECT(info.modules[0].end > info.modules[0].start);
}

KTEST(kernel_sections_have_their_permissions) {
    const auto text = translate(reinterpret_cast<u64>(_text_start));
    KEXPECT(text.present && !text.writable && text.executable);
    const auto rodata = translate(reinterpret_cast<u64>(_rodata_start));
    KEXPECT(rodata.present && !rodata.writable && !rodata.executable);
    const auto data = translate(reinterpret_cast<u64>(&constructor_probe));
    KEXPECT(data.present && data.writable && !data.executable);
    KEXPECT_EQ(text.physical.value(), reinterpret_cast<u64>(_text_start) - 0xffffffff80000000);
}

KTEST(stack_guard_pages_are_unmapped) {
    KEXPECT(!translate(reinterpret_cast<u64>(boot_stack_guard)).present);
    KEXPECT(!translate(reinterpret_cast<u64>(double_fault_stack.guard_page())).present);
    KEXPECT(translate(reinterpret_cast<u64>(boot_stack_bottom)).present);
}

KTEST(identity_map_is_gone_and_direct_map_is_not_executable) {
    KEXPECT(!translate(0x100000).present);
    const auto direct = translate(0xffff800000001000); // below the kernel image
    KEXPECT(direct.present && direct.writable && !direct.executable);
    KEXPECT_EQ(direct.physical.value(), 0x1000u);
    // The kernel image's own first frame (the bootstrap): read-only there.
    const auto image = translate(0xffff800000100000);
    KEXPECT(image.present && !image.writable && !image.executable);
    KEXPECT_EQ(image.physical.value(), 0x100000u);
}

KTEST(ist_stacks_are_installed) {
    const auto df = gdt::ist_stack(gdt::Ist::DoubleFault);
    KEXPECT(df.top > df.bottom);
    KEXPECT_EQ(df.top, reinterpret_cast<u64>(double_fault_stack.top()));
}

KTEST(console_output_reaches_vga) {
    kprintln("vga-mirror-check {}", 12345);
    // The line just printed is the one above the cursor.
    const usize row = vga::cursor_row() - 1;
    char line[vga::columns + 1] = {};
    for (usize c = 0; c < vga::columns; ++c) {
        line[c] = static_cast<char>(vga::cell(row, c) & 0xFF);
    }
    KEXPECT(StringView(line).starts_with("vga-mirror-check 12345"));
}

KTEST(symbol_table_resolves_kernel_functions) {
    KEXPECT(ksyms::count() > 50);
    const u64 main_address = ksyms::address_of("kernel_main");
    KEXPECT(main_address != 0);
    ksyms::Symbol symbol;
    KEXPECT(ksyms::lookup(main_address + 4, symbol));
    KEXPECT(symbol.name == "kernel_main");
    KEXPECT_EQ(symbol.offset, 4u);
    KEXPECT(!ksyms::lookup(0x1000, symbol));
}

namespace {

[[gnu::noinline]] usize capture_here(u64* addresses, usize capacity) {
    return capture_backtrace(reinterpret_cast<u64>(__builtin_frame_address(0)), addresses,
                             capacity);
}

} // namespace

KTEST(backtrace_walks_to_kernel_main) {
    u64 addresses[backtrace_max_frames];
    const usize count = capture_here(addresses, backtrace_max_frames);
    KEXPECT(count >= 3);
    bool found_main = false;
    for (usize i = 0; i < count; ++i) {
        ksyms::Symbol symbol;
        if (ksyms::lookup(addresses[i] - 1, symbol) && symbol.name == "kernel_main") {
            found_main = true;
        }
    }
    KEXPECT(found_main);
}

} // namespace kite
