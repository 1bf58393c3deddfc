// Metrics: each definition checked against a second, direct computation.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "compute/lse.h"
#include "metrics/cosine.h"
#include "metrics/kld.h"
#include "metrics/moments.h"
#include "metrics/nll.h"
#include "metrics/percentile.h"

using namespace gc;

TEST(metrics_nll, ppl_and_llama_cpp_error_estimate) {
    nll_accumulator a;
    const double v[] = { 1.0, 2.0, 3.0, 6.0 };
    for (double x : v) a.add(x);
    EXPECT_EQ(a.count, 4);
    EXPECT_DOUBLE_EQ(a.mean(), 3.0);
    EXPECT_NEAR(a.ppl(), std::exp(3.0), 1e-12);
    // var (population) = (4 + 1 + 0 + 9) / 4 = 3.5; err = ppl * sqrt(3.5 / 3)
    EXPECT_NEAR(a.ppl_err(), std::exp(3.0) * std::sqrt(3.5 / 3.0), 1e-9);
    nll_accumulator one;
    one.add(1.0);
    EXPECT_TRUE(std::isnan(one.ppl_err()));
    EXPECT_TRUE(std::isnan(nll_accumulator{}.mean()));
}

TEST(metrics_percentile, linear_interpolation) {
    const std::vector<double> s = { 1, 2, 3, 4, 10 };
    EXPECT_DOUBLE_EQ(percentile_sorted(s, 0.0), 1);
    EXPECT_DOUBLE_EQ(percentile_sorted(s, 1.0), 10);
    EXPECT_DOUBLE_EQ(percentile_sorted(s, 0.5), 3);
    EXPECT_DOUBLE_EQ(percentile_sorted(s, 0.9), 4 + 0.6 * 6);   // pos 3.6
    EXPECT_DOUBLE_EQ(percentile_sorted(s, 0.125), 1.5);        // pos 0.5
    EXPECT_TRUE(std::isnan(percentile_sorted({}, 0.5)));
}

TEST(metrics_cosine, definition_and_edge_cases) {
    const float a[] = { 1, 0, 0 }, b[] = { 0, 1, 0 }, c[] = { 2, 0, 0 }, z[] = { 0, 0, 0 }, m[] = { -1, 0, 0 };
    EXPECT_DOUBLE_EQ(cosine(a, b, 3), 0.0);
    EXPECT_DOUBLE_EQ(cosine(a, c, 3), 1.0);
    EXPECT_DOUBLE_EQ(cosine(a, m, 3), -1.0);
    EXPECT_DOUBLE_EQ(cosine(z, z, 3), 1.0);
    EXPECT_DOUBLE_EQ(cosine(a, z, 3), 0.0);
    const float r1[] = { 1, 0, 1, 0 }, r2[] = { 1, 0, 0, 1 };   // rows: cos 1 and cos 0
    EXPECT_DOUBLE_EQ(cosine_rows_mean(r1, r2, 2, 2), 0.5);
}

// Online log-sum-exp and KL over uneven blocks against the two-pass formula.
TEST(metrics_kld, online_matches_two_pass) {
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.0f, 4.0f);
    const int n = 1000;
    std::vector<float> r(n), q(n);
    for (int i = 0; i < n; ++i) {
        r[i] = nd(rng);
        q[i] = r[i] + 0.3f * nd(rng);
    }
    // Two-pass reference in double.
    auto lse = [](const std::vector<float> & x) {
        double m = x[0];
        for (float v : x) m = std::max(m, (double) v);
        double s = 0;
        for (float v : x) s += std::exp((double) v - m);
        return m + std::log(s);
    };
    const double lr = lse(r), lq = lse(q);
    double kl = 0;
    for (int i = 0; i < n; ++i) kl += std::exp(r[i] - lr) * ((r[i] - lr) - (q[i] - lq));

    online_lse olr, olq;
    kld_online ok;
    // Blocks of growing size, so the running max moves between blocks.
    int i0 = 0, bs = 1;
    while (i0 < n) {
        const int nb = std::min(bs, n - i0);
        olr.add_block(r.data() + i0, nb);
        olq.add_block(q.data() + i0, nb);
        ok.add_block(r.data() + i0, q.data() + i0, nb);
        i0 += nb;
        bs = bs * 2 + 1;
    }
    EXPECT_NEAR(olr.value(), lr, 1e-5);
    EXPECT_NEAR(olq.value(), lq, 1e-5);
    EXPECT_NEAR(ok.value(olr.value(), olq.value()), kl, 1e-5);
    EXPECT_GT(kl, 0.0);
    // Identical distributions: KLD 0.
    kld_online same;
    online_lse l2;
    same.add_block(r.data(), r.data(), n);
    l2.add_block(r.data(), n);
    EXPECT_NEAR(same.value(l2.value(), l2.value()), 0.0, 1e-9);
}

TEST(metrics_kld, summary_statistics) {
    kld_accumulator a;
    for (int i = 1; i <= 100; ++i) a.add(i / 100.0, (i % 2 ? 0.02 : -0.02), i <= 90);
    const kld_summary s = a.summarize();
    EXPECT_EQ(s.count, 100);
    EXPECT_NEAR(s.mean, 0.505, 1e-12);
    EXPECT_DOUBLE_EQ(s.max, 1.0);
    EXPECT_DOUBLE_EQ(s.min, 0.01);
    EXPECT_NEAR(s.median, 0.505, 1e-12);
    EXPECT_NEAR(s.p99, 0.01 * (1 + 0.99 * 99), 1e-12);
    EXPECT_NEAR(s.rms_dp, 2.0, 1e-9);        // percent
    EXPECT_NEAR(s.mean_dp, 0.0, 1e-12);
    EXPECT_NEAR(s.same_top_p, 90.0, 1e-9);
    EXPECT_NEAR(s.same_top_p_err, 100.0 * std::sqrt(0.9 * 0.1 / 99.0), 1e-9);
}

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

// The fast moments kernel keeps the reference's summation order: the same
// bits on odd lengths, with and without NaN/Inf (left out of every sum), and
// values near the float range; and the sums are those of a direct
// two-pass computation to rounding.
TEST(metrics_moments, fast_kernel_equals_reference_bit_for_bit) {
    std::printf("moments kernel: %s\n", moments_isa());
    std::mt19937 rng(7);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (int64_t n : { 0, 1, 7, 8, 9, 15, 16, 17, 1000, 4097 }) {
        for (int variant = 0; variant < 3; ++variant) {
            std::vector<float> x((size_t) n);
            for (auto & v : x) v = g(rng) * (variant == 2 ? 1e37f : 0.05f);
            if (variant == 1 && n > 2) {
                x[(size_t) n / 2] = std::numeric_limits<float>::quiet_NaN();
                x[(size_t) n - 1] = -std::numeric_limits<float>::infinity();
            }
            SCOPED_TRACE("n " + std::to_string(n) + " variant " + std::to_string(variant));
            moments fast, ref;
            fast.add(x.data(), n);
            ref.add_ref(x.data(), n);
            EXPECT_EQ(fast.n, ref.n);
            EXPECT_EQ(fast.nonfinite, ref.nonfinite);
            EXPECT_EQ(fast.nonfinite, variant == 1 && n > 2 ? 2u : 0u);
            EXPECT_TRUE(same_bits(fast.s1, ref.s1)) << fast.s1 << " vs " << ref.s1;
            EXPECT_TRUE(same_bits(fast.s2, ref.s2));
            EXPECT_TRUE(same_bits(fast.s3, ref.s3));
            EXPECT_TRUE(same_bits(fast.s4, ref.s4));
            EXPECT_TRUE(same_bits(fast.max_abs, ref.max_abs));
            // Direct: plain sums in long double.
            long double d1 = 0, d2 = 0, d4 = 0;
            for (float v : x) {
                if (!std::isfinite(v)) continue;
                d1 += v;
                d2 += (long double) v * v;
                d4 += (long double) v * v * v * v;
            }
            EXPECT_NEAR(fast.s2, (double) d2, 1e-13 * (double) d2);
            EXPECT_NEAR(fast.s4, (double) d4, 1e-13 * (double) d4);
            EXPECT_NEAR(fast.s1, (double) d1, 1e-13 * std::sqrt((double) d2 * (double) n) + 1e-300);
        }
    }
}
