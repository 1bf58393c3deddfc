// Micro-kernels of the integer GEMM (compute/qgemm.cpp), one per
// instruction set, chosen at compile time like the f32 GEMM's
// (compute/gemm-ukernel.h):
//   qgemm-ukernel-avx2.h     AVX2 _mm256_madd_epi16, 4 tokens x 16 rows
//   qgemm-ukernel-simd128.h  SIMD128 i32x4.dot_i16x8_s, 4 tokens x 8 rows
//   qgemm-ukernel-scalar.h   plain loops, 4 tokens x 8 rows (always
//                            compiled: the reference the tests compare with)
//
// Data (both sides pre-widened to int16, so one instruction multiplies pairs
// of int16 and adds the two products into an int32 lane: pmaddwd natively,
// i32x4.dot_i16x8_s in wasm; no unsigned x signed trick and no int16
// saturation, and the same 16 products per AVX2 uop as maddubs + madd):
//   weights, one panel of k_nr rows, n_blocks blocks of L elements:
//     q[(k / 2) * k_nr * 2 + r * 2 + k % 2] = the weight's integer value
//         times its sub-block's integer scale (Q4_K: sc * q, Q6_K:
//         sc * (q - 32), Q4_0: q - 8, Q8_0: q; |value| <= 4096)
//     d[b * k_nr + r]   = the block's float scale (ggml's d)
//     m, dm (K-quants with mins only): m[((b * 4 + j / 2) * k_nr + r) * 2 +
//         j % 2] = the integer min of 32-sub-block j (j < 8), dm[b * k_nr +
//         r] = the block's dmin
//   activations, k_mr token rows (stride ldq / ldd / lds):
//     q[t][k] = the 8-bit quant (Q8_0 or Q8_K) as int16, d[t][b] its block
//     scale, s[t][b * 8 + j] = the sum of q over 32-sub-block j (mins only)
// Result, as ggml's vec_dot_*: per block an exact int32 sum
//     isum = sum_k wq[k] x[k],   msum = sum_j m[j] s[j]
// then out[t][r] += (float) isum * (d_w * d_x) - (float) msum * (dm_w * d_x)
// in float, block after block. Bounds: |isum| <= 256 * 4096 * 127 < 2^28.
#pragma once

#include <cstdint>

namespace gc::qgemm_detail {

struct qpanel {
    const int16_t * q = nullptr;
    const float * d = nullptr;
    const int16_t * m = nullptr;    // nullptr: no mins
    const float * dm = nullptr;
};

struct qacts_rows {
    const int16_t * q = nullptr;
    int64_t ldq = 0;
    const float * d = nullptr;
    int64_t ldd = 0;
    const int16_t * s = nullptr;    // sub-block sums (mins only)
    int64_t lds = 0;
};

} // namespace gc::qgemm_detail

#include "compute/qgemm-ukernel-scalar.h"

#if defined(__AVX2__) && defined(__FMA__)
#include "compute/qgemm-ukernel-avx2.h"
#define GC_QGEMM_HAVE_SIMD 1
namespace gc::qgemm_detail { using qukernel_isa = qukernel_avx2; }
#elif defined(__wasm_simd128__)
#include "compute/qgemm-ukernel-simd128.h"
#define GC_QGEMM_HAVE_SIMD 1
namespace gc::qgemm_detail { using qukernel_isa = qukernel_simd128; }
#else
#define GC_QGEMM_HAVE_SIMD 0
namespace gc::qgemm_detail { using qukernel_isa = qukernel_scalar; }
#endif
