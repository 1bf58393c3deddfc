// GEMM throughput against the machine's measured SIMD peak (shared by
// `ggufcheck bench gemm` and the wasm binding). A benchmark, not a test:
// the numbers depend on the machine and its load.
//
// Peak: a register-blocked multiply-add loop with enough independent
// chains to hide the latency (10 x 8-lane FMA natively with AVX2+FMA; with
// SIMD128, which has no FMA, 6 mul chains feeding 6 add chains of 4 lanes;
// scalar otherwise), counting 2 flops per lane per multiply-add. This is
// what the core can retire, not a datasheet number.
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

// A GEMM implementation (compute/gemm.h signature).
using gemm_fn = void (*)(const float * x, int64_t n_tok, int64_t n_in, const float * w, int64_t n_rows, float * y,
                         int64_t ldy);

struct gemm_bench_result {
    int64_t n_tok = 0, n_in = 0, n_out = 0, tile_rows = 0;
    double gflops = 0;     // the tiled product, as forward_runner::linear runs it
    double seconds = 0;    // per product: time in fn only (the forward's gemm_s)
};

// Y[n_tok, n_out] = X[n_tok, n_in] W^T in row tiles of tile_rows, tiles spread
// over the pool (nullptr: one thread), best of repetitions within min_time.
// As in forward_runner::linear, each tile is first written into the worker's
// tile buffer (there: dequantized; here: copied from W), so the product
// finds it freshly written (mostly in L2), and X is shared by all tiles. Only
// the products are timed (seconds: the largest per-worker sum of their CPU
// times, see gemm_bench_compare).
// fn nullptr: gemm_xwt.
gemm_bench_result gemm_bench_run(thread_pool * pool, int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows,
                                 double min_time, gemm_fn fn = nullptr);

// Side by side on one thread, interleaved in rounds so that a load change
// hits all alike (best of the rounds for each): the peak loop, Eigen
// (gemm_xwt_eigen, the previous path) and gemm_xwt (this build's path), each
// GEMM with the tile freshly written as above ("fresh") and, as the first
// version of this bench measured, read in place from the whole W ("inplace",
// W of n_out x n_in floats, usually out of L2). GFLOP/s. Times here and in
// gemm_bench_run are the thread's CPU time where the OS keeps it (Linux),
// wall time elsewhere (wasm), so that other processes' load does not count.
struct gemm_bench_compare_result {
    int64_t n_tok = 0, n_in = 0, n_out = 0, tile_rows = 0;
    double peak = 0;
    double eigen_fresh = 0, ours_fresh = 0;
    double eigen_inplace = 0, ours_inplace = 0;
};
// Replaces the clock of gemm_bench_run and gemm_bench_compare (seconds,
// any origin; nullptr: back to the default). The wasm binding installs the
// process CPU time of node (process.cpuUsage), which wasm cannot read.
void gemm_bench_set_clock(double (*clock_s)());

gemm_bench_compare_result gemm_bench_compare(int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows,
                                             double min_time);

} // namespace gc
