// random.cpp: see random.h. The generator's state is guarded by one
// spinlock, held only to mix input in or to take a request's key; the
// request's bytes are made from that key outside the lock, as Linux makes
// them, so a copy to user memory (which may fault and sleep) never holds it.
#include "random/random.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hardware_random.h"
#include "console/console.h"
#include "debug/panic.h"
#include "lib/crng.h"
#include "lib/secure_zero.h"
#include "mm/page.h"
#include "proc/signal_pending.h"
#include "sync/spinlock.h"
#include "time/clock.h"

namespace kite::random {

namespace {

Spinlock generator_lock{"random generator", LockRank::Random};
Crng generator; // guarded by generator_lock

constexpr usize hardware_words = 4; // 256 bits from each instruction
constexpr usize jitter_samples = 256;

void mix_locked(const void* data, usize length) {
    SpinlockGuard guard(generator_lock);
    generator.mix(data, length);
}

// Up to hardware_words values from read; how many it gave.
usize mix_hardware(bool (*read)(u64&)) {
    u64 words[hardware_words];
    usize got = 0;
    while (got < hardware_words && read(words[got])) {
        ++got;
    }
    mix_locked(words, got * sizeof(u64));
    secure_zero(words, sizeof(words));
    return got;
}

// The TSC read after each of jitter_samples short memory walks whose path
// depends on the time read before it. On hardware the time a walk takes
// varies with caches, the pipeline and interrupts; under emulation without
// -icount the TSC follows the host's clock, whose low bits vary with the
// host. (Under -icount the TSC counts instructions and gives nothing: the
// wall clock mixed in with it is then what differs from boot to boot.)
void mix_jitter() {
    static u64 stamps[jitter_samples];
    static u8 scratch[page_size];
    u64 walk = cpu::rdtsc();
    for (usize i = 0; i < jitter_samples; ++i) {
        for (usize step = 0; step < 32; ++step) {
            walk = walk * 6364136223846793005 + scratch[walk % sizeof(scratch)];
            scratch[(walk >> 32) % sizeof(scratch)] += static_cast<u8>(step);
        }
        stamps[i] = cpu::rdtsc();
        walk ^= stamps[i];
    }
    mix_locked(stamps, sizeof(stamps));
    secure_zero(stamps, sizeof(stamps));
}

// A request: length bytes into to (random.h, read). The key is taken under
// the lock; the bytes are made outside it, a chunk at a time.
ErrorOr<usize> generate(const IoBuffer& to, usize length, bool interruptible) {
    if (length == 0) {
        return 0;
    }
    u8 key[chacha20::key_size];
    {
        SpinlockGuard guard(generator_lock);
        VERIFY(generator.is_seeded());
        generator.take_request_key(key);
    }
    if (length <= sizeof(key)) { // the key itself, as Linux serves short requests
        auto done = to.write_some(0, key, length);
        secure_zero(key, sizeof(key));
        return done;
    }
    CrngStream stream(key);
    secure_zero(key, sizeof(key));
    u8 chunk[8 * chacha20::block_size];
    usize done = 0;
    while (done < length) {
        const usize n = min<usize>(sizeof(chunk), length - done);
        for (usize at = 0; at < n; at += chacha20::block_size) {
            stream.next_block(chunk + at);
        }
        auto copied = to.write_some(done, chunk, n);
        if (copied.is_error()) {
            break;
        }
        done += copied.value();
        if (copied.value() < n) {
            break;
        }
        if (interruptible && done < length && done % page_size == 0 && signal_pending()) {
            break;
        }
    }
    secure_zero(chunk, sizeof(chunk));
    if (done == 0) {
        return Error(Errno::FAULT, "random bytes: buffer not writable");
    }
    return done;
}

} // namespace

void seed_early() {
    const hardware_random::Sources sources = hardware_random::detect();
    if (sources.rdseed) {
        (void)mix_hardware(hardware_random::read_rdseed);
    }
    if (sources.rdrand) {
        (void)mix_hardware(hardware_random::read_rdrand);
    }
    mix_jitter();
}

void init() {
    const hardware_random::Sources sources = hardware_random::detect();
    const usize seed_words = sources.rdseed ? mix_hardware(hardware_random::read_rdseed) : 0;
    const usize rand_words = sources.rdrand ? mix_hardware(hardware_random::read_rdrand) : 0;
    mix_jitter();
    const u64 clocks[3] = {static_cast<u64>(clock::realtime_ns()), clock::monotonic_ns(),
                           cpu::rdtsc()};
    mix_locked(clocks, sizeof(clocks));
    const bool seed_ok = seed_words == hardware_words;
    const bool rand_ok = rand_words == hardware_words;
    const char* note = !sources.rdseed && !sources.rdrand ? " (this CPU has no RDRAND or RDSEED)"
                       : (sources.rdseed && !seed_ok) || (sources.rdrand && !rand_ok)
                           ? " (a hardware source failed its reads)"
                           : "";
    kprintln("random: ChaCha20 generator seeded from {}{}TSC jitter{}", seed_ok ? "RDSEED, " : "",
             rand_ok ? "RDRAND, " : "", note);
}

void fill(void* out, usize length) {
    VERIFY(generate(IoBuffer::kernel(out), length, false).value() == length);
}

ErrorOr<usize> read(const IoBuffer& to, usize length) {
    return generate(to, length, true);
}

ErrorOr<usize> write(const IoBuffer& from, usize length) {
    u8 chunk[256];
    usize done = 0;
    while (done < length) {
        const usize n = min<usize>(sizeof(chunk), length - done);
        auto copied = from.read_some(done, chunk, n);
        if (copied.is_error()) {
            break;
        }
        mix_locked(chunk, copied.value());
        done += copied.value();
        if (copied.value() < n) {
            break;
        }
        if (done < length && done % page_size == 0 && signal_pending()) {
            break;
        }
    }
    secure_zero(chunk, sizeof(chunk));
    if (done == 0 && length > 0) {
        return Error(Errno::FAULT, "random input: buffer not readable");
    }
    return done;
}

} // namespace kite::random
