// pci_tests.cpp: configuration-space accesses through whichever way
// pci_config::init chose (the ports on i440fx, which kernel.all runs on;
// ECAM on q35, where tests/qemu/test_pci_ecam.py runs these): each width
// reads the same bytes, writes reach the register and only it, and the
// extended space is there exactly when ECAM is.
#include "dev/pci.h"
#include "tests/ktest.h"

namespace kite {

namespace {

// Reads of each width agree over [from, to) of every function.
void check_widths(u16 from, u16 to) {
    for (usize i = 0; i < pci::device_count(); ++i) {
        const pci::Device& d = pci::device_at(i);
        for (u16 offset = from; offset < to; offset = static_cast<u16>(offset + 4)) {
            const u32 value = d.read32(offset);
            KEXPECT_EQ(d.read16(offset), static_cast<u16>(value));
            KEXPECT_EQ(d.read16(static_cast<u16>(offset + 2)), static_cast<u16>(value >> 16));
            for (u16 byte = 0; byte < 4; ++byte) {
                KEXPECT_EQ(d.read8(static_cast<u16>(offset + byte)),
                           static_cast<u8>(value >> (8 * byte)));
            }
        }
    }
}

} // namespace

KTEST(pci_config_widths_agree) {
    KEXPECT(pci::device_count() > 0);
    check_widths(0, 0x40);
    if (pci_config::has_extended_space()) {
        check_widths(pci::extended_capabilities, pci::extended_capabilities + 0x40);
        // A function's first extended capability is found where it is.
        for (usize i = 0; i < pci::device_count(); ++i) {
            const pci::Device& d = pci::device_at(i);
            const u32 first = d.read32(pci::extended_capabilities);
            if (first != 0 && first != 0xFFFFFFFF) {
                KEXPECT_EQ(d.find_extended_capability(static_cast<u16>(first)),
                           pci::extended_capabilities);
            }
        }
        return;
    }
    // Through the ports, the extended space reads as absent.
    for (usize i = 0; i < pci::device_count(); ++i) {
        const pci::Device& d = pci::device_at(i);
        KEXPECT_EQ(d.read32(pci::extended_capabilities), 0xFFFFFFFFu);
        KEXPECT_EQ(d.read16(0xFFE), 0xFFFF);
        KEXPECT_EQ(d.read8(0x101), 0xFF);
        KEXPECT_EQ(d.find_extended_capability(1), 0);
    }
}

// The interrupt line (0x3C) is a scratch byte to the hardware (Kite keeps
// its value in pci::Device), with the read-only interrupt pin beside it.
KTEST(pci_config_writes_reach_their_register) {
    const pci::Device* device = nullptr;
    for (usize i = 0; i < pci::device_count() && !device; ++i) {
        if (pci::device_at(i).header_type == 0) {
            device = &pci::device_at(i);
        }
    }
    KEXPECT(device != nullptr);
    if (!device) {
        return;
    }
    const u32 saved = device->read32(pci::reg::interrupt_line);
    device->write16(pci::reg::interrupt_line, static_cast<u16>((saved & 0xFF00) | 0x5A));
    KEXPECT_EQ(device->read8(pci::reg::interrupt_line), 0x5A);
    KEXPECT_EQ(device->read32(pci::reg::interrupt_line), (saved & ~0xFFu) | 0x5A);
    device->write32(pci::reg::interrupt_line, (saved & ~0xFFu) | 0xA5);
    KEXPECT_EQ(device->read8(pci::reg::interrupt_line), 0xA5);
    KEXPECT_EQ(device->read16(pci::reg::interrupt_line + 2), static_cast<u16>(saved >> 16));
    device->write32(pci::reg::interrupt_line, saved);
    KEXPECT_EQ(device->read32(pci::reg::interrupt_line), saved);
}

} // namespace kite
