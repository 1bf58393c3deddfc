// Cosine similarity, in double: dot(a, b) / (|a| |b|).
// Two zero vectors are identical (1); one zero vector against a non-zero one
// is 0.
#pragma once

#include <cstdint>

namespace gc {

double cosine(const float * a, const float * b, int64_t n);

// The same definition from accumulated sums: ab = sum a*b, aa = sum a*a,
// bb = sum b*b (for streaming over blocks).
double cosine_from_sums(double ab, double aa, double bb);

// Mean over rows of the row-wise cosine of two [n_rows, n] row-major arrays.
double cosine_rows_mean(const float * a, const float * b, int64_t n_rows, int64_t n);

} // namespace gc
