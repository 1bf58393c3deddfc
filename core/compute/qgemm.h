// Integer GEMM over raw quantized weight tiles, ggml's arithmetic
// (forward/forward.h, activation_mode::ggml):
//
//     Y[t, c] = sum over blocks b of  d_w[c, b] d_x[t, b] isum(t, c, b)
//                                   - dmin_w[c, b] d_x[t, b] msum(t, c, b)
//
// with exact integer sums inside each block (compute/qgemm-ukernel.h), the
// activations X quantized once per matrix to the weight type's vec_dot_type
// (quant/act-quant.h: Q8_0 for Q4_0 / Q5_0 / Q8_0, Q8_K for Q4_K / Q5_K /
// Q6_K) and the weights taken from the file's blocks (a tile of rows, as
// weight_source::read_raw_rows returns them). The float result differs from
// "round-trip X through the 8-bit format, dequantize W, f32 GEMM" only by
// float rounding (summation order).
//
// Layouts as compute/gemm.h: X [n_tok, n_in] row-major, W rows of n_in
// weights (ggml rows: raw blocks, row_bytes each), Y with leading dimension
// ldy, a tile writing the column block Y[:, 0 : n_rows].
#pragma once

#include <cstdint>
#include <vector>

#include "quant/act-quant.h"

namespace gc {

class thread_pool;

// True when weights of this ggml type have an integer kernel.
bool qgemm_supported(uint32_t ggml_type);

// X quantized for one weight type's kernel: per token row the 8-bit quants
// widened to int16, the block scales and (types with mins) the sums of each
// 32-quant sub-block. Rows are padded with zeros to the micro-kernel's
// token block.
struct qgemm_acts {
    uint32_t weight_type = 0;
    act_format format = act_format::f32;
    int64_t n_tok = 0, n_in = 0, n_tok_pad = 0;
    int64_t block = 0;                // elements per block (32 or 256)
    std::vector<int16_t> q;           // [n_tok_pad][n_in]
    std::vector<float> d;             // [n_tok_pad][n_in / block]
    std::vector<int16_t> s;           // [n_tok_pad][n_in / 32], mins only
};

// Quantizes X for weight_type (qgemm_supported; n_in a multiple of its
// block), rows spread over the pool (nullptr: the calling thread). Each row
// depends on itself only: the same bits for any thread count.
void qgemm_acts_build(uint32_t weight_type, const float * x, int64_t n_tok, int64_t n_in, thread_pool * pool,
                      qgemm_acts & a);

// Per-thread scratch (packed weight panel, edge block), reused across tiles.
struct qgemm_scratch {
    std::vector<int16_t> q, m, row;
    std::vector<float> d, dm;
    std::vector<int16_t> mrow;
    std::vector<float> drow, dmrow;
};

// Y[:, 0:n_rows] = X W^T for n_rows raw weight rows of a.weight_type (each
// row ggml_row_bytes(type, a.n_in) bytes, contiguous). Uses this build's
// micro-kernel (qgemm_isa(): "avx-vnni" where an x86 CPU has it, else
// "avx2", "simd128" or "scalar"); for tests, qgemm_tile_base uses the
// compile-time kernel (qgemm_base_isa(), never AVX-VNNI) and
// qgemm_tile_scalar the scalar one.
void qgemm_tile(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy, qgemm_scratch & s);
void qgemm_tile_base(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy, qgemm_scratch & s);
const char * qgemm_base_isa();
void qgemm_tile_scalar(const qgemm_acts & a, const uint8_t * w, int64_t n_rows, float * y, int64_t ldy,
                       qgemm_scratch & s);
const char * qgemm_isa();

} // namespace gc
