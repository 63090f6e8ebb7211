// hardware_random.h: the CPU's random-number instructions. RDSEED gives
// the output of the on-chip entropy conditioner (seed grade), RDRAND that
// of the DRBG it seeds. Either may report failure (CF = 0) when the
// hardware is drained for a moment, so reads retry a bounded number of
// times; a CPU whose CPUID does not list one, or that fails the sanity check
// at detection, is treated as not having it. No policy lives here beyond
// the retry counts of Intel's DRNG guide.
#pragma once

#include "lib/types.h"

namespace kite::hardware_random {

struct Sources {
    bool rdrand = false;
    bool rdseed = false;
};

// CPUID (leaf 1 ECX bit 30 for RDRAND, leaf 7 EBX bit 18 for RDSEED), then
// eight reads of each that must all succeed and not all be equal (some AMD
// parts, after a resume, return all ones with CF set).
[[nodiscard]] Sources detect();

// One 64-bit value; false if the instruction failed every try (10 for
// RDRAND, 100 with a pause between for RDSEED, whose source refills more
// slowly). Only on a CPU that detect() found to have it.
[[nodiscard]] bool read_rdrand(u64& out);
[[nodiscard]] bool read_rdseed(u64& out);

} // namespace kite::hardware_random
