// chacha20.h: the ChaCha20 block function of RFC 8439 (section 2.3), the
// core of the kernel's random-number generator (lib/crng.h). Pure integer
// code with no hardware in it, so the host unit tests check it against the
// RFC's test vectors.
#pragma once

#include "lib/types.h"

namespace kite::chacha20 {

constexpr usize key_size = 32;
constexpr usize block_size = 64;
constexpr usize state_words = 16;

// The 16-word input of the block function, laid out as RFC 8439 2.3 says:
// words 0-3 the constants ("expand 32-byte k"), 4-11 the key, 12 the block
// counter and 13-15 the nonce, every word little-endian.
struct State {
    u32 words[state_words];
};
static_assert(sizeof(State) == block_size);

// A state for key (32 bytes) with the given counter and nonce (12 bytes;
// null: all zero).
[[nodiscard]] State make_state(const u8* key, u32 counter, const u8* nonce);

// The block function: 20 rounds over state, added to state, serialized
// little-endian into out (64 bytes). The state is left as it was; the
// caller advances the counter.
void block(const State& state, u8* out);

} // namespace kite::chacha20
