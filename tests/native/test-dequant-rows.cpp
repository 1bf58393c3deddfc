// Row-range / tile dequantization over byte sources, tensor statistics, and
// every tensor of every fixture GGUF against ggml's own to_float (hashes in
// tests/fixtures/dequant-ggml/fixture-hashes.json, made by linking ggml).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/ggml-types.h"
#include "format/gguf.h"
#include "gguf-builder.h"
#include "quant/block-scale.h"
#include "quant/dequant-rows.h"
#include "quant/tensor-stats.h"

using nlohmann::json;

namespace {

std::vector<uint8_t> read_file(const std::string & path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// FNV-1a-64 of float bit patterns, every NaN as 0x7fc00000 (as the generator).
std::string hash_floats(const std::vector<float> & v) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (float f : v) {
        uint32_t u;
        std::memcpy(&u, &f, 4);
        if (std::isnan(f)) u = 0x7fc00000u;
        for (int k = 0; k < 4; ++k) {
            h ^= (u >> (8 * k)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long) h);
    return buf;
}

bool same_bits(const float * a, const float * b, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (std::isnan(a[i]) && std::isnan(b[i])) continue;
        if (std::memcmp(&a[i], &b[i], 4) != 0) return false;
    }
    return true;
}

} // namespace

// Every tensor of every fixture GGUF: streamed in small chunks through both
// kernels, equal to ggml's output; row ranges and column tiles are slices
// of the whole.
TEST(DequantFixtures, EveryTensorMatchesGgml) {
    const json files = json::parse(read_file(std::string(GC_FIXTURES) + "/dequant-ggml/fixture-hashes.json"));
    int n_tensors = 0, n_quant = 0;
    for (const auto & [file, tensors] : files.items()) {
        std::string err;
        gc::file_set fs;
        fs.push_back(gc::byte_source_open_file(std::string(GC_FIXTURES) + "/" + file, &err));
        ASSERT_TRUE(fs[0]) << err;
        gc::gguf_model model = gc::gguf_load(fs);
        ASSERT_TRUE(model.usable) << file;
        ASSERT_EQ(model.tensors.size(), tensors.size()) << file;
        for (const gc::gguf_tensor & t : model.tensors) {
            const std::string & name = t.info->name;
            ASSERT_TRUE(tensors.contains(name)) << file << " " << name;
            gc::tensor_layout lay;
            ASSERT_TRUE(gc::tensor_layout_from_gguf(t, &lay, &err)) << file << " " << name << ": " << err;
            const size_t n = (size_t) (lay.ne0 * lay.n_rows);
            std::vector<float> ref(n), fast(n);
            gc::dequant_options small;
            small.chunk_bytes = 1000;   // many chunks, each a few blocks
            small.use_ref = true;
            ASSERT_TRUE(gc::dequant_rows(*fs[0], lay, 0, lay.n_rows, ref.data(), &err, small)) << err;
            small.use_ref = false;
            ASSERT_TRUE(gc::dequant_rows(*fs[0], lay, 0, lay.n_rows, fast.data(), &err, small)) << err;
            EXPECT_EQ(hash_floats(ref), tensors[name].get<std::string>()) << file << " " << name << " (ref)";
            EXPECT_EQ(hash_floats(fast), tensors[name].get<std::string>()) << file << " " << name << " (fast)";

            // A middle row range equals the slice of the whole.
            if (lay.n_rows >= 3) {
                const uint64_t r0 = 1, r1 = lay.n_rows - 1;
                std::vector<float> part((size_t) ((r1 - r0) * lay.ne0));
                ASSERT_TRUE(gc::dequant_rows(*fs[0], lay, r0, r1, part.data(), &err));
                EXPECT_TRUE(same_bits(part.data(), fast.data() + r0 * lay.ne0, part.size())) << file << " " << name;
            }
            // A column tile (the second block column onwards) equals the slice.
            const uint64_t bs = (uint64_t) gc::ggml_type_get(lay.type)->block_size;
            if (lay.ne0 >= 2 * bs && lay.n_rows >= 2) {
                const uint64_t c0 = bs, c1 = lay.ne0, r1 = std::min<uint64_t>(lay.n_rows, 5), ld = c1 - c0 + 3;
                std::vector<float> tile((size_t) (r1 * ld), -1.0f);
                ASSERT_TRUE(gc::dequant_tile(*fs[0], lay, 0, r1, c0, c1, tile.data(), ld, &err)) << err;
                for (uint64_t r = 0; r < r1; ++r) {
                    EXPECT_TRUE(same_bits(tile.data() + r * ld, fast.data() + r * lay.ne0 + c0, (size_t) (c1 - c0))) << name;
                    EXPECT_EQ(tile[r * ld + (c1 - c0)], -1.0f);   // stride padding untouched
                }
            }
            ++n_tensors;
            n_quant += bs > 1;
        }
    }
    std::printf("  %d tensors (%d quantized) in %zu files match ggml bit for bit (ref and fast)\n", n_tensors, n_quant, files.size());
    EXPECT_GT(n_quant, 100);
}

TEST(DequantRows, RejectsBadRangesAndTypes) {
    std::string err;
    gc::tensor_layout lay;
    // retired, unknown, fork ids
    for (uint32_t id : { 4u, 31u, 36u, 43u, 64u, 65u, 66u, 139u, 0xffffffffu }) {
        EXPECT_FALSE(gc::tensor_layout_make(id, 256, 2, 0, &lay, &err)) << id;
        EXPECT_NE(err.find(std::to_string(id)), std::string::npos) << err;
    }
    // a row that is not whole blocks
    EXPECT_FALSE(gc::tensor_layout_make(gc::GGML_TYPE_Q4_K, 100, 2, 0, &lay, &err));
    // size overflow
    EXPECT_FALSE(gc::tensor_layout_make(gc::GGML_TYPE_F32, 1ull << 40, 1ull << 40, 0, &lay, &err));

    // 2 rows of 32 Q8_0 in a 68-byte source, then a truncated 50-byte one.
    std::vector<uint8_t> bytes(68, 0);
    auto src = gc::byte_source_from_memory(bytes, "mem");
    ASSERT_TRUE(gc::tensor_layout_make(gc::GGML_TYPE_Q8_0, 32, 2, 0, &lay, &err)) << err;
    std::vector<float> out(64);
    EXPECT_TRUE(gc::dequant_rows(*src, lay, 0, 2, out.data(), &err));
    EXPECT_FALSE(gc::dequant_rows(*src, lay, 0, 3, out.data(), &err));
    EXPECT_FALSE(gc::dequant_rows(*src, lay, 2, 1, out.data(), &err));
    EXPECT_TRUE(gc::dequant_rows(*src, lay, 1, 1, out.data(), &err));   // empty range
    EXPECT_FALSE(gc::dequant_tile(*src, lay, 0, 1, 16, 32, out.data(), 32, &err));   // cuts a block
    EXPECT_FALSE(gc::dequant_tile(*src, lay, 0, 1, 0, 32, out.data(), 8, &err));     // stride too small
    auto short_src = gc::byte_source_from_memory(std::vector<uint8_t>(50, 0), "short");
    EXPECT_FALSE(gc::dequant_rows(*short_src, lay, 0, 2, out.data(), &err));
    EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
    // data offset near UINT64_MAX must not wrap
    lay.data_offset = UINT64_MAX - 10;
    EXPECT_FALSE(gc::dequant_rows(*src, lay, 0, 2, out.data(), &err));
}

// A GGUF with a fork type id 64 next to an F32 tensor: the reader reports
// the unknown type, the layout refuses it with its id, the other tensor
// still decodes.
TEST(DequantRows, UnknownTypeIsReportedAndSkipped) {
    gc_test::gguf_builder b;
    b.header(2, 1);
    b.kv_str("general.architecture", "llama");
    b.tensor("fork.weight", { 256, 2 }, 64, 0);
    b.tensor("ok.weight", { 4, 2 }, gc::GGML_TYPE_F32, 256);
    b.pad();
    b.zeros(256);
    const float vals[8] = { 1, -2, 3.5f, 0, 1e-3f, 6, 7, -8 };
    b.raw(vals, sizeof vals);
    gc::file_set fs;
    fs.push_back(gc::byte_source_from_memory(b.bytes, "fork.gguf"));
    gc::gguf_model m = gc::gguf_load(fs);
    ASSERT_TRUE(m.usable);
    bool reported = false;
    for (const auto & f : m.findings) {
        if (f.code == "unknown_type" && f.message.find("64") != std::string::npos) reported = true;
    }
    EXPECT_TRUE(reported);
    std::string err;
    gc::tensor_layout lay;
    const gc::gguf_tensor * fork = m.find_tensor("fork.weight");
    ASSERT_NE(fork, nullptr);
    EXPECT_FALSE(gc::tensor_layout_from_gguf(*fork, &lay, &err));
    EXPECT_NE(err.find("64"), std::string::npos) << err;
    EXPECT_NE(err.find("fork.weight"), std::string::npos) << err;
    gc::tensor_stats st;
    lay.type = 64;
    EXPECT_FALSE(gc::tensor_stats_compute(*fs[0], lay, &st, &err));

    const gc::gguf_tensor * ok = m.find_tensor("ok.weight");
    ASSERT_NE(ok, nullptr);
    ASSERT_TRUE(gc::tensor_layout_from_gguf(*ok, &lay, &err)) << err;
    std::vector<float> out(8);
    ASSERT_TRUE(gc::dequant_rows(*fs[0], lay, 0, 2, out.data(), &err)) << err;
    EXPECT_EQ(std::memcmp(out.data(), vals, sizeof vals), 0);
}

TEST(TensorStats, CountsAndMoments) {
    // F32: 300 values: 1..4, NaN, +Inf, a subnormal, then zeros (the second
    // 256-element group is not all zero because of its last value).
    std::vector<float> v(300, 0.0f);
    v[0] = 1; v[1] = 2; v[2] = 3; v[3] = 4;
    v[4] = NAN; v[5] = INFINITY; v[6] = 1e-40f; v[299] = -6;
    std::vector<uint8_t> bytes(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    auto src = gc::byte_source_from_memory(bytes, "f32");
    gc::tensor_layout lay;
    std::string err;
    ASSERT_TRUE(gc::tensor_layout_make(gc::GGML_TYPE_F32, 300, 1, 0, &lay, &err));
    gc::tensor_stats st;
    gc::dequant_options opt;
    opt.chunk_bytes = 64;   // chunks are still whole 256-element groups
    ASSERT_TRUE(gc::tensor_stats_compute(*src, lay, &st, &err, opt)) << err;
    EXPECT_EQ(st.count, 300u);
    EXPECT_EQ(st.n_nan, 1u);
    EXPECT_EQ(st.n_inf, 1u);
    EXPECT_EQ(st.n_subnormal, 1u);
    EXPECT_EQ(st.n_finite, 298u);
    EXPECT_EQ(st.min, -6.0);
    EXPECT_EQ(st.max, 4.0);
    double mean = 0, m2 = 0;
    for (float x : v) if (std::isfinite(x)) mean += x;
    mean /= 298;
    for (float x : v) if (std::isfinite(x)) m2 += (x - mean) * (x - mean);
    EXPECT_NEAR(st.mean, mean, 1e-15);
    EXPECT_NEAR(st.std, std::sqrt(m2 / 298), 1e-12);
    EXPECT_EQ(st.blocks, 2u);
    EXPECT_EQ(st.zero_blocks, 0u);
    EXPECT_EQ(st.scale_blocks, 0u);

    // Q8_0: block 0 d = NaN, block 1 d = 0 (all zero), block 2 d = 1, q = 0
    // (all zero with a valid scale), block 3 d = +Inf.
    std::vector<uint8_t> q(4 * 34, 0);
    q[0] = 0x00; q[1] = 0x7e; q[2] = 1;                 // NaN scale
    q[68] = 0x00; q[69] = 0x3c;                          // d = 1, q = 0
    q[102] = 0x00; q[103] = 0x7c; q[104] = 1;            // +Inf
    auto qsrc = gc::byte_source_from_memory(q, "q8");
    ASSERT_TRUE(gc::tensor_layout_make(gc::GGML_TYPE_Q8_0, 128, 1, 0, &lay, &err));
    ASSERT_TRUE(gc::tensor_stats_compute(*qsrc, lay, &st, &err)) << err;
    EXPECT_EQ(st.blocks, 4u);
    EXPECT_EQ(st.scale_blocks, 4u);
    EXPECT_EQ(st.scale_nonfinite_blocks, 2u);
    EXPECT_EQ(st.scale_zero_blocks, 1u);
    EXPECT_EQ(st.zero_blocks, 2u);   // blocks 1 and 2; NaN * 0 = NaN in block 0, Inf * 0 = NaN in block 3
    EXPECT_GE(st.n_nan, 2u);
}

TEST(BlockScale, EveryBlockTypeHasOne) {
    std::vector<uint8_t> zeros(512, 0);
    for (uint32_t id = 0; id < gc::GGML_TYPE_COUNT; ++id) {
        const gc::ggml_type_info * t = gc::ggml_type_get(id);
        if (!t || t->retired) continue;
        float sc[gc::BLOCK_SCALES_MAX];
        const int k = gc::block_scales(id, zeros.data(), sc);
        if (t->block_size == 1) {
            EXPECT_EQ(k, 0) << t->name;
        } else {
            EXPECT_GE(k, 1) << t->name;
            // all-zero bytes: zero scale, except MXFP4 whose E8M0 0 is 2^-128
            for (int j = 0; j < k; ++j) {
                if (id == gc::GGML_TYPE_MXFP4) EXPECT_EQ(sc[j], 0x1p-128f);
                else EXPECT_EQ(sc[j], 0.0f) << t->name;
            }
        }
    }
    EXPECT_EQ(gc::block_scales(64, zeros.data(), nullptr), 0);
}
