#include "compute/gemm-bench.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "compute/gemm.h"
#include "compute/thread-pool.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define GC_PEAK_AVX2 1
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define GC_PEAK_SIMD128 1
#endif

namespace gc {

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the calling thread where the OS keeps it (Linux), else wall
// time. On a loaded machine it leaves out the time the thread was not
// scheduled (not the cache refills after it), so best-of runs converge.
double (*g_clock)() = nullptr;

double thread_s() {
    if (g_clock) return g_clock();
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
    timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
#endif
    return now_s();
}

// n steps of the register-blocked loop; returns flops done. The result is
// stored to a volatile sink so that the loop cannot be removed.
volatile float g_sink;
#if GC_PEAK_SIMD128
volatile float g_peak_m = 0.9999999f;   // p stays normal for 2^22 steps
#endif

double peak_loop(int64_t n) {
#if GC_PEAK_AVX2
    // 10 independent chains: FMA latency 4-5 cycles x 2 ports.
    __m256 a0 = _mm256_set1_ps(0.1f), a1 = _mm256_set1_ps(0.2f), a2 = _mm256_set1_ps(0.3f), a3 = _mm256_set1_ps(0.4f),
           a4 = _mm256_set1_ps(0.5f), a5 = _mm256_set1_ps(0.6f), a6 = _mm256_set1_ps(0.7f), a7 = _mm256_set1_ps(0.8f),
           a8 = _mm256_set1_ps(0.9f), a9 = _mm256_set1_ps(1.0f);
    const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f);
    for (int64_t i = 0; i < n; ++i) {
        a0 = _mm256_fmadd_ps(a0, m, c); a1 = _mm256_fmadd_ps(a1, m, c); a2 = _mm256_fmadd_ps(a2, m, c);
        a3 = _mm256_fmadd_ps(a3, m, c); a4 = _mm256_fmadd_ps(a4, m, c); a5 = _mm256_fmadd_ps(a5, m, c);
        a6 = _mm256_fmadd_ps(a6, m, c); a7 = _mm256_fmadd_ps(a7, m, c); a8 = _mm256_fmadd_ps(a8, m, c);
        a9 = _mm256_fmadd_ps(a9, m, c);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(_mm256_add_ps(a6, a7), _mm256_add_ps(a8, a9))));
    float out[8];
    _mm256_storeu_ps(out, s);
    g_sink = out[0];
    return (double) n * 10 * 8 * 2;
#elif GC_PEAK_SIMD128
    // No FMA in SIMD128 (relaxed SIMD is unusable with this toolchain): a
    // multiply-add is a mul and an add. 6 mul chains p *= m and 6 add
    // chains a += p: each chain waits for one op only (mul ~4 cycles, add
    // ~3), so 6 of each keep the 2 mul and 2 add ports busy; 12 + 1 v128
    // registers fit V8's 15 allocatable xmm. m comes from a volatile load:
    // as a literal, clang emits a v128.const at every use in the loop and V8
    // rebuilds each with ~4 integer instructions, which then bound the loop.
    // (The first version, 8 chains of a = a * m + c with literal constants,
    // measured ~34 GFLOP/s where the GEMM kernel reached ~40: not a peak.)
    const v128_t m = wasm_f32x4_splat(g_peak_m);
    v128_t p0 = wasm_f32x4_splat(1.0f), p1 = wasm_f32x4_splat(1.001f), p2 = wasm_f32x4_splat(1.002f),
           p3 = wasm_f32x4_splat(1.003f), p4 = wasm_f32x4_splat(1.004f), p5 = wasm_f32x4_splat(1.005f);
    v128_t a0 = wasm_f32x4_splat(0.1f), a1 = wasm_f32x4_splat(0.2f), a2 = wasm_f32x4_splat(0.3f),
           a3 = wasm_f32x4_splat(0.4f), a4 = wasm_f32x4_splat(0.5f), a5 = wasm_f32x4_splat(0.6f);
#define GC_STEP(p, a) p = wasm_f32x4_mul(p, m); a = wasm_f32x4_add(a, p)
    for (int64_t i = 0; i < n; ++i) {
        GC_STEP(p0, a0); GC_STEP(p1, a1); GC_STEP(p2, a2); GC_STEP(p3, a3); GC_STEP(p4, a4); GC_STEP(p5, a5);
    }
#undef GC_STEP
    v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)), wasm_f32x4_add(a4, a5));
    s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(p0, p1), wasm_f32x4_add(wasm_f32x4_add(p2, p3), wasm_f32x4_add(p4, p5))));
    g_sink = wasm_f32x4_extract_lane(s, 0);
    return (double) n * 6 * 4 * 2;
#else
    float a[8] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f };
    for (int64_t i = 0; i < n; ++i) {
        for (float & x : a) x = x * 0.999999f + 1e-6f;
    }
    g_sink = a[0] + a[7];
    return (double) n * 8 * 2;
#endif
}

} // namespace

void gemm_bench_set_clock(double (*clock_s)()) { g_clock = clock_s; }

const char * simd_peak_isa() {
#if GC_PEAK_AVX2
    return "avx2-fma";
#elif GC_PEAK_SIMD128
    return "simd128";
#else
    return "scalar";
#endif
}

double simd_peak_gflops(thread_pool * pool, double min_time) {
    const int nw = pool ? pool->size() : 1;
    double best = 0.0;
    const double t_end = now_s() + std::max(0.01, min_time);
    int64_t steps = 1 << 20;
    do {
        std::vector<double> fl((size_t) nw, 0.0);
        const double t0 = now_s();
        parallel_for(pool, nw, [&](int64_t i, int) { fl[(size_t) i] = peak_loop(steps); });
        const double dt = now_s() - t0;
        double flops = 0.0;
        for (double f : fl) flops += f;
        if (dt > 0) best = std::max(best, flops / dt * 1e-9);
        if (dt < 0.05) steps *= 2;
    } while (now_s() < t_end);
    return best;
}

namespace {

// The operands of one tiled product Y = X W^T, and a tile buffer per worker.
struct bench_operands {
    int64_t n_tok, n_in, n_out, tile_rows, n_tiles;
    std::vector<float> x, w, y;
    std::vector<std::vector<float>> tiles;
};

void bench_operands_init(bench_operands & b, int nw, int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows) {
    b.n_tok = n_tok;
    b.n_in = n_in;
    b.n_out = n_out;
    b.tile_rows = std::max<int64_t>(1, std::min(tile_rows, n_out));
    b.n_tiles = (n_out + b.tile_rows - 1) / b.tile_rows;
    b.x.assign((size_t) (n_tok * n_in), 0.0f);
    b.w.assign((size_t) (n_out * n_in), 0.0f);
    b.y.assign((size_t) (n_tok * n_out), 0.0f);
    b.tiles.assign((size_t) nw, std::vector<float>((size_t) (b.tile_rows * n_in)));
    uint32_t s = 12345;
    auto rnd = [&] {
        s = s * 1664525u + 1013904223u;
        return (float) (s >> 8) / 16777216.0f - 0.5f;
    };
    for (float & v : b.x) v = rnd();
    for (float & v : b.w) v = rnd();
}

// One full product; returns the largest per-worker time spent in fn.
// fresh: each tile is first copied into the worker's tile buffer (the
// forward dequantizes into it), else fn reads the tile in place in W.
double bench_product(thread_pool * pool, bench_operands & b, gemm_fn fn, bool fresh) {
    const int nw = pool ? pool->size() : 1;
    std::vector<double> busy((size_t) nw, 0.0);
    parallel_for(pool, b.n_tiles, [&](int64_t i, int worker) {
        const int64_t r0 = i * b.tile_rows, nr = std::min(b.tile_rows, b.n_out - r0);
        const float * tile = b.w.data() + r0 * b.n_in;
        if (fresh) {
            std::vector<float> & buf = b.tiles[(size_t) worker];
            std::copy(tile, tile + nr * b.n_in, buf.begin());
            tile = buf.data();
        }
        const double t0 = thread_s();
        fn(b.x.data(), b.n_tok, b.n_in, tile, nr, b.y.data() + r0, b.n_out);
        busy[(size_t) worker] += thread_s() - t0;
    });
    return *std::max_element(busy.begin(), busy.end());
}

double gflops_of(const bench_operands & b, double seconds) {
    return seconds > 0 ? 2.0 * (double) b.n_tok * (double) b.n_in * (double) b.n_out / seconds * 1e-9 : 0.0;
}

} // namespace

gemm_bench_result gemm_bench_run(thread_pool * pool, int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows,
                                 double min_time, gemm_fn fn) {
    bench_operands b;
    bench_operands_init(b, pool ? pool->size() : 1, n_tok, n_in, n_out, tile_rows);
    if (!fn) fn = gemm_xwt;
    gemm_bench_result r;
    r.n_tok = n_tok;
    r.n_in = n_in;
    r.n_out = n_out;
    r.tile_rows = b.tile_rows;
    double best = 1e30;
    const double t_end = now_s() + std::max(0.0, min_time);
    int reps = 0;
    do {
        best = std::min(best, bench_product(pool, b, fn, true));
        ++reps;
    } while (now_s() < t_end || reps < 2);
    r.seconds = best;
    r.gflops = gflops_of(b, best);
    return r;
}

gemm_bench_compare_result gemm_bench_compare(int64_t n_tok, int64_t n_in, int64_t n_out, int64_t tile_rows,
                                             double min_time) {
    bench_operands b;
    bench_operands_init(b, 1, n_tok, n_in, n_out, tile_rows);
    gemm_bench_compare_result r;
    r.n_tok = n_tok;
    r.n_in = n_in;
    r.n_out = n_out;
    r.tile_rows = b.tile_rows;
    // Warm-up, not counted (a quarter of min_time, at most 1 s): V8 first
    // runs wasm in its baseline compiler and swaps in optimized code later;
    // caches and per-thread buffers fill.
    const double t_warm = now_s() + std::min(1.0, 0.25 * min_time);
    do {
        peak_loop(int64_t(1) << 21);
        bench_product(nullptr, b, gemm_xwt_eigen, true);
        bench_product(nullptr, b, gemm_xwt, true);
    } while (now_s() < t_warm);
    double best[4] = { 1e30, 1e30, 1e30, 1e30 };
    const double t_end = now_s() + std::max(0.0, min_time);
    int rounds = 0;
    do {
        for (int i = 0; i < 4; ++i) {   // the peak loop, timed like the products
            const double t0 = thread_s();
            const double flops = peak_loop(int64_t(1) << 21);
            const double dt = thread_s() - t0;
            if (dt > 0) r.peak = std::max(r.peak, flops / dt * 1e-9);
        }
        best[0] = std::min(best[0], bench_product(nullptr, b, gemm_xwt_eigen, true));
        best[1] = std::min(best[1], bench_product(nullptr, b, gemm_xwt, true));
        best[2] = std::min(best[2], bench_product(nullptr, b, gemm_xwt_eigen, false));
        best[3] = std::min(best[3], bench_product(nullptr, b, gemm_xwt, false));
        ++rounds;
    } while (now_s() < t_end || rounds < 2);
    r.eigen_fresh = gflops_of(b, best[0]);
    r.ours_fresh = gflops_of(b, best[1]);
    r.eigen_inplace = gflops_of(b, best[2]);
    r.ours_inplace = gflops_of(b, best[3]);
    return r;
}

} // namespace gc
