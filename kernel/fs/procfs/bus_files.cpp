// bus_files.cpp: /proc/bus/pci/devices, one line per PCI function in
// Linux's format (drivers/pci/proc.c): bus and devfn, vendor and device,
// IRQ, the seven region bases with their flag bits (six BARs and the ROM,
// which Kite does not read), their sizes, and the driver's name.
#include "dev/pci.h"
#include "fs/procfs/entries.h"

namespace kite::procfs {

namespace {

u64 region_word(const pci::Bar& bar) {
    if (bar.base == 0) {
        return 0;
    }
    if (bar.io) {
        return bar.base | 1;
    }
    return bar.base | (bar.is_64bit ? 4u : 0u) | (bar.prefetchable ? 8u : 0u);
}

ErrorOr<void> generate_pci_devices(Text& out, const Target&) {
    for (usize i = 0; i < pci::device_count(); ++i) {
        const pci::Device& d = pci::device_at(i);
        const u32 devfn = (u32{d.address.device} << 3) | d.address.function;
        out.print("{:02x}{:02x}\t{:04x}{:04x}\t{:x}", d.address.bus, devfn, d.vendor, d.device,
                  d.interrupt_pin ? d.interrupt_line : 0);
        for (const pci::Bar& bar : d.bars) {
            out.print("\t{:16x}", region_word(bar));
        }
        out.print("\t{:16x}", 0);
        for (const pci::Bar& bar : d.bars) {
            out.print("\t{:16x}", bar.base ? bar.size : 0);
        }
        out.print("\t{:16x}\t{}\n", 0, d.driver ? d.driver : "");
    }
    return {};
}

const Entry pci_entries[] = {
    {.name = "devices", .mode = 0444, .generate = generate_pci_devices},
};

} // namespace

const Entry bus_entries[bus_entry_count] = {
    directory_entry("pci", pci_entries),
};

} // namespace kite::procfs
