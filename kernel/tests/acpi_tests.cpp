// acpi_tests.cpp: the ACPI tables acpi::init kept, read back in the
// running kernel: the spec's RSDP search finds what GRUB passed, and the
// tables every QEMU PC has (FADT, MADT) are there and checked.
#include "acpi/acpi.h"
#include "boot/boot_info.h"
#include "console/console.h"
#include "tests/ktest.h"

namespace kite {

KTEST(acpi_rsdp_search_finds_the_loaders_rsdp) {
    const BootInfo& info = boot_info();
    auto from_loader = acpi::parse_rsdp(info.acpi_rsdp, info.acpi_rsdp_length);
    if (from_loader.is_error()) {
        kprintln("SKIP: the loader passed no valid RSDP ({})", from_loader.error().what());
        return;
    }
    const char* source = nullptr;
    auto scanned = acpi::scan_for_rsdp(source);
    KEXPECT(!scanned.is_error());
    if (scanned.is_error()) {
        return;
    }
    KEXPECT(source != nullptr);
    KEXPECT_EQ(scanned.value().address, from_loader.value().address);
    KEXPECT_EQ(scanned.value().extended, from_loader.value().extended);
    KEXPECT_EQ(scanned.value().revision, from_loader.value().revision);
}

KTEST(acpi_fadt_and_madt_are_found_and_checked) {
    const char* const signatures[] = {"FACP", "APIC"};
    for (const char* signature : signatures) {
        auto table = acpi::find_table(signature);
        KEXPECT(!table.is_error());
        if (table.is_error()) {
            continue;
        }
        const acpi::Table& t = table.value();
        KEXPECT(t.address.value() != 0);
        KEXPECT(acpi::has_signature(t.bytes, signature));
        KEXPECT(t.length > sizeof(acpi::SdtHeader));
        KEXPECT(!acpi::check_table(t.bytes, t.length).is_error());
        KEXPECT(acpi::find_table(signature, 1).is_error()); // one of each
    }
    KEXPECT(acpi::find_table("NONE").is_error());
    KEXPECT(acpi::find_table("API").is_error());
}

} // namespace kite
