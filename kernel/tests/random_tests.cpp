// random_tests.cpp: the kernel's random bytes (random/random.h): requests
// differ, a pending signal stops a long request after a whole page, and
// the CPU's instructions work where CPUID lists them.
#include "arch/x86_64/hardware_random.h"
#include "random/random.h"
#include "sched/scheduler.h"
#include "sched/thread.h"
#include "tests/ktest.h"

namespace kite {

KTEST(random_requests_differ) {
    u8 a[16] = {}, b[16] = {};
    random::fill(a, sizeof(a));
    random::fill(b, sizeof(b));
    KEXPECT(__builtin_memcmp(a, b, sizeof(a)) != 0);
    // Long requests (a stream, not the key itself) too.
    static u8 c[1000], d[1000];
    random::fill(c, sizeof(c));
    random::fill(d, sizeof(d));
    KEXPECT(__builtin_memcmp(c, d, sizeof(c)) != 0);
    KEXPECT(__builtin_memcmp(c, c + 500, 500) != 0);
}

// As Linux's get_random_bytes_user: with a signal pending, a read longer
// than a page ends after the first whole page; a kernel fill goes on.
KTEST(random_read_stops_after_a_page_for_a_signal) {
    static u8 buffer[3 * 4096];
    Thread* self = Scheduler::current();
    Scheduler::interrupt(self);
    KEXPECT(self->interrupt_pending());
    auto length = [](usize asked) {
        auto n = random::read(IoBuffer::kernel(buffer), asked);
        return n.is_error() ? 0 : n.value();
    };
    KEXPECT_EQ(length(sizeof(buffer)), 4096u);
    KEXPECT_EQ(length(4096), 4096u); // one page: nothing left to stop
    KEXPECT_EQ(length(100), 100u);
    random::fill(buffer, sizeof(buffer));
    self->clear_interrupt();
    KEXPECT_EQ(length(sizeof(buffer)), sizeof(buffer));
}

KTEST(hardware_random_reads_where_present) {
    const hardware_random::Sources sources = hardware_random::detect();
    u64 a = 0, b = 0;
    if (sources.rdrand) {
        KEXPECT(hardware_random::read_rdrand(a) && hardware_random::read_rdrand(b) && a != b);
    }
    if (sources.rdseed) {
        KEXPECT(hardware_random::read_rdseed(a) && hardware_random::read_rdseed(b) && a != b);
    }
}

} // namespace kite
