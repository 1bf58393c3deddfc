// gemma3: the recipe read from a tiny generated GGUF (random weights): layer
// pattern, window, rope bases and scaling, attention scale; and the forward
// runs on it.
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "check/reference.h"

#include "forward/forward.h"
#include "forward/ppl.h"
#include "gguf-builder.h"
#include "model-util.h"
#include "model/model.h"

using namespace gc;

namespace {

// One tensor of the tiny model: GGUF name and ne, and its values as the
// Hugging Face checkpoint holds them (norms: w; the GGUF stores 1 + w, as
// llama.cpp's gemma3 converter writes them).
struct spec {
    std::string name;
    std::vector<uint64_t> ne;
    std::string hf;
    std::vector<float> hf_values;
    bool norm = false;
};

// n_layer layers, n_embd 32, 2 heads of 16, 1 KV head, n_ff 48, vocab 64,
// random weights (seed fixed).
std::vector<spec> tiny_gemma3_tensors(int n_layer) {
    const uint64_t d = 32, hd = 16, nh = 2, nkv = 1, ff = 48, nv = 64;
    std::vector<spec> t = { { "token_embd.weight", { d, nv }, "model.embed_tokens.weight", {}, false },
                            { "output_norm.weight", { d }, "model.norm.weight", {}, true } };
    struct layer_row { const char * gguf; const char * hf; std::vector<uint64_t> ne; };
    const layer_row rows[] = {
        { "attn_norm", "input_layernorm", { d } },
        { "attn_q", "self_attn.q_proj", { d, nh * hd } },
        { "attn_k", "self_attn.k_proj", { d, nkv * hd } },
        { "attn_v", "self_attn.v_proj", { d, nkv * hd } },
        { "attn_output", "self_attn.o_proj", { nh * hd, d } },
        { "attn_q_norm", "self_attn.q_norm", { hd } },
        { "attn_k_norm", "self_attn.k_norm", { hd } },
        { "post_attention_norm", "post_attention_layernorm", { d } },
        { "ffn_norm", "pre_feedforward_layernorm", { d } },
        { "ffn_gate", "mlp.gate_proj", { d, ff } },
        { "ffn_up", "mlp.up_proj", { d, ff } },
        { "ffn_down", "mlp.down_proj", { ff, d } },
        { "post_ffw_norm", "post_feedforward_layernorm", { d } },
    };
    for (int il = 0; il < n_layer; ++il) {
        for (const layer_row & r : rows) {
            const std::string n = std::string(r.gguf);
            t.push_back({ "blk." + std::to_string(il) + "." + n + ".weight", r.ne,
                          "model.layers." + std::to_string(il) + "." + r.hf + ".weight", {}, r.ne.size() == 1 });
        }
    }
    std::mt19937 rng(11);
    std::normal_distribution<float> nd(0.0f, 0.3f);
    for (spec & x : t) {
        uint64_t n = 1;
        for (uint64_t e : x.ne) n *= e;
        x.hf_values.resize(n);
        for (float & v : x.hf_values) v = x.norm ? 0.1f * nd(rng) : nd(rng);
    }
    return t;
}

std::vector<uint8_t> tiny_gemma3(uint32_t window, int n_layer = 7) {
    const std::vector<spec> t = tiny_gemma3_tensors(n_layer);
    gc_test::gguf_builder b;
    b.header(t.size(), 14);
    b.kv_str("general.architecture", "gemma3");
    b.kv_u32("gemma3.block_count", (uint32_t) n_layer);
    b.kv_u32("gemma3.embedding_length", 32);
    b.kv_u32("gemma3.feed_forward_length", 48);
    b.kv_u32("gemma3.attention.head_count", 2);
    b.kv_u32("gemma3.attention.head_count_kv", 1);
    b.kv_u32("gemma3.attention.key_length", 16);
    b.kv_u32("gemma3.attention.value_length", 16);
    b.kv_f32("gemma3.attention.layer_norm_rms_epsilon", 1e-6f);
    b.kv_u32("gemma3.attention.sliding_window", window);
    b.kv_f32("gemma3.rope.freq_base", 1e6f);
    b.kv_str("gemma3.rope.scaling.type", "linear");
    b.kv_f32("gemma3.rope.scaling.factor", 8.0f);
    b.kv_u32("tokenizer.ggml.bos_token_id", 2);
    uint64_t off = 0;
    for (const auto & s : t) {
        b.tensor(s.name, s.ne, 0, off);
        off += (s.hf_values.size() * 4 + 31) / 32 * 32;
    }
    b.pad();
    for (const auto & s : t) {
        for (float v : s.hf_values) b.f32(s.norm ? 1.0f + v : v);
        b.pad();
    }
    return b.bytes;
}

// The same model as a Hugging Face folder: config.json (gemma3_text) and one
// F32 model.safetensors (shapes in PyTorch order: ne reversed).
nlohmann::json tiny_gemma3_config(uint32_t window, int n_layer = 7) {
    return {
        { "model_type", "gemma3_text" }, { "architectures", { "Gemma3ForCausalLM" } },
        { "hidden_size", 32 }, { "num_hidden_layers", n_layer }, { "num_attention_heads", 2 },
        { "num_key_value_heads", 1 }, { "head_dim", 16 }, { "intermediate_size", 48 }, { "vocab_size", 64 },
        { "rms_norm_eps", 1e-6 }, { "sliding_window", window }, { "sliding_window_pattern", 6 },
        { "rope_theta", 1e6 }, { "rope_local_base_freq", 1e4 },
        { "rope_scaling", { { "rope_type", "linear" }, { "factor", 8.0 } } },
        { "query_pre_attn_scalar", 16 }, { "hidden_activation", "gelu_pytorch_tanh" },
    };
}

std::vector<uint8_t> tiny_gemma3_safetensors(int n_layer = 7) {
    const std::vector<spec> t = tiny_gemma3_tensors(n_layer);
    nlohmann::json h = nlohmann::json::object();
    uint64_t off = 0;
    for (const auto & s : t) {
        std::vector<uint64_t> shape(s.ne.rbegin(), s.ne.rend());
        const uint64_t n = s.hf_values.size() * 4;
        h[s.hf] = { { "dtype", "F32" }, { "shape", shape }, { "data_offsets", { off, off + n } } };
        off += n;
    }
    h["__metadata__"] = { { "format", "pt" } };
    std::string hs = h.dump();
    while (hs.size() % 8) hs += ' ';
    std::vector<uint8_t> out(8);
    const uint64_t hn = hs.size();
    std::memcpy(out.data(), &hn, 8);
    out.insert(out.end(), hs.begin(), hs.end());
    for (const auto & s : t) {
        const uint8_t * p = (const uint8_t *) s.hf_values.data();
        out.insert(out.end(), p, p + s.hf_values.size() * 4);
    }
    return out;
}

using loaded = gc_test::loaded_model;
std::unique_ptr<loaded> load(std::vector<uint8_t> bytes) { return gc_test::load_model(std::move(bytes), "tiny-gemma3.gguf"); }

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

// Layer pattern and RoPE against hand-computed values: 12 layers, layers 5
// and 11 global (llama.cpp's pattern 6: il % 6 == 5), the rest slide with
// window 512; angles theta(p, i) = p * freq_scale * base^(-2i / n_rot),
// n_rot 16:
//   sliding, base 1e4, scale 1:     theta(3, 1) = 3 * 10^-0.5          = 0.9486832981
//   global,  base 1e6, scale 1/8:   theta(3, 1) = 0.375 * 10^-0.75     = 0.0666854778
//   global:                         theta(5, 0) = 0.625
TEST(ppl_gemma3, pattern_and_rope_hand_computed) {
    auto m = load(tiny_gemma3(512, 12));
    ASSERT_EQ(m->desc.layers.size(), 12u);
    for (int il = 0; il < 12; ++il) {
        const bool global = il == 5 || il == 11;
        EXPECT_EQ(m->desc.layers[il].sliding_window, global ? 0 : 512) << il;
    }
    const rope_table s = rope_table_build(m->desc.layers[4].rope, 8);
    const rope_table g = rope_table_build(m->desc.layers[11].rope, 8);
    ASSERT_EQ(s.params.n_rot, 16);
    const int n_pairs = 8;
    auto at = [&](const rope_table & t, int p, int i, int k) { return t.cos_sin[((size_t) p * n_pairs + i) * 2 + k]; };
    EXPECT_NEAR(at(s, 3, 1, 0), std::cos(0.9486832981), 1e-6);
    EXPECT_NEAR(at(s, 3, 1, 1), std::sin(0.9486832981), 1e-6);
    EXPECT_NEAR(at(g, 3, 1, 0), std::cos(0.0666854778), 1e-6);
    EXPECT_NEAR(at(g, 3, 1, 1), std::sin(0.0666854778), 1e-6);
    EXPECT_NEAR(at(g, 5, 0, 1), std::sin(0.625), 1e-6);
    EXPECT_NEAR(at(s, 5, 0, 1), std::sin(5.0), 1e-6);
}

namespace {

struct hf_ref {
    file_set files;
    reference_model ref;
    model_desc desc;
};

std::unique_ptr<hf_ref> open_hf(const nlohmann::json & config, const model_desc & cand) {
    auto r = std::make_unique<hf_ref>();
    const std::string c = config.dump();
    r->files.push_back(byte_source_from_memory(std::vector<uint8_t>(c.begin(), c.end()), "config.json"));
    r->files.push_back(byte_source_from_memory(tiny_gemma3_safetensors(), "model.safetensors"));
    std::string err;
    EXPECT_TRUE(reference_open(r->files, "gemma3", r->ref, &err)) << err;
    model_desc_for_hf(cand, r->ref.hf, r->desc, r->ref.findings);
    return r;
}

std::vector<const finding *> mismatches(const hf_ref & r) {
    std::vector<const finding *> out;
    for (const auto & f : r.ref.findings) {
        if (f.code == "hparam_mismatch") out.push_back(&f);
    }
    return out;
}

bool run_against(loaded & m, hf_ref & r, ppl_result & res, std::string * err) {
    std::vector<int32_t> tokens(3 * 16);
    for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = (int32_t) ((i * 7 + 3) % 64);
    ppl_options opt;
    opt.n_ctx = 16;
    ppl_model pr{ &r.desc, r.ref.weights.get() };
    return ppl_evaluate({ &m.desc, m.weights.get() }, &pr, tokens, opt, res, err);
}

} // namespace

// The GGUF and the HF folder of the same random weights (norms 1 + w in the
// GGUF) run identically: KLD 0, every hidden cosine 1, no config finding.
TEST(ppl_gemma3_hf, gguf_and_hf_forms_agree) {
    auto m = load(tiny_gemma3(4));
    auto r = open_hf(tiny_gemma3_config(4), m->desc);
    EXPECT_EQ(r->ref.family.name, "gemma3");
    EXPECT_TRUE(mismatches(*r).empty());
    for (const auto & f : r->ref.findings) ADD_FAILURE() << f.code << ": " << f.message;
    ppl_result res;
    std::string err;
    ASSERT_TRUE(run_against(*m, *r, res, &err)) << err;
    std::printf("tiny gemma3 GGUF %.6f vs HF %.6f, KLD max %.3g\n", res.ppl, res.ref_ppl, res.kld.max);
    EXPECT_NEAR(res.ppl, res.ref_ppl, 1e-12 * res.ppl);
    EXPECT_LE(res.kld.max, 1e-12);
    EXPECT_EQ(res.kld.same_top_p, 100.0);
    ASSERT_EQ(res.hidden_cos.size(), 7u);
    for (const auto & c : res.hidden_cos) EXPECT_NEAR(c.min, 1.0, 1e-6);
}

// A GGUF whose metadata disagrees with the checkpoint: the reference runs
// with the config's values, the disagreement is a finding, and the hidden
// cosines localize it (only the global layer uses rope.freq_base).
TEST(ppl_gemma3_hf, config_mismatch_is_found_and_localized) {
    auto m = load(tiny_gemma3(4));
    nlohmann::json cfg = tiny_gemma3_config(4);
    cfg["rope_theta"] = 1e5;
    auto r = open_hf(cfg, m->desc);
    auto mm = mismatches(*r);
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_NE(mm[0]->message.find("gemma3.rope.freq_base"), std::string::npos) << mm[0]->message;
    EXPECT_NE(mm[0]->message.find("rope_theta"), std::string::npos);
    EXPECT_EQ(mm[0]->level, severity::warning);
    EXPECT_EQ(r->desc.layers[5].rope.freq_base, 1e5f);
    EXPECT_EQ(r->desc.layers[4].rope.freq_base, 1e4f);
    ppl_result res;
    std::string err;
    ASSERT_TRUE(run_against(*m, *r, res, &err)) << err;
    for (int il = 0; il < 5; ++il) EXPECT_NEAR(res.hidden_cos[il].min, 1.0, 1e-6) << il;
    EXPECT_LT(res.hidden_cos[5].min, 1.0 - 1e-5);
    EXPECT_GT(res.kld.mean, 0.0);
    std::printf("rope_theta mismatch: cos layer 5 min %.6f, KLD mean %.3g\n", res.hidden_cos[5].min, res.kld.mean);

    // Scalars the GGUF does not store or stores differently.
    cfg = tiny_gemma3_config(4);
    cfg["query_pre_attn_scalar"] = 32;
    cfg["rms_norm_eps"] = 1e-5;
    cfg["rope_local_base_freq"] = 5e4;
    cfg["sliding_window"] = 8;
    r = open_hf(cfg, m->desc);
    EXPECT_EQ(mismatches(*r).size(), 4u);
    EXPECT_FLOAT_EQ(r->desc.layers[0].attn_scale, 1.0f / std::sqrt(32.0f));
    EXPECT_FLOAT_EQ(r->desc.norm_eps, 1e-5f);
    EXPECT_EQ(r->desc.layers[0].rope.freq_base, 5e4f);
    EXPECT_EQ(r->desc.layers[0].sliding_window, 8);
    EXPECT_EQ(r->desc.layers[5].sliding_window, 0);

    // A different layer pattern (layer_types) moves the window.
    cfg = tiny_gemma3_config(4);
    cfg["layer_types"] = nlohmann::json::array();
    for (int il = 0; il < 7; ++il) cfg["layer_types"].push_back(il == 3 ? "full_attention" : "sliding_attention");
    r = open_hf(cfg, m->desc);
    EXPECT_EQ(mismatches(*r).size(), 2u);   // layers 3 and 5
    EXPECT_EQ(r->desc.layers[3].sliding_window, 0);
    EXPECT_EQ(r->desc.layers[5].sliding_window, 4);
    EXPECT_EQ(r->desc.layers[5].rope.freq_base, 1e4f);

    // Structural: the config's head count does not fit the tensors: an error
    // finding, and the pair is refused by the shape check.
    cfg = tiny_gemma3_config(4);
    cfg["num_attention_heads"] = 4;
    r = open_hf(cfg, m->desc);
    mm = mismatches(*r);
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_EQ(mm[0]->level, severity::error);
    EXPECT_FALSE(run_against(*m, *r, res, &err));
    EXPECT_NE(err.find("reference"), std::string::npos) << err;
}
