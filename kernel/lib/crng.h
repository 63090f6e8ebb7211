// crng.h: the kernel's cryptographic random-number generator, shaped as
// Linux's (drivers/char/random.c): an entropy pool that every input is
// mixed into, a ChaCha20 key reseeded from the pool, and fast key erasure.
// Each request first replaces the key with half of a block made under it
// and is served from the other half (or from a ChaCha20 stream keyed by
// it), so whoever reads the generator's state afterwards learns nothing of
// what earlier requests returned.
//
// The pool is a 256-bit ChaCha20 key chained through the block function:
// absorbing a 12-byte chunk m makes pool = first half of ChaCha20(key =
// pool, nonce = m). That is a cascade of a pseudorandom function, so input
// that someone else chose (a write to /dev/random) cannot take away what
// the pool already has. Counter word 0 absorbs data, 1 ends an input with
// its length, 2 extracts a key: the three uses can never collide.
//
// Pure: no hardware and no lock. random/random.cpp gives it entropy and
// serializes the calls; tests/unit/crng_test.cpp checks it on the host.
#pragma once

#include "lib/chacha20.h"

namespace kite {

class Crng {
  public:
    Crng() = default;
    ~Crng();
    Crng(const Crng&) = delete;
    Crng& operator=(const Crng&) = delete;

    // Mixes length bytes into the pool; the next request reseeds the key
    // from the pool (and the old key).
    void mix(const void* data, usize length);
    // Whether anything was ever mixed in: before that the output is a
    // constant stream, so the kernel seeds the generator before any use.
    [[nodiscard]] bool is_seeded() const { return m_seeded; }

    // Fast key erasure: puts a fresh key for one request's stream (32 bytes)
    // in out and moves the generator on to a new key of its own.
    void take_request_key(u8* out);

  private:
    void absorb(u32 use, const u8* chunk);
    void reseed();

    u8 m_pool[chacha20::key_size] = {};
    u8 m_key[chacha20::key_size] = {};
    bool m_pool_changed = false;
    bool m_seeded = false;
};

// The bytes of one request: ChaCha20 blocks under the request's key, the
// block counter from 0 over words 12 and 13 (64 bits, as Linux counts).
// The state is erased when the stream goes.
class CrngStream {
  public:
    explicit CrngStream(const u8* key) : m_state(chacha20::make_state(key, 0, nullptr)) {}
    ~CrngStream();
    CrngStream(const CrngStream&) = delete;
    CrngStream& operator=(const CrngStream&) = delete;

    // The next 64 bytes.
    void next_block(u8* out);

  private:
    chacha20::State m_state;
};

} // namespace kite
