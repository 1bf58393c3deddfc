// The fixed combination of 8 lane partial sums that the summation orders of
// metrics/agreement.h and metrics/moments.h define:
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
#pragma once

namespace gc {

constexpr int SUM_LANES = 8;

inline double lane_sum(const double * l) {
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

} // namespace gc
