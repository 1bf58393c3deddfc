// The integer GEMM's kernels against its definition (see qgemm-check.h).
#include "compute/qgemm-check.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "compute/gemm.h"
#include "compute/qgemm.h"
#include "format/ggml-types.h"
#include "quant/act-quant.h"
#include "quant/blocks.h"

namespace gc {

std::vector<uint8_t> qgemm_random_rows(uint32_t t, int64_t n_rows, int64_t n_in, std::mt19937 & rng) {
    const ggml_type_info * ti = ggml_type_get(t);
    const int64_t nb = n_in / ti->block_size;
    std::vector<uint8_t> w((size_t) (n_rows * nb * ti->type_size));
    std::uniform_int_distribution<int> byte(0, 255);
    for (uint8_t & b : w) b = (uint8_t) byte(rng);
    std::uniform_real_distribution<float> scale(0.001f, 0.02f);
    auto put_f16 = [&](uint8_t * p, float v) {
        const uint16_t h = fp32_to_fp16_rne(v);
        std::memcpy(p, &h, 2);
    };
    // Offsets of the f16 fields from quant/blocks.h.
    for (int64_t b = 0; b < n_rows * nb; ++b) {
        uint8_t * blk = w.data() + b * ti->type_size;
        switch (t) {
            case GGML_TYPE_Q8_0: put_f16(blk + offsetof(block_q8_0, d), scale(rng)); break;
            case GGML_TYPE_Q4_0: put_f16(blk + offsetof(block_q4_0, d), scale(rng)); break;
            case GGML_TYPE_Q5_0: put_f16(blk + offsetof(block_q5_0, d), scale(rng)); break;
            case GGML_TYPE_Q4_K:
                put_f16(blk + offsetof(block_q4_K, d), scale(rng));
                put_f16(blk + offsetof(block_q4_K, dmin), scale(rng));
                break;
            case GGML_TYPE_Q5_K:
                put_f16(blk + offsetof(block_q5_K, d), scale(rng));
                put_f16(blk + offsetof(block_q5_K, dmin), scale(rng));
                break;
            case GGML_TYPE_Q6_K: put_f16(blk + offsetof(block_q6_K, d), scale(rng)); break;
        }
    }
    return w;
}

qgemm_check_result qgemm_check(uint32_t t) {
    qgemm_check_result out;
    const ggml_type_info * ti = ggml_type_get(t);
    if (!ti || !qgemm_supported(t)) return out;
    const act_format af = act_format_for_weight(t);
    std::mt19937 rng(1234 + t);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    struct shape {
        int64_t n_tok, n_rows, n_blocks;
    };
    const shape shapes[] = { { 1, 1, 1 }, { 3, 5, 1 }, { 7, 17, 3 }, { 13, 33, 2 }, { 9, 16, 1 }, { 4, 40, 3 } };
    for (const shape & s : shapes) {
        const int64_t n_in = s.n_blocks * ti->block_size;
        std::vector<float> x((size_t) (s.n_tok * n_in));
        for (float & v : x) v = nd(rng);
        // A few large outliers, as real activations have.
        for (int64_t i = 0; i < (int64_t) x.size(); i += 37) x[(size_t) i] *= 20.0f;
        const std::vector<uint8_t> w = qgemm_random_rows(t, s.n_rows, n_in, rng);

        std::vector<float> xr(x.size()), wf((size_t) (s.n_rows * n_in)), ref((size_t) (s.n_tok * s.n_rows));
        for (int64_t i = 0; i < s.n_tok; ++i) act_round_trip_row(af, x.data() + i * n_in, n_in, xr.data() + i * n_in);
        ti->dequant_ref(w.data(), wf.data(), s.n_rows * n_in);
        gemm_xwt_ref(xr.data(), s.n_tok, n_in, wf.data(), s.n_rows, ref.data(), s.n_rows);

        qgemm_acts a;
        qgemm_acts_build(t, x.data(), s.n_tok, n_in, nullptr, a);
        qgemm_scratch scratch;
        const int64_t ldy = s.n_rows + 3;
        const float sentinel = -12345.0f;
        std::vector<float> yi((size_t) (s.n_tok * ldy), sentinel), ys(yi), yb(yi);
        qgemm_tile(a, w.data(), s.n_rows, yi.data(), ldy, scratch);
        qgemm_tile_base(a, w.data(), s.n_rows, yb.data(), ldy, scratch);
        qgemm_tile_scalar(a, w.data(), s.n_rows, ys.data(), ldy, scratch);
        for (int64_t i = 0; i < s.n_tok; ++i) {
            for (int64_t c = 0; c < s.n_rows; ++c) {
                double mag = 0.0;
                for (int64_t k = 0; k < n_in; ++k) mag += std::fabs((double) xr[(size_t) (i * n_in + k)] * wf[(size_t) (c * n_in + k)]);
                mag = std::max(mag, 1e-30);
                const double r = ref[(size_t) (i * s.n_rows + c)];
                const size_t at = (size_t) (i * ldy + c);
                out.worst_isa = std::max(out.worst_isa, std::fabs(yi[at] - r) / mag);
                out.worst_scalar = std::max(out.worst_scalar, std::fabs(ys[at] - r) / mag);
                out.worst_base = std::max(out.worst_base, std::fabs(yb[at] - r) / mag);
                out.worst_pair = std::max(out.worst_pair, std::fabs((double) yi[at] - ys[at]) / mag);
                out.isa_base_differ += std::memcmp(&yi[at], &yb[at], sizeof(float)) != 0;
                ++out.outputs;
            }
            for (int64_t c = s.n_rows; c < ldy; ++c) {
                const size_t at = (size_t) (i * ldy + c);
                out.stray_writes += (yi[at] != sentinel) + (ys[at] != sentinel) + (yb[at] != sentinel);
            }
        }
    }
    return out;
}

} // namespace gc
