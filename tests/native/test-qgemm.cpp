// The integer GEMM (compute/qgemm.h) against its definition
// (compute/qgemm-check.h: activations rounded through the weight type's
// 8-bit format, weights dequantized by the reference kernel, the scalar f32
// GEMM): the scalar micro-kernel and this build's SIMD ones, on odd shapes.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "compute/gemm.h"
#include "compute/qgemm-check.h"
#include "compute/qgemm.h"
#include "format/ggml-types.h"
#include "quant/act-quant.h"
#include "quant/blocks.h"
#include "quant/dequant.h"

using namespace gc;

namespace {

void check_type(uint32_t t) {
    const ggml_type_info * ti = ggml_type_get(t);
    ASSERT_TRUE(qgemm_supported(t)) << ti->name;
    const qgemm_check_result r = qgemm_check(t);
    std::printf("%-5s (x %s): worst |err| / sum|x w| over %lld outputs: %s %.3g, %s %.3g, scalar %.3g, %s vs scalar %.3g\n",
                ti->name, act_format_name(act_format_for_weight(t)), (long long) r.outputs, qgemm_isa(), r.worst_isa,
                qgemm_base_isa(), r.worst_base, r.worst_scalar, qgemm_isa(), r.worst_pair);
    EXPECT_GT(r.outputs, 500) << ti->name;
    EXPECT_EQ(r.stray_writes, 0) << ti->name << ": wrote past its columns";
    // The run-time kernels (AVX512-VNNI, AVX-VNNI) do the compile-time
    // kernel's lane operations: the same bits.
    EXPECT_EQ(r.isa_base_differ, 0) << ti->name << ": " << qgemm_isa() << " and " << qgemm_base_isa() << " differ";
    // Float rounding only: the integer sums are exact, the blocks combine in
    // float (relative error ~ 6e-8 per operation). Measured (AVX2 build):
    // 2.3e-7 .. 4.7e-7 against the definition, <= 8e-8 between kernels.
    EXPECT_LT(r.worst_isa, 2e-6) << ti->name;
    EXPECT_LT(r.worst_scalar, 2e-6) << ti->name;
    EXPECT_LT(r.worst_base, 2e-6) << ti->name;
    EXPECT_LT(r.worst_pair, 2e-6) << ti->name;
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
