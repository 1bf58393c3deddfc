// Multi-head attention over one chunk (one sequence of n_tok tokens at
// positions 0..n_tok-1), with grouped KV heads and the layer's mask.
//
// Shapes (row-major, one token per row):
//   q   [n_tok, n_head    * head_dim]
//   k   [n_tok, n_head_kv * head_dim]
//   v   [n_tok, n_head_kv * head_dim_v]
//   out [n_tok, n_head    * head_dim_v]
// Query head h uses KV head h / (n_head / n_head_kv).
//
// Scores s = scale * q.k, optionally soft-capped (c * tanh(s / c)), then the
// mask: key j is visible from query i iff j <= i (causal) and, when
// window > 0, i - j < window (llama.cpp masks when p1 - p0 >= n_swa).
// Softmax in f32 with max subtraction and a double sum.
#pragma once

#include <cstdint>
#include <vector>

namespace gc {

struct attention_params {
    int32_t n_head = 0;
    int32_t n_head_kv = 0;
    int32_t head_dim = 0;
    int32_t head_dim_v = 0;
    float scale = 1.0f;
    float softcap = 0.0f;   // <= 0: none
    int32_t window = 0;     // <= 0: full causal
};

// True when key position j is visible from query position i.
inline bool attention_visible(int32_t i, int32_t j, int32_t window) {
    return j <= i && (window <= 0 || i - j < window);
}

// Scalar definition.
void attention_chunk_ref(const attention_params & p, int32_t n_tok,
                         const float * q, const float * k, const float * v, float * out);

// Fast path (blocked causal products by gemm_xwt, see attention.cpp).
// scratch is resized as needed.
void attention_chunk(const attention_params & p, int32_t n_tok,
                     const float * q, const float * k, const float * v, float * out,
                     std::vector<float> & scratch);

// The fast path for query heads [h0, h1) only: writes just those heads'
// columns of out, so disjoint head ranges can run on different threads
// (each with its own scratch) with results identical to attention_chunk.
void attention_chunk_heads(const attention_params & p, int32_t n_tok,
                           const float * q, const float * k, const float * v, float * out,
                           int32_t h0, int32_t h1, std::vector<float> & scratch);

} // namespace gc
