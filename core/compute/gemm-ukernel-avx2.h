// AVX2 + FMA micro-kernel and W-tile packing of the packed GEMM
// (compute/gemm-packed.cpp; contract in compute/gemm-ukernel.h).
//
// Register block: 6 tokens x 16 outputs = 12 ymm accumulators, plus 2 ymm
// for the packed W row (16 outputs at one k) and 1 for the broadcast of
// X[t, k]: 15 of the 16 ymm registers, no spills. Per k: 2 loads, 6
// broadcast loads, 12 FMAs (6 cycles on 2 FMA ports), so the loads fit the
// load ports and the FMAs stay the bottleneck.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace gc::gemm_detail {

struct ukernel_avx2 {
    static constexpr int k_mr = 6;
    static constexpr int k_nr = 16;
    static constexpr const char * k_isa = "avx2-fma";
    // k block (gemm-packed.cpp): measured 1024 > 512 > 256 on the forward's
    // shapes (512 tokens, n_in 2048 and 8192), by ~3-10 %.
    static constexpr int64_t k_kc = 1024;

    // out[i, 0:16] = (cin ? cin[i, 0:16] : 0) + sum_k a[i, k] * bp[k, 0:16], i < 6.
    static void ukernel(int64_t kb, const float * a, int64_t lda, const float * bp, const float * cin, int64_t ldcin,
                        float * out, int64_t ldout) {
        __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        const float * a0 = a;
        const float * a1 = a + lda;
        const float * a2 = a + 2 * lda;
        const float * a3 = a + 3 * lda;
        const float * a4 = a + 4 * lda;
        const float * a5 = a + 5 * lda;
        for (int64_t k = 0; k < kb; ++k) {
            const __m256 b0 = _mm256_load_ps(bp + 16 * k), b1 = _mm256_load_ps(bp + 16 * k + 8);
            __m256 x;
            x = _mm256_broadcast_ss(a0 + k); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
            x = _mm256_broadcast_ss(a1 + k); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
            x = _mm256_broadcast_ss(a2 + k); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
            x = _mm256_broadcast_ss(a3 + k); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
            x = _mm256_broadcast_ss(a4 + k); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
            x = _mm256_broadcast_ss(a5 + k); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
        }
        const auto put = [&](int i, __m256 lo, __m256 hi) {
            float * o = out + i * ldout;
            if (cin) {
                lo = _mm256_add_ps(_mm256_loadu_ps(cin + i * ldcin), lo);
                hi = _mm256_add_ps(_mm256_loadu_ps(cin + i * ldcin + 8), hi);
            }
            _mm256_storeu_ps(o, lo);
            _mm256_storeu_ps(o + 8, hi);
        };
        put(0, c00, c01); put(1, c10, c11); put(2, c20, c21);
        put(3, c30, c31); put(4, c40, c41); put(5, c50, c51);
    }

    // 8 x 8 transpose: dst[j * ldd + i] = src[i * lds + j], i, j < 8.
    static void transpose_8x8(const float * src, int64_t lds, float * dst, int64_t ldd) {
        const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + lds), r2 = _mm256_loadu_ps(src + 2 * lds),
                     r3 = _mm256_loadu_ps(src + 3 * lds), r4 = _mm256_loadu_ps(src + 4 * lds),
                     r5 = _mm256_loadu_ps(src + 5 * lds), r6 = _mm256_loadu_ps(src + 6 * lds),
                     r7 = _mm256_loadu_ps(src + 7 * lds);
        const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
        const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
        const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
        const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
        const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
        const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
        const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
        const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
        _mm256_storeu_ps(dst + 0 * ldd, _mm256_permute2f128_ps(u0, u4, 0x20));
        _mm256_storeu_ps(dst + 1 * ldd, _mm256_permute2f128_ps(u1, u5, 0x20));
        _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(u2, u6, 0x20));
        _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(u3, u7, 0x20));
        _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(u0, u4, 0x31));
        _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(u1, u5, 0x31));
        _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(u2, u6, 0x31));
        _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(u3, u7, 0x31));
    }

    // One full panel: bp[k, j] = w[j, k] for 16 rows j of stride ldw, k < kb.
    static void pack_panel_full(const float * w, int64_t ldw, int64_t kb, float * bp) {
        int64_t k = 0;
        for (; k + 8 <= kb; k += 8) {
            transpose_8x8(w + k, ldw, bp + k * 16, 16);
            transpose_8x8(w + 8 * ldw + k, ldw, bp + k * 16 + 8, 16);
        }
        for (; k < kb; ++k)
            for (int j = 0; j < 16; ++j) bp[k * 16 + j] = w[j * ldw + k];
    }
};

} // namespace gc::gemm_detail
