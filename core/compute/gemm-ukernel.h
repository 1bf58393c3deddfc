// The micro-kernel of the packed GEMM (compute/gemm-packed.cpp), one per
// instruction set, chosen at compile time (a wasm module or a native binary
// targets one ISA; there is no run-time dispatch):
//   gemm-ukernel-avx2.h     AVX2 + FMA, 6 x 16 block   (native x86-64-v3)
//   gemm-ukernel-simd128.h  SIMD128 mul + add, 4 x 8   (wasm -msimd128)
//   gemm-ukernel-scalar.h   plain loops, 4 x 8         (anything else; always
//                           compiled, so that tests run the driver with it)
//
// Contract of a kernel struct K:
//   K::k_mr, K::k_nr   block: k_mr tokens x k_nr outputs
//   K::k_isa           name of the instruction set
//   K::k_kc            k block of the driver (a multiple of 8)
//   K::ukernel(kb, a, lda, bp, cin, ldcin, out, ldout)
//       out[i, j] = (cin ? cin[i, j] : 0) + sum_{k < kb} a[i, k] * bp[k, j]
//       for i < k_mr, j < k_nr (full block: padding is the driver's job).
//       a: k_mr rows of stride lda; bp: packed W panel, kb rows of k_nr
//       contiguous floats, 64-byte aligned; cin may equal out (same strides).
//   K::pack_panel_full(w, ldw, kb, bp)
//       bp[k, j] = w[j, k] for k_nr rows j of W (stride ldw), k < kb.
// The sum over k runs in k order per accumulator lane; the kernels differ
// from gemm_xwt_ref only by float rounding (FMA natively, mul + add in
// wasm, and the split of k into blocks).
#pragma once

#include "compute/gemm-ukernel-scalar.h"

#if defined(__AVX2__) && defined(__FMA__)
#include "compute/gemm-ukernel-avx2.h"
#define GC_GEMM_HAVE_SIMD 1
namespace gc::gemm_detail { using ukernel_isa = ukernel_avx2; }
#elif defined(__wasm_simd128__)
#include "compute/gemm-ukernel-simd128.h"
#define GC_GEMM_HAVE_SIMD 1
namespace gc::gemm_detail { using ukernel_isa = ukernel_simd128; }
#else
#define GC_GEMM_HAVE_SIMD 0
namespace gc::gemm_detail { using ukernel_isa = ukernel_scalar; }
#endif
