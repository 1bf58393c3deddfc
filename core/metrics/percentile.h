// Percentiles of a sample, with linear interpolation between order
// statistics (the definition llama-perplexity's KL statistics use, and
// numpy's default): p in [0, 1], position p * (n - 1) of the sorted values.
#pragma once

#include <vector>

namespace gc {

// values must be sorted ascending; NaN when empty.
double percentile_sorted(const std::vector<double> & values, double p);

} // namespace gc
