// crng.cpp: see crng.h.
#include "lib/crng.h"

#include "lib/secure_zero.h"

namespace kite {

namespace {

// The counter word of each use of the pool (crng.h).
constexpr u32 use_data = 0;
constexpr u32 use_length = 1;
constexpr u32 use_extract = 2;

constexpr usize chunk_size = 12; // a nonce's worth

} // namespace

Crng::~Crng() {
    secure_zero(m_pool, sizeof(m_pool));
    secure_zero(m_key, sizeof(m_key));
}

// pool = the first half of ChaCha20(key = pool, counter = use, nonce = chunk).
void Crng::absorb(u32 use, const u8* chunk) {
    u8 out[chacha20::block_size];
    chacha20::State state = chacha20::make_state(m_pool, use, chunk);
    chacha20::block(state, out);
    __builtin_memcpy(m_pool, out, sizeof(m_pool));
    secure_zero(out, sizeof(out));
    secure_zero(&state, sizeof(state));
}

void Crng::mix(const void* data, usize length) {
    const auto* bytes = static_cast<const u8*>(data);
    u8 chunk[chunk_size];
    for (usize at = 0; at < length; at += chunk_size) {
        const usize n = length - at < chunk_size ? length - at : chunk_size;
        __builtin_memset(chunk, 0, sizeof(chunk));
        __builtin_memcpy(chunk, bytes + at, n);
        absorb(use_data, chunk);
    }
    // The length ends the input, so that inputs differing only in trailing
    // zeros (the padding) mix differently.
    __builtin_memset(chunk, 0, sizeof(chunk));
    const u64 total = length;
    __builtin_memcpy(chunk, &total, sizeof(total));
    absorb(use_length, chunk);
    secure_zero(chunk, sizeof(chunk));
    m_pool_changed = true;
    m_seeded = true;
}

// The old key goes into the pool too, so a reseed never has less than
// the key had; then one block under the pool gives the next pool and key.
void Crng::reseed() {
    mix(m_key, sizeof(m_key));
    u8 out[chacha20::block_size];
    chacha20::State state = chacha20::make_state(m_pool, use_extract, nullptr);
    chacha20::block(state, out);
    __builtin_memcpy(m_pool, out, sizeof(m_pool));
    __builtin_memcpy(m_key, out + sizeof(m_pool), sizeof(m_key));
    secure_zero(out, sizeof(out));
    secure_zero(&state, sizeof(state));
    m_pool_changed = false;
}

// As Linux's crng_fast_key_erasure: block 0 under the key; its first half
// is the next key, its second half the request's.
void Crng::take_request_key(u8* out) {
    if (m_pool_changed) {
        reseed();
    }
    u8 block[chacha20::block_size];
    chacha20::State state = chacha20::make_state(m_key, 0, nullptr);
    chacha20::block(state, block);
    __builtin_memcpy(m_key, block, sizeof(m_key));
    __builtin_memcpy(out, block + sizeof(m_key), chacha20::key_size);
    secure_zero(block, sizeof(block));
    secure_zero(&state, sizeof(state));
}

CrngStream::~CrngStream() {
    secure_zero(&m_state, sizeof(m_state));
}

void CrngStream::next_block(u8* out) {
    chacha20::block(m_state, out);
    if (++m_state.words[12] == 0) {
        ++m_state.words[13];
    }
}

} // namespace kite
