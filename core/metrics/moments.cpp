#include "metrics/moments.h"

#include <algorithm>
#include <cmath>

namespace gc {

void moments::add(const float * x, int64_t count) {
    for (int64_t i = 0; i < count; ++i) {
        if (!std::isfinite(x[i])) {
            ++nonfinite;
            continue;
        }
        const double v = x[i], v2 = v * v;
        s1 += v;
        s2 += v2;
        s3 += v2 * v;
        s4 += v2 * v2;
        if (std::fabs(v) > max_abs) max_abs = std::fabs(v);
        ++n;
    }
}

double moments::mean() const { return n ? s1 / (double) n : 0.0; }

double moments::rms() const { return n ? std::sqrt(s2 / (double) n) : 0.0; }

double moments::variance() const {
    if (!n) return 0.0;
    const double m = mean();
    return std::max(0.0, s2 / (double) n - m * m);
}

double moments::kurtosis() const {
    const double var = variance();
    if (!n || var <= 0.0) return 0.0;
    const double m = mean(), nn = (double) n;
    // E[(x-m)^4] from raw sums.
    const double m4 = s4 / nn - 4 * m * s3 / nn + 6 * m * m * s2 / nn - 3 * m * m * m * m;
    return m4 / (var * var);
}

} // namespace gc
