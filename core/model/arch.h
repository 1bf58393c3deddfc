// Internal to core/model/: the per-architecture fillers behind
// model_desc_from_gguf and the metadata helpers they share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/model.h"

namespace gc {

bool arch_llama_from_gguf(const gguf_model & model, model_desc & desc, std::string * error);
bool arch_gemma4_from_gguf(const gguf_model & model, model_desc & desc, std::string * error);
bool arch_gemma3_from_gguf(const gguf_model & model, model_desc & desc, std::string * error);

// "<arch>.<suffix>" read as a per-layer value: a scalar applies to every
// layer, an array must have one entry per layer. nullopt when absent, not
// numeric, or an array of the wrong length.
std::optional<double> hparam_layer(const gguf_model & model, std::string_view suffix, int32_t il, int32_t n_layer);

// Fills the fields every architecture shares: tokenizer BOS handling, the
// vocab size (rows of token_embd), the head (output.weight or tied).
bool model_desc_common(const gguf_model & model, model_desc & desc, std::string * error);

// "<arch>.<suffix>" as a number; nullopt with *error naming the missing key.
std::optional<double> hparam_required(const gguf_model & model, std::string_view suffix, std::string * error);

// Range check helper: sets *error and returns false when v is not in [lo, hi].
bool hparam_in_range(const char * what, double v, double lo, double hi, std::string * error);

std::string layer_tensor(int32_t il, const char * suffix);

// The Gemma-style layer's tensors after the Q/K/V projections: attn_output,
// q/k norms, the sandwich norms (post-attention, pre-FFN, post-FFN) and the
// FFN (gemma2/3/4 share these names).
void layer_names_gemma_sandwich(int32_t il, layer_desc & L);   // "blk.<il>.<suffix>.weight"

// Cross-checking a recipe against a Hugging Face config (model_desc_for_hf):
// `sync` compares the GGUF-side value with the config's number at `key`
// (when the config has one), records a finding on mismatch and returns the
// value the reference runs with.
struct hf_config_sync {
    const hf_model & hf;
    finding_list & findings;
    std::string arch;

    const nlohmann::json * value(const std::string & key) const;           // dotted path, text_config first
    std::optional<double> number(const std::string & key) const;
    double sync(const std::string & gguf_key, double gguf_value, const std::string & cfg_key, bool structural,
                const std::string & where = "");
    double sync_value(const std::string & gguf_key, double gguf_value, std::optional<double> cfg, const std::string & cfg_key,
                      bool structural, const std::string & where = "");
};

// Per-architecture parts of model_desc_for_hf (keys whose names or layout
// differ by family: rope bases, window pattern, global-layer heads).
void arch_llama_sync_hf(hf_config_sync & c, model_desc & d);
void arch_gemma3_sync_hf(hf_config_sync & c, model_desc & d);
void arch_gemma4_sync_hf(hf_config_sync & c, model_desc & d);

} // namespace gc
