// Architecture "llama" (Llama 1/2/3, Mistral-style GQA, TinyLlama,
// llama2.c's stories models), as llama.cpp stores it in GGUF.
//
// Keys (prefix "llama."): block_count, embedding_length, feed_forward_length,
// attention.head_count, attention.head_count_kv (default head_count),
// attention.key_length / value_length (default n_embd / n_head),
// attention.layer_norm_rms_epsilon, rope.dimension_count (default head_dim),
// rope.freq_base (default 10000), rope.scaling.type + rope.scaling.factor
// ("linear" only; older files: rope.scale_linear).
//
// Block: pre-norm attention and SiLU-gated FFN, no post norms, attention
// scale 1/sqrt(head_dim), RoPE "NORM" (adjacent pairs: llama.cpp's converter
// permutes Q/K rows so that adjacent pairs equal HF's rotate-half pairs),
// optional rope_freqs.weight frequency factors (Llama 3.1+), output.weight
// or a tied head.
#include <cmath>

#include "model/arch.h"

namespace gc {

bool arch_llama_from_gguf(const gguf_model & model, model_desc & desc, std::string * error) {
    auto need = [&](const char * suffix) { return hparam_required(model, suffix, error); };
    auto n_layer_v = need("block_count");
    auto n_embd_v = need("embedding_length");
    if (!n_layer_v || !n_embd_v) return false;
    if (!hparam_in_range("llama.block_count", *n_layer_v, 1, 4096, error)) return false;
    if (!hparam_in_range("llama.embedding_length", *n_embd_v, 1, 1 << 20, error)) return false;
    const int32_t n_layer = (int32_t) *n_layer_v;
    desc.n_embd = (int32_t) *n_embd_v;

    const double eps = model.arch_number("attention.layer_norm_rms_epsilon").value_or(1e-5);
    if (!hparam_in_range("llama.attention.layer_norm_rms_epsilon", eps, 0.0, 1.0, error)) return false;
    desc.norm_eps = (float) eps;
    desc.tok_embd = "token_embd.weight";
    desc.output_norm = "output_norm.weight";
    desc.output = "output.weight";

    float freq_scale = 1.0f;
    if (const gguf_kv * kv = model.find_kv("llama.rope.scaling.type")) {
        const std::string * type = kv->value.as_string();
        if (type && *type == "linear") {
            const double f = model.arch_number("rope.scaling.factor").value_or(1.0);
            if (!hparam_in_range("llama.rope.scaling.factor", f, 1e-6, 1e6, error)) return false;
            freq_scale = (float) (1.0 / f);
        } else if (type && *type != "none") {
            if (error) *error = "llama.rope.scaling.type '" + *type + "' is not supported by the forward pass yet";
            return false;
        }
    } else if (auto f = model.arch_number("rope.scale_linear")) {
        if (!hparam_in_range("llama.rope.scale_linear", *f, 1e-6, 1e6, error)) return false;
        freq_scale = (float) (1.0 / *f);
    }
    const double freq_base = model.arch_number("rope.freq_base").value_or(10000.0);
    if (!hparam_in_range("llama.rope.freq_base", freq_base, 1.0, 1e12, error)) return false;
    const bool has_rope_freqs = model.find_tensor("rope_freqs.weight") != nullptr;

    desc.layers.resize(n_layer);
    for (int32_t il = 0; il < n_layer; ++il) {
        layer_desc & L = desc.layers[il];
        auto n_head = hparam_layer(model, "attention.head_count", il, n_layer);
        auto n_ff = hparam_layer(model, "feed_forward_length", il, n_layer);
        if (!n_head || !n_ff) {
            if (error) *error = "llama.attention.head_count or llama.feed_forward_length is missing or malformed";
            return false;
        }
        if (!hparam_in_range("llama.attention.head_count", *n_head, 1, 4096, error)) return false;
        if (!hparam_in_range("llama.feed_forward_length", *n_ff, 1, 1 << 22, error)) return false;
        L.n_head = (int32_t) *n_head;
        const double n_head_kv = hparam_layer(model, "attention.head_count_kv", il, n_layer).value_or(L.n_head);
        if (!hparam_in_range("llama.attention.head_count_kv", n_head_kv, 1, L.n_head, error)) return false;
        L.n_head_kv = (int32_t) n_head_kv;
        if (L.n_head % L.n_head_kv != 0) {
            if (error) *error = "llama.attention.head_count is not a multiple of head_count_kv";
            return false;
        }
        L.n_ff = (int32_t) *n_ff;
        const double hd = model.arch_number("attention.key_length").value_or((double) (desc.n_embd / L.n_head));
        if (!hparam_in_range("llama.attention.key_length", hd, 1, 4096, error)) return false;
        L.head_dim = (int32_t) hd;
        const double hdv = model.arch_number("attention.value_length").value_or(hd);
        if (!hparam_in_range("llama.attention.value_length", hdv, 1, 4096, error)) return false;
        L.head_dim_v = (int32_t) hdv;

        L.attn_scale = 1.0f / std::sqrt((float) L.head_dim);
        L.act = ffn_act::silu;
        L.rope.kind = rope_kind::norm;
        const double n_rot = model.arch_number("rope.dimension_count").value_or(hd);
        if (!hparam_in_range("llama.rope.dimension_count", n_rot, 0, L.head_dim, error)) return false;
        L.rope.n_rot = (int32_t) n_rot & ~1;
        L.rope.freq_base = (float) freq_base;
        L.rope.freq_scale = freq_scale;
        if (has_rope_freqs) L.rope_freqs = "rope_freqs.weight";

        L.attn_norm = layer_tensor(il, "attn_norm");
        L.wq = layer_tensor(il, "attn_q");
        L.wk = layer_tensor(il, "attn_k");
        L.wv = layer_tensor(il, "attn_v");
        L.wo = layer_tensor(il, "attn_output");
        L.ffn_norm = layer_tensor(il, "ffn_norm");
        L.ffn_gate = layer_tensor(il, "ffn_gate");
        L.ffn_up = layer_tensor(il, "ffn_up");
        L.ffn_down = layer_tensor(il, "ffn_down");
    }
    return true;
}

} // namespace gc

namespace gc {

// config.json (LlamaConfig): num_key_value_heads, head_dim, rope_theta,
// rope_scaling {rope_type|type: "linear", factor}.
void arch_llama_sync_hf(hf_config_sync & c, model_desc & d) {
    if (d.layers.empty()) return;
    const layer_desc & L0 = d.layers[0];
    const double kv = c.sync("attention.head_count_kv", L0.n_head_kv, "num_key_value_heads", true);
    const double hd = c.sync("attention.key_length", L0.head_dim, "head_dim", true);
    const double base = c.sync("rope.freq_base", L0.rope.freq_base, "rope_theta", false);
    std::optional<double> factor;
    const nlohmann::json * rs = c.value("rope_scaling");
    if (rs && rs->is_object()) {
        const std::string type = rs->value("rope_type", rs->value("type", std::string()));
        if (type == "linear") factor = c.number("rope_scaling.factor");
    }
    const double scale = 1.0 / c.sync_value("rope.scaling.factor", 1.0 / L0.rope.freq_scale, factor.value_or(1.0),
                                            "rope_scaling.factor", false);
    for (layer_desc & L : d.layers) {
        L.n_head_kv = (int32_t) kv;
        if ((int32_t) hd != L.head_dim) L.head_dim = L.head_dim_v = (int32_t) hd;
        L.rope.freq_base = (float) base;
        L.rope.freq_scale = (float) scale;
    }
}

} // namespace gc
