// Element-wise and row-wise operations of the transformer block, in f32.
// Each is the definition; there is no faster variant yet (they are O(n) next
// to the O(n^2) GEMM).
#pragma once

#include <cstdint>

namespace gc {

// RMSNorm of one row, as ggml computes it: the sum of squares in double,
// mean rounded to float, scale = 1 / sqrtf(mean + eps), y = (x * scale) * w.
// w may be nullptr (weightless norm: y = x * scale). x and y may alias.
void rmsnorm_row(const float * x, int64_t n, const float * w, float eps, float * y);

// RMSNorm applied to each of n_rows consecutive rows of length n.
void rmsnorm_rows(const float * x, int64_t n_rows, int64_t n, const float * w, float eps, float * y);

// SiLU: x / (1 + e^-x).
float silu(float x);

// GELU, tanh approximation (PyTorch "gelu_pytorch_tanh"):
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
float gelu_tanh(float x);

// Gated FFN activation in place: g[i] = act(g[i]) * u[i].
enum class ffn_act { silu, gelu_tanh };
void ffn_gate_apply(float * g, const float * u, int64_t n, ffn_act act);

// Soft capping: c * tanh(x / c). c <= 0 leaves x unchanged.
void softcap_apply(float * x, int64_t n, float c);

} // namespace gc
