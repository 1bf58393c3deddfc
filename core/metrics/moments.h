// Value moments of a tensor, streamed in double: RMS, mean, max |x| and
// kurtosis (E[(x-mean)^4] / var^2; 3 for a Gaussian), NaN/Inf counted apart.
#pragma once

#include <cstdint>

namespace gc {

struct moments {
    uint64_t n = 0;             // finite elements
    uint64_t nonfinite = 0;
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;   // raw power sums of finite values
    double max_abs = 0;

    void add(const float * x, int64_t count);

    double mean() const;
    double rms() const;
    double variance() const;    // population
    double kurtosis() const;    // 0 when the variance is 0
};

} // namespace gc
