#include "metrics/agreement.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "metrics/cosine.h"

namespace gc {

int row_hist_bin(double cos) {
    const double e = 1.0 - cos;
    if (!(e >= std::pow(10.0, ROW_HIST_LOG10_MIN))) return 0;   // also NaN
    if (e >= 1.0) return ROW_HIST_BINS - 1;
    const int k = 1 + (int) std::floor((std::log10(e) - ROW_HIST_LOG10_MIN) * ROW_HIST_PER_DECADE);
    return std::min(std::max(k, 1), ROW_HIST_BINS - 2);
}

void agreement::add_rows(const float * a, const float * b, int64_t n_rows, int64_t n_cols) {
    for (int64_t r = 0; r < n_rows; ++r) {
        const float * ar = a + r * n_cols;
        const float * br = b + r * n_cols;
        if (identical && std::memcmp(ar, br, (size_t) n_cols * sizeof(float)) != 0) identical = false;
        // Row sums in locals (no aliasing with the members: the loop stays in registers).
        double rab = 0.0, raa = 0.0, rbb = 0.0, rdd = 0.0, rmax = 0.0;
        uint64_t bad = 0;
        for (int64_t i = 0; i < n_cols; ++i) {
            if (!std::isfinite(ar[i]) || !std::isfinite(br[i])) {
                ++bad;
                continue;
            }
            const double x = ar[i], y = br[i], d = x - y;
            rab += x * y;
            raa += x * x;
            rbb += y * y;
            rdd += d * d;
            rmax = std::max(rmax, std::fabs(d));
        }
        nonfinite += bad;
        ab += rab;
        aa += raa;
        bb += rbb;
        dd += rdd;
        max_abs = std::max(max_abs, rmax);
        const double rc = cosine_from_sums(rab, raa, rbb);
        row_cos_sum += rc;
        row_cos_sq_sum += rc * rc;
        if (rc < row_cos_min) row_cos_min = rc;
        ++row_hist[(size_t) row_hist_bin(rc)];
        ++rows;
    }
    n += (uint64_t) (n_rows * n_cols);
}

double agreement::cos() const { return cosine_from_sums(ab, aa, bb); }

double agreement::cos_row_mean() const { return rows ? row_cos_sum / (double) rows : 1.0; }

double agreement::cos_row_sd() const {
    if (rows < 2) return 0.0;
    const double mean = cos_row_mean();
    const double var = (row_cos_sq_sum - (double) rows * mean * mean) / (double) (rows - 1);
    return var > 0.0 ? std::sqrt(var) : 0.0;
}

double agreement::rel_rmse() const {
    if (bb == 0.0) return dd == 0.0 ? 0.0 : INFINITY;
    return std::sqrt(dd / bb);
}

} // namespace gc
