// GGUF <-> HF names and converter transforms (see hf-map.h). Names follow
// llama.cpp's gguf-py/gguf/tensor_mapping.py and convert_hf_to_gguf.py.
#include "model/hf-map.h"

#include <cmath>
#include <cstring>

namespace gc {

namespace {

bool starts_with(const std::string & s, const char * p) { return s.compare(0, std::strlen(p), p) == 0; }

bool ends_with(const std::string & s, const std::string & suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int config_int(const hf_model & ref, const char * key, int fallback) {
    const nlohmann::json * v = ref.config_value(key);
    return v && v->is_number_integer() ? v->get<int>() : fallback;
}

// Families by config model_type / GGUF architecture.
std::string family_of(const std::string & t) {
    if (t == "llama" || t == "mistral") return "llama";
    if (t == "gemma") return "gemma";
    if (t == "gemma2") return "gemma2";
    if (t == "gemma3" || t == "gemma3_text") return "gemma3";
    if (t == "gemma4" || t == "gemma4_text") return "gemma4";
    if (t == "qwen2") return "qwen2";
    if (t == "qwen3") return "qwen3";
    return "";
}

bool is_gemma(const std::string & f) { return f == "gemma" || f == "gemma2" || f == "gemma3" || f == "gemma4"; }

// HF module path (after the prefix and "layers.N.") of a per-layer GGUF class.
const char * layer_module(const std::string & family, const std::string & cls) {
    struct row { const char * cls; const char * module; };
    static const row common[] = {
        { "attn_norm", "input_layernorm" },
        { "attn_q", "self_attn.q_proj" },
        { "attn_k", "self_attn.k_proj" },
        { "attn_v", "self_attn.v_proj" },
        { "attn_output", "self_attn.o_proj" },
        { "attn_q_norm", "self_attn.q_norm" },
        { "attn_k_norm", "self_attn.k_norm" },
        { "ffn_gate", "mlp.gate_proj" },
        { "ffn_up", "mlp.up_proj" },
        { "ffn_down", "mlp.down_proj" },
    };
    // Gemma 2/3/4 have sandwich norms: ffn_norm is the pre-FFN norm.
    static const row gemma[] = {
        { "post_attention_norm", "post_attention_layernorm" },
        { "ffn_norm", "pre_feedforward_layernorm" },
        { "post_ffw_norm", "post_feedforward_layernorm" },
    };
    static const row plain[] = {
        { "ffn_norm", "post_attention_layernorm" },
    };
    for (const auto & r : common) {
        if (cls == r.cls) return r.module;
    }
    if (is_gemma(family) && family != "gemma") {
        for (const auto & r : gemma) {
            if (cls == r.cls) return r.module;
        }
        return nullptr;
    }
    for (const auto & r : plain) {
        if (cls == r.cls) return r.module;
    }
    return nullptr;
}

} // namespace

int32_t tensor_layer(const std::string & name) {
    if (!starts_with(name, "blk.")) return -1;
    int64_t n = 0;
    size_t i = 4;
    if (i >= name.size() || !std::isdigit((unsigned char) name[i])) return -1;
    for (; i < name.size() && std::isdigit((unsigned char) name[i]); ++i) {
        n = n * 10 + (name[i] - '0');
        if (n > 1'000'000) return -1;
    }
    return (i < name.size() && name[i] == '.') ? (int32_t) n : -1;
}

std::string tensor_class(const std::string & name) {
    std::string rest = name;
    if (tensor_layer(name) >= 0) rest = name.substr(name.find('.', 4) + 1);
    for (const char * suffix : { ".weight", ".bias" }) {
        if (ends_with(rest, suffix)) {
            const std::string base = rest.substr(0, rest.size() - std::strlen(suffix));
            return std::strcmp(suffix, ".bias") == 0 ? base + ".bias" : base;
        }
    }
    return rest;
}

hf_family hf_family_detect(const hf_model & ref, const std::string & gguf_arch) {
    hf_family f;
    f.name = family_of(ref.model_type());
    if (f.name.empty()) f.name = family_of(gguf_arch);
    f.known = !f.name.empty();
    if (!f.known) f.name = "unknown";
    for (const auto & t : ref.tensors) {
        if (ends_with(t.name, "embed_tokens.weight")) {
            f.prefix = t.name.substr(0, t.name.size() - std::strlen("embed_tokens.weight"));
            break;
        }
    }
    if (f.prefix.empty()) f.prefix = "model.";
    f.n_head = config_int(ref, "num_attention_heads", 0);
    f.n_head_kv = config_int(ref, "num_key_value_heads", f.n_head);
    f.tied = ref.find_tensor("lm_head.weight") == nullptr;
    return f;
}

std::optional<hf_tensor_ref> hf_map_name(const hf_family & family, const hf_model & ref, const std::string & gguf_name) {
    (void) ref;
    hf_tensor_ref out;
    const std::string & fam = family.name;
    const bool is_bias = ends_with(gguf_name, ".bias");
    const std::string suffix = is_bias ? ".bias" : ".weight";
    const int32_t layer = tensor_layer(gguf_name);
    const std::string cls = tensor_class(gguf_name);
    const std::string base_cls = is_bias ? cls.substr(0, cls.size() - 5) : cls;

    if (layer < 0) {
        if (gguf_name == "token_embd.weight") out.hf_name = family.prefix + "embed_tokens.weight";
        else if (gguf_name == "output_norm.weight") out.hf_name = family.prefix + "norm.weight";
        else if (gguf_name == "output.weight") out.hf_name = family.tied ? family.prefix + "embed_tokens.weight" : "lm_head.weight";
        else if (gguf_name == "rope_freqs.weight" && fam == "gemma4") out.generated = true;
        else return std::nullopt;
    } else {
        const std::string layer_prefix = family.prefix + "layers." + std::to_string(layer) + ".";
        if (fam == "gemma4" && base_cls == "layer_output_scale" && !is_bias) {
            out.hf_name = layer_prefix + "layer_scalar";   // no ".weight" in HF
        } else if (const char * module = layer_module(fam, base_cls)) {
            out.hf_name = layer_prefix + module + suffix;
        } else {
            return std::nullopt;
        }
    }
    // Converter transforms.
    if (fam == "llama" && !is_bias && (base_cls == "attn_q" || base_cls == "attn_k")) {
        out.transform = hf_transform::rope_permute;
        out.permute_heads = base_cls == "attn_q" ? family.n_head : family.n_head_kv;
    }
    if (is_gemma(fam) && fam != "gemma4" && ends_with(gguf_name, "norm.weight")) {
        out.transform = hf_transform::plus_one;
    }
    return out;
}

bool hf_generated_values(const hf_family & family, const hf_model & ref, const std::string & gguf_name,
                         std::vector<float> & values) {
    if (family.name != "gemma4" || gguf_name != "rope_freqs.weight") return false;
    // Proportional RoPE of the full-attention layers: of the n_rot/2
    // frequency pairs only the first partial_rotary_factor share rotate;
    // the converter writes 1.0 for those and 1e30 (no rotation) for the rest.
    const int head_dim = config_int(ref, "global_head_dim", config_int(ref, "head_dim", 0));
    const nlohmann::json * rp = ref.config_value("rope_parameters");
    double partial = 1.0;
    if (rp && rp->is_object() && rp->contains("full_attention")) {
        const auto & fa = (*rp)["full_attention"];
        if (fa.is_object() && fa.contains("partial_rotary_factor") && fa["partial_rotary_factor"].is_number()) {
            partial = fa["partial_rotary_factor"].get<double>();
        }
    }
    if (head_dim <= 0 || head_dim > 1 << 16 || partial <= 0 || partial > 1) return false;
    const int n = head_dim / 2;
    const int rotating = (int) std::lround(partial * n);
    values.assign((size_t) n, 1e30f);
    for (int i = 0; i < rotating; ++i) values[(size_t) i] = 1.0f;
    return true;
}

int64_t hf_permuted_row(int64_t r, int64_t rows_per_head) {
    // GGUF row within a head: i * 2 + half  <-  HF row: half * (rows/2) + i
    const int64_t head = r / rows_per_head, within = r % rows_per_head;
    const int64_t half_rows = rows_per_head / 2;
    const int64_t i = within / 2, half = within % 2;
    return head * rows_per_head + half * half_rows + i;
}

} // namespace gc
