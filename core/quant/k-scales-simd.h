// k_quant_scale_min (quant/scalar-formats.h) for all eight groups of a
// Q4_K / Q5_K block in one 128-bit vector (internal to core/quant/; shared by
// the 128-bit kernels and the AVX2 ones).
#pragma once

#include "quant/simd128.h"

#if GC_SIMD128

namespace gc::simd {

// Scales in byte lanes 0-7, mins in lanes 8-15. s: the 12 scale bytes (16
// are read; the quants follow them in both blocks).
//   g < 4:  sc = s[g] & 63,                          mn = s[g + 4] & 63
//   g >= 4: sc = (s[g + 4] & 15) | (s[g - 4] >> 6) << 4, mn = (s[g + 4] >> 4) | (s[g] >> 6) << 4
inline vi k_quant_scales_mins(const uint8_t * s) {
    static const uint8_t idx_low[16] = { 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80 };
    static const uint8_t mask_low[16] = { 63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 0, 0, 0, 0 };
    static const uint8_t idx_mn_high[16] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                             0x80, 0x80, 0x80, 0x80, 8, 9, 10, 11 };
    static const uint8_t idx_top[16] = { 0x80, 0x80, 0x80, 0x80, 0, 1, 2, 3, 0x80, 0x80, 0x80, 0x80, 4, 5, 6, 7 };
    const vi v = v_load(s);
    const vi low = v_and(v_shuffle8(v, v_bytes(idx_low)), v_bytes(mask_low));
    const vi mn_high_nibble = v_shuffle8(v_shr8(v, 4), v_bytes(idx_mn_high));
    const vi top = v_shuffle8(v_shl8(v_shr8(v, 6), 4), v_bytes(idx_top));
    return v_or(v_or(low, mn_high_nibble), top);
}

} // namespace gc::simd

#endif // GC_SIMD128
