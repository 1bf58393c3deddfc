// Metrics: each definition checked against a second, direct computation.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "compute/lse.h"
#include "metrics/cosine.h"
#include "metrics/kld.h"
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
