// random.h: the kernel's random bytes, for getrandom, /dev/random and
// /dev/urandom, and AT_RANDOM. One generator (lib/crng.h, ChaCha20 with
// fast key erasure) serves them all; it is seeded once at boot from RDSEED
// and RDRAND when the CPU has them and always from TSC jitter, so it is
// ready before the first process and no read ever waits for entropy.
#pragma once

#include "lib/error.h"
#include "mm/user_memory.h"

namespace kite::random {

// A first seed from RDSEED, RDRAND and TSC jitter, for what needs random
// bytes before the timer runs (the stack protector's canary): needs only
// the console (for a failed check), nothing else set up. Says nothing.
void seed_early();

// Seeds the generator (again, when seed_early ran: more jitter, now with
// timer interrupts in it, and the clocks) and says on the console, in one
// line, what from. Before the first exec.
void init();

// length random bytes into kernel memory.
void fill(void* out, usize length);

// getrandom and reads of /dev/random and /dev/urandom: up to length bytes
// into to, as Linux gives them: a short count at the first byte that
// cannot be written, or after a whole page when a signal is pending;
// EFAULT if not one byte could be written.
[[nodiscard]] ErrorOr<usize> read(const IoBuffer& to, usize length);

// Writes to /dev/random and /dev/urandom: the bytes are mixed into the
// pool (credited with no entropy, as on Linux) and change every later
// output. A short count or EFAULT as for read.
[[nodiscard]] ErrorOr<usize> write(const IoBuffer& from, usize length);

} // namespace kite::random
