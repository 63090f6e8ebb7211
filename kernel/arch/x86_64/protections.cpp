// protections.cpp: detection (CPUID), enabling (CR4) and the boot line of
// the CPU protections, and the patching of the user-copy windows.
#include "arch/x86_64/protections.h"

#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "console/console.h"
#include "debug/panic.h"

#include <cpuid.h>

namespace kite::protections {

namespace {

// One USER_ACCESS_BEGIN/END site (macros.inc): the address of its 3-byte
// NOP and the last byte of the instruction it becomes (stac 0xCB, clac 0xCA).
struct SmapSite {
    u64 address;
    u64 last_byte;
};
static_assert(sizeof(SmapSite) == 16);

} // namespace

} // namespace kite::protections

extern "C" const kite::protections::SmapSite __smap_sites_start[];
extern "C" const kite::protections::SmapSite __smap_sites_end[];

namespace kite::protections {

namespace {

constexpr u64 cr0_wp = u64{1} << 16;
constexpr u64 cr4_umip = u64{1} << 11;
constexpr u64 cr4_smep = u64{1} << 20;
constexpr u64 cr4_smap = u64{1} << 21;
constexpr u64 efer_nxe = u64{1} << 11;
constexpr u64 rflags_ac = u64{1} << 18;

// CPUID leaf 7, subleaf 0.
constexpr u32 ebx_smep = 1u << 7;
constexpr u32 ebx_smap = 1u << 20;
constexpr u32 ecx_umip = 1u << 2;

bool smep_on = false;
bool smap_on = false;
bool umip_on = false;

// Rewrites each window's NOPs into stac/clac. Kernel text is read-only
// even to ring 0 (CR0.WP), so WP is off for the few writes; interrupts are
// off and no other CPU runs yet. Writing CR0 serialises, so the new bytes
// are what the CPU fetches afterwards.
void patch_user_access_windows() {
    VERIFY(!cpu::interrupts_enabled());
    const u64 cr0 = cpu::read_cr0();
    cpu::write_cr0(cr0 & ~cr0_wp);
    for (const SmapSite* site = __smap_sites_start; site != __smap_sites_end; ++site) {
        auto* code = reinterpret_cast<volatile u8*>(site->address);
        VERIFY(code[0] == 0x0F && code[1] == 0x1F && code[2] == 0x00);
        VERIFY(site->last_byte == 0xCA || site->last_byte == 0xCB);
        // Bytes 1 and 2 in one store: an NMI between two byte writes would
        // run 0F 01 00 (sgdt [rax]) at the interrupt entry's site.
        const u16 tail = static_cast<u16>(0x01 | (site->last_byte << 8));
        __atomic_store_n(reinterpret_cast<volatile u16*>(site->address + 1), tail,
                         __ATOMIC_RELAXED);
    }
    cpu::write_cr0(cr0);
}

} // namespace

void init() {
    u32 a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        b = c = 0;
    }
    u64 cr4 = cpu::read_cr4();
    smep_on = b & ebx_smep;
    smap_on = b & ebx_smap;
    umip_on = c & ecx_umip;
    if (smap_on) {
        patch_user_access_windows(); // before CR4.SMAP: the copies need them
    }
    cr4 |= (smep_on ? cr4_smep : 0) | (smap_on ? cr4_smap : 0) | (umip_on ? cr4_umip : 0);
    cpu::write_cr4(cr4);

    const struct {
        const char* name;
        bool on;
    } all[] = {{"NX", (cpu::rdmsr(cpu::msr_efer) & efer_nxe) != 0},
               {"WP", (cpu::read_cr0() & cr0_wp) != 0},
               {"SMEP", smep_on},
               {"SMAP", smap_on},
               {"UMIP", umip_on}};
    char line[96];
    BufferSink sink(line, sizeof(line));
    format(sink, "protections:");
    for (const auto& protection : all) {
        if (protection.on) {
            format(sink, " {}", protection.name);
        }
    }
    bool first_missing = true;
    for (const auto& protection : all) {
        if (!protection.on) {
            format(sink, "{}{}", first_missing ? " (not on this CPU: " : " ", protection.name);
            first_missing = false;
        }
    }
    kprintln("{}{}", sink.view(), first_missing ? "" : ")");
}

bool smep() {
    return smep_on;
}
bool smap() {
    return smap_on;
}
bool umip() {
    return umip_on;
}

Violation violation(const InterruptFrame& frame, u64 cr2) {
    if (frame.vector != 14 || frame.from_user() || cr2 >= user_space_end) {
        return Violation::None;
    }
    const bool present = frame.error_code & 1;
    const bool fetch = frame.error_code & 16;
    if (fetch) {
        return smep_on ? Violation::Smep : Violation::None;
    }
    // A present user page touched with AC clear: outside every window (a
    // missing page inside a window is a fault a copy may resolve).
    return smap_on && present && !(frame.rflags & rflags_ac) ? Violation::Smap : Violation::None;
}

StringView describe(Violation violation) {
    switch (violation) {
    case Violation::Smep:
        return "SMEP: the kernel executed an instruction in a user page";
    case Violation::Smap:
        return "SMAP: the kernel touched a user page outside a user-copy window (stac/clac)";
    case Violation::None:
        break;
    }
    return "";
}

} // namespace kite::protections
