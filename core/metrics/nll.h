// Negative log-likelihood / perplexity accumulator, llama-perplexity's
// definitions (tools/perplexity/perplexity.cpp):
//   PPL  = exp(mean NLL)
//   ±    = PPL * sqrt((mean(NLL^2) - mean(NLL)^2) / (count - 1))
// (first-order error propagation of the standard error of the mean NLL).
// Sums are kept in double.
#pragma once

#include <cstdint>

namespace gc {

struct nll_accumulator {
    double sum = 0.0;
    double sum2 = 0.0;
    int64_t count = 0;

    void add(double nll) {
        sum += nll;
        sum2 += nll * nll;
        ++count;
    }
    double mean() const;
    double ppl() const;       // exp(mean); NaN when empty
    double ppl_err() const;   // NaN when count < 2 or the variance is not positive
};

} // namespace gc
