// safetensors / Hugging Face reference sets: the fixtures, sharded sets with
// and without the index, and hostile headers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "format/gguf.h"
#include "format/safetensors.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

gc::file_set open_files(const std::vector<fs::path> & paths) {
    gc::file_set set;
    for (const auto & p : paths) {
        std::string err;
        set.push_back(gc::byte_source_open_file(p, &err));
    }
    return set;
}

bool has_finding(const gc::hf_model & m, const std::string & code) {
    for (const auto & f : m.findings) {
        if (f.code == code) return true;
    }
    return false;
}

std::vector<uint8_t> make_safetensors(const json & header, size_t data_bytes) {
    const std::string h = header.dump();
    std::vector<uint8_t> out(8 + h.size() + data_bytes, 0);
    const uint64_t n = h.size();
    std::memcpy(out.data(), &n, 8);
    std::memcpy(out.data() + 8, h.data(), h.size());
    return out;
}

std::vector<float> read_floats(gc::file_set & set, const gc::hf_model & m, const gc::st_tensor & t) {
    std::vector<uint8_t> raw(t.nbytes);
    EXPECT_TRUE(set[m.shards[t.shard].source]->read(t.data_offset, raw.data(), raw.size()));
    std::vector<float> out(t.n_elements());
    gc::st_to_float(*t.dtype, raw.data(), out.data(), (int64_t) out.size());
    return out;
}

} // namespace

TEST(Safetensors, Stories260KMatchesTheF32Gguf) {
    const fs::path dir = fs::path(GC_FIXTURES) / "stories260K";
    auto set = open_files({ dir / "hf" / "config.json", dir / "hf" / "model.safetensors" });
    const gc::hf_model m = gc::hf_load(set);
    ASSERT_TRUE(m.usable);
    EXPECT_TRUE(m.findings.empty());
    EXPECT_EQ(m.tensors.size(), 48u);
    EXPECT_EQ(m.model_type(), "llama");
    ASSERT_NE(m.config_value("num_key_value_heads"), nullptr);
    EXPECT_EQ(m.config_value("num_key_value_heads")->get<int>(), 4);
    const gc::st_tensor * emb = m.find_tensor("model.embed_tokens.weight");
    ASSERT_NE(emb, nullptr);
    EXPECT_EQ(emb->dtype_name, "F32");
    EXPECT_EQ(emb->shape, (std::vector<uint64_t>{ 512, 64 }));

    // The embedding is not permuted by the converter: it must equal the GGUF's bit for bit.
    auto gset = open_files({ dir / "stories260K-F32.gguf" });
    const gc::gguf_model g = gc::gguf_load(gset);
    const gc::gguf_tensor * gt = g.find_tensor("token_embd.weight");
    ASSERT_NE(gt, nullptr);
    std::vector<float> want(gt->info->n_elements());
    ASSERT_TRUE(gset[0]->read(gt->data_offset, want.data(), want.size() * 4));
    EXPECT_EQ(read_floats(set, m, *emb), want);
}

TEST(Safetensors, G4TinyBf16WithNestedTextConfig) {
    const fs::path dir = fs::path(GC_FIXTURES) / "g4tiny" / "hf";
    auto set = open_files({ dir / "model.safetensors", dir / "config.json" });
    const gc::hf_model m = gc::hf_load(set);
    ASSERT_TRUE(m.usable);
    EXPECT_EQ(m.tensors.size(), 85u);
    EXPECT_EQ(m.model_type(), "gemma4_text");
    ASSERT_NE(m.config_value("global_head_dim"), nullptr);
    EXPECT_EQ(m.config_value("global_head_dim")->get<int>(), 128);
    const gc::st_tensor * s = m.find_tensor("model.language_model.layers.0.layer_scalar");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->dtype_name, "BF16");
    const auto v = read_floats(set, m, *s);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_FLOAT_EQ(v[0], 0.05004883f);
}

TEST(Safetensors, ShardsWithIndex) {
    json h1 = { { "a", { { "dtype", "F32" }, { "shape", { 2, 2 } }, { "data_offsets", { 0, 16 } } } } };
    json h2 = { { "b", { { "dtype", "F16" }, { "shape", { 4 } }, { "data_offsets", { 0, 8 } } } } };
    json index = { { "weight_map", { { "a", "m-00001-of-00003.safetensors" }, { "b", "m-00002-of-00003.safetensors" },
                                     { "c", "m-00003-of-00003.safetensors" } } } };
    const std::string idx = index.dump();
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(std::vector<uint8_t>(idx.begin(), idx.end()), "model.safetensors.index.json"));
    set.push_back(gc::byte_source_from_memory(make_safetensors(h1, 16), "m-00001-of-00003.safetensors"));
    set.push_back(gc::byte_source_from_memory(make_safetensors(h2, 8), "m-00002-of-00003.safetensors"));
    const gc::hf_model m = gc::hf_load(set);
    EXPECT_EQ(m.tensors.size(), 2u);
    EXPECT_TRUE(has_finding(m, "missing_shard"));
    EXPECT_EQ(m.find_tensor("b")->shard, 1u);
}

TEST(Safetensors, Fp8Decoding) {
    const gc::st_dtype_info * e4m3 = gc::st_dtype_get("F8_E4M3");
    const gc::st_dtype_info * e5m2 = gc::st_dtype_get("F8_E5M2");
    ASSERT_TRUE(e4m3 && e5m2);
    const uint8_t in[] = { 0x38, 0xb8, 0x7e, 0x01, 0x7f, 0x00 };
    float out[6];
    gc::st_to_float(*e4m3, in, out, 6);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -1.0f);
    EXPECT_EQ(out[2], 448.0f);            // the largest finite E4M3
    EXPECT_EQ(out[3], std::ldexp(1.0f, -9));
    EXPECT_TRUE(std::isnan(out[4]));
    EXPECT_EQ(out[5], 0.0f);
    const uint8_t in2[] = { 0x3c, 0x7c };
    gc::st_to_float(*e5m2, in2, out, 2);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_TRUE(std::isinf(out[1]));
}

TEST(SafetensorsHostile, BrokenHeaders) {
    struct tcase { std::vector<uint8_t> bytes; const char * code; };
    std::vector<tcase> cases;
    cases.push_back({ { 1, 2, 3 }, "truncated" });
    {
        std::vector<uint8_t> b(16, 0);
        const uint64_t n = 1ull << 60;
        std::memcpy(b.data(), &n, 8);
        cases.push_back({ b, "bad_header" });
    }
    {
        std::vector<uint8_t> b = make_safetensors(json::array({ 1, 2 }), 0);
        cases.push_back({ b, "bad_header" });
    }
    {
        std::string junk = "{\"a\": [";
        std::vector<uint8_t> b(8 + junk.size());
        const uint64_t n = junk.size();
        std::memcpy(b.data(), &n, 8);
        std::memcpy(b.data() + 8, junk.data(), junk.size());
        cases.push_back({ b, "bad_header" });
    }
    cases.push_back({ make_safetensors({ { "a", { { "dtype", "F32" }, { "shape", { 4 } }, { "data_offsets", { 0, 16 } } } } }, 8), "truncated" });
    cases.push_back({ make_safetensors({ { "a", { { "dtype", "F32" }, { "shape", { 5 } }, { "data_offsets", { 0, 16 } } } } }, 16), "bad_tensor_size" });
    cases.push_back({ make_safetensors({ { "a", { { "dtype", "F32" }, { "shape", { 1ull << 62, 1ull << 62 } }, { "data_offsets", { 0, 16 } } } } }, 16), "bad_tensor_size" });
    cases.push_back({ make_safetensors({ { "a", { { "dtype", "Q9" }, { "shape", { 4 } }, { "data_offsets", { 0, 16 } } } } }, 16), "unknown_dtype" });
    cases.push_back({ make_safetensors({ { "a", { { "dtype", 5 }, { "shape", "x" } } } }, 16), "bad_tensor_entry" });
    cases.push_back({ make_safetensors({ { "a", { { "dtype", "F32" }, { "shape", { 4 } }, { "data_offsets", { 0, 16 } } } },
                                         { "b", { { "dtype", "F32" }, { "shape", { 4 } }, { "data_offsets", { 8, 24 } } } } }, 24), "overlap" });
    for (auto & c : cases) {
        gc::file_set set;
        set.push_back(gc::byte_source_from_memory(c.bytes, "x.safetensors"));
        const gc::hf_model m = gc::hf_load(set);
        EXPECT_TRUE(has_finding(m, c.code)) << c.code;
    }
}
