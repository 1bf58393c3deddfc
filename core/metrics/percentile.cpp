#include "metrics/percentile.h"

#include <cmath>
#include <limits>

namespace gc {

double percentile_sorted(const std::vector<double> & values, double p) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    if (p <= 0.0) return values.front();
    if (p >= 1.0) return values.back();
    const double pos = p * (double) (values.size() - 1);
    const size_t i = (size_t) pos;
    const double frac = pos - (double) i;
    const size_t j = i + 1 < values.size() ? i + 1 : i;
    return (1.0 - frac) * values[i] + frac * values[j];
}

} // namespace gc
