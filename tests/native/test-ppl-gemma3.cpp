// gemma3: the recipe read from a tiny generated GGUF (random weights): layer
// pattern, window, rope bases and scaling, attention scale; and the forward
// runs on it.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forward/forward.h"
#include "forward/ppl.h"
#include "gguf-builder.h"
#include "model/model.h"

using namespace gc;

namespace {

struct spec { std::string name; std::vector<uint64_t> ne; };

// 7 layers: 0-4 sliding, 5 global, 6 sliding. n_embd 32, 2 heads of 16, 1 KV head.
std::vector<uint8_t> tiny_gemma3(uint32_t window) {
    const uint64_t d = 32, hd = 16, nh = 2, nkv = 1, ff = 48, nv = 64;
    std::vector<spec> t = { { "token_embd.weight", { d, nv } }, { "output_norm.weight", { d } } };
    for (int il = 0; il < 7; ++il) {
        const std::string p = "blk." + std::to_string(il) + ".";
        for (const char * n : { "attn_norm", "post_attention_norm", "ffn_norm", "post_ffw_norm" }) t.push_back({ p + n + ".weight", { d } });
        t.push_back({ p + "attn_q.weight", { d, nh * hd } });
        t.push_back({ p + "attn_k.weight", { d, nkv * hd } });
        t.push_back({ p + "attn_v.weight", { d, nkv * hd } });
        t.push_back({ p + "attn_output.weight", { nh * hd, d } });
        t.push_back({ p + "attn_q_norm.weight", { hd } });
        t.push_back({ p + "attn_k_norm.weight", { hd } });
        t.push_back({ p + "ffn_gate.weight", { d, ff } });
        t.push_back({ p + "ffn_up.weight", { d, ff } });
        t.push_back({ p + "ffn_down.weight", { ff, d } });
    }
    gc_test::gguf_builder b;
    b.header(t.size(), 14);
    b.kv_str("general.architecture", "gemma3");
    b.kv_u32("gemma3.block_count", 7);
    b.kv_u32("gemma3.embedding_length", (uint32_t) d);
    b.kv_u32("gemma3.feed_forward_length", (uint32_t) ff);
    b.kv_u32("gemma3.attention.head_count", (uint32_t) nh);
    b.kv_u32("gemma3.attention.head_count_kv", (uint32_t) nkv);
    b.kv_u32("gemma3.attention.key_length", (uint32_t) hd);
    b.kv_u32("gemma3.attention.value_length", (uint32_t) hd);
    b.kv_f32("gemma3.attention.layer_norm_rms_epsilon", 1e-6f);
    b.kv_u32("gemma3.attention.sliding_window", window);
    b.kv_f32("gemma3.rope.freq_base", 1e6f);
    b.kv_str("gemma3.rope.scaling.type", "linear");
    b.kv_f32("gemma3.rope.scaling.factor", 8.0f);
    b.kv_u32("tokenizer.ggml.bos_token_id", 2);
    uint64_t off = 0;
    std::vector<uint64_t> sizes;
    for (const auto & s : t) {
        uint64_t n = 1;
        for (uint64_t x : s.ne) n *= x;
        b.tensor(s.name, s.ne, 0, off);
        sizes.push_back(n);
        off += (n * 4 + 31) / 32 * 32;
    }
    b.pad();
    std::mt19937 rng(11);
    std::normal_distribution<float> nd(0.0f, 0.3f);
    for (size_t i = 0; i < t.size(); ++i) {
        const bool norm = t[i].ne.size() == 1;
        for (uint64_t k = 0; k < sizes[i]; ++k) b.f32(norm ? 1.0f + 0.1f * nd(rng) : nd(rng));
        b.pad();
    }
    return b.bytes;
}

struct loaded {
    file_set files;
    gguf_model gguf;
    model_desc desc;
    std::unique_ptr<weight_source> weights;
};

std::unique_ptr<loaded> load(std::vector<uint8_t> bytes) {
    auto m = std::make_unique<loaded>();
    m->files.push_back(byte_source_from_memory(std::move(bytes), "tiny-gemma3.gguf"));
    m->gguf = gguf_load(m->files);
    std::string err;
    EXPECT_TRUE(model_desc_from_gguf(m->gguf, m->desc, &err)) << err;
    m->weights = weight_source_gguf(m->gguf, m->files);
    return m;
}

double ppl_of(loaded & m) {
    std::vector<int32_t> tokens(3 * 16);
    for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = (int32_t) ((i * 7 + 3) % 64);
    ppl_options opt;
    opt.n_ctx = 16;
    ppl_result r;
    std::string err;
    ppl_model pm{ &m.desc, m.weights.get() };
    EXPECT_TRUE(ppl_evaluate(pm, nullptr, tokens, opt, r, &err)) << err;
    EXPECT_EQ(r.n_scored, 3 * 7);
    return r.ppl;
}

} // namespace

TEST(ppl_gemma3, recipe_from_metadata) {
    auto m = load(tiny_gemma3(4));
    const model_desc & d = m->desc;
    EXPECT_EQ(d.arch, "gemma3");
    EXPECT_FLOAT_EQ(d.embd_scale, std::sqrt(32.0f));
    EXPECT_EQ(d.final_softcap, 0.0f);
    EXPECT_EQ(d.output, "token_embd.weight");   // tied
    ASSERT_EQ(d.layers.size(), 7u);
    for (int il = 0; il < 7; ++il) {
        const layer_desc & L = d.layers[il];
        const bool swa = il != 5;
        EXPECT_EQ(L.sliding_window, swa ? 4 : 0) << il;
        EXPECT_EQ(L.rope.freq_base, swa ? 1e4f : 1e6f) << il;
        EXPECT_EQ(L.rope.freq_scale, swa ? 1.0f : 0.125f) << il;
        EXPECT_EQ(L.rope.kind, rope_kind::neox);
        EXPECT_FLOAT_EQ(L.attn_scale, 0.25f);   // 1/sqrt(head_dim 16)
        EXPECT_FALSE(L.v_norm);
        EXPECT_FALSE(L.v_from_k);
        EXPECT_TRUE(L.out_scale.empty());
        EXPECT_EQ(L.act, ffn_act::gelu_tanh);
    }
    std::string err;
    EXPECT_TRUE(forward_check_model(d, *m->weights, &err)) << err;
}

TEST(ppl_gemma3, no_window_means_all_global) {
    auto m = load(tiny_gemma3(0));
    for (const auto & L : m->desc.layers) {
        EXPECT_EQ(L.sliding_window, 0);
        EXPECT_EQ(L.rope.freq_base, 1e6f);
    }
}

TEST(ppl_gemma3, forward_runs_and_the_window_matters) {
    auto a = load(tiny_gemma3(4));
    auto b = load(tiny_gemma3(0));
    const double pa = ppl_of(*a), pb = ppl_of(*b);
    std::printf("tiny gemma3 ppl: window 4 -> %.4f, no window -> %.4f\n", pa, pb);
    EXPECT_TRUE(std::isfinite(pa) && pa > 1.0);
    EXPECT_TRUE(std::isfinite(pb) && pb > 1.0);
    EXPECT_GT(std::fabs(pa / pb - 1.0), 1e-6);
}
