// Agreement of a tensor with its reference, accumulated over row blocks in
// double. a = candidate, b = reference (after the converter's transforms).
//   cos           cosine over the flattened tensor (metrics/cosine.h)
//   cos_row_mean  mean over rows of the row-wise cosine (the bug report's definition)
//   cos_row_min   the worst row
//   rel_rmse      |a - b| / |b|
//   max_abs       max |a - b|
//   identical     every element bit-identical (NaN payloads compared as bits)
//   row_hist      the row cosines binned by 1 - cos on a log scale (below)
// Elements where either side is NaN/Inf are counted in `nonfinite` and left
// out of every sum.
//
// Summation order (part of the definition, so that results never depend on
// how a scan splits the work or on the thread count): a row is cut into
// segments of AGREEMENT_SEGMENT elements (the last one shorter). Within a
// segment element i is added to lane i % AGREEMENT_LANES, each lane summing
// in double in element order; the lanes are combined pairwise,
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)). A row's sums are its
// segments' sums added in segment order starting from 0, and a tensor's
// sums are its rows' sums added in row order. The products of two floats are
// exact in double, so the only rounding is in these additions (relative
// error ~1e-16 against any other order). The order depends only on element
// positions: a scan may compute segments anywhere, as long as it folds them
// in this order.
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

// Segment length and lane count of the summation order above. The segment is
// a multiple of every ggml block size (all are powers of two up to 256), so a
// scan can decode a segment of a quantized row on its own.
constexpr int64_t AGREEMENT_SEGMENT = 65536;
constexpr int AGREEMENT_LANES = 8;

int row_hist_bin(double cos);

// Sums over one segment, or folded over the segments of one row.
struct agreement_sums {
    double ab = 0.0, aa = 0.0, bb = 0.0, dd = 0.0;
    double max_abs = 0.0;
    uint64_t n = 0;             // elements (finite or not)
    uint64_t nonfinite = 0;
    bool identical = true;      // bit-identical
};

// The sums of one segment: n <= AGREEMENT_SEGMENT elements of both sides
// (the segment's first element is lane 0).
agreement_sums agreement_segment(const float * a, const float * b, int64_t n);

// The same with the plain scalar loop, element by element and lane by lane
// (the definition; tests check agreement_segment against it bit for bit).
agreement_sums agreement_segment_ref(const float * a, const float * b, int64_t n);

// The instruction set of agreement_segment's kernel: "avx2", "simd128" or
// "scalar" (the wasm build tests __wasm_simd128__ first).
const char * agreement_isa();

// Folds the next segment of a row into the row's sums (segment order).
void agreement_sums_add(agreement_sums & row, const agreement_sums & segment);

// The sums of a whole row of n elements: its segments folded in order.
agreement_sums agreement_row(const float * a, const float * b, int64_t n);

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

    // Adds one complete row given by its sums (rows in row order).
    void add_row(const agreement_sums & row);

    // Adds n_rows rows of n_cols elements (row-major) of both sides.
    void add_rows(const float * a, const float * b, int64_t n_rows, int64_t n_cols);

    double cos() const;
    double cos_row_mean() const;
    double cos_row_sd() const;      // standard deviation of the row cosines
    double rel_rmse() const;
};

} // namespace gc
