// The primary scale(s) of one quantized block, as floats, for integrity
// checks: a block whose scale is zero decodes to all zeros, one whose scale
// is NaN or Inf poisons every weight it covers; both are a real class of
// broken quants. Mins (Q4_1 m, k-quant dmin) are not included: a zero min is
// normal.
#pragma once

#include <cstdint>

namespace gc {

constexpr int BLOCK_SCALES_MAX = 4;

// Writes the block's scales to out and returns how many (1, or 4 for NVFP4);
// 0 for types without a block scale (float and integer element types) and
// for unknown ids. `block` points at one whole block of the type.
//  - MXFP4: E8M0 code 0xff is NaN in the OCP MX spec (ggml decodes it as
//    2^127); it is reported as NaN here.
//  - NVFP4: UE4M3 code 0x7f is E4M3's NaN (ggml decodes it as 0); reported
//    as NaN here.
int block_scales(uint32_t type, const uint8_t * block, float out[BLOCK_SCALES_MAX]);

} // namespace gc
