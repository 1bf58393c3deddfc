// Small scalar number formats and bit-unpacking helpers shared by the scalar
// and SIMD dequantizers (internal to core/quant/). Each is exact: it builds
// the float's bits or multiplies by a power of two.
#pragma once

#include <cstdint>
#include <cstring>

namespace gc {

inline float fp32_from_bits(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

inline uint32_t fp32_to_bits(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

// IEEE binary16 -> binary32. Normals rebias the exponent (15 -> 127),
// subnormals are mant * 2^-24 (exact), Inf/NaN keep their payload.
inline float fp16_to_fp32_inline(uint16_t h) {
    const uint32_t sign = (uint32_t) (h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ff;
    if (exp == 0x1f) return fp32_from_bits(sign | 0x7f800000u | (mant << 13));
    if (exp != 0) return fp32_from_bits(sign | ((exp + 112) << 23) | (mant << 13));
    return fp32_from_bits(sign | fp32_to_bits((float) mant * 0x1p-24f));
}

// E8M0 shared exponent of MXFP4, halved (the FP4 table is doubled):
// 2^(e - 128). e = 0 and 1 are the subnormals 2^-128 and 2^-127; e = 255 is
// 2^127 (ggml does not treat it as NaN).
inline float e8m0_half_to_fp32(uint8_t e) {
    return fp32_from_bits(e < 2 ? 0x00200000u << e : (uint32_t) (e - 1) << 23);
}

// Unsigned E4M3 scale of NVFP4, halved: bit 7 is ignored, exponent bias 7,
// exponent 0 is subnormal (man * 2^-9); codes 0x00 and 0x7f decode to 0.
inline float ue4m3_half_to_fp32(uint8_t x) {
    if (x == 0 || x == 0x7f) return 0.0f;
    const int exp = (x >> 3) & 0xf;
    const int man = x & 0x7;
    const float raw = exp == 0 ? (float) man * 0x1p-9f
                               : fp32_from_bits((uint32_t) (exp + 120) << 23 | (uint32_t) man << 20);
    return raw * 0.5f;
}

// 6-bit scale and min of group g (0..7) of a Q4_K / Q5_K block (blocks.h).
inline void k_quant_scale_min(int g, const uint8_t * s, uint8_t * sc, uint8_t * mn) {
    if (g < 4) {
        *sc = s[g] & 63;
        *mn = s[g + 4] & 63;
    } else {
        *sc = (uint8_t) ((s[g + 4] & 0xf) | ((s[g - 4] >> 6) << 4));
        *mn = (uint8_t) ((s[g + 4] >> 4) | ((s[g] >> 6) << 4));
    }
}

// The 16 six-bit scales of a Q3_K block, minus 32 (blocks.h).
inline void q3_k_scales(const uint8_t * s, int out[16]) {
    for (int i = 0; i < 16; ++i) {
        const int lo = i < 8 ? (s[i] & 0xf) : (s[i - 8] >> 4);
        const int hi = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
        out[i] = (lo | hi << 4) - 32;
    }
}

// The f16 super-scale of an IQ1_M block, assembled from the top nibbles of
// the four little-endian u16 words of its scales field.
inline uint16_t iq1_m_scale_bits(const uint8_t * scales) {
    uint16_t w[4];
    std::memcpy(w, scales, sizeof w);
    return (uint16_t) ((w[0] >> 12) | ((w[1] >> 8) & 0x00f0) | ((w[2] >> 4) & 0x0f00) | (w[3] & 0xf000));
}

} // namespace gc
