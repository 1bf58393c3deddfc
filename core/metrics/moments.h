// Value moments of a tensor, streamed in double: RMS, mean, max |x| and
// kurtosis (E[(x-mean)^4] / var^2; 3 for a Gaussian), NaN/Inf counted apart.
//
// Summation order (part of the definition, so that a SIMD kernel and the
// scalar reference give the same bits): within one add(x, count), element i
// is added to lane i % MOMENT_LANES, each lane summing in double in element
// order; the lanes are combined pairwise, ((l0 + l1) + (l2 + l3)) +
// ((l4 + l5) + (l6 + l7)), and that is added to the running sums. Callers
// that split a tensor into blocks add (or merge) the blocks in a fixed order.
#pragma once

#include <cstdint>

namespace gc {

constexpr int MOMENT_LANES = 8;

struct moments {
    uint64_t n = 0;             // finite elements
    uint64_t nonfinite = 0;
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;   // raw power sums of finite values
    double max_abs = 0;

    // The fast kernel of this build (moments_isa()).
    void add(const float * x, int64_t count);
    // The scalar reference of the same order (tests compare the two).
    void add_ref(const float * x, int64_t count);
    // Adds the sums of another run over different elements (a later block:
    // merging blocks in a fixed order keeps the result deterministic).
    void merge(const moments & o);

    double mean() const;
    double rms() const;
    double variance() const;    // population
    double kurtosis() const;    // 0 when the variance is 0
};

// "avx2", "simd128" or "scalar".
const char * moments_isa();

} // namespace gc
