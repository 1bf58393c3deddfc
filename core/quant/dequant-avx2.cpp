// 256-bit AVX2 kernels for the native x86-64-v3 build, for the types whose
// 128-bit kernels (quant/dequant-simd128.cpp) lose to GCC's auto-vectorized
// AVX2 reference: Q4_K, Q5_K, Q8_0, Q8_1, Q8_K. Compiled only when
// GC_DEQUANT_AVX2 (quant/simd128.h); the 128-bit kernels of these types are
// then left out, so each build has one definition per type.
//
// Same contract as the 128-bit kernels: the reference's float operations in
// its order, one lane per weight, no FMA (d * q - m rounds twice, as in the
// reference), so the results are bit-identical. Codes are widened 8 bytes at
// a time straight from memory (vpmovsxbd / vpmovzxbd) and converted with
// vcvtdq2ps, exact for these small integers. Half scales use F16C
// (vcvtph2ps), exact for every half (NaN stays NaN).
#include "quant/dequant.h"

#include "quant/simd128.h"

#if GC_DEQUANT_AVX2

#include <immintrin.h>

#include <cstddef>

#include "quant/blocks.h"
#include "quant/k-scales-simd.h"
#include "quant/scalar-formats.h"

namespace gc {

namespace {

inline float load_f16_f16c(const uint8_t * p) {
    return _cvtsh_ss(load_le<uint16_t>(p));
}

// 8 signed / unsigned bytes at p widened to 32-bit lanes.
inline __m256i load8_i8(const uint8_t * p) {
    return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(p)));
}
inline __m256i load8_u8(const uint8_t * p) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(p)));
}

// dst[0..n) = (float) qs[k] * d for int8 codes, n a multiple of 16: 16
// codes widened to 16 bits at once, then twice to 32 bits (measured faster
// than four 8-byte widenings from memory).
inline void store_i8_times(const uint8_t * qs, float * dst, int n, __m256 d) {
    for (int k = 0; k < n; k += 16) {
        const __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(qs + k)));
        const __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(w)));
        const __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(w, 1)));
        _mm256_storeu_ps(dst + k, _mm256_mul_ps(lo, d));
        _mm256_storeu_ps(dst + k + 8, _mm256_mul_ps(hi, d));
    }
}

// dst[0..8) = d * (float) q - m for 8 small non-negative codes in 32-bit lanes.
inline void store8_sub(float * dst, __m256i q, __m256 d, __m256 m) {
    _mm256_storeu_ps(dst, _mm256_sub_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(q)), m));
}

// d * (float) sc[g] in lane g of *sc, dmin * (float) mn[g] in lane g of *mn,
// for the eight groups of a Q4_K / Q5_K block (src: the block; d and dmin
// are its first two halves).
inline void k_quant_group_scales(const uint8_t * src, const uint8_t * scales, __m256 * sc, __m256 * mn) {
    const __m256 d = _mm256_set1_ps(load_f16_f16c(src));
    const __m256 dmin = _mm256_set1_ps(load_f16_f16c(src + 2));
    const __m128i b = simd::k_quant_scales_mins(scales);
    *sc = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b)));
    *mn = _mm256_mul_ps(dmin, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(b, 8))));
}

inline __m256 lane(__m256 v, int g) {
    return _mm256_permutevar8x32_ps(v, _mm256_set1_epi32(g));
}

} // namespace

namespace {

// Q8_0 / Q8_1: an f16 scale at offset 0 and 32 int8 codes at QS. The scales
// of eight blocks are converted by one vcvtph2ps and broadcast from memory
// (a load, not a shuffle: per block, the shuffle port already carries the
// four widenings).
template <size_t BLOCK, size_t QS>
inline void dequant_q8_blocks(const uint8_t * src, float * dst, int64_t nb) {
    int64_t i = 0;
    for (; i + 8 <= nb; i += 8, src += 8 * BLOCK, dst += 8 * 32) {
        uint64_t lo = 0, hi = 0;
        for (int k = 0; k < 4; ++k) {
            lo |= (uint64_t) load_le<uint16_t>(src + k * BLOCK) << (16 * k);
            hi |= (uint64_t) load_le<uint16_t>(src + (k + 4) * BLOCK) << (16 * k);
        }
        alignas(32) float d[8];
        _mm256_store_ps(d, _mm256_cvtph_ps(_mm_set_epi64x((long long) hi, (long long) lo)));
        for (int k = 0; k < 8; ++k) store_i8_times(src + k * BLOCK + QS, dst + 32 * k, 32, _mm256_broadcast_ss(d + k));
    }
    for (; i < nb; ++i, src += BLOCK, dst += 32) store_i8_times(src + QS, dst, 32, _mm256_set1_ps(load_f16_f16c(src)));
}

} // namespace

void dequant_q8_0(const uint8_t * src, float * dst, int64_t n) {
    static_assert(offsetof(block_q8_0, d) == 0 && QK8_0 == 32, "q8 layout");
    dequant_q8_blocks<sizeof(block_q8_0), offsetof(block_q8_0, qs)>(src, dst, n / QK8_0);
}

void dequant_q8_1(const uint8_t * src, float * dst, int64_t n) {
    static_assert(offsetof(block_q8_1, d) == 0 && QK8_1 == 32, "q8 layout");
    dequant_q8_blocks<sizeof(block_q8_1), offsetof(block_q8_1, qs)>(src, dst, n / QK8_1);
}

void dequant_q8_K(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q8_K), dst += QK_K) {
        const __m256 d = _mm256_set1_ps(load_le<float>(src + offsetof(block_q8_K, d)));
        store_i8_times(src + offsetof(block_q8_K, qs), dst, QK_K, d);
    }
}

// Groups 2p and 2p + 1 are the low and high nibbles of qs[32p .. 32p + 31]:
// each 8 bytes widened once give 8 weights of both groups (& 15, >> 4).
void dequant_q4_K(const uint8_t * src, float * dst, int64_t n) {
    const __m256i m4 = _mm256_set1_epi32(15);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q4_K), dst += QK_K) {
        __m256 sc, mn;
        k_quant_group_scales(src, src + offsetof(block_q4_K, scales), &sc, &mn);
        const uint8_t * q = src + offsetof(block_q4_K, qs);
        for (int p = 0; p < 4; ++p, q += 32) {
            const __m256 d1 = lane(sc, 2 * p), m1 = lane(mn, 2 * p);
            const __m256 d2 = lane(sc, 2 * p + 1), m2 = lane(mn, 2 * p + 1);
            float * y = dst + 64 * p;
            for (int l = 0; l < 32; l += 8) {
                const __m256i b = load8_u8(q + l);
                store8_sub(y + l, _mm256_and_si256(b, m4), d1, m1);
                store8_sub(y + 32 + l, _mm256_srli_epi32(b, 4), d2, m2);
            }
        }
    }
}

// As Q4_K, plus bit 2p (2p + 1) of qh[l] as the fifth bit (16) of element l
// of group 2p (2p + 1).
void dequant_q5_K(const uint8_t * src, float * dst, int64_t n) {
    const __m256i m4 = _mm256_set1_epi32(15), b4 = _mm256_set1_epi32(16);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q5_K), dst += QK_K) {
        __m256 sc, mn;
        k_quant_group_scales(src, src + offsetof(block_q5_K, scales), &sc, &mn);
        const uint8_t * qh = src + offsetof(block_q5_K, qh);
        const uint8_t * q = src + offsetof(block_q5_K, qs);
        for (int p = 0; p < 4; ++p, q += 32) {
            const __m256 d1 = lane(sc, 2 * p), m1 = lane(mn, 2 * p);
            const __m256 d2 = lane(sc, 2 * p + 1), m2 = lane(mn, 2 * p + 1);
            const __m128i shift_a = _mm_cvtsi32_si128(2 * p), shift_b = _mm_cvtsi32_si128(2 * p + 1);
            float * y = dst + 64 * p;
            for (int l = 0; l < 32; l += 8) {
                const __m256i b = load8_u8(q + l), h = load8_u8(qh + l);
                // ((h >> 2p) & 1) * 16 and ((h >> (2p + 1)) & 1) * 16
                const __m256i ha = _mm256_slli_epi32(_mm256_and_si256(_mm256_srl_epi32(h, shift_a), _mm256_set1_epi32(1)), 4);
                const __m256i hb = _mm256_and_si256(_mm256_slli_epi32(_mm256_srl_epi32(h, shift_b), 4), b4);
                store8_sub(y + l, _mm256_or_si256(_mm256_and_si256(b, m4), ha), d1, m1);
                store8_sub(y + 32 + l, _mm256_or_si256(_mm256_srli_epi32(b, 4), hb), d2, m2);
            }
        }
    }
}

} // namespace gc

#endif // GC_DEQUANT_AVX2
