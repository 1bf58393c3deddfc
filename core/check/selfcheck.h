// Reference-free weight check: what the weights alone can tell.
//
// Per tensor: RMS, mean, max |x|, kurtosis and NaN/Inf (metrics/moments.h).
// Per tensor class across layers (attn_q of every layer, every
// layer_output_scale, ...): a robust trend over the layer index (Theil-Sen
// line through log10 of the RMS, of the kurtosis, of a scalar's value); a
// layer more than a factor of 10 (and 4 robust deviations) off its class's
// trend is "suspicious", with the evidence in the finding. NaN/Inf and
// all-zero matrices are "damaged". This is weaker than a check against the
// original weights, and says so.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/compare.h"

namespace gc {

struct self_tensor_result {
    std::string name, type, cls;
    int32_t layer = -1;
    uint64_t n_elements = 0;
    int64_t rows_total = 0, rows_read = 0;
    double rms = 0, mean = 0, max_abs = 0, kurtosis = 0;
    uint64_t nonfinite = 0;
    double trend_offset = 0;       // largest |log10 distance| from the class trend
    weight_status status = weight_status::skipped;
    std::string note;
};

struct self_check_report {
    std::vector<self_tensor_result> tensors;
    std::vector<layer_agreement_result> layers;   // cos fields unused
    finding_list findings;
    std::string verdict;           // "no_anomaly", "suspicious", "damaged", "cancelled"
    std::string summary;
    bool quick = false;
    uint64_t bytes_read = 0;
};

// f32 elements per block of rows whose moments one thread sums (at least
// one row): every tensor is cut into such blocks, summed on any thread and
// merged in order, so every number depends on block_floats only, never on
// the thread count or opt.block_bytes. Memory: 2 blocks per thread. Only the
// calling thread reads `cand` and calls opt.progress (compute/tile-stream.h).
constexpr int64_t SELF_CHECK_BLOCK_FLOATS = 1 << 18;

self_check_report self_check(weight_source & cand, const std::vector<std::string> & names, const compare_options & opt,
                             int64_t block_floats = SELF_CHECK_BLOCK_FLOATS);

nlohmann::json self_check_to_json(const self_check_report & r);

// Residuals of y against a Theil-Sen line over x (robust to a few outliers).
std::vector<double> robust_trend_residuals(const std::vector<double> & x, const std::vector<double> & y);

} // namespace gc
