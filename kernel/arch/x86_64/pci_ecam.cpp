// pci_ecam.cpp: see pci_ecam.h. A bus's window pointer is written once,
// under map_lock, and read without it (acquire): accesses after the first
// take no lock at all, since each is a single load or store the device
// sees whole.
#include "arch/x86_64/pci_ecam.h"

#include "arch/x86_64/mmio.h"
#include "console/console.h"
#include "sync/spinlock.h"

namespace kite::pci_ecam {

namespace {

acpi::EcamRange ecam{};
bool started = false;

// Bus b's 1 MiB, once mapped; failed_marker if mapping it failed.
volatile u8* windows[256];
volatile u8* const failed_marker = reinterpret_cast<volatile u8*>(1);
Spinlock map_lock{"pci ecam windows", LockRank::PciEcam};

volatile u8* bus_window(u8 bus) {
    volatile u8* window = __atomic_load_n(&windows[bus], __ATOMIC_ACQUIRE);
    if (window) [[likely]] {
        return window;
    }
    SpinlockGuard guard(map_lock);
    window = windows[bus];
    if (!window) {
        auto mapped =
            mmio::map(PhysAddr(ecam.base + u64{bus} * acpi::ecam_bus_size), acpi::ecam_bus_size);
        if (mapped.is_error()) {
            kprintln("pci: cannot map ECAM of bus {}: {}; it goes through the ports", bus,
                     mapped.error().what());
            window = failed_marker;
        } else {
            window = mapped.value();
        }
        __atomic_store_n(&windows[bus], window, __ATOMIC_RELEASE);
    }
    return window;
}

} // namespace

void start(const acpi::EcamRange& range) {
    ecam = range;
    started = true;
}

volatile u8* function_base(pci_config::Address address) {
    if (!started || address.bus < ecam.start_bus || address.bus > ecam.end_bus) {
        return nullptr;
    }
    volatile u8* window = bus_window(address.bus);
    if (window == failed_marker) {
        return nullptr;
    }
    return window + ((u64{address.device} & 31) << 15) + ((u64{address.function} & 7) << 12);
}

} // namespace kite::pci_ecam
