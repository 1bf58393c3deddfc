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
    auto need = [&](const char * suffix) -> std::optional<double> {
        auto v = model.arch_number(suffix);
        if (!v && error) *error = "required key gemma3." + std::string(suffix) + " is missing";
        return v;
    };
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
        L.wo = layer_tensor(il, "attn_output");
        L.q_norm = layer_tensor(il, "attn_q_norm");
        L.k_norm = layer_tensor(il, "attn_k_norm");
        L.post_attn_norm = layer_tensor(il, "post_attention_norm");
        L.ffn_norm = layer_tensor(il, "ffn_norm");
        L.ffn_gate = layer_tensor(il, "ffn_gate");
        L.ffn_up = layer_tensor(il, "ffn_up");
        L.ffn_down = layer_tensor(il, "ffn_down");
        L.post_ffn_norm = layer_tensor(il, "post_ffw_norm");
    }
    return true;
}

} // namespace gc
