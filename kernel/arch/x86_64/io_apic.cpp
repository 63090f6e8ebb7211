// io_apic.cpp: see io_apic.h. Register layout from the 82093AA datasheet:
// an index register (IOREGSEL) and a data window (IOWIN) 16 bytes apart;
// register 1 holds the highest redirection entry, entry n is the 64-bit
// pair 0x10 + 2n (low) and 0x11 + 2n (high).
#include "arch/x86_64/io_apic.h"

#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/local_apic.h"
#include "arch/x86_64/mmio.h"
#include "arch/x86_64/pic.h"
#include "console/console.h"

namespace kite::io_apic {

namespace {

constexpr u64 reg_select = 0x00;
constexpr u64 reg_window = 0x10;
constexpr u32 reg_version = 0x01;
constexpr u32 reg_redirection = 0x10;

constexpr u32 entry_masked = 1u << 16;
constexpr u32 entry_level = 1u << 15;
constexpr u32 entry_active_low = 1u << 13;

struct Unit {
    volatile u8* registers;
    u32 gsi_base;
    u32 inputs;
};

u32 read(const Unit& unit, u32 reg) {
    mmio::write32(unit.registers, reg_select, reg);
    return mmio::read32(unit.registers, reg_window);
}

void write(const Unit& unit, u32 reg, u32 value) {
    mmio::write32(unit.registers, reg_select, reg);
    mmio::write32(unit.registers, reg_window, value);
}

class IoApics final : public InterruptController {
  public:
    // Maps every I/O APIC; fails if none is usable.
    ErrorOr<void> attach(const acpi::MadtInfo& madt) {
        m_madt = &madt;
        for (usize i = 0; i < madt.io_apic_count && m_count < max_units; ++i) {
            auto mapped = mmio::map(PhysAddr(madt.io_apics[i].address), 0x20);
            if (mapped.is_error()) {
                kprintln("io_apic: {:#x} not mapped: {}", madt.io_apics[i].address,
                         mapped.error().what());
                continue;
            }
            Unit unit{mapped.value(), madt.io_apics[i].gsi_base, 0};
            const u32 version = read(unit, reg_version);
            // An absent device reads all ones.
            if (version == 0xFFFFFFFF) {
                kprintln("io_apic: nothing answers at {:#x}", madt.io_apics[i].address);
                continue;
            }
            unit.inputs = ((version >> 16) & 0xFF) + 1;
            m_units[m_count++] = unit;
        }
        if (m_count == 0) {
            return Error(Errno::NODEV, "no usable I/O APIC");
        }
        return {};
    }

    void init(u8 first_vector) override {
        m_first_vector = first_vector;
        for (usize i = 0; i < m_count; ++i) {
            for (u32 input = 0; input < m_units[i].inputs; ++input) {
                write(m_units[i], reg_redirection + 2 * input, entry_masked);
            }
        }
        // The 8259's vectors move off the exceptions before it is masked:
        // an interrupt raised in between must not look like a fault.
        pic8259_disable(first_vector);
        m_destination = local_apic::id();
        local_apic::enable_this_cpu(acpi::lint_is_nmi(*m_madt, m_destination, 1));
    }

    void enable(u8 line) override { program(line, false); }
    void disable(u8 line) override { program(line, true); }

    // The local APIC marks what it delivered in service until the EOI; an
    // interrupt at this vector with no such bit came from elsewhere.
    bool is_spurious(u8 line) override {
        return !local_apic::in_service(static_cast<u8>(m_first_vector + line));
    }
    // Also ends a level-triggered interrupt at the I/O APIC (the local APIC
    // broadcasts the EOI for those).
    void end_of_interrupt(u8) override { local_apic::end_of_interrupt(); }
    const char* name() const override { return "I/O APIC"; }

  private:
    static constexpr usize max_units = acpi::MadtInfo::max_io_apics;

    void program(u8 line, bool masked) {
        const acpi::IsaRoute route = acpi::isa_route(*m_madt, line);
        for (usize i = 0; i < m_count; ++i) {
            const Unit& unit = m_units[i];
            if (route.gsi < unit.gsi_base || route.gsi - unit.gsi_base >= unit.inputs) {
                continue;
            }
            const u32 input = route.gsi - unit.gsi_base;
            u32 low = static_cast<u32>(m_first_vector + line); // fixed, physical destination
            low |= route.level_triggered ? entry_level : 0;
            low |= route.active_low ? entry_active_low : 0;
            low |= masked ? entry_masked : 0;
            // Masked first, so no half-written entry ever delivers.
            write(unit, reg_redirection + 2 * input, entry_masked);
            write(unit, reg_redirection + 2 * input + 1, m_destination << 24);
            write(unit, reg_redirection + 2 * input, low);
            return;
        }
        kprintln("io_apic: IRQ {} (GSI {}) reaches no I/O APIC", line, route.gsi);
    }

    const acpi::MadtInfo* m_madt = nullptr;
    Unit m_units[max_units]{};
    usize m_count = 0;
    u8 m_first_vector = 0;
    u32 m_destination = 0;
};

IoApics the_io_apics;

} // namespace

ErrorOr<InterruptController*> controller(const acpi::MadtInfo& madt) {
    TRY(local_apic::map(madt.local_apic_address));
    TRY(the_io_apics.attach(madt));
    return static_cast<InterruptController*>(&the_io_apics);
}

} // namespace kite::io_apic
