#include "metrics/kld.h"

#include <algorithm>
#include <cmath>

#include "metrics/percentile.h"

namespace gc {

void kld_online::add_block(const float * r, const float * q, int64_t n) {
    if (n <= 0) return;
    float bm = r[0];
    for (int64_t i = 1; i < n; ++i) bm = r[i] > bm ? r[i] : bm;
    if ((double) bm > m) {
        const double scale = s > 0.0 ? std::exp(m - (double) bm) : 0.0;
        s *= scale;
        a *= scale;
        m = bm;
    }
    const float mf = (float) m;
    double ds = 0.0, da = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        const double e = (double) std::exp(r[i] - mf);
        ds += e;
        da += e * ((double) r[i] - (double) q[i]);
    }
    s += ds;
    a += da;
}

void kld_online::merge(const kld_online & o) {
    if (!(o.s > 0.0)) return;
    if (!(s > 0.0)) {
        *this = o;
        return;
    }
    const double mm = o.m > m ? o.m : m;
    const double ka = std::exp(m - mm), kb = std::exp(o.m - mm);
    s = s * ka + o.s * kb;
    a = a * ka + o.a * kb;
    m = mm;
}

double kld_online::value(double lse_r, double lse_q) const {
    return a / s - lse_r + lse_q;
}

void kld_accumulator::add(double kld_value, double dp, bool same_top_token) {
    kld.push_back(kld_value);
    sum_dp += dp;
    sum_dp2 += dp * dp;
    sum_dp4 += dp * dp * dp * dp;
    same_top += same_top_token ? 1 : 0;
}

kld_summary kld_accumulator::summarize() const {
    kld_summary r;
    const int64_t n = (int64_t) kld.size();
    r.count = n;
    if (n == 0) return r;
    double s = 0.0, s2 = 0.0;
    for (double v : kld) {
        s += v;
        s2 += v * v;
    }
    r.mean = s / (double) n;
    const double var = s2 / (double) n - r.mean * r.mean;
    r.mean_err = n > 1 && var > 0 ? std::sqrt(var / (double) (n - 1)) : 0.0;
    std::vector<double> sorted = kld;
    std::sort(sorted.begin(), sorted.end());
    r.max = sorted.back();
    r.min = sorted.front();
    r.p99_9 = percentile_sorted(sorted, 0.999);
    r.p99 = percentile_sorted(sorted, 0.99);
    r.p95 = percentile_sorted(sorted, 0.95);
    r.p90 = percentile_sorted(sorted, 0.90);
    r.median = percentile_sorted(sorted, 0.5);
    r.p10 = percentile_sorted(sorted, 0.10);
    r.p5 = percentile_sorted(sorted, 0.05);
    r.p1 = percentile_sorted(sorted, 0.01);

    r.mean_dp = 100.0 * sum_dp / (double) n;
    const double ms = sum_dp2 / (double) n;           // mean dp^2
    r.rms_dp = 100.0 * std::sqrt(ms);
    // Error of sqrt(mean dp^2) by propagation from the error of mean dp^2.
    const double var_ms = sum_dp4 / (double) n - ms * ms;
    if (n > 1 && ms > 0 && var_ms > 0) r.rms_dp_err = 100.0 * 0.5 / std::sqrt(ms) * std::sqrt(var_ms / (double) (n - 1));
    const double f = (double) same_top / (double) n;
    r.same_top_p = 100.0 * f;
    r.same_top_p_err = n > 1 ? 100.0 * std::sqrt(f * (1.0 - f) / (double) (n - 1)) : 0.0;
    return r;
}

} // namespace gc
