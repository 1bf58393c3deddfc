// The integer GEMM (compute/qgemm.h) against its definition: activations
// rounded through the weight type's 8-bit format (quant/act-quant.h),
// weights dequantized by the type table's reference kernel, and the scalar
// f32 GEMM (gemm_xwt_ref). Both the scalar micro-kernel and this build's
// SIMD one, on odd shapes (tokens and rows not multiples of the blocks).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "compute/gemm.h"
#include "compute/qgemm.h"
#include "format/ggml-types.h"
#include "quant/act-quant.h"
#include "quant/blocks.h"
#include "quant/dequant.h"

using namespace gc;

namespace {

// Random blocks of type t: random bytes, then sane f16 scales (random f16
// bits could be Inf/NaN). Offsets of the f16 fields from quant/blocks.h.
std::vector<uint8_t> random_rows(uint32_t t, int64_t n_rows, int64_t n_in, std::mt19937 & rng) {
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

struct shape {
    int64_t n_tok, n_rows, n_blocks;
};

// Worst |y - ref| / sum_k |x~_k w_k| over the output (the product's own
// magnitude, so that cancelling sums do not blow up the measure).
void check_type(uint32_t t) {
    const ggml_type_info * ti = ggml_type_get(t);
    ASSERT_TRUE(qgemm_supported(t)) << ti->name;
    const act_format af = act_format_for_weight(t);
    std::mt19937 rng(1234 + t);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    const shape shapes[] = { { 1, 1, 1 }, { 3, 5, 1 }, { 7, 17, 3 }, { 13, 33, 2 }, { 9, 16, 1 }, { 4, 40, 3 } };
    double worst_isa = 0.0, worst_scalar = 0.0, worst_pair = 0.0, worst_base = 0.0;
    for (const shape & s : shapes) {
        const int64_t n_in = s.n_blocks * ti->block_size;
        std::vector<float> x((size_t) (s.n_tok * n_in));
        for (float & v : x) v = nd(rng);
        // A few large outliers, as real activations have.
        for (int64_t i = 0; i < (int64_t) x.size(); i += 37) x[(size_t) i] *= 20.0f;
        const std::vector<uint8_t> w = random_rows(t, s.n_rows, n_in, rng);

        // Definition: round-tripped X, dequantized W, scalar f32 GEMM.
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
                worst_isa = std::max(worst_isa, std::fabs(yi[(size_t) (i * ldy + c)] - r) / mag);
                worst_scalar = std::max(worst_scalar, std::fabs(ys[(size_t) (i * ldy + c)] - r) / mag);
                worst_base = std::max(worst_base, std::fabs(yb[(size_t) (i * ldy + c)] - r) / mag);
                worst_pair = std::max(worst_pair, std::fabs((double) yi[(size_t) (i * ldy + c)] - ys[(size_t) (i * ldy + c)]) / mag);
            }
            for (int64_t c = s.n_rows; c < ldy; ++c) {
                EXPECT_EQ(yi[(size_t) (i * ldy + c)], sentinel) << ti->name << ": wrote past its columns";
                EXPECT_EQ(ys[(size_t) (i * ldy + c)], sentinel) << ti->name << ": wrote past its columns";
                EXPECT_EQ(yb[(size_t) (i * ldy + c)], sentinel) << ti->name << ": wrote past its columns";
            }
        }
    }
    std::printf("%-5s (x %s): worst |err| / sum|x w|: %s %.3g, %s %.3g, scalar %.3g, %s vs scalar %.3g\n", ti->name,
                act_format_name(af), qgemm_isa(), worst_isa, qgemm_base_isa(), worst_base, worst_scalar, qgemm_isa(),
                worst_pair);
    // Float rounding only: the integer sums are exact, the blocks combine in
    // float (relative error ~ 6e-8 per operation). Measured (AVX2 build):
    // 2.3e-7 .. 4.7e-7 against the definition, <= 8e-8 between kernels.
    EXPECT_LT(worst_isa, 2e-6) << ti->name;
    EXPECT_LT(worst_scalar, 2e-6) << ti->name;
    EXPECT_LT(worst_base, 2e-6) << ti->name;
    EXPECT_LT(worst_pair, 2e-6) << ti->name;
}

} // namespace

TEST(qgemm, q8_0) { check_type(GGML_TYPE_Q8_0); }
TEST(qgemm, q4_0) { check_type(GGML_TYPE_Q4_0); }
TEST(qgemm, q5_0) { check_type(GGML_TYPE_Q5_0); }
TEST(qgemm, q4_K) { check_type(GGML_TYPE_Q4_K); }
TEST(qgemm, q5_K) { check_type(GGML_TYPE_Q5_K); }
TEST(qgemm, q6_K) { check_type(GGML_TYPE_Q6_K); }

TEST(qgemm, unsupported_types) {
    EXPECT_FALSE(qgemm_supported(GGML_TYPE_F32));
    EXPECT_FALSE(qgemm_supported(GGML_TYPE_F16));
    EXPECT_FALSE(qgemm_supported(GGML_TYPE_IQ2_XXS));
    EXPECT_FALSE(qgemm_supported(9999));
}

// The activation quantizers: ggml's formulas on hand-made blocks.
TEST(qgemm, act_quantizers) {
    float x[32];
    for (int j = 0; j < 32; ++j) x[j] = (float) (j - 16) * 0.25f;   // amax 4 at j = 0
    int8_t q[32];
    float d;
    act_quantize_row_q8_0(x, 32, q, &d);
    EXPECT_EQ(q[0], -127);
    EXPECT_EQ(q[16], 0);
    EXPECT_EQ(q[8], -64);   // -2 * 127 / 4 = -63.5: ties to even
    EXPECT_FLOAT_EQ(d, fp16_to_fp32(fp32_to_fp16_rne(4.0f / 127.f)));
    float k[256] = {};
    k[3] = -2.0f;
    k[100] = 1.0f;
    int8_t qk[256];
    int16_t bs[16];
    float dk;
    act_quantize_row_q8_K(k, 256, qk, &dk, bs);
    EXPECT_EQ(qk[3], -127);
    EXPECT_EQ(qk[100], 64);   // 63.5: ties to even
    EXPECT_EQ(bs[0], -127);
    EXPECT_EQ(bs[6], 64);
    EXPECT_FLOAT_EQ(dk * qk[3], -2.0f);
    EXPECT_EQ(fp32_to_fp16_rne(1.0f), 0x3c00);
    EXPECT_EQ(fp32_to_fp16_rne(65520.0f), 0x7c00);
    EXPECT_EQ(fp32_to_fp16_rne(65504.0f), 0x7bff);
    EXPECT_EQ(fp32_to_fp16_rne(0x1p-24f), 0x0001);
    EXPECT_EQ(fp32_to_fp16_rne(0x1p-25f), 0x0000);   // tie to even
    EXPECT_EQ(fp32_to_fp16_rne(0x1.8p-25f), 0x0001);
    EXPECT_EQ(fp32_to_fp16_rne(1.0f + 0x1p-11f), 0x3c00);   // tie to even
    EXPECT_EQ(fp32_to_fp16_rne(1.0f + 0x1.8p-11f), 0x3c01);
    EXPECT_EQ(fp32_to_bf16_rne(1.0f), 0x3f80);
}
