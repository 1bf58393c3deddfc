// GGUF <-> Hugging Face tensor names and the value transforms llama.cpp's
// converter (convert_hf_to_gguf.py) applies, per architecture family.
// Architecture knowledge for the reference side lives here.
//
// Transforms, GGUF value = f(HF value):
//   llama/mistral  attn_q / attn_k rows permuted for RoPE: HF keeps the two
//                  rotary halves of a head apart ([h][half][i]); GGUF
//                  interleaves them ([h][i][half]). Heads = n_head for q,
//                  n_head_kv for k.
//   gemma/gemma2/gemma3  every *norm.weight stored as 1 + w.
//   gemma4         nothing (norm_shift 0); layer_scalar -> layer_output_scale.weight;
//                  rope_freqs.weight is created from the rope config.
//   qwen2/qwen3    names only (biases, q/k norms), no permutation.
// Rows: a GGUF row (ne[0] elements) is an HF row (last dimension).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/safetensors.h"

namespace gc {

enum class hf_transform {
    none,
    rope_permute,   // GGUF row order = converter permutation of HF rows (per head)
    plus_one,       // GGUF = HF + 1
};

struct hf_family {
    std::string name;          // "llama", "gemma3", "gemma4", "qwen2", ... or "unknown"
    bool known = false;
    std::string prefix;        // e.g. "model." or "model.language_model."
    int32_t n_head = 0;        // from the reference config (rope_permute)
    int32_t n_head_kv = 0;
    bool tied = false;         // no lm_head: output is the embedding
};

struct hf_tensor_ref {
    std::string hf_name;       // empty when generated
    hf_transform transform = hf_transform::none;
    int32_t permute_heads = 0; // rope_permute only
    bool generated = false;    // created by the converter from the config
};

// The family of a reference checkpoint: from config.json's model_type, else
// from the candidate GGUF's architecture, else "unknown" (names only).
hf_family hf_family_detect(const hf_model & ref, const std::string & gguf_arch);

// The HF tensor behind a GGUF tensor name, or nullopt when the family has no
// counterpart. Does not check that the HF tensor exists.
std::optional<hf_tensor_ref> hf_map_name(const hf_family & family, const hf_model & ref, const std::string & gguf_name);

// Values of a tensor the converter creates (gemma4's rope_freqs.weight), in
// GGUF layout; false when the family creates no such tensor or the config
// lacks what is needed.
bool hf_generated_values(const hf_family & family, const hf_model & ref, const std::string & gguf_name,
                         std::vector<float> & values);

// For rope_permute: the HF row that becomes GGUF row r of a projection with
// `heads` heads of `rows_per_head` rows each.
int64_t hf_permuted_row(int64_t r, int64_t rows_per_head);

// The layer of "blk.N.*" (-1 otherwise) and the tensor class ("attn_q",
// "ffn_down", "layer_output_scale", "token_embd", "output_norm", ...).
int32_t tensor_layer(const std::string & gguf_name);
std::string tensor_class(const std::string & gguf_name);

} // namespace gc
