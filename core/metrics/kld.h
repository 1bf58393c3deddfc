// KL divergence and token-probability statistics of a candidate model
// against a reference, over the same scored tokens.
//
// Per token, with reference logits r and candidate logits q over the vocab:
//   KLD = sum_i p_r(i) (log p_r(i) - log p_q(i))
//       = A / S_r - LSE(r) + LSE(q),   A = sum_i e^{r_i - m} (r_i - q_i),
//                                      S_r = sum_i e^{r_i - m}, m = max r
// computed online over vocab blocks (kld_online), so no distribution is ever
// held. This is the full-precision definition: llama-perplexity instead
// stores the base log-probs as uint16 clipped at max - 16 and skips terms
// below that, so its values differ slightly for long-tailed distributions.
//   dp = p_q(target) - p_r(target);  RMS dp = sqrt(mean dp^2)
//   same top p = share of tokens where both argmaxes agree.
// Summary statistics follow llama-perplexity: mean ± sqrt(var / (n - 1)),
// percentiles by linear interpolation (metrics/percentile.h).
#pragma once

#include <cstdint>
#include <vector>

#include "compute/lse.h"

namespace gc {

struct kld_online {
    double m = -1e300;   // running max of r
    double s = 0.0;      // sum e^{r - m}
    double a = 0.0;      // sum e^{r - m} (r - q)

    void add_block(const float * r, const float * q, int64_t n);
    // Folds in the state of the same token over other vocab entries (the
    // threaded head merges per-group states in vocab order).
    void merge(const kld_online & o);
    // KLD given the two finished log-sum-exps.
    double value(double lse_r, double lse_q) const;
};

struct kld_summary {
    int64_t count = 0;
    double mean = 0, mean_err = 0;
    double max = 0, p99_9 = 0, p99 = 0, p95 = 0, p90 = 0, median = 0, p10 = 0, p5 = 0, p1 = 0, min = 0;
    double mean_dp = 0;       // percent
    double rms_dp = 0;        // percent
    double rms_dp_err = 0;    // percent
    double same_top_p = 0;    // percent
    double same_top_p_err = 0;
};

struct kld_accumulator {
    std::vector<double> kld;
    double sum_dp = 0.0, sum_dp2 = 0.0, sum_dp4 = 0.0;
    int64_t same_top = 0;

    void add(double kld_value, double dp, bool same_top_token);
    kld_summary summarize() const;
};

} // namespace gc
