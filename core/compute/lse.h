// Online log-sum-exp: log(sum_i e^{x_i}) over values that arrive in blocks,
// without holding them all. State: the running max m and s = sum e^{x_i - m}
// (in double); when a block raises the max, s is rescaled by e^{m_old - m}.
// The result equals the max-subtracted two-pass formula llama-perplexity uses
// (float exponent of x - max, double sum) up to float rounding of the
// exponents taken before the final max is known.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace gc {

struct online_lse {
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0.0;

    void add_block(const float * x, int64_t n) {
        if (n <= 0) return;
        float bm = x[0];
        for (int64_t i = 1; i < n; ++i) bm = x[i] > bm ? x[i] : bm;
        if ((double) bm > max) {
            if (sum > 0.0) sum *= std::exp(max - (double) bm);
            max = bm;
        }
        const float m = (float) max;
        double s = 0.0;
        for (int64_t i = 0; i < n; ++i) s += (double) std::exp(x[i] - m);
        sum += s;
    }

    // Folds in the state of another run over different values, as if they
    // had been added here: max of the maxima, sums rescaled to it. Merging
    // partial states in a fixed order gives a fixed result (the threaded
    // head merges per-group states in vocab order).
    void merge(const online_lse & o) {
        if (!(o.sum > 0.0)) return;
        if (!(sum > 0.0)) {
            max = o.max;
            sum = o.sum;
            return;
        }
        const double m = o.max > max ? o.max : max;
        sum = sum * std::exp(max - m) + o.sum * std::exp(o.max - m);
        max = m;
    }

    // log(sum e^x); -inf when nothing was added.
    double value() const { return sum > 0.0 ? max + std::log(sum) : -std::numeric_limits<double>::infinity(); }
};

} // namespace gc
