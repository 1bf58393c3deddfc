// Dequantization kernels, one pair per ggml type: `dequant_<type>_ref` is the
// scalar definition; `dequant_<type>` is the fastest path this build has
// (SIMD128 under __wasm_simd128__, SSE4.1 natively, else the reference).
// Both have the dequant_fn contract of format/ggml-types.h (n a multiple of
// the block size, src holding exactly n / block_size blocks, no alignment
// required) and produce bit-identical floats (NaN payloads aside).
// Consumers reach them only through the type table.
#pragma once

#include <cstdint>

namespace gc {

#define GC_DECLARE_DEQUANT(type)                                      \
    void dequant_##type##_ref(const uint8_t * src, float * dst, int64_t n); \
    void dequant_##type(const uint8_t * src, float * dst, int64_t n);

// Plain element types (block size 1).
GC_DECLARE_DEQUANT(f32)
GC_DECLARE_DEQUANT(f16)
GC_DECLARE_DEQUANT(bf16)
GC_DECLARE_DEQUANT(f64)
GC_DECLARE_DEQUANT(i8)
GC_DECLARE_DEQUANT(i16)
GC_DECLARE_DEQUANT(i32)
GC_DECLARE_DEQUANT(i64)
// Legacy 32-blocks, FP4, 1-2 bit (dequant-ref.cpp).
GC_DECLARE_DEQUANT(q4_0)
GC_DECLARE_DEQUANT(q4_1)
GC_DECLARE_DEQUANT(q5_0)
GC_DECLARE_DEQUANT(q5_1)
GC_DECLARE_DEQUANT(q8_0)
GC_DECLARE_DEQUANT(q8_1)
GC_DECLARE_DEQUANT(mxfp4)
GC_DECLARE_DEQUANT(nvfp4)
GC_DECLARE_DEQUANT(q1_0)
GC_DECLARE_DEQUANT(q2_0)
// K-quants and ternary (dequant-ref-kquants.cpp).
GC_DECLARE_DEQUANT(q2_K)
GC_DECLARE_DEQUANT(q3_K)
GC_DECLARE_DEQUANT(q4_K)
GC_DECLARE_DEQUANT(q5_K)
GC_DECLARE_DEQUANT(q6_K)
GC_DECLARE_DEQUANT(q8_K)
GC_DECLARE_DEQUANT(tq1_0)
GC_DECLARE_DEQUANT(tq2_0)
// Codebook i-quants (dequant-ref-iquants.cpp).
GC_DECLARE_DEQUANT(iq2_xxs)
GC_DECLARE_DEQUANT(iq2_xs)
GC_DECLARE_DEQUANT(iq2_s)
GC_DECLARE_DEQUANT(iq3_xxs)
GC_DECLARE_DEQUANT(iq3_s)
GC_DECLARE_DEQUANT(iq1_s)
GC_DECLARE_DEQUANT(iq1_m)
GC_DECLARE_DEQUANT(iq4_nl)
GC_DECLARE_DEQUANT(iq4_xs)

#undef GC_DECLARE_DEQUANT

// IEEE half -> float, exact (NaN payloads kept).
float fp16_to_fp32(uint16_t h);

// Name of the fast path compiled into this build: "simd128", "sse4.1" or
// "scalar" (then dequant_<type> is dequant_<type>_ref).
const char * dequant_fast_isa();

} // namespace gc
