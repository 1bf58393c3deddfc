// The integer GEMM's kernels against its definition (compute/qgemm.h) on
// random blocks: shared by tests/native/test-qgemm.cpp and the wasm module
// (wasm/gemm-bindings.cpp, tests/wasm/gemm.test.mjs), so that the SIMD128
// kernel is checked in the build that runs it.
//
// Definition: X rounded through the weight type's 8-bit format
// (quant/act-quant.h), W dequantized by the type table's reference kernel,
// the scalar f32 GEMM (gemm_xwt_ref). Error measure: |y - ref| / sum_k
// |x~_k w_k| (the product's own magnitude, so that cancelling sums do not
// blow it up), worst over odd shapes (tokens and rows not multiples of the
// micro-kernel's blocks). Float rounding only, ~6e-8 per operation: the
// integer sums are exact.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace gc {

// n_rows raw rows of n_in weights of type t (a qgemm type): random bytes,
// then sane f16 scales (random f16 bits could be Inf/NaN).
std::vector<uint8_t> qgemm_random_rows(uint32_t t, int64_t n_rows, int64_t n_in, std::mt19937 & rng);

struct qgemm_check_result {
    double worst_isa = 0;        // qgemm_tile (this CPU's kernel) vs the definition
    double worst_base = 0;       // qgemm_tile_base (the build's compile-time kernel)
    double worst_scalar = 0;     // qgemm_tile_scalar
    double worst_pair = 0;       // qgemm_tile vs qgemm_tile_scalar
    int64_t isa_base_differ = 0; // outputs where qgemm_tile and qgemm_tile_base differ in any bit
    int64_t stray_writes = 0;    // outputs written past a tile's columns (must be 0)
    int64_t outputs = 0;         // outputs compared
};

// Runs the shapes for type t (qgemm_supported) with a fixed seed.
qgemm_check_result qgemm_check(uint32_t t);

} // namespace gc
