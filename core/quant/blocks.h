// Block structs of the quantized ggml types, in file byte order, each with a
// size assertion and the formula that turns it into floats. Layouts and
// formulas follow ggml/src/ggml-common.h and ggml-quants.c (llama.cpp 80fb11a).
//
// Multi-byte fields are little-endian in files; this code assumes a
// little-endian host (x86, wasm). Kernels never cast file bytes to these
// structs (the bytes may be unaligned): they read fields at
// offsetof(struct, field) with load_le / plain byte access. The structs are
// the documentation of the layout and the source of those offsets.
//
// Notation: "f16" is an IEEE half, QK_K = 256 (a super-block), "q" a small
// unsigned code read from the bits, "d" a scale, "m" a min. All formulas are
// evaluated in float, in the order written (no FMA: -ffp-contract=off).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gc {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ggufcheck assumes a little-endian host");

// Unaligned little-endian load.
template <typename T> inline T load_le(const uint8_t * p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

constexpr int QK_K = 256;

// ---------------------------------------------------------------- legacy 32-blocks

constexpr int QK4_0 = 32;
constexpr int QK4_1 = 32;
constexpr int QK5_0 = 32;
constexpr int QK5_1 = 32;
constexpr int QK8_0 = 32;
constexpr int QK8_1 = 32;

// Q4_0: 32 weights, 4.5 bits each. x = d * (q - 8).
struct block_q4_0 {
    uint16_t d;              // f16 scale
    uint8_t qs[QK4_0 / 2];   // nibbles: low = element j, high = element j + 16
};
static_assert(sizeof(block_q4_0) == 18, "wrong q4_0 block size/padding");

// Q4_1: 32 weights, 5 bits each. x = q * d + m.
struct block_q4_1 {
    uint16_t d;              // f16 scale
    uint16_t m;              // f16 min
    uint8_t qs[QK4_1 / 2];   // nibbles as in Q4_0
};
static_assert(sizeof(block_q4_1) == 20, "wrong q4_1 block size/padding");

// Q5_0: 32 weights, 5.5 bits each. x = d * (q - 16), q = nibble | fifth bit << 4.
// qh as a little-endian u32: bit j is the fifth bit of element j (0..31).
struct block_q5_0 {
    uint16_t d;              // f16 scale
    uint8_t qh[4];           // fifth bits
    uint8_t qs[QK5_0 / 2];   // nibbles as in Q4_0
};
static_assert(sizeof(block_q5_0) == 22, "wrong q5_0 block size/padding");

// Q5_1: 32 weights, 6 bits each. x = q * d + m, q as in Q5_0 (unsigned).
struct block_q5_1 {
    uint16_t d;              // f16 scale
    uint16_t m;              // f16 min
    uint8_t qh[4];
    uint8_t qs[QK5_1 / 2];
};
static_assert(sizeof(block_q5_1) == 24, "wrong q5_1 block size/padding");

// Q8_0: 32 weights, 8.5 bits each. x = q * d.
struct block_q8_0 {
    uint16_t d;              // f16 scale
    int8_t qs[QK8_0];
};
static_assert(sizeof(block_q8_0) == 34, "wrong q8_0 block size/padding");

// Q8_1: 32 weights, 9 bits each; an activation format of ggml's dot products
// (ggml has no to_float for it). Decoded here as x = q * d; s = d * sum(q)
// is redundant and ignored.
struct block_q8_1 {
    uint16_t d;              // f16 scale
    uint16_t s;              // f16 d * sum(qs)
    int8_t qs[QK8_1];
};
static_assert(sizeof(block_q8_1) == 36, "wrong q8_1 block size/padding");

// ---------------------------------------------------------------- FP4 / 1-2 bit

constexpr int QK_MXFP4 = 32;
constexpr int QK_NVFP4 = 64;
constexpr int QK_NVFP4_SUB = 16;
constexpr int QK1_0 = 128;
constexpr int QK2_0 = 64;

// MXFP4 (OCP microscaling): 32 weights, 4.25 bits each.
// x = k_fp4_values[nibble] * e8m0_half(e), where k_fp4_values holds the E2M1
// values doubled (0, 1, 2, 3, 4, 6, 8, 12, then negated) and e8m0_half(e) =
// 2^(e - 128), so the product is E2M1 * 2^(e - 127). Nibbles as in Q4_0.
struct block_mxfp4 {
    uint8_t e;                   // E8M0 shared exponent
    uint8_t qs[QK_MXFP4 / 2];
};
static_assert(sizeof(block_mxfp4) == 17, "wrong mxfp4 block size/padding");

// NVFP4: 64 weights in 4 sub-blocks of 16, 4.5 bits each.
// x = k_fp4_values[nibble] * ue4m3_half(d[s]); sub-block s owns qs[8s..8s+7]
// with low nibbles = its elements 0..7, high nibbles = 8..15.
// ue4m3_half: unsigned E4M3 (bias 7, 3 mantissa bits, bit 7 ignored) times
// 0.5; codes 0x00 and 0x7f (E4M3's NaN) decode to 0.
struct block_nvfp4 {
    uint8_t d[QK_NVFP4 / QK_NVFP4_SUB];   // UE4M3 scales, one per 16 weights
    uint8_t qs[QK_NVFP4 / 2];             // E2M1 nibbles
};
static_assert(sizeof(block_nvfp4) == 36, "wrong nvfp4 block size/padding");

// Q1_0: 128 weights, 1.125 bits each. x = bit ? d : -d, bit j of the
// little-endian bit string qs is element j.
struct block_q1_0 {
    uint16_t d;              // f16 scale
    uint8_t qs[QK1_0 / 8];
};
static_assert(sizeof(block_q1_0) == 18, "wrong q1_0 block size/padding");

// Q2_0: 64 weights, 2.25 bits each. x = (q - 1) * d with q = bits 2(j%4)..
// of qs[j/4]: codes 00 -> -1, 01 -> 0, 10 -> +1, 11 -> +2.
struct block_q2_0 {
    uint16_t d;              // f16 scale
    uint8_t qs[QK2_0 / 4];
};
static_assert(sizeof(block_q2_0) == 18, "wrong q2_0 block size/padding");

// ---------------------------------------------------------------- ternary

// TQ1_0: 256 ternary weights, 1.6875 bits each. x = (t - 1) * d, t in {0,1,2}.
// Five trits per byte in qs, four in qh, stored as a base-3 fixed-point
// fraction: byte b holds trits t0..t4 as b = ceil(sum t_k 3^(4-k) * 256/243);
// trit n of byte b is ((uint8_t)(b * 3^n) * 3) >> 8.
// Element order: qs[0..31] x trit 0..4 (160 weights, byte-fastest), then
// qs[32..47] x trit 0..4 (80 weights), then qh[0..3] x trit 0..3 (16 weights).
struct block_tq1_0 {
    uint8_t qs[(QK_K - 4 * QK_K / 64) / 5];   // 48 bytes, 5 trits each
    uint8_t qh[QK_K / 64];                    // 4 bytes, 4 trits each
    uint16_t d;                               // f16 scale
};
static_assert(sizeof(block_tq1_0) == 54, "wrong tq1_0 block size/padding");

// TQ2_0: 256 weights, 2.0625 bits each. x = (q - 1) * d, q 2-bit.
// Element 128*h + 32*l + m is bits 2l..2l+1 of qs[32*h + m].
struct block_tq2_0 {
    uint8_t qs[QK_K / 4];
    uint16_t d;              // f16 scale
};
static_assert(sizeof(block_tq2_0) == 66, "wrong tq2_0 block size/padding");

// ---------------------------------------------------------------- k-quants

constexpr int K_SCALE_SIZE = 12;

// Q2_K: 256 weights in 16 groups of 16, 2.625 bits each.
// x = (d * sc) * q - (dmin * mn), sc = scales[g] & 15, mn = scales[g] >> 4.
// Element 128*h + 32*s + 16*k + l (h half, s shift step 0..3, k 0..1, l 0..15)
// is bits 2s..2s+1 of qs[32*h + 16*k + l]; its group is g = 8*h + 2*s + k.
struct block_q2_K {
    uint8_t scales[QK_K / 16];   // 4-bit scale | 4-bit min << 4
    uint8_t qs[QK_K / 4];        // 2-bit codes
    uint16_t d;                  // f16 super-scale of the scales
    uint16_t dmin;               // f16 super-scale of the mins
};
static_assert(sizeof(block_q2_K) == 84, "wrong q2_K block size/padding");

// Q3_K: 256 weights in 16 groups of 16, 3.4375 bits each.
// x = (d * (sc - 32)) * (q - (hbit ? 0 : 4)), q 2-bit as in Q2_K, hbit =
// bit s' of hmask[16*k + l] where s' = 4*h + s counts the 2-bit planes.
// The 16 six-bit scales sc: low 4 bits of scale i are nibble i%8 of
// scales[0..7] (low nibbles for i < 8, high for i >= 8), the top 2 bits are
// bits 2*(i/4)..+1 of scales[8 + i%4].
struct block_q3_K {
    uint8_t hmask[QK_K / 8];     // high bits
    uint8_t qs[QK_K / 4];        // low 2 bits
    uint8_t scales[12];          // 16 six-bit scales, packed
    uint16_t d;                  // f16 super-scale
};
static_assert(sizeof(block_q3_K) == 110, "wrong q3_K block size/padding");

// Q4_K: 256 weights in 8 groups of 32, 4.5 bits each.
// x = (d * sc) * q - (dmin * mn); 6-bit sc and mn of group g (see
// k_quant_scale_min): g < 4: sc = s[g] & 63, mn = s[g+4] & 63; g >= 4:
// sc = (s[g+4] & 15) | (s[g-4] >> 6) << 4, mn = (s[g+4] >> 4) | (s[g] >> 6) << 4.
// Groups 2p and 2p+1 are the low and high nibbles of qs[32p .. 32p+31].
struct block_q4_K {
    uint16_t d;                      // f16 super-scale of the scales
    uint16_t dmin;                   // f16 super-scale of the mins
    uint8_t scales[K_SCALE_SIZE];    // 8 x (6-bit scale, 6-bit min)
    uint8_t qs[QK_K / 2];            // nibbles
};
static_assert(sizeof(block_q4_K) == 144, "wrong q4_K block size/padding");

// Q5_K: as Q4_K with a fifth bit: q = nibble + 16 * (bit g of qh[l]) for
// element l of group g. 5.5 bits each.
struct block_q5_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[K_SCALE_SIZE];
    uint8_t qh[QK_K / 8];            // fifth bits: bit g of qh[l]
    uint8_t qs[QK_K / 2];
};
static_assert(sizeof(block_q5_K) == 176, "wrong q5_K block size/padding");

// Q6_K: 256 weights in 16 groups of 16, 6.5625 bits each.
// x = (d * sc) * (q - 32), sc int8, q = 4 low bits | 2 high bits << 4.
// Per half h (128 weights): element 32*k + l (k 0..3, l 0..31) takes its low
// bits from ql[64h + l + 32*(k&1)] (low nibble for k < 2, high for k >= 2),
// its high bits from bits 2k..2k+1 of qh[32h + l], and scale sc[8h + 2k + l/16].
struct block_q6_K {
    uint8_t ql[QK_K / 2];
    uint8_t qh[QK_K / 4];
    int8_t scales[QK_K / 16];
    uint16_t d;                      // f16 super-scale
};
static_assert(sizeof(block_q6_K) == 210, "wrong q6_K block size/padding");

// Q8_K: 256 weights, an activation format of ggml's dot products.
// x = d * q with an f32 d; bsums is redundant.
struct block_q8_K {
    float d;
    int8_t qs[QK_K];
    int16_t bsums[QK_K / 16];
};
static_assert(sizeof(block_q8_K) == 292, "wrong q8_K block size/padding");

// ---------------------------------------------------------------- i-quants
// Codebook types: groups of 8 (IQ2, IQ1) or 4 (IQ3) weights are an index into
// a grid of magnitudes (quant/iq-grids.h), with per-weight sign bits where the
// grid is unsigned. A 7-bit sign code expands to 8 signs through k_iq2_signs
// (the 8th sign makes the count of negatives even).

// IQ2_XXS: 2.0625 bits each. Per 32 weights, 8 bytes read as two LE u32 a, b:
// bytes of a = four iq2xxs grid indices (8 weights each); b bits 7l..7l+6 =
// sign code of group l; b >> 28 = 4-bit scale. db = d * (0.5 + (b >> 28)) * 0.25.
// x = db * grid[j] * (sign ? -1 : 1).
struct block_iq2_xxs {
    uint16_t d;
    uint16_t qs[QK_K / 8];
};
static_assert(sizeof(block_iq2_xxs) == 66, "wrong iq2_xxs block size/padding");

// IQ2_XS: 2.3125 bits each. Per 8 weights a u16: low 9 bits index
// iq2xs_grid, high 7 bits the sign code. Per 32 weights a scale byte:
// groups 0-1 use the low nibble, 2-3 the high; db = d * (0.5 + s) * 0.25.
struct block_iq2_xs {
    uint16_t d;
    uint16_t qs[QK_K / 8];
    uint8_t scales[QK_K / 32];
};
static_assert(sizeof(block_iq2_xs) == 74, "wrong iq2_xs block size/padding");

// IQ2_S: 2.5625 bits each. qs[0..31]: low 8 bits of the 10-bit iq2s_grid
// index per 8 weights; qs[32..63]: sign bytes (one per 8 weights, bit j =
// element j); qh[ib]: bits 2l..2l+1 are index bits 8-9 of group l of 32-block
// ib; scales as in IQ2_XS.
struct block_iq2_s {
    uint16_t d;
    uint8_t qs[QK_K / 4];
    uint8_t qh[QK_K / 32];
    uint8_t scales[QK_K / 32];
};
static_assert(sizeof(block_iq2_s) == 82, "wrong iq2_s block size/padding");

// IQ3_XXS: 3.0625 bits each. qs[0..63]: iq3xxs grid indices (4 weights
// each); qs[64..95]: per 32 weights one LE u32, bits 7l..7l+6 = sign code of
// 8-weight group l, >> 28 = scale; db = d * (0.5 + s) * 0.5.
struct block_iq3_xxs {
    uint16_t d;
    uint8_t qs[3 * QK_K / 8];
};
static_assert(sizeof(block_iq3_xxs) == 98, "wrong iq3_xxs block size/padding");

// IQ3_S: 3.4375 bits each. 9-bit iq3s_grid index per 4 weights: low 8 bits
// in qs, bit 8 from qh (bit k of qh[ib] for the k-th index of 32-block ib);
// explicit sign bits (bit j of signs[...] = element j of its 8-group); per 64
// weights a scale nibble (low nibble first), db = d * (1 + 2 * s).
struct block_iq3_s {
    uint16_t d;
    uint8_t qs[QK_K / 4];
    uint8_t qh[QK_K / 32];
    uint8_t signs[QK_K / 8];
    uint8_t scales[QK_K / 64];
};
static_assert(sizeof(block_iq3_s) == 110, "wrong iq3_s block size/padding");

constexpr float IQ1S_DELTA = 0.125f;

// IQ1_S: 1.5625 bits each. 11-bit iq1s_grid index per 8 weights (signed
// values -1, 0, 1): low 8 bits in qs, high 3 bits in bits 3l..3l+2 of qh[ib].
// qh[ib] bits 12-14 = 3-bit scale s, bit 15 = sign of the delta.
// x = (d * (2s + 1)) * (grid[j] + (bit15 ? -0.125 : 0.125)).
struct block_iq1_s {
    uint16_t d;
    uint8_t qs[QK_K / 8];
    uint16_t qh[QK_K / 32];
};
static_assert(sizeof(block_iq1_s) == 50, "wrong iq1_s block size/padding");

// IQ1_M: 1.75 bits each, no separate d: the f16 super-scale is the top
// nibbles of the four LE u16 words of `scales` (word k bits 12-15 = scale bits
// 4k..4k+3). Per 32-block ib, word ib/2 bits 6(ib%2)..+2 and +3..+5 are the
// 3-bit scales of its two 16-weight halves: dl = d * (2s + 1). Per 8 weights
// an 11-bit iq1s grid index (qs byte + 3 bits of a qh nibble) and a delta
// sign (bit 3 of that qh nibble). x = dl * (grid[j] + delta).
struct block_iq1_m {
    uint8_t qs[QK_K / 8];
    uint8_t qh[QK_K / 16];
    uint8_t scales[QK_K / 32];
};
static_assert(sizeof(block_iq1_m) == 56, "wrong iq1_m block size/padding");

constexpr int QK4_NL = 32;

// IQ4_NL: 32 weights, 4.5 bits each. x = d * k_iq4nl_values[nibble], nibbles
// as in Q4_0.
struct block_iq4_nl {
    uint16_t d;
    uint8_t qs[QK4_NL / 2];
};
static_assert(sizeof(block_iq4_nl) == 18, "wrong iq4_nl block size/padding");

// IQ4_XS: 256 weights, 4.25 bits each. Per 32-block ib a 6-bit scale
// ls = nibble ib of scales_l (low nibble first) | (bits 2ib..2ib+1 of
// scales_h) << 4; x = (d * (ls - 32)) * k_iq4nl_values[nibble], nibbles of
// qs[16ib .. 16ib+15] as in Q4_0.
struct block_iq4_xs {
    uint16_t d;
    uint16_t scales_h;
    uint8_t scales_l[QK_K / 64];
    uint8_t qs[QK_K / 2];
};
static_assert(sizeof(block_iq4_xs) == 136, "wrong iq4_xs block size/padding");

} // namespace gc
