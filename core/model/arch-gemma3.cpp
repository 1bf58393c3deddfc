// Architecture "gemma3" (Gemma-3 text tower), as llama.cpp reads it
// (llama-model.cpp LLM_ARCH_GEMMA3, graph llm_build_gemma3_iswa).
//
// Keys (prefix "gemma3."): block_count, embedding_length, feed_forward_length,
// attention.head_count, attention.head_count_kv, attention.key_length /
// value_length, attention.layer_norm_rms_epsilon, attention.sliding_window,
// rope.freq_base (global layers), rope.scaling.type/factor (linear, global
// layers only), rope.dimension_count.
//
// Layer pattern: when sliding_window > 0, every 6th layer is global and the
// others slide: layer il slides iff il % 6 < 5 (llama.cpp set_swa_pattern(6);
// the pattern is not stored in the GGUF). Sliding layers use RoPE base 10000
// and no scaling; global layers use rope.freq_base and rope.scaling.
//
// Block: like gemma4 without the weightless V norm, K=V and layer scale:
// sandwich norms (post_attention_norm, post_ffw_norm), q_norm/k_norm, RoPE
// NEOX, GELU-tanh gate, embeddings * sqrt(n_embd), no final softcap. Norm
// weights are used as stored: the converter already wrote 1 + w.
// Attention scale: query_pre_attn_scalar^-1/2, which llama.cpp derives as
// 1/sqrt(n_embd / n_head) for the 62-layer 27B and 1/sqrt(head_dim) for the
// others (the scalar itself is not in the GGUF).
#include <cmath>

#include "model/arch.h"

namespace gc {

bool arch_gemma3_from_gguf(const gguf_model & model, model_desc & desc, std::string * error) {
    auto need = [&](const char * suffix) { return hparam_required(model, suffix, error); };
    auto n_layer_v = need("block_count");
    auto n_embd_v = need("embedding_length");
    auto n_head_v = need("attention.head_count");
    auto n_ff_v = need("feed_forward_length");
    if (!n_layer_v || !n_embd_v || !n_head_v || !n_ff_v) return false;
    if (!hparam_in_range("gemma3.block_count", *n_layer_v, 1, 4096, error)) return false;
    if (!hparam_in_range("gemma3.embedding_length", *n_embd_v, 1, 1 << 20, error)) return false;
    if (!hparam_in_range("gemma3.attention.head_count", *n_head_v, 1, 4096, error)) return false;
    if (!hparam_in_range("gemma3.feed_forward_length", *n_ff_v, 1, 1 << 22, error)) return false;
    const int32_t n_layer = (int32_t) *n_layer_v;
    const int32_t n_head = (int32_t) *n_head_v;
    desc.n_embd = (int32_t) *n_embd_v;

    const double n_head_kv = model.arch_number("attention.head_count_kv").value_or(n_head);
    if (!hparam_in_range("gemma3.attention.head_count_kv", n_head_kv, 1, n_head, error)) return false;
    if (n_head % (int32_t) n_head_kv != 0) {
        if (error) *error = "gemma3.attention.head_count is not a multiple of head_count_kv";
        return false;
    }
    const double hd = model.arch_number("attention.key_length").value_or((double) (desc.n_embd / n_head));
    if (!hparam_in_range("gemma3.attention.key_length", hd, 1, 8192, error)) return false;
    const double hdv = model.arch_number("attention.value_length").value_or(hd);
    if (!hparam_in_range("gemma3.attention.value_length", hdv, 1, 8192, error)) return false;
    const double n_rot = model.arch_number("rope.dimension_count").value_or(hd);
    if (!hparam_in_range("gemma3.rope.dimension_count", n_rot, 0, hd, error)) return false;

    const double eps = model.arch_number("attention.layer_norm_rms_epsilon").value_or(1e-6);
    if (!hparam_in_range("gemma3.attention.layer_norm_rms_epsilon", eps, 0.0, 1.0, error)) return false;
    desc.norm_eps = (float) eps;
    desc.embd_scale = std::sqrt((float) desc.n_embd);
    desc.tok_embd = "token_embd.weight";
    desc.output_norm = "output_norm.weight";
    desc.output = "output.weight";

    const double window = model.arch_number("attention.sliding_window").value_or(0);
    if (!hparam_in_range("gemma3.attention.sliding_window", window, 0, 1 << 30, error)) return false;
    const double base = model.arch_number("rope.freq_base").value_or(1e6);
    if (!hparam_in_range("gemma3.rope.freq_base", base, 1.0, 1e12, error)) return false;
    float freq_scale = 1.0f;
    if (const gguf_kv * kv = model.find_kv("gemma3.rope.scaling.type")) {
        const std::string * type = kv->value.as_string();
        if (type && *type == "linear") {
            const double f = model.arch_number("rope.scaling.factor").value_or(1.0);
            if (!hparam_in_range("gemma3.rope.scaling.factor", f, 1e-6, 1e6, error)) return false;
            freq_scale = (float) (1.0 / f);
        } else if (type && *type != "none") {
            if (error) *error = "gemma3.rope.scaling.type '" + *type + "' is not supported by the forward pass yet";
            return false;
        }
    }
    const float attn_scale = n_layer == 62 ? 1.0f / std::sqrt((float) (desc.n_embd / n_head))
                                           : 1.0f / std::sqrt((float) hd);

    desc.layers.resize(n_layer);
    for (int32_t il = 0; il < n_layer; ++il) {
        layer_desc & L = desc.layers[il];
        const bool swa = window > 0 && il % 6 < 5;
        L.n_head = n_head;
        L.n_head_kv = (int32_t) n_head_kv;
        L.head_dim = (int32_t) hd;
        L.head_dim_v = (int32_t) hdv;
        L.n_ff = (int32_t) *n_ff_v;
        L.attn_scale = attn_scale;
        L.sliding_window = swa ? (int32_t) window : 0;
        L.act = ffn_act::gelu_tanh;
        L.rope.kind = rope_kind::neox;
        L.rope.n_rot = (int32_t) n_rot & ~1;
        L.rope.freq_base = swa ? 10000.0f : (float) base;
        L.rope.freq_scale = swa ? 1.0f : freq_scale;

        L.attn_norm = layer_tensor(il, "attn_norm");
        L.wq = layer_tensor(il, "attn_q");
        L.wk = layer_tensor(il, "attn_k");
        L.wv = layer_tensor(il, "attn_v");
        layer_names_gemma_sandwich(il, L);
    }
    return true;
}

} // namespace gc

namespace gc {

// config.json (Gemma3TextConfig): num_key_value_heads, head_dim,
// query_pre_attn_scalar (the attention scale the GGUF does not store),
// sliding_window, rope_theta (global layers), rope_local_base_freq (sliding
// layers, class default 10000), rope_scaling {rope_type: linear, factor}
// (global layers), layer_types (else sliding_window_pattern, default 6).
void arch_gemma3_sync_hf(hf_config_sync & c, model_desc & d) {
    if (d.layers.empty()) return;
    const int32_t n_layer = (int32_t) d.layers.size();
    // Which layers slide, per the config.
    std::vector<int> slides(n_layer, -1);
    const nlohmann::json * lt = c.value("layer_types");
    if (lt && lt->is_array() && (int32_t) lt->size() == n_layer) {
        for (int32_t il = 0; il < n_layer; ++il) {
            if ((*lt)[il].is_string()) slides[il] = (*lt)[il].get<std::string>() == "sliding_attention";
        }
    } else if (auto p = c.number("sliding_window_pattern"); p && *p >= 1 && *p <= 4096) {
        for (int32_t il = 0; il < n_layer; ++il) slides[il] = (il + 1) % (int32_t) *p != 0;
    }
    int32_t window = 0, g = -1, s = -1;
    for (int32_t il = 0; il < n_layer; ++il) {
        if (d.layers[il].sliding_window > 0) window = d.layers[il].sliding_window, s = il;
        else g = g < 0 ? il : g;
    }
    const double cfg_window = c.sync("attention.sliding_window", window, "sliding_window", false);
    const layer_desc & L0 = d.layers[0];
    const double kv = c.sync("attention.head_count_kv", L0.n_head_kv, "num_key_value_heads", true);
    const double hd = c.sync("attention.key_length", L0.head_dim, "head_dim", true);
    float scale = L0.attn_scale;
    if (auto q = c.number("query_pre_attn_scalar"); q && *q > 0) {
        scale = (float) (1.0 / std::sqrt(c.sync_value("query_pre_attn_scalar (derived: 1/attn_scale^2)",
                                                      1.0 / ((double) L0.attn_scale * L0.attn_scale), q,
                                                      "query_pre_attn_scalar", false)));
    }
    const double base_g = g >= 0 ? c.sync("rope.freq_base", d.layers[g].rope.freq_base, "rope_theta", false)
                                 : c.number("rope_theta").value_or(1e6);
    const double base_s = s >= 0 ? c.sync("rope.freq_base (sliding layers, fixed 10000 in llama.cpp)", d.layers[s].rope.freq_base,
                                          "rope_local_base_freq", false)
                                 : c.number("rope_local_base_freq").value_or(1e4);
    std::optional<double> factor;
    const nlohmann::json * rs = c.value("rope_scaling");
    if (rs && rs->is_object() && rs->value("rope_type", rs->value("type", std::string())) == "linear") {
        factor = c.number("rope_scaling.factor");
    }
    const double scale_g = g >= 0 ? 1.0 / c.sync_value("rope.scaling.factor", 1.0 / d.layers[g].rope.freq_scale,
                                                       factor.value_or(1.0), "rope_scaling.factor", false)
                                  : 1.0 / factor.value_or(1.0);
    for (int32_t il = 0; il < n_layer; ++il) {
        layer_desc & L = d.layers[il];
        const bool was = L.sliding_window > 0;
        const bool swa = slides[il] < 0 ? was : slides[il] == 1;
        if (swa != was) {
            c.findings.push_back({ severity::warning, "hparam_mismatch", "layer " + std::to_string(il) + " is " +
                (was ? "sliding" : "global") + " in the candidate (llama.cpp's gemma3 pattern: every 6th layer global) but " +
                (swa ? "sliding" : "global") + " in the reference's config.json; the reference runs with the config's pattern.",
                "", "", {} });
        }
        L.n_head_kv = (int32_t) kv;
        if ((int32_t) hd != L.head_dim) L.head_dim = L.head_dim_v = (int32_t) hd;
        L.attn_scale = scale;
        L.sliding_window = swa ? (int32_t) cfg_window : 0;
        L.rope.freq_base = (float) (swa ? base_s : base_g);
        L.rope.freq_scale = swa ? 1.0f : (float) scale_g;
    }
}

} // namespace gc
