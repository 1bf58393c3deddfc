#include "compute/rope.h"

#include <cmath>

namespace gc {

rope_table rope_table_build(const rope_params & params, int32_t n_pos) {
    rope_table t;
    t.params = params;
    t.n_pos = n_pos;
    if (params.kind == rope_kind::none || params.n_rot <= 0) return t;
    const int32_t n_pairs = params.n_rot / 2;
    t.cos_sin.resize((size_t) n_pos * n_pairs * 2);
    for (int32_t p = 0; p < n_pos; ++p) {
        for (int32_t i = 0; i < n_pairs; ++i) {
            double inv_freq = std::pow((double) params.freq_base, -2.0 * i / (double) params.n_rot);
            if (!params.freq_factors.empty()) inv_freq /= (double) params.freq_factors[i];
            const double theta = (double) p * (double) params.freq_scale * inv_freq;
            t.cos_sin[((size_t) p * n_pairs + i) * 2 + 0] = (float) std::cos(theta);
            t.cos_sin[((size_t) p * n_pairs + i) * 2 + 1] = (float) std::sin(theta);
        }
    }
    return t;
}

void rope_apply(const rope_table & table, float * x, int32_t n_head, int32_t head_dim, int32_t pos) {
    const rope_params & rp = table.params;
    if (rp.kind == rope_kind::none || rp.n_rot <= 0) return;
    const int32_t n_pairs = rp.n_rot / 2;
    const float * cs = table.cos_sin.data() + (size_t) pos * n_pairs * 2;
    for (int32_t h = 0; h < n_head; ++h) {
        float * v = x + (size_t) h * head_dim;
        for (int32_t i = 0; i < n_pairs; ++i) {
            const int32_t ia = rp.kind == rope_kind::neox ? i : 2 * i;
            const int32_t ib = rp.kind == rope_kind::neox ? i + n_pairs : 2 * i + 1;
            const float c = cs[2 * i], s = cs[2 * i + 1];
            const float a = v[ia], b = v[ib];
            v[ia] = a * c - b * s;
            v[ib] = a * s + b * c;
        }
    }
}

} // namespace gc
