// Integer unpacking of quantized weight rows for the integer GEMM
// (compute/qgemm.h): a row's blocks as small integers with ggml's block
// scales, so that a dot product with 8-bit activations is an exact integer
// sum per block, as in ggml's vec_dot_<type>_q8_<0|K> kernels.
//
// Per block b of L elements (L = the type's block size):
//   w[k]   integer value of element k times its sub-block's integer scale:
//            Q8_0: q                      (L 32, |w| <= 128)
//            Q4_0: q - 8                  (L 32)
//            Q5_0: q - 16                 (L 32)
//            Q4_K: sc[k / 32] * q         (L 256, q 4-bit, sc 6-bit)
//            Q5_K: sc[k / 32] * q         (L 256, q 5-bit)
//            Q6_K: sc[k / 16] * (q - 32)  (L 256, q 6-bit, sc int8; |w| <= 4096)
//   d[b]   the block's float scale (f16 d decoded)
//   Q4_K / Q5_K also: m[8 b + j] the 6-bit min of 32-sub-block j, dm[b] = dmin.
// So that element k of block b is d[b] * w[k] - dm[b] * m[8 b + k / 32]
// (exactly the reference dequantization's value up to float rounding).
#pragma once

#include <cstdint>

#include "quant/act-quant.h"

namespace gc {

struct int_unpack_info {
    bool supported = false;
    int64_t block = 0;           // L
    int64_t type_size = 0;       // bytes per block
    bool has_mins = false;
    act_format act = act_format::f32;   // the activations' format (vec_dot_type)
};

int_unpack_info int_unpack_info_for(uint32_t ggml_type);

// Unpacks one row of n elements (n a multiple of the block): w[n], d[n / L],
// and with mins m[8 n / L], dm[n / L]. type must be supported.
void int_unpack_row(uint32_t ggml_type, const uint8_t * row, int64_t n, int16_t * w, float * d, int16_t * m, float * dm);

} // namespace gc
