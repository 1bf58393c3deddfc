// Embind: the forward's GEMM (compute/gemm.h) for the node tests and the
// wasm bench. A separate EMSCRIPTEN_BINDINGS block beside bindings.cpp; no
// math here.
//
// JS usage (tests/wasm/gemm.test.mjs, tests/wasm/bench-gemm.mjs):
//   M.gemmIsa()                                   // "simd128" (packed kernel's ISA)
//   M.gemmXwt(impl, x, nTok, nIn, w, nRows, y, ldy)
//       // impl: "fast" (gemm_xwt), "packed", "packed_scalar", "eigen", "ref";
//       // x, w, y: Float32Array of nTok*nIn, nRows*nIn, nTok*ldy floats.
//       // Returns a copy of y after Y[:, 0:nRows] = X W^T, or null on a bad
//       // impl name or sizes.
//   JSON.parse(M.benchGemmCompareJson(nTok, nIn, nOut, minTimeS))
//       // {isa, shape, peak, eigen_fresh, ours_fresh, eigen_inplace,
//       //  ours_inplace} (GFLOP/s, one thread, interleaved rounds;
//       //  compute/gemm-bench.h gemm_bench_compare; timed in node's process
//       //  CPU time, wall time in a browser), or "" on bad sizes
//   JSON.parse(M.qgemmCheckJson(ggmlType))
//       // the integer GEMM's kernels vs its definition (compute/qgemm-check.h):
//       // {type, isa, worst_isa, worst_base, worst_scalar, worst_pair,
//       //  isa_base_differ, stray_writes, outputs}, or "" for a type without
//       //  integer kernel
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compute/gemm-bench.h"
#include "compute/gemm.h"
#include "compute/qgemm-check.h"
#include "compute/qgemm.h"
#include "format/ggml-types.h"
#include "forward/forward.h"

// Seconds of CPU time of the node process (all its threads; after V8's
// tier-up its helper threads are idle), or wall time where there is no
// process.cpuUsage (browsers). The machine the benches run on is shared, so
// wall time would count other processes' load.
EM_JS(double, gc_js_cpu_seconds, (), {
    if (typeof process !== 'undefined' && process.cpuUsage) {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1e6;
    }
    return performance.now() / 1e3;
});

namespace {

using emscripten::val;

gc::gemm_fn gemm_impl(const std::string & name) {
    if (name == "fast") return gc::gemm_xwt;
    if (name == "packed") return gc::gemm_xwt_packed;
    if (name == "packed_scalar") return gc::gemm_xwt_packed_scalar;
    if (name == "eigen") return gc::gemm_xwt_eigen;
    if (name == "ref") return gc::gemm_xwt_ref;
    return nullptr;
}

val gemm_xwt_js(const std::string & impl, const val & x, double n_tok, double n_in, const val & w, double n_rows,
                const val & y, double ldy) {
    const gc::gemm_fn fn = gemm_impl(impl);
    const double lim = double(1 << 26);
    if (!fn || !(n_tok >= 0 && n_in >= 0 && n_rows >= 0 && ldy >= n_rows && n_tok <= lim && n_in <= lim &&
                 n_rows <= lim && ldy <= lim && n_tok * n_in <= lim && n_rows * n_in <= lim && n_tok * ldy <= lim))
        return val::null();
    const int64_t t = (int64_t) n_tok, i = (int64_t) n_in, r = (int64_t) n_rows, ld = (int64_t) ldy;
    const std::vector<float> xv = emscripten::convertJSArrayToNumberVector<float>(x);
    const std::vector<float> wv = emscripten::convertJSArrayToNumberVector<float>(w);
    std::vector<float> yv = emscripten::convertJSArrayToNumberVector<float>(y);
    if ((int64_t) xv.size() != t * i || (int64_t) wv.size() != r * i || (int64_t) yv.size() != t * ld)
        return val::null();
    fn(xv.data(), t, i, wv.data(), r, yv.data(), ld);
    return val(emscripten::typed_memory_view(yv.size(), yv.data())).call<val>("slice");
}

std::string bench_gemm_compare_json(double n_tok, double n_in, double n_out, double min_time) {
    const int64_t t = (int64_t) n_tok, i = (int64_t) n_in, o = (int64_t) n_out;
    if (t < 1 || i < 1 || o < 1 || t * i > (1ll << 26) || i * o > (1ll << 26) || t * o > (1ll << 26) ||
        !(min_time > 0))
        return "";
    const int64_t tile = gc::forward_runner::tile_rows(i, o);
    gc::gemm_bench_set_clock(gc_js_cpu_seconds);
    const gc::gemm_bench_compare_result r = gc::gemm_bench_compare(t, i, o, tile, min_time);
    gc::gemm_bench_set_clock(nullptr);
    const nlohmann::json out = { { "isa", gc::gemm_packed_isa() },
                                 { "shape", { { "tokens", t }, { "n_in", i }, { "n_out", o }, { "tile_rows", tile } } },
                                 { "peak", r.peak },
                                 { "eigen_fresh", r.eigen_fresh },
                                 { "ours_fresh", r.ours_fresh },
                                 { "eigen_inplace", r.eigen_inplace },
                                 { "ours_inplace", r.ours_inplace } };
    return out.dump();
}

std::string gemm_isa() { return gc::gemm_packed_isa(); }

std::string qgemm_check_json(double type) {
    if (!(type >= 0 && type < 65536) || !gc::qgemm_supported((uint32_t) type)) return "";
    const gc::qgemm_check_result r = gc::qgemm_check((uint32_t) type);
    const nlohmann::json out = { { "type", gc::ggml_type_get((uint32_t) type)->name },
                                 { "isa", gc::qgemm_isa() },
                                 { "worst_isa", r.worst_isa },
                                 { "worst_base", r.worst_base },
                                 { "worst_scalar", r.worst_scalar },
                                 { "worst_pair", r.worst_pair },
                                 { "isa_base_differ", r.isa_base_differ },
                                 { "stray_writes", r.stray_writes },
                                 { "outputs", r.outputs } };
    return out.dump();
}

} // namespace

EMSCRIPTEN_BINDINGS(ggufcheck_gemm) {
    emscripten::function("gemmIsa", &gemm_isa);
    emscripten::function("gemmXwt", &gemm_xwt_js);
    emscripten::function("benchGemmCompareJson", &bench_gemm_compare_json);
    emscripten::function("qgemmCheckJson", &qgemm_check_json);
}
