// Scalar reference dequantizers for the plain element types, the legacy
// 32-weight blocks, FP4 and the 1-2 bit types: the definition every faster
// path must match bit for bit. Formulas and layouts: quant/blocks.h. Each
// expression is written in ggml's evaluation order (ggml-quants.c), which
// fixes the float rounding.
#include "quant/dequant.h"

#include <cstddef>
#include <cstring>

#include "quant/blocks.h"
#include "quant/iq-grids.h"
#include "quant/scalar-formats.h"

namespace gc {

float fp16_to_fp32(uint16_t h) {
    return fp16_to_fp32_inline(h);
}

// ---------------------------------------------------------------- element types

void dequant_f32_ref(const uint8_t * src, float * dst, int64_t n) {
    std::memcpy(dst, src, (size_t) n * sizeof(float));
}

void dequant_f16_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = fp16_to_fp32_inline(load_le<uint16_t>(src + 2 * i));
}

// bf16 is the top half of an f32.
void dequant_bf16_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = fp32_from_bits((uint32_t) load_le<uint16_t>(src + 2 * i) << 16);
}

void dequant_f64_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (float) load_le<double>(src + 8 * i);
}

void dequant_i8_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (float) (int8_t) src[i];
}

void dequant_i16_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (float) load_le<int16_t>(src + 2 * i);
}

void dequant_i32_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (float) load_le<int32_t>(src + 4 * i);
}

void dequant_i64_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (float) load_le<int64_t>(src + 8 * i);
}

// ---------------------------------------------------------------- legacy 32-blocks

void dequant_q4_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK4_0; ++i, src += sizeof(block_q4_0), dst += QK4_0) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q4_0, d)));
        const uint8_t * qs = src + offsetof(block_q4_0, qs);
        for (int j = 0; j < QK4_0 / 2; ++j) {
            dst[j] = (float) ((qs[j] & 0xf) - 8) * d;
            dst[j + QK4_0 / 2] = (float) ((qs[j] >> 4) - 8) * d;
        }
    }
}

void dequant_q4_1_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK4_1; ++i, src += sizeof(block_q4_1), dst += QK4_1) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q4_1, d)));
        const float m = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q4_1, m)));
        const uint8_t * qs = src + offsetof(block_q4_1, qs);
        for (int j = 0; j < QK4_1 / 2; ++j) {
            dst[j] = (float) (qs[j] & 0xf) * d + m;
            dst[j + QK4_1 / 2] = (float) (qs[j] >> 4) * d + m;
        }
    }
}

void dequant_q5_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK5_0; ++i, src += sizeof(block_q5_0), dst += QK5_0) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q5_0, d)));
        const uint32_t qh = load_le<uint32_t>(src + offsetof(block_q5_0, qh));
        const uint8_t * qs = src + offsetof(block_q5_0, qs);
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int lo = (int) ((qs[j] & 0xf) | ((qh >> j) & 1) << 4);
            const int hi = (int) ((qs[j] >> 4) | ((qh >> (j + 16)) & 1) << 4);
            dst[j] = (float) (lo - 16) * d;
            dst[j + QK5_0 / 2] = (float) (hi - 16) * d;
        }
    }
}

void dequant_q5_1_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK5_1; ++i, src += sizeof(block_q5_1), dst += QK5_1) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q5_1, d)));
        const float m = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q5_1, m)));
        const uint32_t qh = load_le<uint32_t>(src + offsetof(block_q5_1, qh));
        const uint8_t * qs = src + offsetof(block_q5_1, qs);
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const uint32_t lo = (qs[j] & 0xf) | ((qh >> j) & 1) << 4;
            const uint32_t hi = (qs[j] >> 4) | ((qh >> (j + 16)) & 1) << 4;
            dst[j] = (float) lo * d + m;
            dst[j + QK5_1 / 2] = (float) hi * d + m;
        }
    }
}

void dequant_q8_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK8_0; ++i, src += sizeof(block_q8_0), dst += QK8_0) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q8_0, d)));
        const uint8_t * qs = src + offsetof(block_q8_0, qs);
        for (int j = 0; j < QK8_0; ++j) dst[j] = (float) (int8_t) qs[j] * d;
    }
}

void dequant_q8_1_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK8_1; ++i, src += sizeof(block_q8_1), dst += QK8_1) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q8_1, d)));
        const uint8_t * qs = src + offsetof(block_q8_1, qs);
        for (int j = 0; j < QK8_1; ++j) dst[j] = (float) (int8_t) qs[j] * d;
    }
}

// ---------------------------------------------------------------- FP4

void dequant_mxfp4_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_MXFP4; ++i, src += sizeof(block_mxfp4), dst += QK_MXFP4) {
        const float d = e8m0_half_to_fp32(src[offsetof(block_mxfp4, e)]);
        const uint8_t * qs = src + offsetof(block_mxfp4, qs);
        for (int j = 0; j < QK_MXFP4 / 2; ++j) {
            dst[j] = (float) k_fp4_values[qs[j] & 0xf] * d;
            dst[j + QK_MXFP4 / 2] = (float) k_fp4_values[qs[j] >> 4] * d;
        }
    }
}

void dequant_nvfp4_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_NVFP4; ++i, src += sizeof(block_nvfp4)) {
        for (int s = 0; s < QK_NVFP4 / QK_NVFP4_SUB; ++s, dst += QK_NVFP4_SUB) {
            const float d = ue4m3_half_to_fp32(src[offsetof(block_nvfp4, d) + s]);
            const uint8_t * qs = src + offsetof(block_nvfp4, qs) + s * (QK_NVFP4_SUB / 2);
            for (int j = 0; j < QK_NVFP4_SUB / 2; ++j) {
                dst[j] = (float) k_fp4_values[qs[j] & 0xf] * d;
                dst[j + QK_NVFP4_SUB / 2] = (float) k_fp4_values[qs[j] >> 4] * d;
            }
        }
    }
}

// ---------------------------------------------------------------- 1-2 bit

void dequant_q1_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK1_0; ++i, src += sizeof(block_q1_0), dst += QK1_0) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q1_0, d)));
        const float neg_d = -d;
        const uint8_t * qs = src + offsetof(block_q1_0, qs);
        for (int j = 0; j < QK1_0; ++j) dst[j] = (qs[j / 8] >> (j % 8)) & 1 ? d : neg_d;
    }
}

void dequant_q2_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK2_0; ++i, src += sizeof(block_q2_0), dst += QK2_0) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q2_0, d)));
        const uint8_t * qs = src + offsetof(block_q2_0, qs);
        for (int j = 0; j < QK2_0; ++j) {
            const int q = (qs[j / 4] >> (2 * (j % 4))) & 3;
            dst[j] = (float) (q - 1) * d;
        }
    }
}

} // namespace gc
