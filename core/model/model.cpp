#include "model/model.h"

#include <cmath>

#include "model/arch.h"

namespace gc {

namespace {

struct arch_entry {
    const char * name;
    bool (*fill)(const gguf_model &, model_desc &, std::string *);
};

const arch_entry k_archs[] = {
    { "llama", arch_llama_from_gguf },
    { "gemma4", arch_gemma4_from_gguf },
    { "gemma3", arch_gemma3_from_gguf },
};

} // namespace

const std::vector<std::string> & model_supported_archs() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto & a : k_archs) v.push_back(a.name);
        return v;
    }();
    return names;
}

bool model_desc_from_gguf(const gguf_model & model, model_desc & desc, std::string * error) {
    desc = model_desc{};
    const std::string arch = model.architecture();
    for (const auto & a : k_archs) {
        if (arch == a.name) {
            desc.arch = arch;
            return a.fill(model, desc, error) && model_desc_common(model, desc, error);
        }
    }
    std::string list;
    for (const auto & a : k_archs) list += (list.empty() ? "" : ", ") + std::string(a.name);
    if (error) {
        *error = arch.empty() ? "the model has no general.architecture key"
                              : "architecture '" + arch + "' is not supported by the forward pass yet (supported: " + list + ")";
    }
    return false;
}

std::optional<double> hparam_layer(const gguf_model & model, std::string_view suffix, int32_t il, int32_t n_layer) {
    const std::string key = model.architecture() + "." + std::string(suffix);
    const gguf_kv * kv = model.find_kv(key);
    if (!kv) return std::nullopt;
    if (!kv->value.is_array()) return kv->value.as_number();
    const gguf_value & v = kv->value;
    if (v.elem_type == gguf_type::STRING || v.elem_type == gguf_type::ARRAY) return std::nullopt;
    if (v.count != (uint64_t) n_layer || il < 0 || il >= n_layer) return std::nullopt;
    return v.array_number((uint64_t) il);
}

void layer_names_gemma_sandwich(int32_t il, layer_desc & L) {
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

std::optional<double> hparam_required(const gguf_model & model, std::string_view suffix, std::string * error) {
    auto v = model.arch_number(suffix);
    if (!v && error) *error = "required key " + model.architecture() + "." + std::string(suffix) + " is missing";
    return v;
}

bool hparam_in_range(const char * what, double v, double lo, double hi, std::string * error) {
    if (std::isfinite(v) && v >= lo && v <= hi) return true;
    if (error) *error = std::string(what) + " = " + std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return false;
}

std::string layer_tensor(int32_t il, const char * suffix) {
    return "blk." + std::to_string(il) + "." + suffix + ".weight";
}

bool model_desc_common(const gguf_model & model, model_desc & desc, std::string * error) {
    const gguf_tensor * te = model.find_tensor(desc.tok_embd);
    if (!te || !te->info) {
        if (error) *error = "tensor " + desc.tok_embd + " is missing";
        return false;
    }
    if (te->info->n_dims != 2 || te->info->ne[0] != (uint64_t) desc.n_embd) {
        if (error) *error = "tensor " + desc.tok_embd + " does not have shape [" + std::to_string(desc.n_embd) + ", n_vocab]";
        return false;
    }
    if (!hparam_in_range("n_vocab (rows of token_embd)", (double) te->info->ne[1], 1, 1 << 24, error)) return false;
    desc.n_vocab = (int32_t) te->info->ne[1];
    if (desc.output.empty() || !model.find_tensor(desc.output)) desc.output = desc.tok_embd;   // tied head

    // BOS handling follows llama.cpp's vocab defaults: SentencePiece ("llama")
    // vocabularies add BOS unless tokenizer.ggml.add_bos_token says otherwise;
    // others only when the key says so.
    desc.bos_id = -1;
    if (const gguf_kv * kv = model.find_kv("tokenizer.ggml.bos_token_id")) {
        if (auto v = kv->value.as_int()) desc.bos_id = (int32_t) *v;
    }
    bool add_bos = false;
    if (const gguf_kv * kv = model.find_kv("tokenizer.ggml.model")) {
        if (const std::string * s = kv->value.as_string()) add_bos = (*s == "llama");
    }
    if (const gguf_kv * kv = model.find_kv("tokenizer.ggml.add_bos_token")) {
        if (auto v = kv->value.as_int()) add_bos = *v != 0;
    }
    if (desc.bos_id < 0 || desc.bos_id >= desc.n_vocab) add_bos = false;
    desc.add_bos = add_bos;
    return true;
}

} // namespace gc
