#include "metrics/moments.h"

#include <algorithm>
#include <cmath>

#include "metrics/lane-sum.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__AVX2__)
#include <immintrin.h>
#endif

namespace gc {

namespace {

constexpr int L = MOMENT_LANES;
static_assert(L == SUM_LANES, "moments.h's lane order is lane_sum's");

// The lane sums of one add() call and their fixed combination (moments.h).
struct lanes {
    double s1[L] = {}, s2[L] = {}, s3[L] = {}, s4[L] = {}, mx[L] = {};
    uint64_t n = 0, nonfinite = 0;

    // The reference loop over elements [from, to) (from a multiple of L).
    void add(const float * x, int64_t from, int64_t to) {
        for (int64_t i = from; i < to; ++i) {
            if (!std::isfinite(x[i])) {
                ++nonfinite;
                continue;
            }
            const int k = (int) (i % L);
            const double v = x[i], v2 = v * v;
            s1[k] += v;
            s2[k] += v2;
            s3[k] += v2 * v;
            s4[k] += v2 * v2;
            mx[k] = std::max(mx[k], std::fabs(v));
            ++n;
        }
    }

    void fold_into(moments & m) const {
        m.s1 += lane_sum(s1);
        m.s2 += lane_sum(s2);
        m.s3 += lane_sum(s3);
        m.s4 += lane_sum(s4);
        m.max_abs = std::max({ m.max_abs, mx[0], mx[1], mx[2], mx[3], mx[4], mx[5], mx[6], mx[7] });
        m.n += n;
        m.nonfinite += nonfinite;
    }

    bool finite() const {
        for (int k = 0; k < L; ++k) {
            if (!std::isfinite(s1[k]) || !std::isfinite(s4[k]) || !std::isfinite(mx[k])) return false;
        }
        return true;
    }
};

// The fast kernels keep the reference's order exactly (lane = i % 8, each
// lane in element order, the same combination) and leave out its
// per-element finiteness test: finite floats cannot overflow these sums
// (|x|^4 < 2^512, so no sum of fewer than 2^511 terms overflows), so a NaN/Inf element shows as
// a non-finite sum and the call is redone by the reference loop, which
// leaves such elements out. v * v is exact in double; v2 * v and v2 * v2 are
// rounded, so every sum is a multiply then an add, never fused (the build
// has -ffp-contract=off), in the reference and here alike.

#if defined(__wasm_simd128__)
#define GC_MOMENTS_ISA "simd128"

// Lanes 0-3 in a first pass and 4-7 in a second (each lane's order
// unchanged), so that a pass keeps 10 f64x2 accumulators, not 20 (V8 has 16
// SIMD registers on x86-64). Vector k of a pass holds lanes 4h + 2k, +1.
void add_fast(lanes & s, const float * x, int64_t n_full) {
    for (int h = 0; h < 2; ++h) {
        v128_t s1[2], s2[2], s3[2], s4[2], mx[2];
        for (int k = 0; k < 2; ++k) s1[k] = s2[k] = s3[k] = s4[k] = mx[k] = wasm_f64x2_splat(0.0);
        for (int64_t i = 4 * h; i < n_full; i += L) {
            const v128_t f = wasm_v128_load(x + i);
            const v128_t v[2] = { wasm_f64x2_promote_low_f32x4(f), wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(f, f, 1, 0)) };
            for (int k = 0; k < 2; ++k) {
                const v128_t v2 = wasm_f64x2_mul(v[k], v[k]);
                s1[k] = wasm_f64x2_add(s1[k], v[k]);
                s2[k] = wasm_f64x2_add(s2[k], v2);
                s3[k] = wasm_f64x2_add(s3[k], wasm_f64x2_mul(v2, v[k]));
                s4[k] = wasm_f64x2_add(s4[k], wasm_f64x2_mul(v2, v2));
                mx[k] = wasm_f64x2_pmax(mx[k], wasm_f64x2_abs(v[k]));
            }
        }
        for (int k = 0; k < 2; ++k) {
            wasm_v128_store(s.s1 + 4 * h + 2 * k, s1[k]);
            wasm_v128_store(s.s2 + 4 * h + 2 * k, s2[k]);
            wasm_v128_store(s.s3 + 4 * h + 2 * k, s3[k]);
            wasm_v128_store(s.s4 + 4 * h + 2 * k, s4[k]);
            wasm_v128_store(s.mx + 4 * h + 2 * k, mx[k]);
        }
    }
    s.n += (uint64_t) n_full;
}

#elif defined(__AVX2__)
#define GC_MOMENTS_ISA "avx2"

// Two 4-wide vectors per sum: lanes 0-3 and 4-7.
void add_fast(lanes & s, const float * x, int64_t n_full) {
    __m256d s1[2], s2[2], s3[2], s4[2], mx[2];
    for (int k = 0; k < 2; ++k) s1[k] = s2[k] = s3[k] = s4[k] = mx[k] = _mm256_setzero_pd();
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    for (int64_t i = 0; i < n_full; i += L) {
        const __m256 f = _mm256_loadu_ps(x + i);
        const __m256d v[2] = { _mm256_cvtps_pd(_mm256_castps256_ps128(f)), _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)) };
        for (int k = 0; k < 2; ++k) {
            const __m256d v2 = _mm256_mul_pd(v[k], v[k]);
            s1[k] = _mm256_add_pd(s1[k], v[k]);
            s2[k] = _mm256_add_pd(s2[k], v2);
            s3[k] = _mm256_add_pd(s3[k], _mm256_mul_pd(v2, v[k]));
            s4[k] = _mm256_add_pd(s4[k], _mm256_mul_pd(v2, v2));
            mx[k] = _mm256_max_pd(mx[k], _mm256_and_pd(v[k], abs_mask));
        }
    }
    for (int k = 0; k < 2; ++k) {
        _mm256_storeu_pd(s.s1 + 4 * k, s1[k]);
        _mm256_storeu_pd(s.s2 + 4 * k, s2[k]);
        _mm256_storeu_pd(s.s3 + 4 * k, s3[k]);
        _mm256_storeu_pd(s.s4 + 4 * k, s4[k]);
        _mm256_storeu_pd(s.mx + 4 * k, mx[k]);
    }
    s.n += (uint64_t) n_full;
}

#else
#define GC_MOMENTS_ISA "scalar"

void add_fast(lanes & s, const float * x, int64_t n_full) { s.add(x, 0, n_full); }

#endif

} // namespace

const char * moments_isa() { return GC_MOMENTS_ISA; }

void moments::add(const float * x, int64_t count) {
    const int64_t n_full = count - count % L;
    lanes s;
    add_fast(s, x, n_full);
    if (!s.finite()) {
        s = lanes{};
        s.add(x, 0, n_full);
    }
    s.add(x, n_full, count);
    s.fold_into(*this);
}

void moments::add_ref(const float * x, int64_t count) {
    lanes s;
    s.add(x, 0, count);
    s.fold_into(*this);
}

void moments::merge(const moments & o) {

    n += o.n;
    nonfinite += o.nonfinite;
    s1 += o.s1;
    s2 += o.s2;
    s3 += o.s3;
    s4 += o.s4;
    max_abs = std::max(max_abs, o.max_abs);
}

double moments::mean() const { return n ? s1 / (double) n : 0.0; }

double moments::rms() const { return n ? std::sqrt(s2 / (double) n) : 0.0; }

double moments::variance() const {
    if (!n) return 0.0;
    const double m = mean();
    return std::max(0.0, s2 / (double) n - m * m);
}

double moments::kurtosis() const {
    const double var = variance();
    if (!n || var <= 0.0) return 0.0;
    const double m = mean(), nn = (double) n;
    // E[(x-m)^4] from raw sums.
    const double m4 = s4 / nn - 4 * m * s3 / nn + 6 * m * m * s2 / nn - 3 * m * m * m * m;
    return m4 / (var * var);
}

} // namespace gc
