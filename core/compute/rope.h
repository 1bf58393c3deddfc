// Rotary position embedding (RoPE), both pairings ggml knows:
//
//   NORM (llama):  dims (2i, 2i+1) rotate together          i < n_rot/2
//   NEOX (gemma):  dims (i, i + n_rot/2) rotate together    i < n_rot/2
//
// Angle of pair i at position p:
//   theta = p * freq_scale * base^(-2i / n_rot) / ff[i]
// ff = per-pair frequency factors (GGUF rope_freqs.weight, n_rot/2 values)
// or 1. ff = 1e30 makes theta ~ 0: the pair passes through (gemma4's
// "proportional" rope on global layers). Dims >= n_rot are never rotated.
//
// Rotation: (a, b) -> (a cos - b sin, a sin + b cos).
#pragma once

#include <cstdint>
#include <vector>

namespace gc {

enum class rope_kind { none, norm, neox };

struct rope_params {
    rope_kind kind = rope_kind::none;
    int32_t n_rot = 0;               // rotated dims per head (even, <= head_dim)
    float freq_base = 10000.0f;
    float freq_scale = 1.0f;         // 1 / linear scaling factor
    std::vector<float> freq_factors; // empty, or n_rot/2 values
};

// cos/sin for positions [0, n_pos) and pairs [0, n_rot/2), computed in double
// and rounded to float: cos_sin[(p * n_pairs + i) * 2 + {0,1}].
struct rope_table {
    rope_params params;
    int32_t n_pos = 0;
    std::vector<float> cos_sin;
};

rope_table rope_table_build(const rope_params & params, int32_t n_pos);

// Rotates one token's heads in place: x holds n_head rows of head_dim floats.
void rope_apply(const rope_table & table, float * x, int32_t n_head, int32_t head_dim, int32_t pos);

} // namespace gc
