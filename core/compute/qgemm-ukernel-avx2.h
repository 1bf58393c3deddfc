// x86 micro-kernels of the integer GEMM (contract and data layout in
// compute/qgemm-ukernel.h): AVX2, AVX-VNNI and AVX512-VNNI. Block: 4 tokens
// x 16 rows (32 with AVX-512). Per weight pair
// position: 2 loads of the panel (16 rows x 2 int16 = 2 ymm), and per token
// a 32-bit broadcast of its pair of activations and 2 vpmaddwd + 2 vpaddd
// into int32 accumulators (8 ymm). At each block end the int32 sums become
// float and are scaled into 8 float accumulators with FMA (d_w * d_x first,
// as the scalar kernel; the FMA rounds once where it rounds twice).
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

// The kernel body, shared by the AVX2 and the AVX-VNNI kernel;
// GC_QDOT(c, w, x) = c + the pairwise int16 dot products of w and x.
// Block end for token t: scale the int32 sums c0 (rows 0-7), c1 (rows 8-15)
// into the float sums, kept in `out` (L1) rather than in 8 more registers:
// with them in registers GCC copied and spilled the int accumulators on
// every k step (16 ymm registers only). Then subtract the mins term.
#define GC_QGEMM_AVX2_FINISH(GC_QDOT, t, c0, c1) \
    do { \
        float * o_ = out + (t) * 16; \
        __m256 f0 = _mm256_loadu_ps(o_), f1 = _mm256_loadu_ps(o_ + 8); \
        const __m256 dx_ = _mm256_set1_ps(a.d[(t) * a.ldd + b]); \
        f0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(c0), _mm256_mul_ps(_mm256_loadu_ps(w.d + b * 16), dx_), f0); \
        f1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(c1), _mm256_mul_ps(_mm256_loadu_ps(w.d + b * 16 + 8), dx_), f1); \
        if (w.m) { \
            __m256i m0_ = _mm256_setzero_si256(), m1_ = m0_; \
            for (int p = 0; p < 4; ++p) { \
                const __m256i s_ = qgemm_bcast_pair(a.s + (t) * a.lds + b * 8 + 2 * p); \
                m0_ = GC_QDOT(m0_, _mm256_loadu_si256((const __m256i *) (w.m + (b * 4 + p) * 32)), s_); \
                m1_ = GC_QDOT(m1_, _mm256_loadu_si256((const __m256i *) (w.m + (b * 4 + p) * 32 + 16)), s_); \
            } \
            f0 = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m0_), _mm256_mul_ps(_mm256_loadu_ps(w.dm + b * 16), dx_), f0); \
            f1 = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m1_), _mm256_mul_ps(_mm256_loadu_ps(w.dm + b * 16 + 8), dx_), f1); \
        } \
        _mm256_storeu_ps(o_, f0); \
        _mm256_storeu_ps(o_ + 8, f1); \
    } while (0)

#define GC_QGEMM_AVX2_BODY(GC_QDOT) \
    for (int i_ = 0; i_ < 64; ++i_) out[i_] = 0.0f; \
    const int16_t * wq = w.q; \
    const int16_t * x0 = a.q; \
    const int16_t * x1 = a.q + a.ldq; \
    const int16_t * x2 = a.q + 2 * a.ldq; \
    const int16_t * x3 = a.q + 3 * a.ldq; \
    for (int64_t b = 0; b < n_blocks; ++b) { \
        __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00; \
        _Pragma("GCC unroll 2") \
        for (int64_t p = 0; p < bp; ++p, wq += 32, x0 += 2, x1 += 2, x2 += 2, x3 += 2) { \
            const __m256i w0 = _mm256_loadu_si256((const __m256i *) wq); \
            const __m256i w1 = _mm256_loadu_si256((const __m256i *) (wq + 16)); \
            __m256i x; \
            x = qgemm_bcast_pair(x0); \
            c00 = GC_QDOT(c00, w0, x); \
            c01 = GC_QDOT(c01, w1, x); \
            x = qgemm_bcast_pair(x1); \
            c10 = GC_QDOT(c10, w0, x); \
            c11 = GC_QDOT(c11, w1, x); \
            x = qgemm_bcast_pair(x2); \
            c20 = GC_QDOT(c20, w0, x); \
            c21 = GC_QDOT(c21, w1, x); \
            x = qgemm_bcast_pair(x3); \
            c30 = GC_QDOT(c30, w0, x); \
            c31 = GC_QDOT(c31, w1, x); \
        } \
        GC_QGEMM_AVX2_FINISH(GC_QDOT, 0, c00, c01); \
        GC_QGEMM_AVX2_FINISH(GC_QDOT, 1, c10, c11); \
        GC_QGEMM_AVX2_FINISH(GC_QDOT, 2, c20, c21); \
        GC_QGEMM_AVX2_FINISH(GC_QDOT, 3, c30, c31); \
    }

namespace gc::qgemm_detail {

inline __m256i qgemm_bcast_pair(const int16_t * p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return _mm256_set1_epi32(v);
}

#define GC_QDOT_MADD(c, w, x) _mm256_add_epi32(_mm256_madd_epi16((w), (x)), (c))
#define GC_QDOT_VNNI(c, w, x) _mm256_dpwssd_avx_epi32((c), (w), (x))

struct qukernel_avx2 {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 16;
    static constexpr const char * k_isa = "avx2";

    static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w, const qacts_rows & a, float * out) {
        GC_QGEMM_AVX2_BODY(GC_QDOT_MADD)
    }
};

// The same block with AVX-VNNI's vpdpwssd (multiply, pair-add and accumulate
// in one instruction: half the uops of pmaddwd + paddd). Not part of
// x86-64-v3: compiled for that target only in this function and chosen at
// run time (compute/qgemm.cpp, CPUID) on CPUs that have it. Same integer
// sums, same float steps: the same bits as qukernel_avx2.
struct qukernel_avxvnni {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 16;
    static constexpr const char * k_isa = "avx-vnni";

    __attribute__((target("avx2,fma,avxvnni"))) static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w,
                                                                     const qacts_rows & a, float * out) {
        GC_QGEMM_AVX2_BODY(GC_QDOT_VNNI)
    }
};

// AVX512-VNNI: the same steps on 512-bit vectors, 4 tokens x 32 rows
// (rows 0-15 and 16-31 in two zmm per pair position, 8 int32 and 8 float
// zmm accumulators, all in registers),
// so each vpdpwssd does twice the work of the 256-bit one. Every row is one
// 32-bit lane doing exactly the lane operations of qukernel_avx2 (the int32
// sums, then cvt, d_w * d_x, FMA), so the bits are the same. Compiled for
// that target in this function only and chosen at run time
// (compute/qgemm.cpp) on CPUs with AVX512F/BW/VNNI and OS support for zmm
// state.
#define GC_QGEMM_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma")))

// GCC 12 warns that _mm512_cvtepi32_ps's internal _mm512_undefined_ps()
// "may be used uninitialized" (it is the masked form's ignored source).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

struct qukernel_avx512vnni {
    static constexpr int k_mr = 4;
    static constexpr int k_nr = 32;
    static constexpr const char * k_isa = "avx512-vnni";

    // Block end for one token: the int32 sums c0 (rows 0-15), c1 (rows
    // 16-31) scaled into the float sums f0, f1 (kept in registers: AVX-512
    // has 32), then the mins term.
    GC_QGEMM_AVX512_TARGET static void finish(int64_t b, int t, __m512i c0, __m512i c1, const qpanel & w,
                                              const qacts_rows & a, __m512 & f0, __m512 & f1) {
        const __m512 dx = _mm512_set1_ps(a.d[t * a.ldd + b]);
        f0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(c0), _mm512_mul_ps(_mm512_loadu_ps(w.d + b * 32), dx), f0);
        f1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(c1), _mm512_mul_ps(_mm512_loadu_ps(w.d + b * 32 + 16), dx), f1);
        if (w.m) {
            __m512i m0 = _mm512_setzero_si512(), m1 = m0;
            for (int p = 0; p < 4; ++p) {
                int32_t pair;
                std::memcpy(&pair, a.s + t * a.lds + b * 8 + 2 * p, sizeof pair);
                const __m512i sp = _mm512_set1_epi32(pair);
                m0 = _mm512_dpwssd_epi32(m0, _mm512_loadu_si512(w.m + (b * 4 + p) * 64), sp);
                m1 = _mm512_dpwssd_epi32(m1, _mm512_loadu_si512(w.m + (b * 4 + p) * 64 + 32), sp);
            }
            f0 = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(m0), _mm512_mul_ps(_mm512_loadu_ps(w.dm + b * 32), dx), f0);
            f1 = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(m1), _mm512_mul_ps(_mm512_loadu_ps(w.dm + b * 32 + 16), dx), f1);
        }
    }

    GC_QGEMM_AVX512_TARGET static void ukernel(int64_t n_blocks, int64_t bp, const qpanel & w, const qacts_rows & a,
                                               float * out) {
        const int16_t * wq = w.q;
        const int16_t * x0 = a.q;
        const int16_t * x1 = a.q + a.ldq;
        const int16_t * x2 = a.q + 2 * a.ldq;
        const int16_t * x3 = a.q + 3 * a.ldq;
        __m512 f00 = _mm512_setzero_ps(), f01 = f00, f10 = f00, f11 = f00, f20 = f00, f21 = f00, f30 = f00, f31 = f00;
        for (int64_t b = 0; b < n_blocks; ++b) {
            __m512i c00 = _mm512_setzero_si512(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                    c31 = c00;
            for (int64_t p = 0; p < bp; ++p, wq += 64, x0 += 2, x1 += 2, x2 += 2, x3 += 2) {
                const __m512i w0 = _mm512_loadu_si512(wq);
                const __m512i w1 = _mm512_loadu_si512(wq + 32);
                int32_t v[4];
                std::memcpy(&v[0], x0, 4);
                std::memcpy(&v[1], x1, 4);
                std::memcpy(&v[2], x2, 4);
                std::memcpy(&v[3], x3, 4);
                __m512i x = _mm512_set1_epi32(v[0]);
                c00 = _mm512_dpwssd_epi32(c00, w0, x);
                c01 = _mm512_dpwssd_epi32(c01, w1, x);
                x = _mm512_set1_epi32(v[1]);
                c10 = _mm512_dpwssd_epi32(c10, w0, x);
                c11 = _mm512_dpwssd_epi32(c11, w1, x);
                x = _mm512_set1_epi32(v[2]);
                c20 = _mm512_dpwssd_epi32(c20, w0, x);
                c21 = _mm512_dpwssd_epi32(c21, w1, x);
                x = _mm512_set1_epi32(v[3]);
                c30 = _mm512_dpwssd_epi32(c30, w0, x);
                c31 = _mm512_dpwssd_epi32(c31, w1, x);
            }
            finish(b, 0, c00, c01, w, a, f00, f01);
            finish(b, 1, c10, c11, w, a, f10, f11);
            finish(b, 2, c20, c21, w, a, f20, f21);
            finish(b, 3, c30, c31, w, a, f30, f31);
        }
        _mm512_storeu_ps(out, f00);
        _mm512_storeu_ps(out + 16, f01);
        _mm512_storeu_ps(out + 32, f10);
        _mm512_storeu_ps(out + 48, f11);
        _mm512_storeu_ps(out + 64, f20);
        _mm512_storeu_ps(out + 80, f21);
        _mm512_storeu_ps(out + 96, f30);
        _mm512_storeu_ps(out + 112, f31);
    }
};

#pragma GCC diagnostic pop

} // namespace gc::qgemm_detail
