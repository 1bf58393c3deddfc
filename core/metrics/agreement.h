// Agreement of a tensor with its reference, accumulated over row blocks in
// double. a = candidate, b = reference (after the converter's transforms).
//   cos           cosine over the flattened tensor (metrics/cosine.h)
//   cos_row_mean  mean over rows of the row-wise cosine (the bug report's definition)
//   cos_row_min   the worst row
//   rel_rmse      |a - b| / |b|
//   max_abs       max |a - b|
//   identical     every element bit-identical (NaN payloads compared as bits)
#pragma once

#include <cstdint>

namespace gc {

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

    // Adds n_rows rows of n_cols elements (row-major) of both sides.
    void add_rows(const float * a, const float * b, int64_t n_rows, int64_t n_cols);

    double cos() const;
    double cos_row_mean() const;
    double cos_row_sd() const;      // standard deviation of the row cosines
    double rel_rmse() const;
};

} // namespace gc
