// Tensor value histogram (see tensor-histogram.h).
#include "quant/tensor-histogram.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace gc {

namespace {

// Calls fn(values, n) for consecutive row chunks of about opt.chunk_bytes of
// f32 output (at least one row).
bool for_each_chunk(byte_source & src, const tensor_layout & t, const dequant_options & opt, std::string * error,
                    const std::function<void(const float *, size_t)> & fn) {
    if (t.ne0 == 0 || t.n_rows == 0) return true;
    const uint64_t rows_per_chunk = std::max<uint64_t>(1, opt.chunk_bytes / (t.ne0 * sizeof(float)));
    will_read_rows(src, t, 0, t.n_rows);   // read in order
    std::vector<float> buf;
    for (uint64_t r0 = 0; r0 < t.n_rows; r0 += rows_per_chunk) {
        const uint64_t r1 = std::min(t.n_rows, r0 + rows_per_chunk);
        buf.resize((size_t) ((r1 - r0) * t.ne0));
        if (!dequant_rows(src, t, r0, r1, buf.data(), error, opt)) return false;
        fn(buf.data(), buf.size());
    }
    return true;
}

} // namespace

bool tensor_histogram_compute(byte_source & src, const tensor_layout & t, int32_t n_bins, tensor_histogram * out,
                              std::string * error, const dequant_options & opt) {
    *out = tensor_histogram{};
    if (n_bins < 1 || n_bins > TENSOR_HISTOGRAM_MAX_BINS) {
        if (error) *error = "bin count " + std::to_string(n_bins) + " is out of range [1, " +
                            std::to_string(TENSOR_HISTOGRAM_MAX_BINS) + "]";
        return false;
    }
    // Pass 1: the finite range and the non-finite counts.
    double lo = INFINITY, hi = -INFINITY;
    const bool ok1 = for_each_chunk(src, t, opt, error, [&](const float * v, size_t n) {
        out->count += n;
        for (size_t i = 0; i < n; ++i) {
            const float x = v[i];
            if (std::isnan(x)) ++out->n_nan;
            else if (std::isinf(x)) ++(x > 0 ? out->n_pos_inf : out->n_neg_inf);
            else {
                lo = std::min(lo, (double) x);
                hi = std::max(hi, (double) x);
            }
        }
    });
    if (!ok1) return false;
    out->counts.assign((size_t) n_bins, 0);
    if (!(lo <= hi)) return true;   // nothing finite
    out->lo = lo;
    out->hi = hi;
    // Pass 2: bin the finite values.
    const double width = (hi - lo) / n_bins;
    return for_each_chunk(src, t, opt, error, [&](const float * v, size_t n) {
        for (size_t i = 0; i < n; ++i) {
            const double x = v[i];
            if (!std::isfinite(x)) continue;
            int64_t b = width > 0 ? (int64_t) ((x - lo) / width) : 0;
            b = std::clamp<int64_t>(b, 0, n_bins - 1);
            ++out->counts[(size_t) b];
        }
    });
}

nlohmann::json tensor_histogram_json(const tensor_histogram & h) {
    return { { "lo", h.lo }, { "hi", h.hi }, { "counts", h.counts }, { "count", h.count },
             { "nan", h.n_nan }, { "pos_inf", h.n_pos_inf }, { "neg_inf", h.n_neg_inf } };
}

} // namespace gc
