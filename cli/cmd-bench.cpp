// ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]
// ggufcheck bench gemm [-t N] [--tokens 512] [--n-in 2048] [--n-out 2048] [--min-time S] [--json]
// ggufcheck bench forward MODEL... [-c 512] [-t N] [--activations f32|ggml|f32,ggml] [--json]
// ggufcheck bench header FILE... [--reps N]
//
// gemm: our tiled GEMM (as the forward runs it: 1 MiB weight tiles spread
// over the threads) against the measured SIMD peak (compute/gemm-bench.h),
// on 1 thread and on N.
// forward: one chunk of n_ctx random token ids through the PPL evaluation
// (embeddings, every layer, the head for the scored half), timed.
//
// One thread, in memory: for each type of the table, N elements of random
// block bytes (every bit pattern is a valid block) decoded by the scalar
// reference and by the fast path (core/quant/dequant-bench.h). Reports GB/s
// of quantized input and Gelem/s of f32 output. A benchmark, not a test: the
// numbers depend on the machine and its load.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "args.h"
#include "commands.h"
#include "compute/gemm-bench.h"
#include "compute/thread-pool.h"
#include "format/ggml-types.h"
#include "forward/forward.h"
#include "format/gguf.h"
#include "forward/ppl.h"
#include "model/model.h"
#include "open-files.h"
#include "quant/dequant-bench.h"
#include "quant/dequant.h"

namespace {

const char * k_usage =
    "usage: ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]\n"
    "       ggufcheck bench gemm [-t N] [--tokens 512] [--n-in 2048] [--n-out 2048] [--min-time S] [--json]\n"
    "       ggufcheck bench forward MODEL... [-c 512] [-t N] [--activations f32|ggml|f32,ggml] [--json]\n"
    "       ggufcheck bench header FILE... [--reps N]\n";


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
            std::fputs(k_usage, stderr);
            return 1;
        }
    }
    if (elems < 256 || elems > (int64_t) 1 << 28 || !(min_time >= 0.0 && min_time <= 60.0)) {
        std::fprintf(stderr, "bench dequant: --elems must be in [256, 2^28], --min-time in [0, 60]\n");
        return 1;
    }
    const auto rows = gc::dequant_bench_run(elems, min_time, only);
    if (rows.empty()) {
        std::fprintf(stderr, "bench dequant: no readable type named '%s'\n", only.c_str());
        return 1;
    }
    if (as_json) {
        nlohmann::json types = nlohmann::json::array();
        for (const auto & r : rows) {
            types.push_back({ { "type", r.name }, { "bpw", r.bpw }, { "ref_gbps_in", r.ref_gbps_in },
                              { "ref_gelems_out", r.ref_gelems_out }, { "fast_gbps_in", r.fast_gbps_in },
                              { "fast_gelems_out", r.fast_gelems_out }, { "speedup", r.fast_gelems_out / r.ref_gelems_out } });
        }
        const nlohmann::json out = { { "elements", elems - elems % 256 }, { "fast_isa", gc::dequant_fast_isa() }, { "types", types } };
        std::printf("%s\n", out.dump(1).c_str());
        return 0;
    }
    std::printf("dequant, one thread, %lld elements per call, fast path = %s\n", (long long) (elems - elems % 256),
                gc::dequant_fast_isa());
    std::printf("%-8s %6s | %10s %10s | %10s %10s | %7s\n", "type", "bpw", "ref GB/s", "ref Gel/s", "fast GB/s",
                "fast Gel/s", "speedup");
    for (const auto & r : rows) {
        std::printf("%-8s %6.3f | %10.3f %10.3f | %10.3f %10.3f | %6.2fx\n", r.name.c_str(), r.bpw, r.ref_gbps_in,
                    r.ref_gelems_out, r.fast_gbps_in, r.fast_gelems_out, r.fast_gelems_out / r.ref_gelems_out);
    }
    return 0;
}

int bench_gemm(int argc, char ** argv) {
    long long threads = gc::thread_count_default(), n_tok = 512, n_in = 2048, n_out = 2048;
    double min_time = 1.0;
    bool as_json = false;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has = i + 1 < argc;
        if ((a == "-t" || a == "--threads") && has && parse_int(argv[i + 1], 1, 256, threads)) ++i;
        else if (a == "--tokens" && has && parse_int(argv[i + 1], 1, 8192, n_tok)) ++i;
        else if (a == "--n-in" && has && parse_int(argv[i + 1], 1, 65536, n_in)) ++i;
        else if (a == "--n-out" && has && parse_int(argv[i + 1], 1, 262144, n_out)) ++i;
        else if (a == "--min-time" && has && (min_time = std::atof(argv[i + 1])) >= 0.0 && min_time <= 60.0) ++i;
        else if (a == "--json") as_json = true;
        else {
            std::fputs(k_usage, stderr);
            return 1;
        }
    }
    if (n_tok * n_in + n_out * n_in + n_tok * n_out > (1ll << 28)) {
        std::fprintf(stderr, "bench gemm: matrices larger than 1 GiB of f32\n");
        return 1;
    }
    const int64_t tile = gc::forward_runner::tile_rows(n_in, n_out);
    gc::thread_pool pool((int) threads);
    const double peak1 = gc::simd_peak_gflops(nullptr, min_time / 2);
    const auto g1 = gc::gemm_bench_run(nullptr, n_tok, n_in, n_out, tile, min_time);
    const double peakn = gc::simd_peak_gflops(&pool, min_time / 2);
    const auto gn = gc::gemm_bench_run(&pool, n_tok, n_in, n_out, tile, min_time);
    if (as_json) {
        const nlohmann::json out = {
            { "shape", { { "tokens", n_tok }, { "n_in", n_in }, { "n_out", n_out }, { "tile_rows", tile } } },
            { "peak_isa", gc::simd_peak_isa() },
            { "threads", pool.size() },
            { "ours_1t", g1.gflops }, { "simd_peak_1t", peak1 }, { "ratio_1t", g1.gflops / peak1 },
            { "ours_nt", gn.gflops }, { "simd_peak_nt", peakn }, { "ratio_nt", gn.gflops / peakn } };
        std::printf("%s\n", out.dump(1).c_str());
        return 0;
    }
    std::printf("gemm Y[%lld x %lld] = X[%lld x %lld] W^T, W in tiles of %lld rows; peak loop: %s\n", n_tok, n_out,
                n_tok, n_in, (long long) tile, gc::simd_peak_isa());
    std::printf("%8s %12s %14s %8s\n", "threads", "ours GFLOP/s", "peak GFLOP/s", "ratio");
    std::printf("%8d %12.1f %14.1f %7.1f%%\n", 1, g1.gflops, peak1, 100.0 * g1.gflops / peak1);
    std::printf("%8d %12.1f %14.1f %7.1f%%\n", pool.size(), gn.gflops, peakn, 100.0 * gn.gflops / peakn);
    return 0;
}

// FLOPs of one evaluation as the forward performs them: every matrix
// product (2 per weight per token), attention as two full n_ctx x n_ctx
// products per head (the causal mask is applied after computing them), the
// head for the scored tokens only.
double forward_flops(const gc::model_desc & d, int64_t n_ctx, int64_t n_scored) {
    double f = 0.0;
    for (const gc::layer_desc & L : d.layers) {
        const double qw = (double) L.n_head * L.head_dim, kw = (double) L.n_head_kv * L.head_dim;
        const double vw = L.v_from_k ? 0.0 : (double) L.n_head_kv * L.head_dim_v, aw = (double) L.n_head * L.head_dim_v;
        const double w = (double) d.n_embd * (qw + kw + vw) + aw * d.n_embd + 3.0 * d.n_embd * L.n_ff;
        f += 2.0 * n_ctx * w;
        f += 2.0 * (double) n_ctx * n_ctx * L.n_head * (L.head_dim + L.head_dim_v);
    }
    f += 2.0 * (double) n_scored * d.n_embd * d.n_vocab;
    return f;
}

int bench_forward(int argc, char ** argv) {
    std::vector<std::string> paths;
    long long n_ctx = 512, threads = gc::thread_count_default();
    bool as_json = false;
    // Arithmetics to run, in order (a comma-separated list runs them side by
    // side on the same tokens, for an A/B on a noisy machine).
    std::vector<gc::activation_mode> modes{ gc::activation_mode::f32 };
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has = i + 1 < argc;
        if (a == "--activations") {
            modes.clear();
            std::string list = has ? argv[++i] : "";
            size_t p = 0;
            while (has) {
                const size_t q = list.find(',', p);
                gc::activation_mode m;
                if (!gc::activation_mode_parse(list.substr(p, q == std::string::npos ? std::string::npos : q - p), &m)) {
                    std::fprintf(stderr, "bench forward: --activations needs f32, ggml or a comma-separated list of them, got %s\n",
                                 list.c_str());
                    return 1;
                }
                modes.push_back(m);
                if (q == std::string::npos) break;
                p = q + 1;
            }
            if (modes.empty()) {
                std::fprintf(stderr, "bench forward: --activations needs a value\n");
                return 1;
            }
            continue;
        }
        if ((a == "-c" || a == "--ctx-size") && has && parse_int(argv[i + 1], 4, 1 << 16, n_ctx)) ++i;
        else if ((a == "-t" || a == "--threads") && has && parse_int(argv[i + 1], 1, 256, threads)) ++i;
        else if (a == "--json") as_json = true;
        else if (!a.empty() && a[0] != '-') paths.push_back(a);
        else {
            std::fputs(k_usage, stderr);
            return 1;
        }
    }
    if (paths.empty()) {
        std::fputs(k_usage, stderr);
        return 1;
    }
    std::string error;
    gc::file_set files;
    if (!open_paths(paths, files, &error)) {
        std::fprintf(stderr, "bench forward: %s\n", error.c_str());
        return 1;
    }
    const gc::gguf_model gguf = gc::gguf_load(files);
    gc::model_desc desc;
    if (!gguf.usable || !gc::model_desc_from_gguf(gguf, desc, &error)) {
        std::fprintf(stderr, "bench forward: cannot use %s: %s\n", paths[0].c_str(), error.c_str());
        return 1;
    }
    auto weights = gc::weight_source_gguf(gguf, files);
    // Parameters and the dominant type (by bytes).
    double params = 0.0;
    std::map<std::string, uint64_t> by_type;
    for (const auto & t : gguf.tensors) {
        if (!t.info) continue;
        double n = 1.0;
        for (uint32_t k = 0; k < t.info->n_dims && k < gc::GGUF_MAX_DIMS; ++k) n *= (double) t.info->ne[k];
        params += n;
        const gc::ggml_type_info * ti = gc::ggml_type_get(t.info->type);
        by_type[ti ? ti->name : "?"] += t.nbytes.value_or(0);
    }
    std::string main_type;
    uint64_t most = 0;
    for (const auto & [name, bytes] : by_type) {
        if (bytes > most) {
            most = bytes;
            main_type = name;
        }
    }
    // Random token ids (fixed seed), as many as one chunk.
    std::vector<int32_t> tokens((size_t) n_ctx);
    uint32_t s = 1;
    for (int32_t & t : tokens) {
        s = s * 1664525u + 1013904223u;
        t = (int32_t) ((s >> 8) % (uint32_t) desc.n_vocab);
    }
    nlohmann::json runs = nlohmann::json::array();
    for (const gc::activation_mode mode : modes) {
        gc::ppl_options opt;
        opt.n_ctx = (int32_t) n_ctx;
        opt.max_chunks = 1;
        opt.n_threads = (int32_t) threads;
        opt.activations = mode;
        using clock = std::chrono::steady_clock;
        const auto t0 = clock::now();
        gc::ppl_model pm{ &desc, weights.get() };
        gc::ppl_result r;
        if (!gc::ppl_evaluate(pm, nullptr, tokens, opt, r, &error)) {
            std::fprintf(stderr, "bench forward: %s\n", error.c_str());
            return 1;
        }
        const double total = std::chrono::duration<double>(clock::now() - t0).count();
        const double flops = forward_flops(desc, n_ctx, r.n_scored);
        const double tps = (double) n_ctx / total;
        if (as_json) {
            runs.push_back({
                { "model", { { "file", paths[0] }, { "params", params }, { "type", main_type }, { "arch", desc.arch } } },
                { "n_ctx", n_ctx }, { "threads", r.n_threads }, { "activations", gc::activation_mode_name(mode) },
                { "seconds", total }, { "tokens_per_s", tps },
                { "gflop", flops * 1e-9 }, { "gflops", flops / total * 1e-9 },
                { "read_dequant_s", r.read_seconds }, { "gemm_s", r.gemm_seconds },
                { "bytes_read", r.bytes_read }, { "ppl", r.ppl } });
            continue;
        }
        std::printf("forward, %s (%s, %.3g params, %s), one chunk of %lld tokens, %d thread(s), activations %s\n",
                    paths[0].c_str(), desc.arch.c_str(), params, main_type.c_str(), n_ctx, r.n_threads,
                    gc::activation_mode_name(mode));
        std::printf("  %.2f s, %.1f tokens/s, %.1f GFLOP (%.1f GFLOP/s), PPL %.4f\n", total, tps, flops * 1e-9,
                    flops / total * 1e-9, r.ppl);
        std::printf("  read+dequant %.2f s, tile GEMMs %.2f s (summed over threads), %.1f MB read\n", r.read_seconds,
                    r.gemm_seconds, (double) r.bytes_read / 1e6);
    }
    // JSON: one object for one arithmetic (the original shape), an array for several.
    if (as_json) std::printf("%s\n", (runs.size() == 1 ? runs[0] : runs).dump(1).c_str());
    return 0;
}

// header: the GGUF header parse (gguf_load through a 1 MiB read-ahead), best
// of N runs; prints milliseconds and the bytes fetched against the header size.
int bench_header(int argc, char ** argv) {
    int reps = 5;
    std::vector<std::string> paths;
    for (int i = 0; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
        else paths.push_back(argv[i]);
    }
    if (paths.empty()) {
        std::fputs(k_usage, stderr);
        return 1;
    }
    double best = 1e30;
    uint64_t fetched = 0, header = 0, size = 0;
    for (int r = 0; r < reps; ++r) {
        gc::file_set files;
        for (const auto & p : paths) {
            std::string err;
            auto src = gc::byte_source_open_file(p, &err);
            if (!src) {
                std::fprintf(stderr, "bench header: %s\n", err.c_str());
                return 1;
            }
            files.push_back(gc::byte_source_read_ahead(std::move(src)));
        }
        const auto t0 = std::chrono::steady_clock::now();
        const gc::gguf_model m = gc::gguf_load(files);
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        fetched = header = size = 0;
        for (const auto & f : files) {
            fetched += f->bytes_fetched();
            size += f->size();
        }
        for (const auto & p : m.parts) header += p.tensor_data_offset;
    }
    std::printf("header parse: %.1f ms (best of %d), %llu bytes fetched, header %llu bytes, file %llu bytes\n", best, reps,
                (unsigned long long) fetched, (unsigned long long) header, (unsigned long long) size);
    return 0;
}

} // namespace

int cmd_bench(int argc, char ** argv) {
    if (argc >= 1 && !std::strcmp(argv[0], "header")) return bench_header(argc - 1, argv + 1);
    if (argc >= 1 && !std::strcmp(argv[0], "dequant")) return bench_dequant(argc - 1, argv + 1);
    if (argc >= 1 && !std::strcmp(argv[0], "gemm")) return bench_gemm(argc - 1, argv + 1);
    if (argc >= 1 && !std::strcmp(argv[0], "forward")) return bench_forward(argc - 1, argv + 1);
    std::fputs(k_usage, stderr);
    return 1;
}
