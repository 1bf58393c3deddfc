// ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]
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

#include "commands.h"
#include "quant/dequant-bench.h"
#include "quant/dequant.h"

namespace {

const char * k_usage = "usage: ggufcheck bench dequant [--type NAME] [--elems N] [--min-time S] [--json]\n";

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

} // namespace

int cmd_bench(int argc, char ** argv) {
    if (argc >= 1 && !std::strcmp(argv[0], "dequant")) return bench_dequant(argc - 1, argv + 1);
    std::fputs(k_usage, stderr);
    return 1;
}
