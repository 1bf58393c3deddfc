#include "metrics/cosine.h"

#include <cmath>

namespace gc {

double cosine(const float * a, const float * b, int64_t n) {
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        ab += (double) a[i] * (double) b[i];
        aa += (double) a[i] * (double) a[i];
        bb += (double) b[i] * (double) b[i];
    }
    return cosine_from_sums(ab, aa, bb);
}

double cosine_from_sums(double ab, double aa, double bb) {
    if (aa == 0.0 && bb == 0.0) return 1.0;
    if (aa == 0.0 || bb == 0.0) return 0.0;
    return ab / (std::sqrt(aa) * std::sqrt(bb));
}

double cosine_rows_mean(const float * a, const float * b, int64_t n_rows, int64_t n) {
    if (n_rows <= 0) return 1.0;
    double s = 0.0;
    for (int64_t r = 0; r < n_rows; ++r) s += cosine(a + r * n, b + r * n, n);
    return s / (double) n_rows;
}

} // namespace gc
