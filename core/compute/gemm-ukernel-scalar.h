// Portable scalar micro-kernel and W-tile packing of the packed GEMM
// (compute/gemm-packed.cpp; contract in compute/gemm-ukernel.h), for builds
// with neither AVX2+FMA nor SIMD128. Plain loops over a 4 x 8 block of
// float accumulators (the compiler may vectorize them).
#pragma once

#include <cstdint>

namespace gc::gemm_detail {

struct ukernel_scalar {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 8;
    static constexpr const char * k_isa = "scalar";
    // k block (gemm-packed.cpp).
    static constexpr int64_t k_kc = 512;

    // out[i, 0:8] = (cin ? cin[i, 0:8] : 0) + sum_k a[i, k] * bp[k, 0:8], i < 4.
    static void ukernel(int64_t kb, const float * a, int64_t lda, const float * bp, const float * cin, int64_t ldcin,
                        float * out, int64_t ldout) {
        float c[k_mr][k_nr] = {};
        for (int64_t k = 0; k < kb; ++k)
            for (int i = 0; i < k_mr; ++i) {
                const float x = a[i * lda + k];
                for (int j = 0; j < k_nr; ++j) c[i][j] += x * bp[k * k_nr + j];
            }
        for (int i = 0; i < k_mr; ++i)
            for (int j = 0; j < k_nr; ++j) out[i * ldout + j] = (cin ? cin[i * ldcin + j] : 0.0f) + c[i][j];
    }

    // One full panel: bp[k, j] = w[j, k] for 8 rows j of stride ldw, k < kb.
    static void pack_panel_full(const float * w, int64_t ldw, int64_t kb, float * bp) {
        for (int64_t k = 0; k < kb; ++k)
            for (int j = 0; j < k_nr; ++j) bp[k * k_nr + j] = w[j * ldw + k];
    }
};

} // namespace gc::gemm_detail
