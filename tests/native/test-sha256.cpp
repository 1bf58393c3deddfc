// SHA-256 against FIPS 180-4 examples and the fixture READMEs' checksums.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "io/sha256.h"

TEST(Sha256, KnownVectors) {
    auto hex = [](const std::string & s) {
        gc::sha256 h;
        h.update(s.data(), s.size());
        return h.hex_digest();
    };
    EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FixtureFilesMatchTheirReadme) {
    const std::filesystem::path fx = GC_FIXTURES;
    std::string err;
    auto src = gc::byte_source_open_file(fx / "quants" / "alltypes.source.f32", &err);
    ASSERT_TRUE(src);
    EXPECT_EQ(gc::sha256_of_source(*src), "8e328c601a3d41377c27d69687f34562d74ef593f6ed62398dd358a316c8c878");
}
