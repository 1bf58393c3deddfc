// Benchmarks of the wasm build, for node and the browser (no math here: the
// core measures, this only binds):
//   JSON.parse(M.benchGemmJson(nTok, nIn, nOut, minTimeS))
//     // {peak_isa, shape, ours_1t, simd_peak_1t, ratio_1t}: the forward's tiled
//     // GEMM against the measured SIMD128 multiply-add peak, one thread
#include <emscripten/bind.h>

#include <string>

#include <nlohmann/json.hpp>

#include "compute/gemm-bench.h"
#include "forward/forward.h"

namespace {

std::string bench_gemm_json(double n_tok, double n_in, double n_out, double min_time) {
    const int64_t t = (int64_t) n_tok, i = (int64_t) n_in, o = (int64_t) n_out;
    if (t < 1 || i < 1 || o < 1 || t * i > (1ll << 26) || i * o > (1ll << 26) || min_time <= 0) return "";
    const int64_t tile = gc::forward_runner::tile_rows(i, o);
    const double peak = gc::simd_peak_gflops(nullptr, min_time / 2);
    const auto g = gc::gemm_bench_run(nullptr, t, i, o, tile, min_time);
    const nlohmann::json out = { { "peak_isa", gc::simd_peak_isa() },
                                 { "shape", { { "tokens", t }, { "n_in", i }, { "n_out", o }, { "tile_rows", tile } } },
                                 { "ours_1t", g.gflops }, { "simd_peak_1t", peak }, { "ratio_1t", g.gflops / peak } };
    return out.dump();
}

} // namespace

EMSCRIPTEN_BINDINGS(ggufcheck_bench) {
    emscripten::function("benchGemmJson", &bench_gemm_json);
}
