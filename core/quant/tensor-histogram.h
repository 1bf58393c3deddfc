// Histogram of one tensor's dequantized values, streamed through
// dequant_rows in bounded row chunks (never the whole tensor in memory).
//
// Two passes over the tensor: the first finds the finite range [lo, hi], the
// second counts values into n_bins equal bins over it (the last bin closed
// at hi). NaN, +Inf and -Inf are counted apart and never binned. A tensor
// whose finite values are all equal gets lo == hi and every finite value in
// bin 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/byte-source.h"
#include "quant/dequant-rows.h"

namespace gc {

constexpr int32_t TENSOR_HISTOGRAM_MAX_BINS = 4096;

struct tensor_histogram {
    double lo = 0.0, hi = 0.0;          // finite range (0, 0 when nothing is finite)
    std::vector<uint64_t> counts;       // n_bins counts of finite values
    uint64_t count = 0;                 // all elements
    uint64_t n_nan = 0, n_pos_inf = 0, n_neg_inf = 0;
};

// n_bins in [1, TENSOR_HISTOGRAM_MAX_BINS]. False + *error when the type
// cannot be decoded, a read fails or n_bins is out of range.
bool tensor_histogram_compute(byte_source & src, const tensor_layout & t, int32_t n_bins, tensor_histogram * out,
                              std::string * error, const dequant_options & opt = {});

// {"lo", "hi", "counts": [...], "count", "nan", "pos_inf", "neg_inf"}
nlohmann::json tensor_histogram_json(const tensor_histogram & h);

} // namespace gc
