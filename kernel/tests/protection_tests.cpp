// protection_tests.cpp: SMAP and SMEP in force. Each test maps one user
// page in a fresh address space, switches to it with interrupts off (so
// nothing else runs in it), touches the page from ring 0 and switches back.
// On a CPU without the feature (QEMU's default qemu64) the tests are
// skipped; kernel.all_cpu_max runs them under -cpu max, where a skip fails.
#include "arch/x86_64/address_space.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/probe.h"
#include "arch/x86_64/protections.h"
#include "console/console.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "mm/user_memory.h"
#include "tests/ktest.h"

namespace kite {

namespace {

constexpr u64 user_page = 0x400000;
constexpr u64 pattern = 0x5ca1ab1e0ddba11;

// One user page (readable, writable, executable) holding `pattern` and
// then a `ret`, in an address space of its own that is active while this
// lives. Interrupts stay off throughout.
class UserPageScope {
  public:
    UserPageScope() : m_saved(cpu_local::get().loaded_space) {
        auto space = AddressSpace::create();
        auto frame = physical::allocate_zeroed();
        VERIFY(!space.is_error() && !frame.is_error());
        m_space = move(space.value());
        m_frame = frame.value();
        u8* bytes = phys_to_virt<u8>(m_frame);
        __builtin_memcpy(bytes, &pattern, sizeof(pattern));
        bytes[64] = 0xC3; // ret
        VERIFY(!m_space
                    ->map(VirtAddr(user_page), m_frame,
                          MapFlags::User | MapFlags::Writable | MapFlags::Executable)
                    .is_error());
        m_space->activate();
    }
    ~UserPageScope() {
        m_saved->activate(); // takes this CPU out of the space's mask
        m_space.reset();     // frees the tables; the frame is ours
        physical::free(m_frame);
    }
    UserPageScope(const UserPageScope&) = delete;
    UserPageScope& operator=(const UserPageScope&) = delete;

  private:
    InterruptGuard m_interrupts_off;
    AddressSpace* m_saved; // what CR3 held before
    OwnPtr<AddressSpace> m_space;
    PhysAddr m_frame{0};
};

StringView report_of_last_recovered_fault(char* buffer, usize size) {
    const RecoveredFault& fault = last_recovered_fault();
    BufferSink sink(buffer, size);
    write_exception_report(sink, fault.frame, fault.cr2);
    return sink.view();
}

} // namespace

// A plain read of a user page from ring 0 faults, with a report naming
// SMAP; the user copies, inside their stac/clac window, still work.
KTEST(smap_stops_kernel_reads_of_user_pages) {
    if (!protections::smap()) {
        ktest::skip("the CPU has no SMAP");
        return;
    }
    heap_release_cached();
    const physical::Stats before = physical::stats();
    {
        UserPageScope scope;
        const u64 recovered = last_recovered_fault().count;
        u64 value = 0;
        KEXPECT(!probe_read_u64(user_page, &value));
        KEXPECT_EQ(last_recovered_fault().count, recovered + 1);
        KEXPECT_EQ(last_recovered_fault().cr2, user_page);
        KEXPECT(!probe_write_u8(user_page, 1));
        static char buffer[4096];
        const StringView report = report_of_last_recovered_fault(buffer, sizeof(buffer));
        KEXPECT(report.contains("protection violation on write in kernel mode"));
        KEXPECT(report.contains("SMAP: the kernel touched a user page outside a user-copy window"));

        KEXPECT(!copy_from_user(&value, {user_page}, sizeof(value)).is_error());
        KEXPECT_EQ(value, pattern);
        const u64 other = ~pattern;
        KEXPECT(!copy_to_user({user_page + 8}, &other, sizeof(other)).is_error());
        KEXPECT(!copy_from_user(&value, {user_page + 8}, sizeof(value)).is_error());
        KEXPECT_EQ(value, other);
        // AC is clear again after every copy: the window closed.
        KEXPECT(!(cpu::read_rflags() & (u64{1} << 18)));
    }
    heap_release_cached();
    KEXPECT_EQ(physical::stats().free_frames, before.free_frames);
}

// Fatal: a plain (non-probe) read of a user page panics, naming SMAP.
KTEST_FATAL(smap_read_of_user_page) {
    if (!protections::smap()) {
        ktest::fail(__FILE__, __LINE__, "the CPU has no SMAP: run under -cpu max");
        return;
    }
    UserPageScope scope;
    const u64 value = *reinterpret_cast<volatile u64*>(user_page);
    kprintln("read {:#x} from a user page: SMAP did not stop it", value);
}

// Fatal: calling into a user page panics, naming SMEP.
KTEST_FATAL(smep_execute_user_page) {
    if (!protections::smep()) {
        ktest::fail(__FILE__, __LINE__, "the CPU has no SMEP: run under -cpu max");
        return;
    }
    UserPageScope scope;
    reinterpret_cast<void (*)()>(user_page + 64)();
    kprintln("ran a user page's code: SMEP did not stop it");
}

} // namespace kite
