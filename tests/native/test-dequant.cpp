// Dequantization: bit-exact with ggml's own to_float on the golden fixture
// (tests/fixtures/quants, made by llama.cpp 80fb11a), for the reference and
// the fast path; fast == reference on random block bytes for every type and
// odd block counts; the type table agrees with the block structs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/ggml-types.h"
#include "format/gguf.h"
#include "quant/blocks.h"
#include "quant/dequant.h"

using nlohmann::json;

namespace {

const std::string k_quants = std::string(GC_FIXTURES) + "/quants";

std::vector<uint8_t> read_file(const std::string & path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

uint32_t bits_of(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

// Index of the first element whose bits differ (NaN == NaN whatever the
// payload), or -1.
int64_t first_mismatch(const float * a, const float * b, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        if (std::isnan(a[i]) && std::isnan(b[i])) continue;
        if (bits_of(a[i]) != bits_of(b[i])) return i;
    }
    return -1;
}

std::string describe(const float * a, const float * b, int64_t i) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "element %lld: %.9g (0x%08x) vs %.9g (0x%08x)", (long long) i, a[i], bits_of(a[i]),
                  b[i], bits_of(b[i]));
    return buf;
}

// Every type that has kernels.
std::vector<const gc::ggml_type_info *> readable_types() {
    std::vector<const gc::ggml_type_info *> out;
    for (uint32_t id = 0; id < gc::GGML_TYPE_COUNT; ++id) {
        const gc::ggml_type_info * t = gc::ggml_type_get(id);
        if (t && !t->retired) out.push_back(t);
    }
    return out;
}

} // namespace

TEST(DequantTable, EveryUpstreamTypeHasBothKernels) {
    int n = 0;
    for (const auto * t : readable_types()) {
        EXPECT_NE(t->dequant_ref, nullptr) << t->name;
        EXPECT_NE(t->dequant, nullptr) << t->name;
        EXPECT_TRUE(gc::ggml_type_readable(t->id)) << t->name;
        ++n;
    }
    EXPECT_EQ(n, 35);   // 43 ids minus 8 retired
    std::printf("fast path ISA: %s\n", gc::dequant_fast_isa());
}

TEST(DequantTable, SizesMatchBlockStructs) {
    struct row { uint32_t id; size_t size; int block; };
    const row rows[] = {
        { gc::GGML_TYPE_Q4_0, sizeof(gc::block_q4_0), gc::QK4_0 },     { gc::GGML_TYPE_Q4_1, sizeof(gc::block_q4_1), gc::QK4_1 },
        { gc::GGML_TYPE_Q5_0, sizeof(gc::block_q5_0), gc::QK5_0 },     { gc::GGML_TYPE_Q5_1, sizeof(gc::block_q5_1), gc::QK5_1 },
        { gc::GGML_TYPE_Q8_0, sizeof(gc::block_q8_0), gc::QK8_0 },     { gc::GGML_TYPE_Q8_1, sizeof(gc::block_q8_1), gc::QK8_1 },
        { gc::GGML_TYPE_Q2_K, sizeof(gc::block_q2_K), gc::QK_K },      { gc::GGML_TYPE_Q3_K, sizeof(gc::block_q3_K), gc::QK_K },
        { gc::GGML_TYPE_Q4_K, sizeof(gc::block_q4_K), gc::QK_K },      { gc::GGML_TYPE_Q5_K, sizeof(gc::block_q5_K), gc::QK_K },
        { gc::GGML_TYPE_Q6_K, sizeof(gc::block_q6_K), gc::QK_K },      { gc::GGML_TYPE_Q8_K, sizeof(gc::block_q8_K), gc::QK_K },
        { gc::GGML_TYPE_IQ2_XXS, sizeof(gc::block_iq2_xxs), gc::QK_K }, { gc::GGML_TYPE_IQ2_XS, sizeof(gc::block_iq2_xs), gc::QK_K },
        { gc::GGML_TYPE_IQ2_S, sizeof(gc::block_iq2_s), gc::QK_K },    { gc::GGML_TYPE_IQ3_XXS, sizeof(gc::block_iq3_xxs), gc::QK_K },
        { gc::GGML_TYPE_IQ3_S, sizeof(gc::block_iq3_s), gc::QK_K },    { gc::GGML_TYPE_IQ1_S, sizeof(gc::block_iq1_s), gc::QK_K },
        { gc::GGML_TYPE_IQ1_M, sizeof(gc::block_iq1_m), gc::QK_K },    { gc::GGML_TYPE_IQ4_NL, sizeof(gc::block_iq4_nl), gc::QK4_NL },
        { gc::GGML_TYPE_IQ4_XS, sizeof(gc::block_iq4_xs), gc::QK_K },  { gc::GGML_TYPE_TQ1_0, sizeof(gc::block_tq1_0), gc::QK_K },
        { gc::GGML_TYPE_TQ2_0, sizeof(gc::block_tq2_0), gc::QK_K },    { gc::GGML_TYPE_MXFP4, sizeof(gc::block_mxfp4), gc::QK_MXFP4 },
        { gc::GGML_TYPE_NVFP4, sizeof(gc::block_nvfp4), gc::QK_NVFP4 }, { gc::GGML_TYPE_Q1_0, sizeof(gc::block_q1_0), gc::QK1_0 },
        { gc::GGML_TYPE_Q2_0, sizeof(gc::block_q2_0), gc::QK2_0 },
    };
    for (const row & r : rows) {
        const gc::ggml_type_info * t = gc::ggml_type_get(r.id);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ((size_t) t->type_size, r.size) << t->name;
        EXPECT_EQ(t->block_size, r.block) << t->name;
    }
}

// The golden fixture: each tensor of alltypes.gguf decodes, with both
// kernels, to exactly ggml's floats in alltypes.expected.f32.
TEST(DequantGolden, BitExactWithGgml) {
    const json meta = json::parse(read_file(k_quants + "/alltypes.json"));
    const std::vector<uint8_t> expected_bytes = read_file(k_quants + "/alltypes.expected.f32");
    ASSERT_EQ(expected_bytes.size() % 4, 0u);
    std::vector<float> expected(expected_bytes.size() / 4);
    std::memcpy(expected.data(), expected_bytes.data(), expected_bytes.size());

    std::string err;
    gc::file_set files;
    files.push_back(gc::byte_source_open_file(k_quants + "/alltypes.gguf", &err));
    ASSERT_TRUE(files[0]) << err;
    gc::gguf_model model = gc::gguf_load(files);
    ASSERT_TRUE(model.usable);

    int checked = 0;
    for (const json & ty : meta["types"]) {
        const std::string name = ty["tensor"];
        const uint32_t id = ty["ggml_type_id"];
        const gc::gguf_tensor * t = model.find_tensor(name);
        ASSERT_NE(t, nullptr) << name;
        ASSERT_EQ(t->info->type, id) << name;
        const gc::ggml_type_info * info = gc::ggml_type_get(id);
        ASSERT_NE(info, nullptr);
        const uint64_t n = ty["expected_n_floats"];
        const uint64_t off = ty["expected_offset_floats"];
        ASSERT_LE(off + n, expected.size());
        ASSERT_TRUE(t->nbytes.has_value());
        EXPECT_EQ(*t->nbytes, (uint64_t) ty["nbytes"]) << name;

        std::vector<uint8_t> raw(*t->nbytes);
        ASSERT_TRUE(files[0]->read(t->data_offset, raw.data(), raw.size())) << name;
        for (int fast = 0; fast < 2; ++fast) {
            std::vector<float> got(n, -12345.0f);
            (fast ? info->dequant : info->dequant_ref)(raw.data(), got.data(), (int64_t) n);
            const int64_t bad = first_mismatch(got.data(), expected.data() + off, (int64_t) n);
            EXPECT_EQ(bad, -1) << info->name << (fast ? " fast: " : " ref: ")
                               << (bad >= 0 ? describe(got.data(), expected.data() + off, bad) : "");
        }
        std::printf("  %-8s %6llu floats bit-exact (ref and %s)\n", info->name, (unsigned long long) n, gc::dequant_fast_isa());
        ++checked;
    }
    EXPECT_EQ(checked, 18);
}

// Fast vs reference on random bytes: every bit pattern is a valid block
// (scales may be NaN, Inf, subnormal), odd block counts exercise every
// loop tail of the element types.
TEST(DequantFastVsRef, RandomBlocksEveryType) {
    std::mt19937_64 rng(0x5eed0c19u);
    const int64_t counts[] = { 1, 2, 3, 7, 17, 33 };
    for (const auto * t : readable_types()) {
        int64_t total = 0;
        for (int64_t blocks : counts) {
            // element types: use more elements so the SIMD body runs too
            const int64_t nb = t->block_size == 1 ? blocks * 5 : blocks;
            for (int trial = 0; trial < 20; ++trial) {
                std::vector<uint8_t> raw((size_t) (nb * t->type_size));
                for (auto & b : raw) b = (uint8_t) rng();
                const int64_t n = nb * t->block_size;
                std::vector<float> a(n, 1.0f), b(n, 2.0f);
                t->dequant_ref(raw.data(), a.data(), n);
                t->dequant(raw.data(), b.data(), n);
                const int64_t bad = first_mismatch(a.data(), b.data(), n);
                ASSERT_EQ(bad, -1) << t->name << " blocks=" << nb << " trial=" << trial << ": " << describe(a.data(), b.data(), bad);
                total += n;
            }
        }
        // Edge patterns: all zero bytes, all 0xff, alternating.
        for (uint8_t fill : { (uint8_t) 0x00, (uint8_t) 0xff, (uint8_t) 0x55, (uint8_t) 0xaa, (uint8_t) 0x7f, (uint8_t) 0x80 }) {
            const int64_t nb = t->block_size == 1 ? 37 : 3;
            std::vector<uint8_t> raw((size_t) (nb * t->type_size), fill);
            const int64_t n = nb * t->block_size;
            std::vector<float> a(n), b(n);
            t->dequant_ref(raw.data(), a.data(), n);
            t->dequant(raw.data(), b.data(), n);
            const int64_t bad = first_mismatch(a.data(), b.data(), n);
            ASSERT_EQ(bad, -1) << t->name << " fill=" << (int) fill << ": " << describe(a.data(), b.data(), bad);
        }
        (void) total;
    }
}

// Kernels write exactly n floats: nothing before or after the span.
TEST(DequantFastVsRef, WritesExactlyN) {
    for (const auto * t : readable_types()) {
        const int64_t nb = t->block_size == 1 ? 13 : 2;
        const int64_t n = nb * t->block_size;
        std::vector<uint8_t> raw((size_t) (nb * t->type_size), 0x3c);
        for (int fast = 0; fast < 2; ++fast) {
            std::vector<float> buf(n + 8, -7.0f);
            (fast ? t->dequant : t->dequant_ref)(raw.data(), buf.data() + 4, n);
            for (int k = 0; k < 4; ++k) {
                EXPECT_EQ(buf[k], -7.0f) << t->name;
                EXPECT_EQ(buf[n + 4 + k], -7.0f) << t->name;
            }
        }
    }
}

// Hand-made blocks with known values, independent of the fixture.
TEST(DequantKnown, SmallHandMadeBlocks) {
    // Q8_0: d = 0.5 (f16 0x3800), q = -3 -> -1.5
    {
        uint8_t blk[34] = { 0x00, 0x38 };
        for (int j = 0; j < 32; ++j) blk[2 + j] = (uint8_t) (int8_t) (j - 16);
        float out[32];
        gc::dequant_q8_0_ref(blk, out, 32);
        for (int j = 0; j < 32; ++j) EXPECT_EQ(out[j], 0.5f * (float) (j - 16));
    }
    // Q1_0: d = 2 (0x4000), bit j -> +-2
    {
        uint8_t blk[18] = { 0x00, 0x40, 0x01, 0x80 };
        float out[128];
        gc::dequant_q1_0(blk, out, 128);
        EXPECT_EQ(out[0], 2.0f);
        EXPECT_EQ(out[1], -2.0f);
        EXPECT_EQ(out[15], 2.0f);
        EXPECT_EQ(out[16], -2.0f);
    }
    // MXFP4: e = 127 -> scale 2^-1 * table (doubled): nibble 7 -> 12 * 0.5 = 6 (E2M1 max)
    {
        uint8_t blk[17] = { 127 };
        blk[1] = 0x07 | 0xf0;   // element 0: code 7 (+6), element 16: code 15 (-6)
        float out[32];
        gc::dequant_mxfp4(blk, out, 32);
        EXPECT_EQ(out[0], 6.0f);
        EXPECT_EQ(out[16], -6.0f);
    }
    // f16 specials.
    {
        const uint16_t h[8] = { 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x0000 };
        float out[8];
        gc::dequant_f16(reinterpret_cast<const uint8_t *>(h), out, 8);
        EXPECT_EQ(out[0], 0x1p-24f);
        EXPECT_EQ(out[1], -0x1p-24f);
        EXPECT_EQ(out[2], 1023 * 0x1p-24f);
        EXPECT_EQ(out[3], 0x1p-14f);
        EXPECT_EQ(out[4], 65504.0f);
        EXPECT_TRUE(std::isinf(out[5]) && out[5] > 0);
        EXPECT_TRUE(std::isinf(out[6]) && out[6] < 0);
        EXPECT_EQ(bits_of(out[7]), 0u);
    }
}

// ggml's own dequantize_row_* on seeded random blocks, for every block type
// (tests/fixtures/dequant-ggml: covers the types the golden GGUF lacks).
namespace {

uint64_t splitmix_next(uint64_t & state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t fnv1a64(const void * p, size_t n, uint64_t h = 0xcbf29ce484222325ull) {
    const uint8_t * b = static_cast<const uint8_t *>(p);
    for (size_t i = 0; i < n; ++i) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

std::string hex64(uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long) v);
    return buf;
}

} // namespace

TEST(DequantGolden, RandomBlocksMatchGgmlHashes) {
    const json cases = json::parse(read_file(std::string(GC_FIXTURES) + "/dequant-ggml/ggml-random.json"));
    int checked = 0;
    for (const json & c : cases) {
        const gc::ggml_type_info * t = gc::ggml_type_get(c["id"]);
        ASSERT_NE(t, nullptr);
        ASSERT_EQ(std::string(t->name), c["type"].get<std::string>());
        const int64_t nb = c["blocks"];
        uint64_t state = c["seed"];
        std::vector<uint8_t> raw((size_t) (nb * t->type_size));
        for (auto & b : raw) b = (uint8_t) splitmix_next(state);
        ASSERT_EQ(hex64(fnv1a64(raw.data(), raw.size())), c["raw_fnv1a64"].get<std::string>()) << t->name;
        const int64_t n = nb * t->block_size;
        for (int fast = 0; fast < 2; ++fast) {
            std::vector<float> out(n);
            (fast ? t->dequant : t->dequant_ref)(raw.data(), out.data(), n);
            uint64_t h = 0xcbf29ce484222325ull;
            int n_nan = 0;
            for (float v : out) {
                uint32_t u = bits_of(v);
                if (std::isnan(v)) {
                    u = 0x7fc00000u;
                    ++n_nan;
                }
                h = fnv1a64(&u, 4, h);
            }
            EXPECT_EQ(hex64(h), c["out_fnv1a64"].get<std::string>()) << t->name << (fast ? " fast" : " ref");
            EXPECT_EQ(n_nan, c["nan"].get<int>()) << t->name;
        }
        ++checked;
    }
    EXPECT_EQ(checked, 26);
    std::printf("  %d block types match ggml's dequantize_row_* on random blocks (ref and %s)\n", checked, gc::dequant_fast_isa());
}
