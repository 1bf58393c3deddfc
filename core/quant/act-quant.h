// Activation rounding of llama.cpp's CPU backend (ggml-cpu), for the
// forward's "ggml" arithmetic (forward/forward.h, activation_mode::ggml).
//
// ggml-cpu multiplies a weight of type W by activations first converted to
// W's "vec_dot_type" (ggml-cpu.c, type_traits_cpu[W].vec_dot_type):
//   Q4_0, Q5_0, Q8_0, IQ4_NL, MXFP4, NVFP4, Q1_0, Q2_0  -> Q8_0
//   Q4_1, Q5_1                                          -> Q8_1
//   Q2_K..Q6_K, IQ2_*, IQ3_*, IQ1_*, IQ4_XS, TQ1_0/TQ2_0 -> Q8_K
//   F16 -> F16, BF16 -> BF16, F32 (and anything else) -> F32 (no rounding)
// Every mul_mat with such a weight sees rounded activations, the output head
// included; get_rows (the token embedding) does not.
//
// Formats (one token row of n floats, n a multiple of the block):
//   Q8_0 / Q8_1: blocks of 32. The quantizer is the one ggml-cpu runs on
//     x86 with AVX (arch/x86/quants.c quantize_row_q8_0/_q8_1, and the
//     repacked GEMMs' ggml_quantize_mat_q8_0_4x8): amax = max |x|,
//     d = amax / 127 (stored as f16), id = amax ? 127 / amax : 0,
//     q = round-half-even(x * id). ggml's scalar reference
//     (quantize_row_q8_0_ref) differs in the last bit at most: id = 1 / d
//     and roundf (half away from zero). Value: x~ = f16(d) * q.
//     Q8_1 adds s = f16(d * sum q) (used by Q4_1/Q5_1's min term).
//   Q8_K: blocks of 256 (quantize_row_q8_K_ref, which x86 also runs):
//     max = the element of largest |x|, iscale = -127 / max,
//     q = min(127, round-half-even(iscale * x)), d = 1 / iscale (an f32),
//     bsums[j] = sum of q over elements 16 j .. 16 j + 15. All-zero block:
//     d = 0, q = 0. Value: x~ = d * q.
//   F16 / BF16: each value rounded to nearest-even (F16C's vcvtps2ph,
//     ggml's GGML_FP32_TO_BF16).
#pragma once

#include <cstdint>

namespace gc {

enum class act_format : uint8_t { f32, f16, bf16, q8_0, q8_1, q8_K };

// The vec_dot_type of a weight of ggml type id (table above); f32 for
// unknown ids and types ggml computes in f32.
act_format act_format_for_weight(uint32_t ggml_type);

// "f32", "f16", "bf16", "q8_0", "q8_1", "q8_K".
const char * act_format_name(act_format f);

// Elements per block: 1 (f32, f16, bf16), 32 (q8_0, q8_1), 256 (q8_K).
int64_t act_format_block(act_format f);

// Rounded conversions (nearest, ties to even; NaN stays NaN).
uint16_t fp32_to_fp16_rne(float f);
uint16_t fp32_to_bf16_rne(float f);
float bf16_to_fp32(uint16_t h);

// One row of n floats (n a multiple of 32) to Q8_0 / Q8_1: qs[n], and per
// block the scale as ggml uses it (f16 -> f32). q8_1 also gives s (f16 -> f32).
void act_quantize_row_q8_0(const float * x, int64_t n, int8_t * qs, float * d);
void act_quantize_row_q8_1(const float * x, int64_t n, int8_t * qs, float * d, float * s);

// One row of n floats (n a multiple of 256) to Q8_K: qs[n], d[n / 256],
// bsums[n / 16].
void act_quantize_row_q8_K(const float * x, int64_t n, int8_t * qs, float * d, int16_t * bsums);

// y = the value ggml's dot products see for x: quantize to format f and
// back (f32: a copy). n a multiple of act_format_block(f); y may equal x.
void act_round_trip_row(act_format f, const float * x, int64_t n, float * y);

} // namespace gc
