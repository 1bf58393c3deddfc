// The fast entry points dequant_<type>: 128-bit SIMD kernels written once
// against quant/simd128.h (WebAssembly SIMD128 or SSE4.1), or the scalar
// reference when the build has neither.
//
// Each kernel decodes the same codes as its reference (quant/blocks.h) with
// integer vector ops, then applies the reference's float operations in the
// reference's order, one lane per weight, so the results are bit-identical.
// The one rewrite: the codebook types compute (db * m) * (+-1) in the
// reference and db * (+-m) here; IEEE multiplication is sign-symmetric, so
// these are the same float (NaN sign/payload aside).
#include "quant/dequant.h"

#include <cstddef>

#include "quant/blocks.h"
#include "quant/iq-grids.h"
#include "quant/scalar-formats.h"
#include "quant/k-scales-simd.h"
#include "quant/simd128.h"

namespace gc {

const char * dequant_fast_isa() {
#if GC_DEQUANT_AVX2
    return GC_SIMD128_ISA "+avx2";
#else
    return GC_SIMD128_ISA;
#endif
}

#if GC_SIMD128

using namespace simd;

namespace {

inline float load_f16(const uint8_t * p) {
    return fp16_to_fp32_inline(load_le<uint16_t>(p));
}

// dst[k] = (float) q[k] * d for 16 signed bytes q.
inline void store16(float * dst, vi q, vf d) {
    vf f[4];
    v_cvt_i8(q, f);
    for (int k = 0; k < 4; ++k) v_storef(dst + 4 * k, v_mul(f[k], d));
}

// dst[k] = (float) q[k] * d + m  (Q4_1, Q5_1).
inline void store16_add(float * dst, vi q, vf d, vf m) {
    vf f[4];
    v_cvt_i8(q, f);
    for (int k = 0; k < 4; ++k) v_storef(dst + 4 * k, v_add(v_mul(f[k], d), m));
}

// dst[k] = d * (float) q[k] - m  (k-quants with mins).
inline void store16_sub(float * dst, vi q, vf d, vf m) {
    vf f[4];
    v_cvt_i8(q, f);
    for (int k = 0; k < 4; ++k) v_storef(dst + 4 * k, v_sub(v_mul(d, f[k]), m));
}

// Half -> float as exact float arithmetic (no F16C / fp16 lanes needed), for
// 4 halves held in the high 16 bits of 32-bit lanes (w = h << 16):
// normals: bits (h & 0x7fff) << 13 reinterpreted with the exponent rebased by
// +224 (0xe0 << 23) is x * 2^112, so a multiply by 2^-112 lands exactly (and
// keeps Inf; NaN stays NaN, quieted). Subnormals: 0.5 + mant * 2^-24 minus
// 0.5 (exact). Sign ORed back.
inline vf f16_hi_to_f32(vi w) {
    const vi sign = v_and(w, v_splat32(0x80000000u));
    const vi two_w = v_add32(w, w);
    const vf normal = v_mul(v_as_f(v_add32(v_shr32(two_w, 4), v_splat32(0xe0u << 23))), v_splatf(0x1p-112f));
    const vf denormal = v_sub(v_as_f(v_or(v_shr32(two_w, 17), v_splat32(126u << 23))), v_splatf(0.5f));
    const vi is_denormal = v_cmpeq32(v_and(w, v_splat32(0x7c000000u)), v_zero());
    return v_as_f(v_or(sign, v_select(v_as_i(denormal), v_as_i(normal), is_denormal)));
}

// dst[k] = d * (float) q[k] - m for 16 unsigned bytes q (Q4_K, Q5_K).
inline void store16_sub_u(float * dst, vi q, vf d, vf m) {
    vf f[4];
    v_cvt_u8(q, f);
    for (int k = 0; k < 4; ++k) v_storef(dst + 4 * k, v_sub(v_mul(d, f[k]), m));
}

// Bit j of byte (j / 8) selected per lane: lane k tests bit k % 8.
const uint8_t k_bit_of_lane[16] = { 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128 };

// 0xff in lane k when bit k % 8 of byte (k < 8 ? b0 : b1) is set.
inline vi bit_masks(uint8_t b0, uint8_t b1) {
    const vi bits = v_bytes(k_bit_of_lane);
    const vi v = v_make64(0x0101010101010101ull * b0, 0x0101010101010101ull * b1);
    return v_cmpeq8(v_and(v, bits), bits);
}

// Lane k = q[k] negated where the mask lane is 0xff (two's complement).
inline vi negate_where(vi q, vi mask) {
    return v_sub8(v_xor(q, mask), mask);
}

// Expands a little-endian 32-bit word of per-element bits into 2 x 16 lane
// masks (bit j -> lane j of the 32): for Q5_0 / Q5_1.
inline void bits32_masks(uint32_t w, vi * lo, vi * hi) {
    *lo = bit_masks((uint8_t) w, (uint8_t) (w >> 8));
    *hi = bit_masks((uint8_t) (w >> 16), (uint8_t) (w >> 24));
}

} // namespace

// ---------------------------------------------------------------- element types

void dequant_f32(const uint8_t * src, float * dst, int64_t n) { dequant_f32_ref(src, dst, n); }

void dequant_f16(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const vi h = v_load(src + 2 * i);
        v_storef(dst + i, f16_hi_to_f32(v_unpacklo16(v_zero(), h)));
        v_storef(dst + i + 4, f16_hi_to_f32(v_unpackhi16(v_zero(), h)));
    }
    dequant_f16_ref(src + 2 * i, dst + i, n - i);
}

void dequant_bf16(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const vi h = v_load(src + 2 * i);
        v_storef(dst + i, v_as_f(v_unpacklo16(v_zero(), h)));
        v_storef(dst + i + 4, v_as_f(v_unpackhi16(v_zero(), h)));
    }
    dequant_bf16_ref(src + 2 * i, dst + i, n - i);
}

void dequant_f64(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        v_storef(dst + i, v_combine_lo(v_cvt_f64x2_lo(src + 8 * i), v_cvt_f64x2_lo(src + 8 * i + 16)));
    }
    dequant_f64_ref(src + 8 * i, dst + i, n - i);
}

void dequant_i8(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) store16(dst + i, v_load(src + i), v_splatf(1.0f));
    dequant_i8_ref(src + i, dst + i, n - i);
}

void dequant_i16(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        vf f[2];
        v_cvt_i16(v_load(src + 2 * i), f);
        v_storef(dst + i, f[0]);
        v_storef(dst + i + 4, f[1]);
    }
    dequant_i16_ref(src + 2 * i, dst + i, n - i);
}

void dequant_i32(const uint8_t * src, float * dst, int64_t n) {
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) v_storef(dst + i, v_cvt_i32(v_load(src + 4 * i)));
    dequant_i32_ref(src + 4 * i, dst + i, n - i);
}

// No 64-bit integer -> float conversion in SIMD128 or SSE4.1.
void dequant_i64(const uint8_t * src, float * dst, int64_t n) { dequant_i64_ref(src, dst, n); }

// ---------------------------------------------------------------- legacy 32-blocks

void dequant_q4_0(const uint8_t * src, float * dst, int64_t n) {
    const vi m4 = v_splat8(0x0f), eight = v_splat8(8);
    for (int64_t i = 0; i < n / QK4_0; ++i, src += sizeof(block_q4_0), dst += QK4_0) {
        const vf d = v_splatf(load_f16(src + offsetof(block_q4_0, d)));
        const vi q = v_load(src + offsetof(block_q4_0, qs));
        store16(dst, v_sub8(v_and(q, m4), eight), d);
        store16(dst + 16, v_sub8(v_shr8(q, 4), eight), d);
    }
}

void dequant_q4_1(const uint8_t * src, float * dst, int64_t n) {
    const vi m4 = v_splat8(0x0f);
    for (int64_t i = 0; i < n / QK4_1; ++i, src += sizeof(block_q4_1), dst += QK4_1) {
        const vf d = v_splatf(load_f16(src + offsetof(block_q4_1, d)));
        const vf m = v_splatf(load_f16(src + offsetof(block_q4_1, m)));
        const vi q = v_load(src + offsetof(block_q4_1, qs));
        store16_add(dst, v_and(q, m4), d, m);
        store16_add(dst + 16, v_shr8(q, 4), d, m);
    }
}

void dequant_q5_0(const uint8_t * src, float * dst, int64_t n) {
    const vi m4 = v_splat8(0x0f), b4 = v_splat8(0x10), sixteen = v_splat8(16);
    for (int64_t i = 0; i < n / QK5_0; ++i, src += sizeof(block_q5_0), dst += QK5_0) {
        const vf d = v_splatf(load_f16(src + offsetof(block_q5_0, d)));
        vi hlo, hhi;
        bits32_masks(load_le<uint32_t>(src + offsetof(block_q5_0, qh)), &hlo, &hhi);
        const vi q = v_load(src + offsetof(block_q5_0, qs));
        store16(dst, v_sub8(v_or(v_and(q, m4), v_and(hlo, b4)), sixteen), d);
        store16(dst + 16, v_sub8(v_or(v_shr8(q, 4), v_and(hhi, b4)), sixteen), d);
    }
}

void dequant_q5_1(const uint8_t * src, float * dst, int64_t n) {
    const vi m4 = v_splat8(0x0f), b4 = v_splat8(0x10);
    for (int64_t i = 0; i < n / QK5_1; ++i, src += sizeof(block_q5_1), dst += QK5_1) {
        const vf d = v_splatf(load_f16(src + offsetof(block_q5_1, d)));
        const vf m = v_splatf(load_f16(src + offsetof(block_q5_1, m)));
        vi hlo, hhi;
        bits32_masks(load_le<uint32_t>(src + offsetof(block_q5_1, qh)), &hlo, &hhi);
        const vi q = v_load(src + offsetof(block_q5_1, qs));
        store16_add(dst, v_or(v_and(q, m4), v_and(hlo, b4)), d, m);
        store16_add(dst + 16, v_or(v_shr8(q, 4), v_and(hhi, b4)), d, m);
    }
}

#if !GC_DEQUANT_AVX2   // else quant/dequant-avx2.cpp

namespace {

// One Q8_0 / Q8_1 block's 32 int8 codes times its scale.
inline void q8_block(const uint8_t * qs, float * dst, vf d) {
    store16(dst, v_load(qs), d);
    store16(dst + 16, v_load(qs + 16), d);
}

// Q8_0 and Q8_1 blocks: an f16 scale at offset 0, 32 int8 codes at QS
// (Q8_1's sum is not needed). Four blocks per step so that their four
// scales are decoded in one vector: decoding a half in scalar code costs
// about as much as the block's vector work.
template <size_t BLOCK, size_t QS>
inline void dequant_q8_blocks(const uint8_t * src, float * dst, int64_t nb) {
    int64_t i = 0;
    for (; i + 4 <= nb; i += 4, src += 4 * BLOCK, dst += 4 * 32) {
        const uint64_t h = (uint64_t) load_le<uint16_t>(src) | (uint64_t) load_le<uint16_t>(src + BLOCK) << 16 |
                           (uint64_t) load_le<uint16_t>(src + 2 * BLOCK) << 32 |
                           (uint64_t) load_le<uint16_t>(src + 3 * BLOCK) << 48;
        const vf d = f16_hi_to_f32(v_unpacklo16(v_zero(), v_make64(h, 0)));
        q8_block(src + QS, dst, v_dup_lane<0>(d));
        q8_block(src + BLOCK + QS, dst + 32, v_dup_lane<1>(d));
        q8_block(src + 2 * BLOCK + QS, dst + 64, v_dup_lane<2>(d));
        q8_block(src + 3 * BLOCK + QS, dst + 96, v_dup_lane<3>(d));
    }
    for (; i < nb; ++i, src += BLOCK, dst += 32) q8_block(src + QS, dst, v_splatf(load_f16(src)));
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

#endif // !GC_DEQUANT_AVX2

// ---------------------------------------------------------------- FP4

void dequant_mxfp4(const uint8_t * src, float * dst, int64_t n) {
    const vi table = v_load(reinterpret_cast<const uint8_t *>(k_fp4_values));
    const vi m4 = v_splat8(0x0f);
    for (int64_t i = 0; i < n / QK_MXFP4; ++i, src += sizeof(block_mxfp4), dst += QK_MXFP4) {
        const vf d = v_splatf(e8m0_half_to_fp32(src[offsetof(block_mxfp4, e)]));
        const vi q = v_load(src + offsetof(block_mxfp4, qs));
        store16(dst, v_shuffle8(table, v_and(q, m4)), d);
        store16(dst + 16, v_shuffle8(table, v_shr8(q, 4)), d);
    }
}

void dequant_nvfp4(const uint8_t * src, float * dst, int64_t n) {
    const vi table = v_load(reinterpret_cast<const uint8_t *>(k_fp4_values));
    const vi m4 = v_splat8(0x0f);
    for (int64_t i = 0; i < n / QK_NVFP4; ++i, src += sizeof(block_nvfp4)) {
        for (int s = 0; s < QK_NVFP4 / QK_NVFP4_SUB; ++s, dst += QK_NVFP4_SUB) {
            const vf d = v_splatf(ue4m3_half_to_fp32(src[offsetof(block_nvfp4, d) + s]));
            const vi q = v_load64(src + offsetof(block_nvfp4, qs) + s * (QK_NVFP4_SUB / 2));
            // low nibbles are elements 0..7, high nibbles 8..15
            const vi codes = v_unpacklo64(v_and(q, m4), v_shr8(q, 4));
            store16(dst, v_shuffle8(table, codes), d);
        }
    }
}

// ---------------------------------------------------------------- 1-2 bit

void dequant_q1_0(const uint8_t * src, float * dst, int64_t n) {
    const vi bits_lo = v_make64(0x0000000200000001ull, 0x0000000800000004ull);   // 1, 2, 4, 8
    const vi bits_hi = v_make64(0x0000002000000010ull, 0x0000008000000040ull);   // 16 .. 128
    for (int64_t i = 0; i < n / QK1_0; ++i, src += sizeof(block_q1_0)) {
        const float d = load_f16(src + offsetof(block_q1_0, d));
        const vi vd = v_as_i(v_splatf(d)), vnd = v_as_i(v_splatf(-d));
        const uint8_t * qs = src + offsetof(block_q1_0, qs);
        for (int b = 0; b < QK1_0 / 8; ++b, dst += 8) {
            const vi byte = v_splat32(qs[b]);
            v_storef(dst, v_as_f(v_select(vd, vnd, v_cmpeq32(v_and(byte, bits_lo), bits_lo))));
            v_storef(dst + 4, v_as_f(v_select(vd, vnd, v_cmpeq32(v_and(byte, bits_hi), bits_hi))));
        }
    }
}

void dequant_q2_0(const uint8_t * src, float * dst, int64_t n) {
    const vi m2 = v_splat8(3), one = v_splat8(1);
    for (int64_t i = 0; i < n / QK2_0; ++i, src += sizeof(block_q2_0), dst += QK2_0) {
        const vf d = v_splatf(load_f16(src + offsetof(block_q2_0, d)));
        const vi q = v_load(src + offsetof(block_q2_0, qs));
        // plane s holds the code of element 4b + s in lane b; interleave the
        // four planes to element order.
        const vi p0 = v_and(q, m2), p1 = v_and(v_shr8(q, 2), m2);
        const vi p2 = v_and(v_shr8(q, 4), m2), p3 = v_shr8(q, 6);
        const vi a_lo = v_unpacklo8(p0, p1), b_lo = v_unpacklo8(p2, p3);
        const vi a_hi = v_unpackhi8(p0, p1), b_hi = v_unpackhi8(p2, p3);
        store16(dst, v_sub8(v_unpacklo16(a_lo, b_lo), one), d);
        store16(dst + 16, v_sub8(v_unpackhi16(a_lo, b_lo), one), d);
        store16(dst + 32, v_sub8(v_unpacklo16(a_hi, b_hi), one), d);
        store16(dst + 48, v_sub8(v_unpackhi16(a_hi, b_hi), one), d);
    }
}

// ---------------------------------------------------------------- k-quants

void dequant_q2_K(const uint8_t * src, float * dst, int64_t n) {
    const vi m2 = v_splat8(3);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q2_K)) {
        const float d = load_f16(src + offsetof(block_q2_K, d));
        const float dmin = load_f16(src + offsetof(block_q2_K, dmin));
        const uint8_t * scales = src + offsetof(block_q2_K, scales);
        for (int h = 0; h < 2; ++h) {
            const uint8_t * q = src + offsetof(block_q2_K, qs) + 32 * h;
            const vi q0 = v_load(q), q1 = v_load(q + 16);
            for (int s = 0; s < 4; ++s) {
                for (int k = 0; k < 2; ++k, dst += 16) {
                    const uint8_t sc = scales[8 * h + 2 * s + k];
                    const vf dl = v_splatf(d * (float) (sc & 0xf));
                    const vf ml = v_splatf(dmin * (float) (sc >> 4));
                    store16_sub(dst, v_and(v_shr8(k == 0 ? q0 : q1, 2 * s), m2), dl, ml);
                }
            }
        }
    }
}

void dequant_q3_K(const uint8_t * src, float * dst, int64_t n) {
    const vi m2 = v_splat8(3), four = v_splat8(4);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q3_K)) {
        const float d = load_f16(src + offsetof(block_q3_K, d));
        int sc[16];
        q3_k_scales(src + offsetof(block_q3_K, scales), sc);
        const uint8_t * hmask = src + offsetof(block_q3_K, hmask);
        const vi hm0 = v_load(hmask), hm1 = v_load(hmask + 16);
        for (int h = 0; h < 2; ++h) {
            const uint8_t * q = src + offsetof(block_q3_K, qs) + 32 * h;
            const vi q0 = v_load(q), q1 = v_load(q + 16);
            for (int s = 0; s < 4; ++s) {
                const vi plane = v_splat8((uint8_t) (1u << (4 * h + s)));
                for (int k = 0; k < 2; ++k, dst += 16) {
                    const vf dl = v_splatf(d * (float) sc[8 * h + 2 * s + k]);
                    const vi lo = v_and(v_shr8(k == 0 ? q0 : q1, 2 * s), m2);
                    // high bit clear -> subtract 4
                    const vi clear = v_cmpeq8(v_and(k == 0 ? hm0 : hm1, plane), v_zero());
                    store16(dst, v_sub8(lo, v_and(clear, four)), dl);
                }
            }
        }
    }
}

#if !GC_DEQUANT_AVX2   // else quant/dequant-avx2.cpp

namespace {

// The per-group float scales of a Q4_K / Q5_K block, as the reference forms
// them: d * (float) sc and dmin * (float) mn. `src` is the block (d and dmin
// are its first two halves, decoded together). sc[0] / mn[0] hold groups
// 0-3, sc[1] / mn[1] groups 4-7.
inline void k_quant_group_scales(const uint8_t * src, const uint8_t * scales, vf sc[2], vf mn[2]) {
    const vf dm = f16_hi_to_f32(v_unpacklo16(v_zero(), v_load64(src)));   // lanes 0, 1: d, dmin
    const vf d = v_dup_lane<0>(dm), dmin = v_dup_lane<1>(dm);
    vf f[4];
    v_cvt_u8(k_quant_scales_mins(scales), f);
    sc[0] = v_mul(d, f[0]);
    sc[1] = v_mul(d, f[1]);
    mn[0] = v_mul(dmin, f[2]);
    mn[1] = v_mul(dmin, f[3]);
}

// 64 Q4_K weights (groups 2p and 2p + 1: low and high nibbles of 32 bytes).
inline void q4_K_pair(const uint8_t * q, float * dst, vf d1, vf m1, vf d2, vf m2) {
    const vi m4 = v_splat8(0x0f);
    const vi q0 = v_load(q), q1 = v_load(q + 16);
    store16_sub_u(dst, v_and(q0, m4), d1, m1);
    store16_sub_u(dst + 16, v_and(q1, m4), d1, m1);
    store16_sub_u(dst + 32, v_shr8(q0, 4), d2, m2);
    store16_sub_u(dst + 48, v_shr8(q1, 4), d2, m2);
}

// The same for Q5_K: bit 2p (2p + 1) of qh[l] is the fifth bit of element l
// of group 2p (2p + 1). It is moved to bit 4 with a 16-bit shift by
// 4 - 2p (4 - 2p - 1): shifts of at most 4 keep bit 4 (and 12) of each
// 16-bit lane inside its own byte, so the byte-wise mask 0x10 is exact.
template <int P>
inline void q5_K_pair(const uint8_t * q, vi h0, vi h1, float * dst, vf d1, vf m1, vf d2, vf m2) {
    const vi m4 = v_splat8(0x0f), b4 = v_splat8(0x10);
    constexpr int sa = 4 - 2 * P, sb = 3 - 2 * P;   // left shift if positive
    const auto to_bit4 = [&](vi h, int shift) {
        return v_and(shift >= 0 ? v_shl16(h, shift) : v_shr16(h, -shift), b4);
    };
    const vi q0 = v_load(q), q1 = v_load(q + 16);
    store16_sub_u(dst, v_or(v_and(q0, m4), to_bit4(h0, sa)), d1, m1);
    store16_sub_u(dst + 16, v_or(v_and(q1, m4), to_bit4(h1, sa)), d1, m1);
    store16_sub_u(dst + 32, v_or(v_shr8(q0, 4), to_bit4(h0, sb)), d2, m2);
    store16_sub_u(dst + 48, v_or(v_shr8(q1, 4), to_bit4(h1, sb)), d2, m2);
}

} // namespace

void dequant_q4_K(const uint8_t * src, float * dst, int64_t n) {
    static_assert(offsetof(block_q4_K, dmin) == 2, "q4_K layout");
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q4_K), dst += QK_K) {
        vf sc[2], mn[2];
        k_quant_group_scales(src, src + offsetof(block_q4_K, scales), sc, mn);
        const uint8_t * q = src + offsetof(block_q4_K, qs);
        q4_K_pair(q, dst, v_dup_lane<0>(sc[0]), v_dup_lane<0>(mn[0]), v_dup_lane<1>(sc[0]), v_dup_lane<1>(mn[0]));
        q4_K_pair(q + 32, dst + 64, v_dup_lane<2>(sc[0]), v_dup_lane<2>(mn[0]), v_dup_lane<3>(sc[0]), v_dup_lane<3>(mn[0]));
        q4_K_pair(q + 64, dst + 128, v_dup_lane<0>(sc[1]), v_dup_lane<0>(mn[1]), v_dup_lane<1>(sc[1]), v_dup_lane<1>(mn[1]));
        q4_K_pair(q + 96, dst + 192, v_dup_lane<2>(sc[1]), v_dup_lane<2>(mn[1]), v_dup_lane<3>(sc[1]), v_dup_lane<3>(mn[1]));
    }
}

void dequant_q5_K(const uint8_t * src, float * dst, int64_t n) {
    static_assert(offsetof(block_q5_K, dmin) == 2, "q5_K layout");
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q5_K), dst += QK_K) {
        vf sc[2], mn[2];
        k_quant_group_scales(src, src + offsetof(block_q5_K, scales), sc, mn);
        const uint8_t * qh = src + offsetof(block_q5_K, qh);
        const vi h0 = v_load(qh), h1 = v_load(qh + 16);
        const uint8_t * q = src + offsetof(block_q5_K, qs);
        q5_K_pair<0>(q, h0, h1, dst, v_dup_lane<0>(sc[0]), v_dup_lane<0>(mn[0]), v_dup_lane<1>(sc[0]), v_dup_lane<1>(mn[0]));
        q5_K_pair<1>(q + 32, h0, h1, dst + 64, v_dup_lane<2>(sc[0]), v_dup_lane<2>(mn[0]), v_dup_lane<3>(sc[0]), v_dup_lane<3>(mn[0]));
        q5_K_pair<2>(q + 64, h0, h1, dst + 128, v_dup_lane<0>(sc[1]), v_dup_lane<0>(mn[1]), v_dup_lane<1>(sc[1]), v_dup_lane<1>(mn[1]));
        q5_K_pair<3>(q + 96, h0, h1, dst + 192, v_dup_lane<2>(sc[1]), v_dup_lane<2>(mn[1]), v_dup_lane<3>(sc[1]), v_dup_lane<3>(mn[1]));
    }
}

#endif // !GC_DEQUANT_AVX2

void dequant_q6_K(const uint8_t * src, float * dst, int64_t n) {
    const vi m4 = v_splat8(0x0f), m2 = v_splat8(0x30), k32 = v_splat8(32);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q6_K)) {
        const float d = load_f16(src + offsetof(block_q6_K, d));
        for (int h = 0; h < 2; ++h, dst += 128) {
            const uint8_t * ql = src + offsetof(block_q6_K, ql) + 64 * h;
            const uint8_t * qh = src + offsetof(block_q6_K, qh) + 32 * h;
            const int8_t * sc = reinterpret_cast<const int8_t *>(src + offsetof(block_q6_K, scales)) + 8 * h;
            for (int c = 0; c < 2; ++c) {   // l in [16c, 16c + 16)
                const vi a = v_load(ql + 16 * c), b = v_load(ql + 32 + 16 * c);
                const vi hb = v_load(qh + 16 * c);
                // high 2 bits (qh >> 2k) & 3, placed at bits 4-5
                const vi h0 = v_and(v_shl8(hb, 4), m2), h1 = v_and(v_shl8(hb, 2), m2);
                const vi h2 = v_and(hb, m2), h3 = v_and(v_shr8(hb, 2), m2);
                float * y = dst + 16 * c;
                store16(y, v_sub8(v_or(v_and(a, m4), h0), k32), v_splatf(d * (float) sc[c]));
                store16(y + 32, v_sub8(v_or(v_and(b, m4), h1), k32), v_splatf(d * (float) sc[c + 2]));
                store16(y + 64, v_sub8(v_or(v_shr8(a, 4), h2), k32), v_splatf(d * (float) sc[c + 4]));
                store16(y + 96, v_sub8(v_or(v_shr8(b, 4), h3), k32), v_splatf(d * (float) sc[c + 6]));
            }
        }
    }
}

#if !GC_DEQUANT_AVX2   // else quant/dequant-avx2.cpp
void dequant_q8_K(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q8_K), dst += QK_K) {
        const vf d = v_splatf(load_le<float>(src + offsetof(block_q8_K, d)));
        const uint8_t * qs = src + offsetof(block_q8_K, qs);
        for (int j = 0; j < QK_K; j += 16) store16(dst + j, v_load(qs + j), d);
    }
}
#endif

// ---------------------------------------------------------------- ternary

namespace {

// Trit t of 16 TQ1_0 bytes (see blocks.h), minus 1, as 16 signed bytes:
// ((uint8_t)(b * 3^t) * 3) >> 8 in 16-bit lanes, packed back to bytes.
inline vi tq1_trits(vi bytes, uint16_t pow3) {
    const vi p = v_splat16(pow3), three = v_splat16(3), lo8 = v_splat16(0xff);
    const vi lo = v_shr16(v_mullo16(v_and(v_mullo16(v_widen_lo_u8(bytes), p), lo8), three), 8);
    const vi hi = v_shr16(v_mullo16(v_and(v_mullo16(v_widen_hi_u8(bytes), p), lo8), three), 8);
    // both halves hold values 0..2 in the low byte of each 16-bit lane
#if defined(__wasm_simd128__)
    const vi packed = wasm_u8x16_narrow_i16x8(lo, hi);
#else
    const vi packed = _mm_packus_epi16(lo, hi);
#endif
    return v_sub8(packed, v_splat8(1));
}

} // namespace

void dequant_tq1_0(const uint8_t * src, float * dst, int64_t n) {
    static const uint16_t pow3[5] = { 1, 3, 9, 27, 81 };
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_tq1_0)) {
        const float d = load_f16(src + offsetof(block_tq1_0, d));
        const vf vd = v_splatf(d);
        const uint8_t * qs = src + offsetof(block_tq1_0, qs);
        const vi a = v_load(qs), b = v_load(qs + 16), c = v_load(qs + 32);
        for (int t = 0; t < 5; ++t, dst += 32) {   // qs[0..31] x trit t
            store16(dst, tq1_trits(a, pow3[t]), vd);
            store16(dst + 16, tq1_trits(b, pow3[t]), vd);
        }
        for (int t = 0; t < 5; ++t, dst += 16) store16(dst, tq1_trits(c, pow3[t]), vd);   // qs[32..47]
        // qh[0..3] x trits 0..3: element 4t + m; a 4-byte vector per trit.
        const uint8_t * qh = src + offsetof(block_tq1_0, qh);
        uint8_t tail[16];
        for (int t = 0; t < 4; ++t) std::memcpy(tail + 4 * t, qh, 4);
        const vi tv = v_load(tail);
        // lane 4t + m needs trit t: each group of four 16-bit lanes gets 3^t
        const vi pw_lo = v_make64(0x0001000100010001ull, 0x0003000300030003ull);   // trits 0, 1
        const vi pw_hi = v_make64(0x0009000900090009ull, 0x001b001b001b001bull);   // trits 2, 3
        const vi three = v_splat16(3), lo8 = v_splat16(0xff);
        const vi lo = v_shr16(v_mullo16(v_and(v_mullo16(v_widen_lo_u8(tv), pw_lo), lo8), three), 8);
        const vi hi = v_shr16(v_mullo16(v_and(v_mullo16(v_widen_hi_u8(tv), pw_hi), lo8), three), 8);
#if defined(__wasm_simd128__)
        const vi packed = wasm_u8x16_narrow_i16x8(lo, hi);
#else
        const vi packed = _mm_packus_epi16(lo, hi);
#endif
        store16(dst, v_sub8(packed, v_splat8(1)), vd);
        dst += 16;
    }
}

void dequant_tq2_0(const uint8_t * src, float * dst, int64_t n) {
    const vi m2 = v_splat8(3), one = v_splat8(1);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_tq2_0)) {
        const vf d = v_splatf(load_f16(src + offsetof(block_tq2_0, d)));
        const uint8_t * qs = src + offsetof(block_tq2_0, qs);
        for (int h = 0; h < 2; ++h) {
            const vi q0 = v_load(qs + 32 * h), q1 = v_load(qs + 32 * h + 16);
            for (int l = 0; l < 4; ++l, dst += 32) {
                store16(dst, v_sub8(v_and(v_shr8(q0, 2 * l), m2), one), d);
                store16(dst + 16, v_sub8(v_and(v_shr8(q1, 2 * l), m2), one), d);
            }
        }
    }
}

// ---------------------------------------------------------------- i-quants

void dequant_iq2_xxs(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_xxs)) {
        const float d = load_f16(src + offsetof(block_iq2_xxs, d));
        const uint8_t * qs = src + offsetof(block_iq2_xxs, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8) {
            const uint32_t aux = load_le<uint32_t>(qs + 4);
            const vf db = v_splatf(d * (0.5f + (float) (aux >> 28)) * 0.25f);
            for (int l = 0; l < 4; l += 2, dst += 16) {
                const vi mag = v_make64(k_iq2xxs_grid[qs[l]], k_iq2xxs_grid[qs[l + 1]]);
                const vi neg = bit_masks(k_iq2_signs[(aux >> (7 * l)) & 127], k_iq2_signs[(aux >> (7 * (l + 1))) & 127]);
                store16(dst, negate_where(mag, neg), db);
            }
        }
    }
}

void dequant_iq2_xs(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_xs)) {
        const float d = load_f16(src + offsetof(block_iq2_xs, d));
        const uint8_t * qs = src + offsetof(block_iq2_xs, qs);
        const uint8_t * scales = src + offsetof(block_iq2_xs, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib) {
            for (int half = 0; half < 2; ++half, dst += 16) {   // groups 2*half, 2*half + 1
                const int s = half == 0 ? (scales[ib] & 0xf) : (scales[ib] >> 4);
                const vf db = v_splatf(d * (0.5f + (float) s) * 0.25f);
                const uint16_t q0 = load_le<uint16_t>(qs + 2 * (4 * ib + 2 * half));
                const uint16_t q1 = load_le<uint16_t>(qs + 2 * (4 * ib + 2 * half + 1));
                const vi mag = v_make64(k_iq2xs_grid[q0 & 511], k_iq2xs_grid[q1 & 511]);
                const vi neg = bit_masks(k_iq2_signs[q0 >> 9], k_iq2_signs[q1 >> 9]);
                store16(dst, negate_where(mag, neg), db);
            }
        }
    }
}

void dequant_iq2_s(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_s)) {
        const float d = load_f16(src + offsetof(block_iq2_s, d));
        const uint8_t * qs = src + offsetof(block_iq2_s, qs);
        const uint8_t * signs = qs + QK_K / 8;
        const uint8_t * qh = src + offsetof(block_iq2_s, qh);
        const uint8_t * scales = src + offsetof(block_iq2_s, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4, signs += 4) {
            for (int half = 0; half < 2; ++half, dst += 16) {
                const int s = half == 0 ? (scales[ib] & 0xf) : (scales[ib] >> 4);
                const vf db = v_splatf(d * (0.5f + (float) s) * 0.25f);
                const int l0 = 2 * half, l1 = 2 * half + 1;
                const int idx0 = qs[l0] | ((qh[ib] >> (2 * l0)) & 3) << 8;
                const int idx1 = qs[l1] | ((qh[ib] >> (2 * l1)) & 3) << 8;
                const vi mag = v_make64(k_iq2s_grid[idx0], k_iq2s_grid[idx1]);
                store16(dst, negate_where(mag, bit_masks(signs[l0], signs[l1])), db);
            }
        }
    }
}

void dequant_iq3_xxs(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq3_xxs)) {
        const float d = load_f16(src + offsetof(block_iq3_xxs, d));
        const uint8_t * qs = src + offsetof(block_iq3_xxs, qs);
        const uint8_t * scales_and_signs = qs + QK_K / 4;
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8) {
            const uint32_t aux = load_le<uint32_t>(scales_and_signs + 4 * ib);
            const vf db = v_splatf(d * (0.5f + (float) (aux >> 28)) * 0.5f);
            for (int l = 0; l < 4; l += 2, dst += 16) {
                const uint64_t e0 = (uint64_t) k_iq3xxs_grid[qs[2 * l]] | (uint64_t) k_iq3xxs_grid[qs[2 * l + 1]] << 32;
                const uint64_t e1 = (uint64_t) k_iq3xxs_grid[qs[2 * l + 2]] | (uint64_t) k_iq3xxs_grid[qs[2 * l + 3]] << 32;
                const vi neg = bit_masks(k_iq2_signs[(aux >> (7 * l)) & 127], k_iq2_signs[(aux >> (7 * (l + 1))) & 127]);
                store16(dst, negate_where(v_make64(e0, e1), neg), db);
            }
        }
    }
}

void dequant_iq3_s(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq3_s)) {
        const float d = load_f16(src + offsetof(block_iq3_s, d));
        const uint8_t * qs = src + offsetof(block_iq3_s, qs);
        const uint8_t * qh = src + offsetof(block_iq3_s, qh);
        const uint8_t * signs = src + offsetof(block_iq3_s, signs);
        const uint8_t * scales = src + offsetof(block_iq3_s, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8, signs += 4) {
            const int s = (scales[ib / 2] >> (4 * (ib % 2))) & 0xf;
            const vf db = v_splatf(d * (float) (1 + 2 * s));
            uint64_t e[4];
            for (int l = 0; l < 4; ++l) {
                const int idx1 = qs[2 * l] | ((qh[ib] >> (2 * l)) & 1) << 8;
                const int idx2 = qs[2 * l + 1] | ((qh[ib] >> (2 * l + 1)) & 1) << 8;
                e[l] = (uint64_t) k_iq3s_grid[idx1] | (uint64_t) k_iq3s_grid[idx2] << 32;
            }
            store16(dst, negate_where(v_make64(e[0], e[1]), bit_masks(signs[0], signs[1])), db);
            store16(dst + 16, negate_where(v_make64(e[2], e[3]), bit_masks(signs[2], signs[3])), db);
            dst += 32;
        }
    }
}

namespace {

// dst[k] = dl * ((float) g[k] + delta) for 16 signed grid values, with
// delta0 for lanes 0..7 and delta1 for lanes 8..15.
inline void store16_iq1(float * dst, vi g, vf dl, vf delta0, vf delta1) {
    vf f[4];
    v_cvt_i8(g, f);
    v_storef(dst, v_mul(dl, v_add(f[0], delta0)));
    v_storef(dst + 4, v_mul(dl, v_add(f[1], delta0)));
    v_storef(dst + 8, v_mul(dl, v_add(f[2], delta1)));
    v_storef(dst + 12, v_mul(dl, v_add(f[3], delta1)));
}

} // namespace

void dequant_iq1_s(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq1_s)) {
        const float d = load_f16(src + offsetof(block_iq1_s, d));
        const uint8_t * qs = src + offsetof(block_iq1_s, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4) {
            const uint16_t qh = load_le<uint16_t>(src + offsetof(block_iq1_s, qh) + 2 * ib);
            const vf dl = v_splatf(d * (float) (2 * ((qh >> 12) & 7) + 1));
            const vf delta = v_splatf(qh & 0x8000 ? -IQ1S_DELTA : IQ1S_DELTA);
            for (int l = 0; l < 4; l += 2, dst += 16) {
                const uint64_t e0 = k_iq1s_grid[qs[l] | ((qh >> (3 * l)) & 7) << 8];
                const uint64_t e1 = k_iq1s_grid[qs[l + 1] | ((qh >> (3 * (l + 1))) & 7) << 8];
                store16_iq1(dst, v_make64(e0, e1), dl, delta, delta);
            }
        }
    }
}

void dequant_iq1_m(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq1_m)) {
        const uint8_t * scales = src + offsetof(block_iq1_m, scales);
        const float d = fp16_to_fp32_inline(iq1_m_scale_bits(scales));
        const uint8_t * qs = src + offsetof(block_iq1_m, qs);
        const uint8_t * qh = src + offsetof(block_iq1_m, qh);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4, qh += 2) {
            const uint16_t sw = load_le<uint16_t>(scales + 2 * (ib / 2));
            for (int half = 0; half < 2; ++half, dst += 16) {   // groups 2*half, 2*half + 1 share dl
                const int s = (sw >> (6 * (ib % 2) + 3 * half)) & 7;
                const vf dl = v_splatf(d * (float) (2 * s + 1));
                const uint8_t h = qh[half];   // low nibble: group 2*half, high: 2*half + 1
                const uint64_t e0 = k_iq1s_grid[qs[2 * half] | (h & 7) << 8];
                const uint64_t e1 = k_iq1s_grid[qs[2 * half + 1] | ((h >> 4) & 7) << 8];
                const vf delta0 = v_splatf(h & 0x08 ? -IQ1S_DELTA : IQ1S_DELTA);
                const vf delta1 = v_splatf(h & 0x80 ? -IQ1S_DELTA : IQ1S_DELTA);
                store16_iq1(dst, v_make64(e0, e1), dl, delta0, delta1);
            }
        }
    }
}

void dequant_iq4_nl(const uint8_t * src, float * dst, int64_t n) {
    const vi table = v_load(reinterpret_cast<const uint8_t *>(k_iq4nl_values));
    const vi m4 = v_splat8(0x0f);
    for (int64_t i = 0; i < n / QK4_NL; ++i, src += sizeof(block_iq4_nl), dst += QK4_NL) {
        const vf d = v_splatf(load_f16(src + offsetof(block_iq4_nl, d)));
        const vi q = v_load(src + offsetof(block_iq4_nl, qs));
        store16(dst, v_shuffle8(table, v_and(q, m4)), d);
        store16(dst + 16, v_shuffle8(table, v_shr8(q, 4)), d);
    }
}

void dequant_iq4_xs(const uint8_t * src, float * dst, int64_t n) {
    const vi table = v_load(reinterpret_cast<const uint8_t *>(k_iq4nl_values));
    const vi m4 = v_splat8(0x0f);
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq4_xs)) {
        const float d = load_f16(src + offsetof(block_iq4_xs, d));
        const uint16_t scales_h = load_le<uint16_t>(src + offsetof(block_iq4_xs, scales_h));
        const uint8_t * scales_l = src + offsetof(block_iq4_xs, scales_l);
        const uint8_t * qs = src + offsetof(block_iq4_xs, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 16, dst += 32) {
            const int ls = ((scales_l[ib / 2] >> (4 * (ib % 2))) & 0xf) | ((scales_h >> (2 * ib)) & 3) << 4;
            const vf dl = v_splatf(d * (float) (ls - 32));
            const vi q = v_load(qs);
            store16(dst, v_shuffle8(table, v_and(q, m4)), dl);
            store16(dst + 16, v_shuffle8(table, v_shr8(q, 4)), dl);
        }
    }
}

#else // no SIMD: the fast entry points are the references

#define GC_FAST_IS_REF(type) \
    void dequant_##type(const uint8_t * src, float * dst, int64_t n) { dequant_##type##_ref(src, dst, n); }

GC_FAST_IS_REF(f32)
GC_FAST_IS_REF(f16)
GC_FAST_IS_REF(bf16)
GC_FAST_IS_REF(f64)
GC_FAST_IS_REF(i8)
GC_FAST_IS_REF(i16)
GC_FAST_IS_REF(i32)
GC_FAST_IS_REF(i64)
GC_FAST_IS_REF(q4_0)
GC_FAST_IS_REF(q4_1)
GC_FAST_IS_REF(q5_0)
GC_FAST_IS_REF(q5_1)
GC_FAST_IS_REF(q8_0)
GC_FAST_IS_REF(q8_1)
GC_FAST_IS_REF(mxfp4)
GC_FAST_IS_REF(nvfp4)
GC_FAST_IS_REF(q1_0)
GC_FAST_IS_REF(q2_0)
GC_FAST_IS_REF(q2_K)
GC_FAST_IS_REF(q3_K)
GC_FAST_IS_REF(q4_K)
GC_FAST_IS_REF(q5_K)
GC_FAST_IS_REF(q6_K)
GC_FAST_IS_REF(q8_K)
GC_FAST_IS_REF(tq1_0)
GC_FAST_IS_REF(tq2_0)
GC_FAST_IS_REF(iq2_xxs)
GC_FAST_IS_REF(iq2_xs)
GC_FAST_IS_REF(iq2_s)
GC_FAST_IS_REF(iq3_xxs)
GC_FAST_IS_REF(iq3_s)
GC_FAST_IS_REF(iq1_s)
GC_FAST_IS_REF(iq1_m)
GC_FAST_IS_REF(iq4_nl)
GC_FAST_IS_REF(iq4_xs)

#undef GC_FAST_IS_REF

#endif // GC_SIMD128

} // namespace gc
