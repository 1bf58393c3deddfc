// ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]
//
// One thread, in memory: for each type of the table, N elements of random
// block bytes (every bit pattern is a valid block) are decoded by the scalar
// reference and by the fast path, repeatedly until --min-time seconds have
// passed (best of 3 such runs). Reports GB/s of quantized input and Gelem/s
// of f32 output. A benchmark, not a test: the numbers depend on the machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "format/ggml-types.h"
#include "quant/dequant.h"

namespace {

// Seconds per call of fn over (src, dst, n): repeats until min_time passes,
// best of three rounds.
double time_per_call(gc::dequant_fn fn, const uint8_t * src, float * dst, int64_t n, double min_time) {
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

int bench_dequant(int argc, char ** argv) {
    std::string only;
    int64_t elems = 1 << 20;
    double min_time = 0.05;
    bool as_json = false;
    for (int i = 0; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--type") && i + 1 < argc) only = argv[++i];
        else if (!std::strcmp(argv[i], "--elems") && i + 1 < argc) elems = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--min-time") && i + 1 < argc) min_time = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--json")) as_json = true;
        else {
            std::fprintf(stderr, "usage: ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]\n");
            return 1;
        }
    }
    if (elems < 256 || elems > (int64_t) 1 << 28) {
        std::fprintf(stderr, "bench dequant: --elems must be in [256, 2^28]\n");
        return 1;
    }
    elems -= elems % 256;   // a whole number of blocks for every type
    std::mt19937_64 rng(42);
    std::vector<float> dst((size_t) elems);
    nlohmann::json rows = nlohmann::json::array();
    if (!as_json) {
        std::printf("dequant, one thread, %lld elements per call, fast path = %s\n", (long long) elems, gc::dequant_fast_isa());
        std::printf("%-8s %6s | %10s %10s | %10s %10s | %7s\n", "type", "bpw", "ref GB/s", "ref Gel/s", "fast GB/s",
                    "fast Gel/s", "speedup");
    }
    for (uint32_t id = 0; id < gc::GGML_TYPE_COUNT; ++id) {
        const gc::ggml_type_info * t = gc::ggml_type_get(id);
        if (!t || t->retired || (!only.empty() && only != t->name)) continue;
        const int64_t blocks = elems / t->block_size;
        std::vector<uint8_t> src((size_t) (blocks * t->type_size));
        for (auto & b : src) b = (uint8_t) rng();
        const double in_bytes = (double) src.size();
        const double s_ref = time_per_call(t->dequant_ref, src.data(), dst.data(), elems, min_time);
        const double s_fast = time_per_call(t->dequant, src.data(), dst.data(), elems, min_time);
        const double r_gbs = in_bytes / s_ref / 1e9, r_gel = (double) elems / s_ref / 1e9;
        const double f_gbs = in_bytes / s_fast / 1e9, f_gel = (double) elems / s_fast / 1e9;
        if (as_json) {
            rows.push_back({ { "type", t->name }, { "bpw", gc::ggml_type_bpw(id) }, { "ref_gbps_in", r_gbs },
                             { "ref_gelems_out", r_gel }, { "fast_gbps_in", f_gbs }, { "fast_gelems_out", f_gel },
                             { "speedup", s_ref / s_fast } });
        } else {
            std::printf("%-8s %6.3f | %10.3f %10.3f | %10.3f %10.3f | %6.2fx\n", t->name, gc::ggml_type_bpw(id), r_gbs,
                        r_gel, f_gbs, f_gel, s_ref / s_fast);
        }
    }
    if (as_json) {
        const nlohmann::json out = { { "elements", elems }, { "fast_isa", gc::dequant_fast_isa() }, { "types", rows } };
        std::printf("%s\n", out.dump(1).c_str());
    }
    return 0;
}

} // namespace

int cmd_bench(int argc, char ** argv) {
    if (argc >= 1 && !std::strcmp(argv[0], "dequant")) return bench_dequant(argc - 1, argv + 1);
    std::fprintf(stderr, "usage: ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]\n");
    return 1;
}
