#include "metrics/agreement.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "metrics/cosine.h"
#include "metrics/lane-sum.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace gc {

namespace {

constexpr int L = AGREEMENT_LANES;
static_assert(L == SUM_LANES, "agreement.h's lane order is lane_sum's");

uint32_t float_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

// The lane partials of one segment and their fixed combination order.
struct lanes {
    double ab[L] = {}, aa[L] = {}, bb[L] = {}, dd[L] = {}, mx[L] = {};
    uint32_t diff[L] = {};

    // Elements [i0, n) without the finiteness test, lane (i - i0) % L
    // (i0 a multiple of L).
    void tail(const float * a, const float * b, int64_t i0, int64_t n) {
        for (int64_t i = i0; i < n; ++i) {
            const int j = (int) ((i - i0) % L);
            const double x = a[i], y = b[i], d = x - y;
            ab[j] += x * y;
            aa[j] += x * x;
            bb[j] += y * y;
            dd[j] += d * d;
            mx[j] = std::max(mx[j], std::fabs(d));
            diff[j] |= float_bits(a[i]) ^ float_bits(b[i]);
        }
    }

    agreement_sums sums(int64_t n) const {
        agreement_sums s;
        s.ab = lane_sum(ab);
        s.aa = lane_sum(aa);
        s.bb = lane_sum(bb);
        s.dd = lane_sum(dd);
        uint32_t any = 0;
        for (int j = 0; j < L; ++j) {
            s.max_abs = std::max(s.max_abs, mx[j]);
            any |= diff[j];
        }
        s.identical = any == 0;
        s.n = (uint64_t) n;
        return s;
    }
};

} // namespace

int row_hist_bin(double cos) {
    const double e = 1.0 - cos;
    if (!(e >= std::pow(10.0, ROW_HIST_LOG10_MIN))) return 0;   // also NaN
    if (e >= 1.0) return ROW_HIST_BINS - 1;
    const int k = 1 + (int) std::floor((std::log10(e) - ROW_HIST_LOG10_MIN) * ROW_HIST_PER_DECADE);
    return std::min(std::max(k, 1), ROW_HIST_BINS - 2);
}

agreement_sums agreement_segment_ref(const float * a, const float * b, int64_t n) {
    lanes s;
    uint64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
        const int j = (int) (i % L);
        s.diff[j] |= float_bits(a[i]) ^ float_bits(b[i]);
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) {
            ++bad;
            continue;
        }
        const double x = a[i], y = b[i], d = x - y;
        s.ab[j] += x * y;
        s.aa[j] += x * x;
        s.bb[j] += y * y;
        s.dd[j] += d * d;
        s.mx[j] = std::max(s.mx[j], std::fabs(d));
    }
    agreement_sums r = s.sums(n);
    r.nonfinite = bad;
    return r;
}

namespace {

// The fast kernels below keep agreement_segment_ref's order exactly (lane
// j = element i % 8, each lane in element order, the same combination) and
// leave out its per-element finiteness test: finite floats cannot overflow
// these sums (|x|^2 < 2^256, at most 2^16 terms), so a NaN/Inf element shows
// as a non-finite aa or bb, and the segment is then redone by the reference
// loop, which leaves such elements out. Products of two floats are exact in
// double, so a fused multiply-add gives the same ab/aa/bb as a multiply and
// an add; d * d need not be exact, so dd is always a multiply then an add
// (the build has -ffp-contract=off), and native and wasm builds give the
// same bits.

#if defined(__wasm_simd128__)
#define GC_AGREEMENT_ISA "simd128"

// Lanes 0-3 in a first pass over the segment and lanes 4-7 in a second
// (each lane's order unchanged): five sums of 8 lanes would need 20 f64x2
// accumulators, more than the 16 SIMD registers V8 has on x86-64, and the
// spills cost more than reading the segment (in cache) twice. Vector k of a
// pass holds lanes 4h + 2k, 4h + 2k + 1.
agreement_sums segment_fast(const float * a, const float * b, int64_t n) {
    lanes s;
    const int64_t n_full = n - n % L;
    v128_t diff = wasm_i32x4_splat(0);
    for (int h = 0; h < 2; ++h) {
        v128_t ab[2], aa[2], bb[2], dd[2], mx[2];
        for (int k = 0; k < 2; ++k) ab[k] = aa[k] = bb[k] = dd[k] = mx[k] = wasm_f64x2_splat(0.0);
        for (int64_t i = 4 * h; i < n_full; i += L) {
            const v128_t va = wasm_v128_load(a + i), vb = wasm_v128_load(b + i);
            diff = wasm_v128_or(diff, wasm_v128_xor(va, vb));
            const v128_t x[2] = { wasm_f64x2_promote_low_f32x4(va), wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(va, va, 1, 0)) };
            const v128_t y[2] = { wasm_f64x2_promote_low_f32x4(vb), wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(vb, vb, 1, 0)) };
            for (int k = 0; k < 2; ++k) {
                const v128_t d = wasm_f64x2_sub(x[k], y[k]);
                ab[k] = wasm_f64x2_add(ab[k], wasm_f64x2_mul(x[k], y[k]));
                aa[k] = wasm_f64x2_add(aa[k], wasm_f64x2_mul(x[k], x[k]));
                bb[k] = wasm_f64x2_add(bb[k], wasm_f64x2_mul(y[k], y[k]));
                dd[k] = wasm_f64x2_add(dd[k], wasm_f64x2_mul(d, d));
                mx[k] = wasm_f64x2_pmax(mx[k], wasm_f64x2_abs(d));
            }
        }
        for (int k = 0; k < 2; ++k) {
            wasm_v128_store(s.ab + 4 * h + 2 * k, ab[k]);
            wasm_v128_store(s.aa + 4 * h + 2 * k, aa[k]);
            wasm_v128_store(s.bb + 4 * h + 2 * k, bb[k]);
            wasm_v128_store(s.dd + 4 * h + 2 * k, dd[k]);
            wasm_v128_store(s.mx + 4 * h + 2 * k, mx[k]);
        }
    }
    uint32_t dv[4];
    wasm_v128_store(dv, diff);
    s.diff[0] = dv[0] | dv[1] | dv[2] | dv[3];
    s.tail(a, b, n_full, n);
    return s.sums(n);
}

#elif defined(__AVX2__) && defined(__FMA__)
#define GC_AGREEMENT_ISA "avx2"

// Two 4-wide vectors per sum: lanes 0-3 and 4-7.
agreement_sums segment_fast(const float * a, const float * b, int64_t n) {
    __m256d ab[2], aa[2], bb[2], dd[2], mx[2];
    for (int k = 0; k < 2; ++k) ab[k] = aa[k] = bb[k] = dd[k] = mx[k] = _mm256_setzero_pd();
    __m256i diff = _mm256_setzero_si256();
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const int64_t n_full = n - n % L;
    for (int64_t i = 0; i < n_full; i += L) {
        const __m256 va = _mm256_loadu_ps(a + i), vb = _mm256_loadu_ps(b + i);
        diff = _mm256_or_si256(diff, _mm256_xor_si256(_mm256_castps_si256(va), _mm256_castps_si256(vb)));
        const __m256d x[2] = { _mm256_cvtps_pd(_mm256_castps256_ps128(va)), _mm256_cvtps_pd(_mm256_extractf128_ps(va, 1)) };
        const __m256d y[2] = { _mm256_cvtps_pd(_mm256_castps256_ps128(vb)), _mm256_cvtps_pd(_mm256_extractf128_ps(vb, 1)) };
        for (int k = 0; k < 2; ++k) {
            const __m256d d = _mm256_sub_pd(x[k], y[k]);
            ab[k] = _mm256_fmadd_pd(x[k], y[k], ab[k]);
            aa[k] = _mm256_fmadd_pd(x[k], x[k], aa[k]);
            bb[k] = _mm256_fmadd_pd(y[k], y[k], bb[k]);
            dd[k] = _mm256_add_pd(dd[k], _mm256_mul_pd(d, d));   // d * d may round: no FMA (as the reference)
            mx[k] = _mm256_max_pd(mx[k], _mm256_and_pd(d, abs_mask));
        }
    }
    lanes s;
    for (int k = 0; k < 2; ++k) {
        _mm256_storeu_pd(s.ab + 4 * k, ab[k]);
        _mm256_storeu_pd(s.aa + 4 * k, aa[k]);
        _mm256_storeu_pd(s.bb + 4 * k, bb[k]);
        _mm256_storeu_pd(s.dd + 4 * k, dd[k]);
        _mm256_storeu_pd(s.mx + 4 * k, mx[k]);
    }
    const __m128i d4 = _mm_or_si128(_mm256_castsi256_si128(diff), _mm256_extracti128_si256(diff, 1));
    s.diff[0] = (uint32_t) (_mm_extract_epi32(d4, 0) | _mm_extract_epi32(d4, 1) | _mm_extract_epi32(d4, 2) | _mm_extract_epi32(d4, 3));
    s.tail(a, b, n_full, n);
    return s.sums(n);
}

#else
#define GC_AGREEMENT_ISA "scalar"

agreement_sums segment_fast(const float * a, const float * b, int64_t n) {
    lanes s;
    s.tail(a, b, 0, n);
    return s.sums(n);
}

#endif

} // namespace

const char * agreement_isa() { return GC_AGREEMENT_ISA; }

agreement_sums agreement_segment(const float * a, const float * b, int64_t n) {
    agreement_sums r = segment_fast(a, b, n);
    if (!std::isfinite(r.aa) || !std::isfinite(r.bb)) return agreement_segment_ref(a, b, n);
    return r;
}

void agreement_sums_add(agreement_sums & row, const agreement_sums & seg) {
    row.ab += seg.ab;
    row.aa += seg.aa;
    row.bb += seg.bb;
    row.dd += seg.dd;
    row.max_abs = std::max(row.max_abs, seg.max_abs);
    row.n += seg.n;
    row.nonfinite += seg.nonfinite;
    row.identical = row.identical && seg.identical;
}

agreement_sums agreement_row(const float * a, const float * b, int64_t n) {
    agreement_sums row;
    for (int64_t c = 0; c < n; c += AGREEMENT_SEGMENT) {
        agreement_sums_add(row, agreement_segment(a + c, b + c, std::min(AGREEMENT_SEGMENT, n - c)));
    }
    return row;
}

void agreement::add_row(const agreement_sums & r) {
    identical = identical && r.identical;
    nonfinite += r.nonfinite;
    ab += r.ab;
    aa += r.aa;
    bb += r.bb;
    dd += r.dd;
    max_abs = std::max(max_abs, r.max_abs);
    const double rc = cosine_from_sums(r.ab, r.aa, r.bb);
    row_cos_sum += rc;
    row_cos_sq_sum += rc * rc;
    if (rc < row_cos_min) row_cos_min = rc;
    ++row_hist[(size_t) row_hist_bin(rc)];
    ++rows;
    n += r.n;
}

void agreement::add_rows(const float * a, const float * b, int64_t n_rows, int64_t n_cols) {
    for (int64_t r = 0; r < n_rows; ++r) add_row(agreement_row(a + r * n_cols, b + r * n_cols, n_cols));
}

double agreement::cos() const { return cosine_from_sums(ab, aa, bb); }

double agreement::cos_row_mean() const { return rows ? row_cos_sum / (double) rows : 1.0; }

double agreement::cos_row_sd() const {
    if (rows < 2) return 0.0;
    const double mean = cos_row_mean();
    const double var = (row_cos_sq_sum - (double) rows * mean * mean) / (double) (rows - 1);
    return var > 0.0 ? std::sqrt(var) : 0.0;
}

double agreement::rel_rmse() const {
    if (bb == 0.0) return dd == 0.0 ? 0.0 : INFINITY;
    return std::sqrt(dd / bb);
}

} // namespace gc
