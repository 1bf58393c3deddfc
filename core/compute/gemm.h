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

// Fast path, used by the forward: the packed kernel (compute/gemm-packed.cpp)
// where this build has a SIMD micro-kernel (AVX2+FMA natively, SIMD128 in
// wasm), Eigen otherwise. Same result as gemm_xwt_ref up to float rounding
// (FMA or mul + add, summation split into blocks). Deterministic: the same
// inputs give the same bits whatever the thread and the call order.
// n_tok or n_rows <= 0: nothing is written; n_in <= 0: Y block set to 0.
void gemm_xwt(const float * x, int64_t n_tok, int64_t n_in,
              const float * w, int64_t n_rows, float * y, int64_t ldy);

// The two implementations behind gemm_xwt, exposed for tests and benches:
// Eigen's X * W^T (the previous fast path), and the packed kernel with this
// build's micro-kernel (gemm_packed_isa(): "avx2-fma", "simd128", "scalar")
// or, always available, with the portable scalar micro-kernel.
void gemm_xwt_eigen(const float * x, int64_t n_tok, int64_t n_in,
                    const float * w, int64_t n_rows, float * y, int64_t ldy);
void gemm_xwt_packed(const float * x, int64_t n_tok, int64_t n_in,
                     const float * w, int64_t n_rows, float * y, int64_t ldy);
void gemm_xwt_packed_scalar(const float * x, int64_t n_tok, int64_t n_in,
                            const float * w, int64_t n_rows, float * y, int64_t ldy);
const char * gemm_packed_isa();

} // namespace gc
