#include "metrics/nll.h"

#include <cmath>
#include <limits>

namespace gc {

double nll_accumulator::mean() const {
    return count > 0 ? sum / (double) count : std::numeric_limits<double>::quiet_NaN();
}

double nll_accumulator::ppl() const {
    return std::exp(mean());
}

double nll_accumulator::ppl_err() const {
    if (count < 2) return std::numeric_limits<double>::quiet_NaN();
    const double m = sum / (double) count;
    const double var = sum2 / (double) count - m * m;
    if (!(var > 0.0)) return std::numeric_limits<double>::quiet_NaN();
    return std::sqrt(var / (double) (count - 1)) * std::exp(m);
}

} // namespace gc
