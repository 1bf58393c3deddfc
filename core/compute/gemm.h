// GEMM over dequantized weight tiles: the one matrix product of the forward.
//
// The streaming forward never holds a whole weight matrix. It reads a tile of
// W's rows (output features), dequantizes it to f32 and multiplies all tokens'
// activations by it:
//
//     Y[t, c] = sum_k X[t, k] * W[c, k]      t < n_tok, c < n_rows, k < n_in
//
// X is row-major [n_tok, n_in] (one token per row), W is row-major
// [n_rows, n_in] (ggml's layout of a tensor with ne = {n_in, n_rows}: each
// output feature's weights are contiguous), Y is row-major with leading
// dimension ldy, so a tile writes the column block Y[:, c0 : c0 + n_rows] of
// the full output. Tiles touch disjoint columns, so splitting them across
// threads gives results independent of the thread count.
#pragma once

#include <cstdint>

namespace gc {

// Scalar definition (float products, float sum in k order).
void gemm_xwt_ref(const float * x, int64_t n_tok, int64_t n_in,
                  const float * w, int64_t n_rows, float * y, int64_t ldy);

// Fast path (Eigen: AVX2 natively, SIMD128 in wasm). Same result up to
// float summation order.
void gemm_xwt(const float * x, int64_t n_tok, int64_t n_in,
              const float * w, int64_t n_rows, float * y, int64_t ldy);

} // namespace gc
