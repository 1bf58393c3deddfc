// Agreement of a tensor with its reference, accumulated over row blocks in
// double. a = candidate, b = reference (after the converter's transforms).
//   cos           cosine over the flattened tensor (metrics/cosine.h)
//   cos_row_mean  mean over rows of the row-wise cosine (the bug report's definition)
//   cos_row_min   the worst row
//   rel_rmse      |a - b| / |b|
//   max_abs       max |a - b|
//   identical     every element bit-identical (NaN payloads compared as bits)
//   row_hist      the row cosines binned by 1 - cos on a log scale (below)
#pragma once

#include <array>
#include <cstdint>

namespace gc {

// Row-cosine histogram bins, by e = 1 - cos: bin 0 holds e < 10^ROW_HIST_LOG10_MIN
// (identical rows included); bin k in 1..ROW_HIST_BINS-2 holds
// [10^(min + (k-1)/per_decade), 10^(min + k/per_decade)); the last bin e >= 1
// (cos <= 0).
constexpr int ROW_HIST_LOG10_MIN = -8;
constexpr int ROW_HIST_PER_DECADE = 4;
constexpr int ROW_HIST_BINS = -ROW_HIST_LOG10_MIN * ROW_HIST_PER_DECADE + 2;

int row_hist_bin(double cos);

struct agreement {
    double ab = 0.0, aa = 0.0, bb = 0.0, dd = 0.0;
    double max_abs = 0.0;
    double row_cos_sum = 0.0;
    double row_cos_sq_sum = 0.0;
    double row_cos_min = 1.0;
    uint64_t rows = 0;
    uint64_t n = 0;
    uint64_t nonfinite = 0;     // elements where either side is NaN/Inf (excluded from the sums)
    bool identical = true;
    std::array<uint64_t, ROW_HIST_BINS> row_hist{};

    // Adds n_rows rows of n_cols elements (row-major) of both sides.
    void add_rows(const float * a, const float * b, int64_t n_rows, int64_t n_cols);

    double cos() const;
    double cos_row_mean() const;
    double cos_row_sd() const;      // standard deviation of the row cosines
    double rel_rmse() const;
};

} // namespace gc
