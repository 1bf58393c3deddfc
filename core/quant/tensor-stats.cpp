// Tensor statistics (see tensor-stats.h). Mean and variance are merged per
// chunk with Chan et al.'s parallel update, in double, so the result does
// not depend on a running sum of squares.
#include "quant/tensor-stats.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "format/ggml-types.h"
#include "quant/block-scale.h"

namespace gc {

namespace {

struct accumulator {
    uint64_t n = 0;
    double mean = 0.0, m2 = 0.0;
    double min = 0.0, max = 0.0;

    void merge(uint64_t nb, double mean_b, double m2_b, double min_b, double max_b) {
        if (nb == 0) return;
        if (n == 0) {
            n = nb; mean = mean_b; m2 = m2_b; min = min_b; max = max_b;
            return;
        }
        const double delta = mean_b - mean;
        const uint64_t total = n + nb;
        mean += delta * (double) nb / (double) total;
        m2 += m2_b + delta * delta * (double) n * (double) nb / (double) total;
        n = total;
        min = std::min(min, min_b);
        max = std::max(max, max_b);
    }
};

} // namespace

bool tensor_stats_compute(byte_source & src, const tensor_layout & t, tensor_stats * out, std::string * error,
                          const dequant_options & opt) {
    *out = tensor_stats{};
    const ggml_type_info * info = ggml_type_get(t.type);
    if (!info || info->retired || !info->dequant) {
        if (error) *error = "type id " + std::to_string(t.type) + " cannot be decoded";
        return false;
    }
    const uint64_t total = t.ne0 * t.n_rows;
    const uint64_t bs = (uint64_t) info->block_size;
    const uint64_t ts = (uint64_t) info->type_size;
    const bool has_blocks = bs > 1;
    const uint64_t zero_unit = has_blocks ? bs : TENSOR_STATS_ELEMENT_BLOCK;
    // Chunk: whole quant blocks and whole zero units, about opt.chunk_bytes of input.
    const uint64_t unit_blocks = has_blocks ? 1 : TENSOR_STATS_ELEMENT_BLOCK;
    const uint64_t chunk_units = std::max<uint64_t>(1, opt.chunk_bytes / (unit_blocks * ts));
    const uint64_t chunk_blocks = chunk_units * unit_blocks;
    const uint64_t total_blocks = total / bs;

    will_read_rows(src, t, 0, t.n_rows);   // read in order
    std::vector<uint8_t> raw;
    std::vector<float> vals;
    accumulator acc;
    const dequant_fn fn = opt.use_ref ? info->dequant_ref : info->dequant;
    for (uint64_t b0 = 0; b0 < total_blocks; b0 += chunk_blocks) {
        const uint64_t nb = std::min(chunk_blocks, total_blocks - b0);
        const uint64_t len = nb * ts;
        const uint64_t offset = t.data_offset + b0 * ts;
        raw.resize(len);
        vals.resize(nb * bs);
        if (offset < t.data_offset || !byte_range_ok(src.size(), offset, len) || !src.read(offset, raw.data(), len)) {
            if (error) *error = src.name() + ": cannot read " + std::to_string(len) + " bytes at offset " + std::to_string(offset);
            return false;
        }
        fn(raw.data(), vals.data(), (int64_t) vals.size());

        // Block scales.
        for (uint64_t b = 0; has_blocks && b < nb; ++b) {
            float sc[BLOCK_SCALES_MAX];
            const int k = block_scales(t.type, raw.data() + b * ts, sc);
            if (k == 0) continue;
            ++out->scale_blocks;
            bool all_zero = true, nonfinite = false;
            for (int j = 0; j < k; ++j) {
                all_zero = all_zero && sc[j] == 0.0f;
                nonfinite = nonfinite || !std::isfinite(sc[j]);
            }
            out->scale_zero_blocks += all_zero;
            out->scale_nonfinite_blocks += nonfinite;
        }

        // Values: classification, then a two-pass mean / M2 of the chunk.
        double sum = 0.0, cmin = INFINITY, cmax = -INFINITY;
        uint64_t nfin = 0;
        for (uint64_t u = 0; u < vals.size(); u += zero_unit) {
            const uint64_t end = std::min<uint64_t>(vals.size(), u + zero_unit);
            bool all_zero = true;
            for (uint64_t i = u; i < end; ++i) {
                const float v = vals[i];
                if (std::isnan(v)) { ++out->n_nan; all_zero = false; continue; }
                if (std::isinf(v)) { ++out->n_inf; all_zero = false; continue; }
                if (v != 0.0f) {
                    all_zero = false;
                    if (std::fabs(v) < FLT_MIN) ++out->n_subnormal;
                }
                ++nfin;
                sum += v;
                cmin = std::min(cmin, (double) v);
                cmax = std::max(cmax, (double) v);
            }
            ++out->blocks;
            out->zero_blocks += all_zero;
        }
        if (nfin > 0) {
            const double cmean = sum / (double) nfin;
            double m2 = 0.0;
            for (const float v : vals) {
                if (std::isfinite(v)) m2 += ((double) v - cmean) * ((double) v - cmean);
            }
            acc.merge(nfin, cmean, m2, cmin, cmax);
        }
    }
    out->count = total;
    out->n_finite = acc.n;
    if (acc.n > 0) {
        out->min = acc.min;
        out->max = acc.max;
        out->mean = acc.mean;
        out->std = std::sqrt(acc.m2 / (double) acc.n);
    }
    return true;
}

} // namespace gc
