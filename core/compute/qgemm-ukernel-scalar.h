// Portable scalar micro-kernel of the integer GEMM (contract and data layout
// in compute/qgemm-ukernel.h): the reference the SIMD kernels are tested
// against. Exact int32 sums per block; float combination in the contract's
// order (mul then add, no FMA).
#pragma once

#include <cstdint>

namespace gc::qgemm_detail {

struct qukernel_scalar {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 8;
    static constexpr const char * k_isa = "scalar";

    // out[t * k_nr + r] for t < k_mr, r < k_nr; bp = L / 2 pairs per block.
    static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w, const qacts_rows & a, float * out) {
        float f[k_mr][k_nr] = {};
        const int16_t * wq = w.q;
        for (int64_t b = 0; b < n_blocks; ++b) {
            int32_t acc[k_mr][k_nr] = {};
            for (int64_t p = 0; p < bp; ++p, wq += 2 * k_nr) {
                const int64_t k = (b * bp + p) * 2;
                for (int t = 0; t < k_mr; ++t) {
                    const int32_t x0 = a.q[t * a.ldq + k], x1 = a.q[t * a.ldq + k + 1];
                    for (int r = 0; r < k_nr; ++r) acc[t][r] += wq[2 * r] * x0 + wq[2 * r + 1] * x1;
                }
            }
            int32_t accm[k_mr][k_nr] = {};
            if (w.m) {
                const int16_t * wm = w.m + b * 4 * 2 * k_nr;
                for (int p = 0; p < 4; ++p)
                    for (int t = 0; t < k_mr; ++t) {
                        const int32_t s0 = a.s[t * a.lds + b * 8 + 2 * p], s1 = a.s[t * a.lds + b * 8 + 2 * p + 1];
                        for (int r = 0; r < k_nr; ++r) accm[t][r] += wm[(p * k_nr + r) * 2] * s0 + wm[(p * k_nr + r) * 2 + 1] * s1;
                    }
            }
            for (int t = 0; t < k_mr; ++t) {
                const float dx = a.d[t * a.ldd + b];
                for (int r = 0; r < k_nr; ++r) {
                    f[t][r] += (float) acc[t][r] * (w.d[b * k_nr + r] * dx);
                    if (w.m) f[t][r] -= (float) accm[t][r] * (w.dm[b * k_nr + r] * dx);
                }
            }
        }
        for (int t = 0; t < k_mr; ++t)
            for (int r = 0; r < k_nr; ++r) out[t * k_nr + r] = f[t][r];
    }
};

} // namespace gc::qgemm_detail
