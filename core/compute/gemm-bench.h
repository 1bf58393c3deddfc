// GEMM throughput against the machine's measured SIMD peak (shared by
// `ggufcheck bench gemm` and the wasm binding). A benchmark, not a test:
// the numbers depend on the machine and its load.
//
// Peak: a register-blocked multiply-add loop with enough independent
// accumulators to hide the latency (10 x 8-lane FMA natively with AVX2+FMA,
// 8 x 4-lane mul+add with SIMD128, scalar otherwise), counting 2 flops per
// lane per step. This is what the core can retire, not a datasheet number.
#pragma once

#include <cstdint>
#include <string>

namespace gc {

class thread_pool;

// Name of the peak loop's instruction set ("avx2-fma", "simd128", "scalar").
const char * simd_peak_isa();

// GFLOP/s of the peak loop on each of the pool's workers at once (summed);
// pool nullptr: the calling thread. Runs for about min_time seconds.
double simd_peak_gflops(thread_pool * pool, double min_time);

struct gemm_bench_result {
    int64_t n_tok = 0, n_in = 0, n_out = 0, tile_rows = 0;
    double gflops = 0;     // the tiled product, as forward_runner::linear runs it
    double seconds = 0;    // per product
};

// Y[n_tok, n_out] = X[n_tok, n_in] W^T in row tiles of tile_rows, tiles spread
// over the pool (nullptr: one thread), best of repetitions within min_time.
gemm_bench_result gemm_bench_run(thread_pool * pool, int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows,
                                 double min_time);

} // namespace gc
