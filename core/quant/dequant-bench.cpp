// Dequant throughput (see dequant-bench.h).
#include "quant/dequant-bench.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "format/ggml-types.h"

namespace gc {

namespace {

// Seconds per call: repeats until min_time passes, best of three rounds.
double time_per_call(dequant_fn fn, const uint8_t * src, float * dst, int64_t n, double min_time) {
    using clock = std::chrono::steady_clock;
    double best = 1e30;
    for (int round = 0; round < 3; ++round) {
        int64_t calls = 0;
        const auto t0 = clock::now();
        double elapsed = 0.0;
        do {
            fn(src, dst, n);
            ++calls;
            elapsed = std::chrono::duration<double>(clock::now() - t0).count();
        } while (elapsed < min_time);
        best = std::min(best, elapsed / (double) calls);
    }
    return best;
}

} // namespace

std::vector<dequant_bench_row> dequant_bench_run(int64_t elems, double min_time_s, const std::string & only) {
    elems = std::max<int64_t>(256, elems - elems % 256);   // whole blocks of every type
    std::mt19937_64 rng(42);
    std::vector<float> dst((size_t) elems);
    std::vector<dequant_bench_row> rows;
    for (uint32_t id = 0; id < GGML_TYPE_COUNT; ++id) {
        const ggml_type_info * t = ggml_type_get(id);
        if (!t || t->retired || !t->dequant || (!only.empty() && only != t->name)) continue;
        std::vector<uint8_t> src((size_t) (elems / t->block_size * t->type_size));
        for (auto & b : src) b = (uint8_t) rng();
        const double s_ref = time_per_call(t->dequant_ref, src.data(), dst.data(), elems, min_time_s);
        const double s_fast = time_per_call(t->dequant, src.data(), dst.data(), elems, min_time_s);
        dequant_bench_row r;
        r.type = id;
        r.name = t->name;
        r.bpw = ggml_type_bpw(id);
        r.ref_gbps_in = (double) src.size() / s_ref / 1e9;
        r.ref_gelems_out = (double) elems / s_ref / 1e9;
        r.fast_gbps_in = (double) src.size() / s_fast / 1e9;
        r.fast_gelems_out = (double) elems / s_fast / 1e9;
        rows.push_back(r);
    }
    return rows;
}

} // namespace gc
