#include "compute/ops.h"

#include <cmath>

namespace gc {

void rmsnorm_row(const float * x, int64_t n, const float * w, float eps, float * y) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += (double) (x[i] * x[i]);
    const float mean = (float) (sum / (double) n);
    const float scale = 1.0f / std::sqrt(mean + eps);
    if (w) {
        for (int64_t i = 0; i < n; ++i) y[i] = (x[i] * scale) * w[i];
    } else {
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] * scale;
    }
}

void rmsnorm_rows(const float * x, int64_t n_rows, int64_t n, const float * w, float eps, float * y) {
    for (int64_t r = 0; r < n_rows; ++r) rmsnorm_row(x + r * n, n, w, eps, y + r * n);
}

float silu(float x) {
    return x / (1.0f + std::exp(-x));
}

float gelu_tanh(float x) {
    const float sqrt_2_over_pi = 0.79788456080286535588f;
    return 0.5f * x * (1.0f + std::tanh(sqrt_2_over_pi * x * (1.0f + 0.044715f * x * x)));
}

void ffn_gate_apply(float * g, const float * u, int64_t n, ffn_act act) {
    if (act == ffn_act::silu) {
        // silu(g) * u with the exps in a first pass: the second pass
        // (divide, multiply) then vectorizes. Same float operations, in the
        // same order, as silu(g[i]) * u[i].
        constexpr int64_t k_span = 256;
        float e[k_span];
        for (int64_t i0 = 0; i0 < n; i0 += k_span) {
            const int64_t m = n - i0 < k_span ? n - i0 : k_span;
            float * gi = g + i0;
            const float * ui = u + i0;
            for (int64_t i = 0; i < m; ++i) e[i] = std::exp(-gi[i]);
            for (int64_t i = 0; i < m; ++i) gi[i] = gi[i] / (1.0f + e[i]) * ui[i];
        }
    } else {
        for (int64_t i = 0; i < n; ++i) g[i] = gelu_tanh(g[i]) * u[i];
    }
}

void softcap_apply(float * x, int64_t n, float c) {
    if (!(c > 0.0f)) return;
    for (int64_t i = 0; i < n; ++i) x[i] = c * std::tanh(x[i] / c);
}

} // namespace gc
