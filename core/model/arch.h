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

// Range check helper: sets *error and returns false when v is not in [lo, hi].
bool hparam_in_range(const char * what, double v, double lo, double hi, std::string * error);

std::string layer_tensor(int32_t il, const char * suffix);   // "blk.<il>.<suffix>.weight"

} // namespace gc
