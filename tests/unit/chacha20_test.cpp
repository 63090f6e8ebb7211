// Host tests for kernel/lib/chacha20.cpp, against the test vectors of
// RFC 8439 (section 2.3.2 and appendix A.1), and for kernel/lib/crng.cpp,
// the generator built on it: fast key erasure, mixing, the stream counter.
#include "lib/chacha20.h"
#include "lib/crng.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

using kite::u32;
using kite::u8;
namespace chacha20 = kite::chacha20;

std::vector<u8> from_hex(const std::string& hex) {
    std::vector<u8> bytes;
    for (size_t i = 0; i + 1 < hex.size();) {
        if (hex[i] == ' ') {
            ++i;
            continue;
        }
        bytes.push_back(static_cast<u8>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        i += 2;
    }
    return bytes;
}

std::vector<u8> block_of(const std::vector<u8>& key, u32 counter, const std::vector<u8>& nonce) {
    std::vector<u8> out(chacha20::block_size);
    chacha20::block(chacha20::make_state(key.data(), counter, nonce.data()), out.data());
    return out;
}

// RFC 8439 2.3.2: the block function's own test vector.
TEST(ChaCha20, Rfc8439BlockFunction) {
    std::vector<u8> key(32);
    for (int i = 0; i < 32; ++i) {
        key[i] = static_cast<u8>(i);
    }
    const auto nonce = from_hex("000000090000004a00000000");
    const chacha20::State state = chacha20::make_state(key.data(), 1, nonce.data());
    // The state as the RFC prints it (2.3.2, "after setting up the state").
    const u32 expected_state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
                                    0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
                                    0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c,
                                    0x00000001, 0x09000000, 0x4a000000, 0x00000000};
    for (int i = 0; i < 16; ++i) {
        EXPECT_EQ(state.words[i], expected_state[i]) << "word " << i;
    }
    std::vector<u8> out(64);
    chacha20::block(state, out.data());
    EXPECT_EQ(out, from_hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
    // The input state is left as it was.
    EXPECT_EQ(std::memcmp(state.words, expected_state, sizeof(expected_state)), 0);
}

// RFC 8439 A.1: the keystream test vectors #1 to #5.
TEST(ChaCha20, Rfc8439KeystreamVectors) {
    const std::vector<u8> zero_key(32), zero_nonce(12);
    std::vector<u8> key_one(32);
    key_one[31] = 1;
    std::vector<u8> key_ff(32);
    key_ff[1] = 0xff;
    std::vector<u8> nonce_two(12);
    nonce_two[11] = 2;
    EXPECT_EQ(block_of(zero_key, 0, zero_nonce),
              from_hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                       "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
    EXPECT_EQ(block_of(zero_key, 1, zero_nonce),
              from_hex("9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                       "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"));
    EXPECT_EQ(block_of(key_one, 1, zero_nonce),
              from_hex("3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
                       "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0"));
    EXPECT_EQ(block_of(key_ff, 2, zero_nonce),
              from_hex("72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
                       "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096"));
    EXPECT_EQ(block_of(zero_key, 0, nonce_two),
              from_hex("c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
                       "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d"));
}

std::vector<u8> request_key(kite::Crng& crng) {
    std::vector<u8> key(chacha20::key_size);
    crng.take_request_key(key.data());
    return key;
}

TEST(Crng, SameInputSameOutput) {
    kite::Crng a, b;
    EXPECT_FALSE(a.is_seeded());
    a.mix("seed", 4);
    b.mix("seed", 4);
    EXPECT_TRUE(a.is_seeded());
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(request_key(a), request_key(b));
    }
}

// Fast key erasure: every request moves the key on, so no two requests
// (and no request and a later one) get the same bytes.
TEST(Crng, EveryRequestGetsANewKey) {
    kite::Crng crng;
    crng.mix("seed", 4);
    std::set<std::vector<u8>> seen;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(seen.insert(request_key(crng)).second) << "request " << i;
    }
}

// Input changes every later output; inputs that differ only in trailing
// zeros (the padding of a chunk) or in where they are split do too, since
// each input ends with its length.
TEST(Crng, MixingChangesTheOutput) {
    auto after = [](const std::vector<std::string>& inputs) {
        kite::Crng crng;
        for (const std::string& input : inputs) {
            crng.mix(input.data(), input.size());
        }
        return request_key(crng);
    };
    const std::string zeros(3, '\0');
    const std::vector<u8> plain = after({"seed"});
    EXPECT_NE(plain, after({"seee"}));
    EXPECT_NE(plain, after({"seed" + zeros}));
    EXPECT_NE(plain, after({"se", "ed"}));
    EXPECT_NE(plain, after({"seed", ""}));
    // Mixing in after requests (a write to /dev/random) reseeds: the two
    // generators were equal and no longer are.
    kite::Crng a, b;
    a.mix("seed", 4);
    b.mix("seed", 4);
    EXPECT_EQ(request_key(a), request_key(b));
    b.mix("more", 4);
    EXPECT_NE(request_key(a), request_key(b));
}

// A request's stream: ChaCha20 under its key, the block counter from 0.
TEST(Crng, StreamIsChaCha20FromCounterZero) {
    std::vector<u8> key(32, 7);
    kite::CrngStream stream(key.data());
    std::vector<u8> out(64);
    for (u32 counter = 0; counter < 3; ++counter) {
        stream.next_block(out.data());
        EXPECT_EQ(out, block_of(key, counter, std::vector<u8>(12)));
    }
}

} // namespace
