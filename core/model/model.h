// Model description: what the streaming forward needs to know about an
// architecture, as data. Each supported architecture fills it from GGUF
// metadata in its own file (arch-llama.cpp, arch-gemma4.cpp, ...): the
// hyper-parameters, the tensor names, and a per-layer recipe of switches
// (norm placement, rope variant, mask, K=V, output scale, ...). The engine in
// core/forward/ runs the generic block below and never tests an
// architecture name; all architecture knowledge lives in core/model/.
//
// The generic block, for residual x [n_tok, n_embd]:
//   a = RMS(x, attn_norm)
//   q = a Wq^T, k = a Wk^T, v = wv ? a Wv^T : k (raw, before k_norm)
//   q = RMS_head(q, q_norm)?, k = RMS_head(k, k_norm)?, v = RMS_head(v)? (weightless)
//   q, k = rope(q), rope(k)
//   o = attention(q, k, v; scale, softcap, mask) Wo^T
//   o = RMS(o, post_attn_norm)?;  x = x + o
//   f = RMS(x, ffn_norm)
//   d = Wdown (act(f Wgate^T) * (f Wup^T));  d = RMS(d, post_ffn_norm)?
//   x = (x + d) * out_scale?
// then h = RMS(x, output_norm), logits = softcap(h Wout^T).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compute/ops.h"
#include "compute/rope.h"
#include "check/finding.h"
#include "format/gguf.h"
#include "format/safetensors.h"

namespace gc {

// One layer's recipe. An empty tensor name means "absent".
struct layer_desc {
    int32_t n_head = 0;
    int32_t n_head_kv = 0;
    int32_t head_dim = 0;        // q and k
    int32_t head_dim_v = 0;
    int32_t n_ff = 0;

    float attn_scale = 1.0f;     // multiplies q.k
    float attn_softcap = 0.0f;   // <= 0: none
    int32_t sliding_window = 0;  // <= 0: full causal

    rope_params rope;            // freq_factors filled from rope_freqs at load
    std::string rope_freqs;      // tensor holding rope frequency factors, or ""

    bool v_from_k = false;       // no Wv: V is the raw K projection
    bool v_norm = false;         // weightless RMSNorm over each V head
    ffn_act act = ffn_act::silu;

    // Tensor names.
    std::string attn_norm, wq, wk, wv, wo, q_norm, k_norm, post_attn_norm;
    std::string ffn_norm, ffn_gate, ffn_up, ffn_down, post_ffn_norm, out_scale;
};

struct model_desc {
    std::string arch;
    int32_t n_embd = 0;
    int32_t n_vocab = 0;
    float norm_eps = 1e-5f;
    float embd_scale = 1.0f;     // embeddings are multiplied by this
    float final_softcap = 0.0f;  // <= 0: none

    std::string tok_embd;        // [n_vocab, n_embd] rows = tokens
    std::string output_norm;
    std::string output;          // head [n_vocab, n_embd]; == tok_embd when tied

    int32_t bos_id = -1;
    bool add_bos = false;        // the vocab prepends BOS to a text

    std::vector<layer_desc> layers;
};

// Fills desc from the model's metadata. Returns false with *error set (a
// sentence naming the key or the architecture) when the architecture is not
// supported or a required key is missing or out of range. Shapes of tensors
// are checked later, by the forward, against the recipe.
bool model_desc_from_gguf(const gguf_model & model, model_desc & desc, std::string * error);

// The recipe for a Hugging Face reference: the candidate's recipe (tensor
// names and block structure) with every hyper-parameter the reference's
// config.json states taken from the config: layer count, hidden size, heads,
// KV heads, head sizes, FFN width, vocabulary, RMS eps, RoPE bases and
// linear scaling, sliding window and pattern, final softcap (per
// architecture, in model/model-hf.cpp). Each value that differs from the
// candidate's GGUF metadata is a finding (code "hparam_mismatch", naming the
// GGUF key, both values and which one the reference runs with): a GGUF
// with wrong metadata would otherwise run its reference with the same wrong
// numbers and look perfect. Structural differences (layers, widths, heads)
// are errors; the forward's shape check then refuses the pair if tensors do
// not fit.
void model_desc_for_hf(const model_desc & cand, const hf_model & hf, model_desc & out, finding_list & findings);

// The architectures model_desc_from_gguf accepts.
const std::vector<std::string> & model_supported_archs();

} // namespace gc
