// hardware_random.cpp: see hardware_random.h.
#include "arch/x86_64/hardware_random.h"

#include "arch/x86_64/cpu.h"

#include <cpuid.h>

namespace kite::hardware_random {

namespace {

bool try_rdrand(u64& out) {
    bool ok;
    asm volatile("rdrand %0" : "=r"(out), "=@ccc"(ok));
    return ok;
}

bool try_rdseed(u64& out) {
    bool ok;
    asm volatile("rdseed %0" : "=r"(out), "=@ccc"(ok));
    return ok;
}

// Eight values, each read successfully, not all the same.
bool sane(bool (*read)(u64&)) {
    u64 first = 0;
    bool varied = false;
    for (int i = 0; i < 8; ++i) {
        u64 value;
        if (!read(value)) {
            return false;
        }
        if (i == 0) {
            first = value;
        } else if (value != first) {
            varied = true;
        }
    }
    return varied;
}

} // namespace

bool read_rdrand(u64& out) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (try_rdrand(out)) {
            return true;
        }
    }
    return false;
}

bool read_rdseed(u64& out) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (try_rdseed(out)) {
            return true;
        }
        cpu::pause();
    }
    return false;
}

Sources detect() {
    Sources sources;
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 30))) {
        sources.rdrand = sane(read_rdrand);
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 18))) {
        sources.rdseed = sane(read_rdseed);
    }
    return sources;
}

} // namespace kite::hardware_random
