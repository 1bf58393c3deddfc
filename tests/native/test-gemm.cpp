// The forward's GEMM: every implementation behind gemm_xwt (the packed
// kernel with this build's micro-kernel, the packed kernel with the scalar
// micro-kernel, Eigen) against an exact sum in double, on odd shapes that hit
// every edge of the blocking (partial token panels, partial output panels,
// k tails, several k blocks, several token blocks), with ldy > n_rows and a
// sentinel around the written block; plus the empty cases and determinism
// across threads.
//
// GC_GEMM_BENCH=1 also runs the side-by-side benchmark (Eigen vs ours vs
// the measured peak, one thread) on the forward's shapes and prints it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "compute/gemm-bench.h"
#include "compute/gemm.h"
#include "forward/forward.h"

using namespace gc;

namespace {

struct impl {
    const char * name;
    gemm_fn fn;
};
const impl k_impls[] = {
    { "gemm_xwt", gemm_xwt },
    { "gemm_xwt_packed", gemm_xwt_packed },
    { "gemm_xwt_packed_scalar", gemm_xwt_packed_scalar },
    { "gemm_xwt_eigen", gemm_xwt_eigen },
    { "gemm_xwt_ref", gemm_xwt_ref },
};

constexpr float k_sentinel = -12345.0f;

std::vector<float> random_floats(size_t n, uint32_t seed) {
    std::vector<float> v(n);
    for (float & f : v) {
        seed = seed * 1664525u + 1013904223u;
        f = (float) (seed >> 8) / 8388608.0f - 1.0f;   // [-1, 1)
    }
    return v;
}

// Checks fn on one shape: every Y[t, c] within the float error bound of a
// recursive sum of n_in products, 2 n_in u sum_k |x w| (u = 2^-24), of the
// exact value; a missing or wrong term is off by ~|x w|, far outside it for
// these n_in. The sentinel columns c >= n_rows of each row, and the rows past
// n_tok, must be untouched. Returns the largest error / bound seen.
double check_shape(const impl & im, int64_t n_tok, int64_t n_in, int64_t n_rows, int64_t ldy, uint32_t seed) {
    const std::vector<float> x = random_floats((size_t) (n_tok * n_in), seed);
    const std::vector<float> w = random_floats((size_t) (n_rows * n_in), seed ^ 0x9e3779b9u);
    std::vector<float> y((size_t) ((n_tok + 1) * ldy), k_sentinel);
    im.fn(x.data(), n_tok, n_in, w.data(), n_rows, y.data(), ldy);
    double worst = 0.0;
    for (int64_t t = 0; t <= n_tok; ++t)
        for (int64_t c = 0; c < ldy; ++c) {
            const float got = y[(size_t) (t * ldy + c)];
            if (t == n_tok || c >= n_rows) {
                if (got != k_sentinel) {
                    ADD_FAILURE() << im.name << " wrote outside the block: t " << t << " c " << c << " shape " << n_tok
                                  << "x" << n_in << "x" << n_rows << " ldy " << ldy;
                    return 1e30;
                }
                continue;
            }
            double exact = 0.0, mag = 0.0;
            for (int64_t k = 0; k < n_in; ++k) {
                const double p = (double) x[(size_t) (t * n_in + k)] * (double) w[(size_t) (c * n_in + k)];
                exact += p;
                mag += std::fabs(p);
            }
            const double bound = 2.0 * (double) n_in * std::ldexp(1.0, -24) * mag + 1e-30;
            const double ratio = std::fabs((double) got - exact) / bound;
            if (!(ratio <= 1.0)) {
                ADD_FAILURE() << im.name << " Y[" << t << ", " << c << "] = " << got << ", exact " << exact
                              << ", bound " << bound << ", shape " << n_tok << "x" << n_in << "x" << n_rows << " ldy "
                              << ldy;
                return 1e30;
            }
            worst = std::max(worst, ratio);
        }
    return worst;
}

TEST(Gemm, OddShapes) {
    const int64_t toks[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 63 };
    std::vector<int64_t> ins;
    for (int64_t i = 1; i <= 40; ++i) ins.push_back(i);
    ins.push_back(257);
    ins.push_back(1000);
    ins.push_back(2100);   // several k blocks (k_kc = 1024 natively, 512 in wasm)
    for (const impl & im : k_impls) {
        double worst = 0.0;
        uint32_t seed = 1;
        for (int64_t nt : toks)
            for (int64_t ni : ins)
                for (int64_t nr = 1; nr <= 33; nr += (ni > 40 ? 4 : 1)) {
                    worst = std::max(worst, check_shape(im, nt, ni, nr, nr + 3, seed++));
                    if (HasFailure()) return;
                }
        std::printf("%-24s odd shapes: largest error %.3f of the bound\n", im.name, worst);
    }
}

TEST(Gemm, ForwardShapes) {
    // 512 tokens (85 full 6-token panels + 2), several k blocks; a tile
    // wider than the scratch block (several token blocks); 64 tokens.
    struct shape { int64_t nt, ni, nr, ldy; };
    const shape shapes[] = { { 512, 1000, 33, 40 }, { 512, 2051, 20, 2048 }, { 512, 1100, 300, 301 },
                             { 64, 1031, 128, 1024 }, { 512, 100, 130, 131 }, { 7, 4099, 37, 37 } };
    for (const impl & im : k_impls) {
        if (std::string(im.name) == "gemm_xwt_ref") continue;
        double worst = 0.0;
        for (const shape & s : shapes) {
            worst = std::max(worst, check_shape(im, s.nt, s.ni, s.nr, s.ldy, (uint32_t) (s.nt * 7 + s.ni)));
            if (HasFailure()) return;
        }
        std::printf("%-24s forward shapes: largest error %.6f of the bound\n", im.name, worst);
    }
}

TEST(Gemm, EmptyShapes) {
    const std::vector<float> x = random_floats(64, 3), w = random_floats(64, 4);
    for (const impl & im : k_impls) {
        std::vector<float> y(64, k_sentinel);
        im.fn(x.data(), 0, 8, w.data(), 4, y.data(), 8);   // no tokens
        im.fn(x.data(), 4, 8, w.data(), 0, y.data(), 8);   // no rows
        for (float v : y) ASSERT_EQ(v, k_sentinel) << im.name;
        im.fn(x.data(), 3, 0, w.data(), 5, y.data(), 8);   // empty sum: zeros
        for (int t = 0; t < 8; ++t)
            for (int c = 0; c < 8; ++c)
                ASSERT_EQ(y[(size_t) (t * 8 + c)], t < 3 && c < 5 ? 0.0f : k_sentinel) << im.name << " " << t << " " << c;
    }
}

TEST(Gemm, SameBitsAcrossThreadsAndCalls) {
    // Per-thread scratch must not leak between calls or threads: the same
    // product on 3 threads at once, after unrelated products of other
    // shapes, gives the bits of a lone call.
    const int64_t nt = 70, ni = 1300, nr = 45, ldy = 50;
    const std::vector<float> x = random_floats((size_t) (nt * ni), 11), w = random_floats((size_t) (nr * ni), 12);
    std::vector<float> want((size_t) (nt * ldy), 0.0f);
    gemm_xwt(x.data(), nt, ni, w.data(), nr, want.data(), ldy);
    std::vector<std::vector<float>> got(3, std::vector<float>(want.size(), 0.0f));
    std::vector<std::thread> th;
    for (int i = 0; i < 3; ++i)
        th.emplace_back([&, i] {
            const std::vector<float> x2 = random_floats(9 * 2000, 20 + i), w2 = random_floats(31 * 2000, 30 + i);
            std::vector<float> y2(9 * 31);
            gemm_xwt(x2.data(), 9, 2000, w2.data(), 31, y2.data(), 31);
            gemm_xwt(x.data(), nt, ni, w.data(), nr, got[(size_t) i].data(), ldy);
        });
    for (auto & t : th) t.join();
    for (int i = 0; i < 3; ++i) ASSERT_EQ(0, std::memcmp(want.data(), got[(size_t) i].data(), want.size() * sizeof(float)));
}

TEST(Gemm, BenchSideBySide) {
    const char * on = std::getenv("GC_GEMM_BENCH");
    if (!on || !*on || !std::strcmp(on, "0")) GTEST_SKIP() << "set GC_GEMM_BENCH=1 to run the benchmark";
    const double min_time = std::atof(on) > 1.0 ? std::atof(on) : 2.0;   // GC_GEMM_BENCH=<seconds per shape>
    struct shape { int64_t nt, ni, no; };
    std::vector<shape> shapes = { { 512, 2048, 2048 }, { 512, 4096, 2048 }, { 512, 8192, 1024 }, { 64, 2048, 2048 },
                                  { 1, 2048, 2048 }, { 2, 2048, 2048 }, { 3, 2048, 2048 }, { 4, 2048, 2048 },
                                  { 5, 2048, 2048 }, { 6, 2048, 2048 }, { 7, 2048, 2048 } };
    // GC_GEMM_BENCH_SHAPES="512x2048x2048,64x4096x1024": tokens x n_in x n_out.
    if (const char * list = std::getenv("GC_GEMM_BENCH_SHAPES")) {
        shapes.clear();
        for (const char * p = list; *p;) {
            long long t = 0, i = 0, o = 0;
            int used = 0;
            if (std::sscanf(p, "%lldx%lldx%lld%n", &t, &i, &o, &used) != 3 || t < 1 || i < 1 || o < 1 ||
                t * i + i * o > (1ll << 27))
                break;
            shapes.push_back({ t, i, o });
            p += used;
            if (*p == ',') ++p;
        }
    }
    std::printf("one thread, %s; GFLOP/s (%% of the peak measured in the same rounds)\n", gemm_packed_isa());
    std::printf("%5s %5s %5s %5s %7s | %-14s %-14s %6s | %-14s %-14s %6s\n", "tok", "n_in", "n_out", "tile", "peak",
                "eigen fresh", "ours fresh", "ratio", "eigen inplace", "ours inplace", "ratio");
    for (const shape & s : shapes) {
        const int64_t tile = forward_runner::tile_rows(s.ni, s.no);
        const gemm_bench_compare_result r = gemm_bench_compare(s.nt, s.ni, s.no, tile, min_time);
        const auto pc = [&](double g) { return 100.0 * g / r.peak; };
        std::printf("%5lld %5lld %5lld %5lld %7.1f | %6.1f (%3.0f%%)  %6.1f (%3.0f%%)  %5.2fx | %6.1f (%3.0f%%)  %6.1f (%3.0f%%)  %5.2fx\n",
                    (long long) s.nt, (long long) s.ni, (long long) s.no, (long long) tile, r.peak, r.eigen_fresh,
                    pc(r.eigen_fresh), r.ours_fresh, pc(r.ours_fresh), r.ours_fresh / r.eigen_fresh, r.eigen_inplace,
                    pc(r.eigen_inplace), r.ours_inplace, pc(r.ours_inplace), r.ours_inplace / r.eigen_inplace);
        std::fflush(stdout);
    }
}

} // namespace
