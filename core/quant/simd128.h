// A 128-bit vector vocabulary for the dequant kernels (internal to
// core/quant/), so each kernel is written once and compiles to WebAssembly
// SIMD128 (under __wasm_simd128__) or to SSE4.1 natively.
//
// __wasm_simd128__ is tested first: the wasm build also passes -msse4.2
// (for Eigen), and emscripten's SSE emulation would otherwise be picked.
// Without either, GC_SIMD128 is 0 and the fast entry points are the
// reference kernels.
//
// Every operation is exact integer work or a single IEEE float op, so a
// kernel that applies the reference's float ops in the same order yields the
// same bits. Byte shuffles take indices 0..15, or 0x80 for a zero lane
// (pshufb and i8x16.swizzle agree on exactly these).
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define GC_SIMD128 1
#define GC_SIMD128_ISA "simd128"
#elif defined(__SSE4_1__)
#include <smmintrin.h>
#define GC_SIMD128 1
#define GC_SIMD128_ISA "sse4.1"
#else
#define GC_SIMD128 0
#define GC_SIMD128_ISA "scalar"
#endif

// Natively with AVX2 (the x86-64-v3 build), the types whose 128-bit kernels
// lose to GCC's auto-vectorized AVX2 reference (Q4_K, Q5_K, Q8_0, Q8_1,
// Q8_K) get 256-bit kernels instead (quant/dequant-avx2.cpp); the wasm build
// never takes this path.
#if defined(__AVX2__) && defined(__F16C__) && !defined(__wasm_simd128__)
#define GC_DEQUANT_AVX2 1
#else
#define GC_DEQUANT_AVX2 0
#endif

#if GC_SIMD128

namespace gc::simd {

#if defined(__wasm_simd128__)

using vi = v128_t;   // 16 x u8 / 8 x u16 / 4 x u32 lanes
using vf = v128_t;   // 4 x f32

inline vi v_load(const uint8_t * p) { return wasm_v128_load(p); }
inline vi v_load64(const uint8_t * p) { return wasm_v128_load64_zero(p); }
inline vi v_make64(uint64_t lo, uint64_t hi) { return wasm_u64x2_make(lo, hi); }
inline vi v_splat8(uint8_t x) { return wasm_u8x16_splat(x); }
inline vi v_splat16(uint16_t x) { return wasm_u16x8_splat(x); }
inline vi v_splat32(uint32_t x) { return wasm_u32x4_splat(x); }
inline vi v_zero() { return wasm_i64x2_const(0, 0); }
inline vi v_and(vi a, vi b) { return wasm_v128_and(a, b); }
inline vi v_or(vi a, vi b) { return wasm_v128_or(a, b); }
inline vi v_xor(vi a, vi b) { return wasm_v128_xor(a, b); }
inline vi v_add8(vi a, vi b) { return wasm_i8x16_add(a, b); }
inline vi v_sub8(vi a, vi b) { return wasm_i8x16_sub(a, b); }
inline vi v_shr8(vi a, int n) { return wasm_u8x16_shr(a, n); }
inline vi v_shl8(vi a, int n) { return wasm_i8x16_shl(a, n); }
inline vi v_cmpeq8(vi a, vi b) { return wasm_i8x16_eq(a, b); }
inline vi v_cmpeq32(vi a, vi b) { return wasm_i32x4_eq(a, b); }
inline vi v_shuffle8(vi table, vi idx) { return wasm_i8x16_swizzle(table, idx); }
inline vi v_unpacklo8(vi a, vi b) { return wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23); }
inline vi v_unpackhi8(vi a, vi b) { return wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31); }
inline vi v_unpacklo16(vi a, vi b) { return wasm_i16x8_shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11); }
inline vi v_unpackhi16(vi a, vi b) { return wasm_i16x8_shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15); }
inline vi v_unpacklo64(vi a, vi b) { return wasm_i64x2_shuffle(a, b, 0, 2); }
inline vi v_widen_lo_u8(vi a) { return wasm_u16x8_extend_low_u8x16(a); }
inline vi v_widen_hi_u8(vi a) { return wasm_u16x8_extend_high_u8x16(a); }
inline vi v_mullo16(vi a, vi b) { return wasm_i16x8_mul(a, b); }
inline vi v_shr16(vi a, int n) { return wasm_u16x8_shr(a, n); }
inline vi v_shl16(vi a, int n) { return wasm_i16x8_shl(a, n); }
inline vi v_shr32(vi a, int n) { return wasm_u32x4_shr(a, n); }
inline vi v_shl32(vi a, int n) { return wasm_i32x4_shl(a, n); }
inline vi v_add32(vi a, vi b) { return wasm_i32x4_add(a, b); }
inline vi v_select(vi a, vi b, vi mask) { return wasm_v128_bitselect(a, b, mask); }   // mask ? a : b

// Small signed integers (|x| < 2^22) -> float, exact, without
// f32x4.convert_i32x4: LLVM 14 folds extend + convert into a per-lane
// extract / f32.convert / replace_lane sequence (several times slower than
// scalar code). Instead: the float with bits 0x4b400000 + x is 1.5 * 2^23 + x
// exactly, and subtracting 1.5 * 2^23 leaves x exactly (same bits as
// (float) x, including +0 for 0).
inline vf v_small_i32_to_f32(vi x) {
    return wasm_f32x4_sub(wasm_i32x4_add(x, wasm_i32x4_splat(0x4b400000)), wasm_f32x4_splat(12582912.0f));
}

// 16 bytes -> 4 x (4 floats), exact, by interleaving instead of extending:
// a byte u placed under the 16-bit pattern 0x4b40 (32-bit lane 0x4b4000uu)
// is the float 1.5 * 2^23 + u; subtracting `bias` leaves u - (bias - 1.5 * 2^23)
// exactly. Two byte and four 16-bit interleaves plus four subtractions: fewer
// operations than sign-extending twice and adding the magic (and V8 lowers
// each interleave to one punpck).
inline void v_cvt_biased_u8(vi u, vf bias, vf out[4]) {
    const vi z = v_zero(), magic = wasm_i16x8_splat(0x4b40);
    const vi a = v_unpacklo8(u, z), b = v_unpackhi8(u, z);
    out[0] = wasm_f32x4_sub(v_unpacklo16(a, magic), bias);
    out[1] = wasm_f32x4_sub(v_unpackhi16(a, magic), bias);
    out[2] = wasm_f32x4_sub(v_unpacklo16(b, magic), bias);
    out[3] = wasm_f32x4_sub(v_unpackhi16(b, magic), bias);
}
// 16 signed bytes -> 4 x (4 floats), exact: x ^ 0x80 is the unsigned byte
// x + 128, so the bias is 1.5 * 2^23 + 128 (0 -> +0, as (float) 0).
inline void v_cvt_i8(vi q, vf out[4]) {
    v_cvt_biased_u8(wasm_v128_xor(q, wasm_i8x16_splat((int8_t) 0x80)), wasm_f32x4_splat(12583040.0f), out);
}
// 16 unsigned bytes -> 4 x (4 floats), exact.
inline void v_cvt_u8(vi q, vf out[4]) {
    v_cvt_biased_u8(q, wasm_f32x4_splat(12582912.0f), out);
}
// 8 signed 16-bit lanes -> 2 x (4 floats), exact.
inline void v_cvt_i16(vi q, vf out[2]) {
    out[0] = v_small_i32_to_f32(wasm_i32x4_extend_low_i16x8(q));
    out[1] = v_small_i32_to_f32(wasm_i32x4_extend_high_i16x8(q));
}
inline vf v_cvt_i32(vi a) { return wasm_f32x4_convert_i32x4(a); }
// Low 4 / high 4 unsigned 16-bit lanes -> 32-bit lanes (zero-extended).
inline vi v_widen_lo_u16(vi a) { return wasm_u32x4_extend_low_u16x8(a); }
inline vi v_widen_hi_u16(vi a) { return wasm_u32x4_extend_high_u16x8(a); }

inline vf v_splatf(float x) { return wasm_f32x4_splat(x); }
inline vf v_mul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
inline vf v_add(vf a, vf b) { return wasm_f32x4_add(a, b); }
inline vf v_sub(vf a, vf b) { return wasm_f32x4_sub(a, b); }
inline vf v_as_f(vi a) { return a; }
inline vi v_as_i(vf a) { return a; }
inline void v_storef(float * p, vf a) { wasm_v128_store(p, a); }
inline vf v_cvt_f64x2_lo(const uint8_t * p) {   // 2 doubles -> lanes 0-1
    return wasm_f32x4_demote_f64x2_zero(wasm_v128_load(p));
}
inline vf v_combine_lo(vf a, vf b) { return wasm_i64x2_shuffle(a, b, 0, 2); }
template <int L> inline vf v_dup_lane(vf a) { return wasm_i32x4_shuffle(a, a, L, L, L, L); }

#else // SSE4.1

using vi = __m128i;
using vf = __m128;

inline vi v_load(const uint8_t * p) { return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)); }
inline vi v_load64(const uint8_t * p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i *>(p)); }
inline vi v_make64(uint64_t lo, uint64_t hi) { return _mm_set_epi64x((long long) hi, (long long) lo); }
inline vi v_splat8(uint8_t x) { return _mm_set1_epi8((char) x); }
inline vi v_splat16(uint16_t x) { return _mm_set1_epi16((short) x); }
inline vi v_splat32(uint32_t x) { return _mm_set1_epi32((int) x); }
inline vi v_zero() { return _mm_setzero_si128(); }
inline vi v_and(vi a, vi b) { return _mm_and_si128(a, b); }
inline vi v_or(vi a, vi b) { return _mm_or_si128(a, b); }
inline vi v_xor(vi a, vi b) { return _mm_xor_si128(a, b); }
inline vi v_add8(vi a, vi b) { return _mm_add_epi8(a, b); }
inline vi v_sub8(vi a, vi b) { return _mm_sub_epi8(a, b); }
inline vi v_shr8(vi a, int n) { return _mm_and_si128(_mm_srli_epi16(a, n), _mm_set1_epi8((char) (0xff >> n))); }
inline vi v_shl8(vi a, int n) { return _mm_and_si128(_mm_slli_epi16(a, n), _mm_set1_epi8((char) (0xff << n))); }
inline vi v_cmpeq8(vi a, vi b) { return _mm_cmpeq_epi8(a, b); }
inline vi v_cmpeq32(vi a, vi b) { return _mm_cmpeq_epi32(a, b); }
inline vi v_shuffle8(vi table, vi idx) { return _mm_shuffle_epi8(table, idx); }
inline vi v_unpacklo8(vi a, vi b) { return _mm_unpacklo_epi8(a, b); }
inline vi v_unpackhi8(vi a, vi b) { return _mm_unpackhi_epi8(a, b); }
inline vi v_unpacklo16(vi a, vi b) { return _mm_unpacklo_epi16(a, b); }
inline vi v_unpackhi16(vi a, vi b) { return _mm_unpackhi_epi16(a, b); }
inline vi v_unpacklo64(vi a, vi b) { return _mm_unpacklo_epi64(a, b); }
inline vi v_widen_lo_u8(vi a) { return _mm_cvtepu8_epi16(a); }
inline vi v_widen_hi_u8(vi a) { return _mm_cvtepu8_epi16(_mm_srli_si128(a, 8)); }
inline vi v_mullo16(vi a, vi b) { return _mm_mullo_epi16(a, b); }
inline vi v_shr16(vi a, int n) { return _mm_srli_epi16(a, n); }
inline vi v_shl16(vi a, int n) { return _mm_slli_epi16(a, n); }
inline vi v_shr32(vi a, int n) { return _mm_srli_epi32(a, n); }
inline vi v_shl32(vi a, int n) { return _mm_slli_epi32(a, n); }
inline vi v_add32(vi a, vi b) { return _mm_add_epi32(a, b); }
inline vi v_select(vi a, vi b, vi mask) { return _mm_blendv_epi8(b, a, mask); }   // mask ? a : b

inline void v_cvt_i8(vi q, vf out[4]) {
    out[0] = _mm_cvtepi32_ps(_mm_cvtepi8_epi32(q));
    out[1] = _mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_srli_si128(q, 4)));
    out[2] = _mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_srli_si128(q, 8)));
    out[3] = _mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_srli_si128(q, 12)));
}
inline void v_cvt_u8(vi q, vf out[4]) {
    out[0] = _mm_cvtepi32_ps(_mm_cvtepu8_epi32(q));
    out[1] = _mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(q, 4)));
    out[2] = _mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(q, 8)));
    out[3] = _mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_srli_si128(q, 12)));
}
inline void v_cvt_i16(vi q, vf out[2]) {
    out[0] = _mm_cvtepi32_ps(_mm_cvtepi16_epi32(q));
    out[1] = _mm_cvtepi32_ps(_mm_cvtepi16_epi32(_mm_srli_si128(q, 8)));
}
inline vf v_cvt_i32(vi a) { return _mm_cvtepi32_ps(a); }
inline vi v_widen_lo_u16(vi a) { return _mm_cvtepu16_epi32(a); }
inline vi v_widen_hi_u16(vi a) { return _mm_cvtepu16_epi32(_mm_srli_si128(a, 8)); }

inline vf v_splatf(float x) { return _mm_set1_ps(x); }
inline vf v_mul(vf a, vf b) { return _mm_mul_ps(a, b); }
inline vf v_add(vf a, vf b) { return _mm_add_ps(a, b); }
inline vf v_sub(vf a, vf b) { return _mm_sub_ps(a, b); }
inline vf v_as_f(vi a) { return _mm_castsi128_ps(a); }
inline vi v_as_i(vf a) { return _mm_castps_si128(a); }
inline void v_storef(float * p, vf a) { _mm_storeu_ps(p, a); }
inline vf v_cvt_f64x2_lo(const uint8_t * p) { return _mm_cvtpd_ps(_mm_loadu_pd(reinterpret_cast<const double *>(p))); }
inline vf v_combine_lo(vf a, vf b) { return _mm_movelh_ps(a, b); }
template <int L> inline vf v_dup_lane(vf a) { return _mm_shuffle_ps(a, a, L * 0x55); }

#endif

// A vector of 16 bytes, one per lane, from a 16-byte array.
inline vi v_bytes(const uint8_t (&b)[16]) { return v_load(b); }

} // namespace gc::simd

#endif // GC_SIMD128
