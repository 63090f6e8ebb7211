// chacha20.cpp: see chacha20.h.
#include "lib/chacha20.h"

#include "lib/secure_zero.h"

namespace kite::chacha20 {

namespace {

u32 load32(const u8* p) {
    return static_cast<u32>(p[0]) | static_cast<u32>(p[1]) << 8 | static_cast<u32>(p[2]) << 16 |
           static_cast<u32>(p[3]) << 24;
}

void store32(u8* p, u32 v) {
    p[0] = static_cast<u8>(v);
    p[1] = static_cast<u8>(v >> 8);
    p[2] = static_cast<u8>(v >> 16);
    p[3] = static_cast<u8>(v >> 24);
}

constexpr u32 rotl(u32 v, int n) {
    return v << n | v >> (32 - n);
}

// RFC 8439 2.1.
inline void quarter_round(u32* x, int a, int b, int c, int d) {
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = rotl(x[b] ^ x[c], 7);
}

} // namespace

State make_state(const u8* key, u32 counter, const u8* nonce) {
    State s;
    s.words[0] = 0x61707865; // "expa"
    s.words[1] = 0x3320646e; // "nd 3"
    s.words[2] = 0x79622d32; // "2-by"
    s.words[3] = 0x6b206574; // "te k"
    for (usize i = 0; i < 8; ++i) {
        s.words[4 + i] = load32(key + 4 * i);
    }
    s.words[12] = counter;
    for (usize i = 0; i < 3; ++i) {
        s.words[13 + i] = nonce ? load32(nonce + 4 * i) : 0;
    }
    return s;
}

void block(const State& state, u8* out) {
    u32 x[state_words];
    for (usize i = 0; i < state_words; ++i) {
        x[i] = state.words[i];
    }
    for (int round = 0; round < 20; round += 2) {
        quarter_round(x, 0, 4, 8, 12); // columns
        quarter_round(x, 1, 5, 9, 13);
        quarter_round(x, 2, 6, 10, 14);
        quarter_round(x, 3, 7, 11, 15);
        quarter_round(x, 0, 5, 10, 15); // diagonals
        quarter_round(x, 1, 6, 11, 12);
        quarter_round(x, 2, 7, 8, 13);
        quarter_round(x, 3, 4, 9, 14);
    }
    for (usize i = 0; i < state_words; ++i) {
        store32(out + 4 * i, x[i] + state.words[i]);
    }
    secure_zero(x, sizeof(x)); // the rounds' words give the key back
}

} // namespace kite::chacha20
