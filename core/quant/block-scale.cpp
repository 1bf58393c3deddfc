// Block scale accessor (see block-scale.h). Field offsets from quant/blocks.h.
#include "quant/block-scale.h"

#include <cmath>
#include <cstddef>
#include <limits>

#include "format/ggml-types.h"
#include "quant/blocks.h"
#include "quant/scalar-formats.h"

namespace gc {

namespace {

int f16_at(const uint8_t * block, size_t offset, float * out) {
    out[0] = fp16_to_fp32_inline(load_le<uint16_t>(block + offset));
    return 1;
}

} // namespace

int block_scales(uint32_t type, const uint8_t * b, float out[BLOCK_SCALES_MAX]) {
    switch (type) {
    case GGML_TYPE_Q4_0: return f16_at(b, offsetof(block_q4_0, d), out);
    case GGML_TYPE_Q4_1: return f16_at(b, offsetof(block_q4_1, d), out);
    case GGML_TYPE_Q5_0: return f16_at(b, offsetof(block_q5_0, d), out);
    case GGML_TYPE_Q5_1: return f16_at(b, offsetof(block_q5_1, d), out);
    case GGML_TYPE_Q8_0: return f16_at(b, offsetof(block_q8_0, d), out);
    case GGML_TYPE_Q8_1: return f16_at(b, offsetof(block_q8_1, d), out);
    case GGML_TYPE_Q2_K: return f16_at(b, offsetof(block_q2_K, d), out);
    case GGML_TYPE_Q3_K: return f16_at(b, offsetof(block_q3_K, d), out);
    case GGML_TYPE_Q4_K: return f16_at(b, offsetof(block_q4_K, d), out);
    case GGML_TYPE_Q5_K: return f16_at(b, offsetof(block_q5_K, d), out);
    case GGML_TYPE_Q6_K: return f16_at(b, offsetof(block_q6_K, d), out);
    case GGML_TYPE_Q8_K: out[0] = load_le<float>(b + offsetof(block_q8_K, d)); return 1;
    case GGML_TYPE_IQ2_XXS: return f16_at(b, offsetof(block_iq2_xxs, d), out);
    case GGML_TYPE_IQ2_XS: return f16_at(b, offsetof(block_iq2_xs, d), out);
    case GGML_TYPE_IQ2_S: return f16_at(b, offsetof(block_iq2_s, d), out);
    case GGML_TYPE_IQ3_XXS: return f16_at(b, offsetof(block_iq3_xxs, d), out);
    case GGML_TYPE_IQ3_S: return f16_at(b, offsetof(block_iq3_s, d), out);
    case GGML_TYPE_IQ1_S: return f16_at(b, offsetof(block_iq1_s, d), out);
    case GGML_TYPE_IQ1_M:
        out[0] = fp16_to_fp32_inline(iq1_m_scale_bits(b + offsetof(block_iq1_m, scales)));
        return 1;
    case GGML_TYPE_IQ4_NL: return f16_at(b, offsetof(block_iq4_nl, d), out);
    case GGML_TYPE_IQ4_XS: return f16_at(b, offsetof(block_iq4_xs, d), out);
    case GGML_TYPE_TQ1_0: return f16_at(b, offsetof(block_tq1_0, d), out);
    case GGML_TYPE_TQ2_0: return f16_at(b, offsetof(block_tq2_0, d), out);
    case GGML_TYPE_Q1_0: return f16_at(b, offsetof(block_q1_0, d), out);
    case GGML_TYPE_Q2_0: return f16_at(b, offsetof(block_q2_0, d), out);
    case GGML_TYPE_MXFP4: {
        const uint8_t e = b[offsetof(block_mxfp4, e)];
        out[0] = e == 0xff ? std::numeric_limits<float>::quiet_NaN() : e8m0_half_to_fp32(e);
        return 1;
    }
    case GGML_TYPE_NVFP4:
        for (int s = 0; s < QK_NVFP4 / QK_NVFP4_SUB; ++s) {
            const uint8_t x = b[offsetof(block_nvfp4, d) + s];
            out[s] = (x & 0x7f) == 0x7f ? std::numeric_limits<float>::quiet_NaN() : ue4m3_half_to_fp32(x);
        }
        return QK_NVFP4 / QK_NVFP4_SUB;
    default:
        return 0;
    }
}

} // namespace gc
