// Dequant throughput, one thread, in memory: the measurement behind
// `ggufcheck bench dequant` and the wasm binding's bench (same code, so the
// native and browser numbers are comparable).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gc {

struct dequant_bench_row {
    uint32_t type = 0;
    std::string name;
    double bpw = 0.0;
    double ref_gbps_in = 0.0;       // GB/s of quantized input, scalar reference
    double ref_gelems_out = 0.0;    // Gelem/s of f32 output, scalar reference
    double fast_gbps_in = 0.0;      // same for the fast path
    double fast_gelems_out = 0.0;
};

// For each readable type (or only the one named `only`, if not empty):
// `elems` elements (rounded down to a multiple of 256, at least 256) of
// random block bytes decoded by both kernels, each repeated until
// `min_time_s` seconds have passed, best of three rounds.
std::vector<dequant_bench_row> dequant_bench_run(int64_t elems, double min_time_s, const std::string & only = "");

} // namespace gc
