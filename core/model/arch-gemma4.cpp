// Architecture "gemma4" (Gemma-4 text tower, dense, without per-layer
// embeddings), per ../shared/docs/gemma4.md and llama.cpp's
// llm_build_gemma4_iswa.
//
// Keys (prefix "gemma4."): block_count, embedding_length,
// feed_forward_length (scalar or per layer), attention.head_count,
// attention.head_count_kv (per-layer array: 8 sliding / 1 global on the 12B),
// attention.key_length / value_length (global layers),
// attention.key_length_swa / value_length_swa (sliding layers),
// rope.freq_base / rope.freq_base_swa, rope.dimension_count(_swa),
// attention.sliding_window, attention.sliding_window_pattern (bool per
// layer, true = sliding), attention.layer_norm_rms_epsilon,
// final_logit_softcapping. Per-layer embeddings (embedding_length_per_layer_input
// > 0), shared KV layers and MoE are refused as "not supported yet".
//
// Block (differences from llama):
//  - RMSNorm with the plain weight (no 1+w); sandwich norms: post_attention_norm
//    after attention, post_ffw_norm after the FFN;
//  - q_norm / k_norm over head_dim, weightless RMSNorm on V, V never roped;
//  - global layers without attn_v: V is the raw K projection (before k_norm);
//  - attention scale 1, no attention softcap;
//  - RoPE NEOX; global layers use rope_freqs.weight as frequency factors
//    (1e30 = pair not rotated: "proportional" partial rotation);
//  - sliding layers see keys with 0 <= q - k < sliding_window;
//  - GELU (tanh) gate; the whole residual is multiplied by
//    layer_output_scale after both adds;
//  - embeddings * sqrt(n_embd) in f32; tied head; final logit softcap.
#include <cmath>

#include "model/arch.h"

namespace gc {

bool arch_gemma4_from_gguf(const gguf_model & model, model_desc & desc, std::string * error) {
    auto need = [&](const char * suffix) { return hparam_required(model, suffix, error); };
    auto n_layer_v = need("block_count");
    auto n_embd_v = need("embedding_length");
    if (!n_layer_v || !n_embd_v) return false;
    if (!hparam_in_range("gemma4.block_count", *n_layer_v, 1, 4096, error)) return false;
    if (!hparam_in_range("gemma4.embedding_length", *n_embd_v, 1, 1 << 20, error)) return false;
    const int32_t n_layer = (int32_t) *n_layer_v;
    desc.n_embd = (int32_t) *n_embd_v;

    if (model.arch_number("embedding_length_per_layer_input").value_or(0) > 0) {
        if (error) *error = "gemma4 with per-layer embeddings (E2B/E4B) is not supported by the forward pass yet";
        return false;
    }
    if (model.arch_number("attention.shared_kv_layers").value_or(0) > 0) {
        if (error) *error = "gemma4 with shared KV layers is not supported by the forward pass yet";
        return false;
    }
    if (model.arch_number("expert_count").value_or(0) > 0) {
        if (error) *error = "gemma4 mixture-of-experts is not supported by the forward pass yet";
        return false;
    }

    const double eps = model.arch_number("attention.layer_norm_rms_epsilon").value_or(1e-6);
    if (!hparam_in_range("gemma4.attention.layer_norm_rms_epsilon", eps, 0.0, 1.0, error)) return false;
    desc.norm_eps = (float) eps;
    desc.embd_scale = std::sqrt((float) desc.n_embd);
    const double softcap = model.arch_number("final_logit_softcapping").value_or(0.0);
    if (!hparam_in_range("gemma4.final_logit_softcapping", softcap, 0.0, 1e6, error)) return false;
    desc.final_softcap = (float) softcap;
    desc.tok_embd = "token_embd.weight";
    desc.output_norm = "output_norm.weight";
    desc.output = "output.weight";   // absent in practice: tied

    const double window = model.arch_number("attention.sliding_window").value_or(0);
    if (!hparam_in_range("gemma4.attention.sliding_window", window, 0, 1 << 30, error)) return false;
    const gguf_kv * pattern = model.find_kv("gemma4.attention.sliding_window_pattern");
    if (!pattern || !pattern->value.is_array() || pattern->value.count != (uint64_t) n_layer ||
        pattern->value.elem_type == gguf_type::STRING || pattern->value.elem_type == gguf_type::ARRAY) {
        if (error) *error = "gemma4.attention.sliding_window_pattern is missing or does not have one entry per layer";
        return false;
    }
    const double base = model.arch_number("rope.freq_base").value_or(1e6);
    const double base_swa = model.arch_number("rope.freq_base_swa").value_or(1e4);
    if (!hparam_in_range("gemma4.rope.freq_base", base, 1.0, 1e12, error)) return false;
    if (!hparam_in_range("gemma4.rope.freq_base_swa", base_swa, 1.0, 1e12, error)) return false;
    const bool has_rope_freqs = model.find_tensor("rope_freqs.weight") != nullptr;

    desc.layers.resize(n_layer);
    for (int32_t il = 0; il < n_layer; ++il) {
        layer_desc & L = desc.layers[il];
        const bool swa = pattern->value.array_int((uint64_t) il) != 0;
        auto n_head = hparam_layer(model, "attention.head_count", il, n_layer);
        auto n_head_kv = hparam_layer(model, "attention.head_count_kv", il, n_layer);
        auto n_ff = hparam_layer(model, "feed_forward_length", il, n_layer);
        if (!n_head || !n_head_kv || !n_ff) {
            if (error) *error = "gemma4.attention.head_count, head_count_kv or feed_forward_length is missing or malformed";
            return false;
        }
        if (!hparam_in_range("gemma4.attention.head_count", *n_head, 1, 4096, error)) return false;
        if (!hparam_in_range("gemma4.attention.head_count_kv", *n_head_kv, 1, *n_head, error)) return false;
        if (!hparam_in_range("gemma4.feed_forward_length", *n_ff, 1, 1 << 22, error)) return false;
        L.n_head = (int32_t) *n_head;
        L.n_head_kv = (int32_t) *n_head_kv;
        L.n_ff = (int32_t) *n_ff;
        if (L.n_head % L.n_head_kv != 0) {
            if (error) *error = "gemma4.attention.head_count is not a multiple of head_count_kv in layer " + std::to_string(il);
            return false;
        }
        const char * kl = swa ? "attention.key_length_swa" : "attention.key_length";
        const char * vl = swa ? "attention.value_length_swa" : "attention.value_length";
        const char * rd = swa ? "rope.dimension_count_swa" : "rope.dimension_count";
        auto hd = model.arch_number(kl);
        if (!hd) {
            if (error) *error = "required key gemma4." + std::string(kl) + " is missing";
            return false;
        }
        if (!hparam_in_range(kl, *hd, 1, 8192, error)) return false;
        const double hdv = model.arch_number(vl).value_or(*hd);
        if (!hparam_in_range(vl, hdv, 1, 8192, error)) return false;
        L.head_dim = (int32_t) *hd;
        L.head_dim_v = (int32_t) hdv;
        const double n_rot = model.arch_number(rd).value_or(*hd);
        if (!hparam_in_range(rd, n_rot, 0, L.head_dim, error)) return false;

        L.sliding_window = swa ? (int32_t) window : 0;
        L.attn_scale = 1.0f;
        L.act = ffn_act::gelu_tanh;
        L.v_norm = true;
        L.rope.kind = rope_kind::neox;
        L.rope.n_rot = (int32_t) n_rot & ~1;
        L.rope.freq_base = (float) (swa ? base_swa : base);
        if (!swa && has_rope_freqs) L.rope_freqs = "rope_freqs.weight";

        L.attn_norm = layer_tensor(il, "attn_norm");
        L.wq = layer_tensor(il, "attn_q");
        L.wk = layer_tensor(il, "attn_k");
        L.wv = layer_tensor(il, "attn_v");
        if (!model.find_tensor(L.wv)) {
            L.wv.clear();
            L.v_from_k = true;
            if (L.head_dim_v != L.head_dim) {
                if (error) *error = "gemma4 layer " + std::to_string(il) + " has no attn_v but value_length != key_length";
                return false;
            }
        }
        layer_names_gemma_sandwich(il, L);
        if (model.find_tensor(layer_tensor(il, "layer_output_scale"))) L.out_scale = layer_tensor(il, "layer_output_scale");
    }
    return true;
}

} // namespace gc

namespace gc {

// config.json (Gemma4TextConfig): layer_types (sliding/full per layer),
// num_key_value_heads / head_dim (sliding layers), num_global_key_value_heads
// / global_head_dim (full layers), sliding_window,
// rope_parameters.{sliding_attention,full_attention}.rope_theta,
// final_logit_softcapping. A different layer pattern changes the tensors a
// layer has (K=V, head sizes): it is reported, not applied.
void arch_gemma4_sync_hf(hf_config_sync & c, model_desc & d) {
    const int32_t n_layer = (int32_t) d.layers.size();
    const nlohmann::json * lt = c.value("layer_types");
    int32_t s = -1, g = -1;
    for (int32_t il = 0; il < n_layer; ++il) {
        const bool swa = d.layers[il].sliding_window > 0;
        if (swa && s < 0) s = il;
        if (!swa && g < 0) g = il;
        if (lt && lt->is_array() && (int32_t) lt->size() == n_layer && (*lt)[il].is_string()) {
            const bool cfg_swa = (*lt)[il].get<std::string>() == "sliding_attention";
            if (cfg_swa != swa) {
                c.findings.push_back({ severity::error, "hparam_mismatch", "layer " + std::to_string(il) + " is " +
                    (swa ? "sliding" : "full") + " per the candidate's gemma4.attention.sliding_window_pattern but " +
                    (cfg_swa ? "sliding" : "full") + " in the reference's config.json layer_types.", "", "", {} });
            }
        }
    }
    d.final_softcap = (float) c.sync("final_logit_softcapping", d.final_softcap, "final_logit_softcapping", false);
    double kv_s = 0, hd_s = 0, win = 0, base_s = 0, kv_g = 0, hd_g = 0, base_g = 0;
    if (s >= 0) {
        const layer_desc & L = d.layers[s];
        kv_s = c.sync("attention.head_count_kv", L.n_head_kv, "num_key_value_heads", true, "sliding layers");
        hd_s = c.sync("attention.key_length_swa", L.head_dim, "head_dim", true);
        win = c.sync("attention.sliding_window", L.sliding_window, "sliding_window", false);
        base_s = c.sync("rope.freq_base_swa", L.rope.freq_base, "rope_parameters.sliding_attention.rope_theta", false);
    }
    if (g >= 0) {
        const layer_desc & L = d.layers[g];
        kv_g = c.sync("attention.head_count_kv", L.n_head_kv, "num_global_key_value_heads", true, "full layers");
        hd_g = c.sync("attention.key_length", L.head_dim, "global_head_dim", true);
        base_g = c.sync("rope.freq_base", L.rope.freq_base, "rope_parameters.full_attention.rope_theta", false);
    }
    for (layer_desc & L : d.layers) {
        const bool swa = L.sliding_window > 0;
        L.n_head_kv = (int32_t) (swa ? kv_s : kv_g);
        const int32_t hd = (int32_t) (swa ? hd_s : hd_g);
        if (hd != L.head_dim) L.head_dim = L.head_dim_v = hd;
        if (swa) L.sliding_window = (int32_t) win;
        L.rope.freq_base = (float) (swa ? base_s : base_g);
    }
}

} // namespace gc
