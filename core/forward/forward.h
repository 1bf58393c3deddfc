// The streaming forward: one model, a batch of chunks, one layer at a time.
//
// Activations for all tokens of the batch live in f32 row-major arrays
// [n_tok, width], n_tok = n_seq * n_ctx (chunk s occupies rows
// [s * n_ctx, (s + 1) * n_ctx), positions 0..n_ctx-1). Weights are never held
// whole: each matrix is read in tiles of rows, dequantized, multiplied into
// the output columns of all tokens and dropped (forward_runner::linear). Only
// the 1-D tensors of the current layer (norm weights, scalars) are kept while
// the layer runs. Memory is therefore bounded by the activations, one weight
// tile and the attention scores of one head of one chunk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compute/attention.h"
#include "compute/rope.h"
#include "forward/weights.h"
#include "model/model.h"

namespace gc {

// Checks every tensor the recipe names against the weight source: present,
// the expected shape, a type that can be dequantized. On failure *error
// names the tensor and what is wrong.
bool forward_check_model(const model_desc & desc, weight_source & weights, std::string * error);

// Floats of activation memory per token for this model (the widest layer).
int64_t forward_floats_per_token(const model_desc & desc);

class forward_runner {
public:
    forward_runner(const model_desc & desc, weight_source & weights);

    // x = embeddings of the tokens (n_tok rows of n_embd), times embd_scale.
    bool embed(const int32_t * tokens, int64_t n_tok, std::vector<float> & x, std::string * error);

    // Applies layer il to x in place (n_seq chunks of n_ctx tokens).
    bool layer(int32_t il, float * x, int32_t n_seq, int32_t n_ctx, std::string * error);

    // out = RMS(x_rows, output_norm): n rows.
    bool final_norm(const float * x, int64_t n, float * out, std::string * error);

    // logits[t, j] = softcap(h[t] . Wout[v0 + j]) for j < nv: n_tok rows of nv.
    bool head_tile(const float * h, int64_t n_tok, int64_t v0, int64_t nv, float * logits, std::string * error);

    // Y[n_tok, n_out] = X[n_tok, n_in] W^T, W streamed in row tiles.
    bool linear(const std::string & name, const float * x, int64_t n_tok, int64_t n_in, float * y, int64_t n_out,
                std::string * error);

    const model_desc & desc() const { return desc_; }
    weight_source & weights() { return weights_; }

    // Rows per weight tile for a matrix with rows of n_in floats.
    static int64_t tile_rows(int64_t n_in, int64_t n_rows);

private:
    bool read_vector(const std::string & name, int64_t n, std::vector<float> & out, std::string * error);
    const rope_table & rope_for(int32_t il, int32_t n_ctx, std::string * error, bool & ok);

    const model_desc & desc_;
    weight_source & weights_;

    // Work buffers, grown on demand and reused across layers.
    std::vector<float> xn_, q_, k_, v_, att_, o_, g_, u_, tile_, scores_;
    std::vector<float> w_norm_, w_qn_, w_kn_, w_post_attn_, w_ffn_norm_, w_post_ffn_;
    // Rope tables by layer (shared between layers with equal parameters).
    std::vector<rope_table> rope_tables_;
    std::vector<int32_t> rope_index_;
};

} // namespace gc
