// AVX2 micro-kernel of the integer GEMM (contract and data layout in
// compute/qgemm-ukernel.h). Block: 4 tokens x 16 rows. Per weight pair
// position: 2 loads of the panel (16 rows x 2 int16 = 2 ymm), and per token
// a 32-bit broadcast of its pair of activations and 2 vpmaddwd + 2 vpaddd
// into int32 accumulators (8 ymm). At each block end the int32 sums become
// float and are scaled into 8 float accumulators with FMA (d_w * d_x first,
// as the scalar kernel; the FMA rounds once where it rounds twice).
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace gc::qgemm_detail {

struct qukernel_avx2 {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 16;
    static constexpr const char * k_isa = "avx2";

    static inline __m256i bcast_pair(const int16_t * p) {
        int32_t v;
        std::memcpy(&v, p, sizeof v);
        return _mm256_set1_epi32(v);
    }

    static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w, const qacts_rows & a, float * out) {
        __m256 f[k_mr][2];
        for (int t = 0; t < k_mr; ++t) f[t][0] = f[t][1] = _mm256_setzero_ps();
        const int16_t * wq = w.q;
        const int16_t * x0 = a.q;
        const int16_t * x1 = a.q + a.ldq;
        const int16_t * x2 = a.q + 2 * a.ldq;
        const int16_t * x3 = a.q + 3 * a.ldq;
        for (int64_t b = 0; b < n_blocks; ++b) {
            __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                    c31 = c00;
            for (int64_t p = 0; p < bp; ++p, wq += 32, x0 += 2, x1 += 2, x2 += 2, x3 += 2) {
                const __m256i w0 = _mm256_loadu_si256((const __m256i *) wq);
                const __m256i w1 = _mm256_loadu_si256((const __m256i *) (wq + 16));
                __m256i x;
                x = bcast_pair(x0);
                c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(w0, x));
                c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(w1, x));
                x = bcast_pair(x1);
                c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(w0, x));
                c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(w1, x));
                x = bcast_pair(x2);
                c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(w0, x));
                c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(w1, x));
                x = bcast_pair(x3);
                c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(w0, x));
                c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(w1, x));
            }
            const __m256i c[k_mr][2] = { { c00, c01 }, { c10, c11 }, { c20, c21 }, { c30, c31 } };
            const __m256 d0 = _mm256_loadu_ps(w.d + b * 16), d1 = _mm256_loadu_ps(w.d + b * 16 + 8);
            __m256i cm[k_mr][2];
            if (w.m) {
                for (int t = 0; t < k_mr; ++t) cm[t][0] = cm[t][1] = _mm256_setzero_si256();
                const int16_t * wm = w.m + b * 4 * 32;
                for (int p = 0; p < 4; ++p) {
                    const __m256i m0 = _mm256_loadu_si256((const __m256i *) (wm + p * 32));
                    const __m256i m1 = _mm256_loadu_si256((const __m256i *) (wm + p * 32 + 16));
                    for (int t = 0; t < k_mr; ++t) {
                        const __m256i s = bcast_pair(a.s + t * a.lds + b * 8 + 2 * p);
                        cm[t][0] = _mm256_add_epi32(cm[t][0], _mm256_madd_epi16(m0, s));
                        cm[t][1] = _mm256_add_epi32(cm[t][1], _mm256_madd_epi16(m1, s));
                    }
                }
            }
            for (int t = 0; t < k_mr; ++t) {
                const __m256 dx = _mm256_set1_ps(a.d[t * a.ldd + b]);
                f[t][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(c[t][0]), _mm256_mul_ps(d0, dx), f[t][0]);
                f[t][1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(c[t][1]), _mm256_mul_ps(d1, dx), f[t][1]);
            }
            if (w.m) {
                const __m256 m0 = _mm256_loadu_ps(w.dm + b * 16), m1 = _mm256_loadu_ps(w.dm + b * 16 + 8);
                for (int t = 0; t < k_mr; ++t) {
                    const __m256 dx = _mm256_set1_ps(a.d[t * a.ldd + b]);
                    f[t][0] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(cm[t][0]), _mm256_mul_ps(m0, dx), f[t][0]);
                    f[t][1] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(cm[t][1]), _mm256_mul_ps(m1, dx), f[t][1]);
                }
            }
        }
        for (int t = 0; t < k_mr; ++t) {
            _mm256_storeu_ps(out + t * k_nr, f[t][0]);
            _mm256_storeu_ps(out + t * k_nr + 8, f[t][1]);
        }
    }
};

} // namespace gc::qgemm_detail
