// Scalar reference dequantizers for the k-quants (256-weight super-blocks
// with packed sub-block scales) and the ternary types. Layouts and formulas:
// quant/blocks.h; evaluation order as in ggml-quants.c.
#include "quant/dequant.h"

#include <cstddef>

#include "quant/blocks.h"
#include "quant/scalar-formats.h"

namespace gc {

void dequant_q2_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q2_K)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q2_K, d)));
        const float dmin = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q2_K, dmin)));
        const uint8_t * scales = src + offsetof(block_q2_K, scales);
        for (int h = 0; h < 2; ++h) {
            const uint8_t * q = src + offsetof(block_q2_K, qs) + 32 * h;
            for (int s = 0; s < 4; ++s) {
                for (int k = 0; k < 2; ++k, dst += 16) {
                    const uint8_t sc = scales[8 * h + 2 * s + k];
                    const float dl = d * (float) (sc & 0xf);
                    const float ml = dmin * (float) (sc >> 4);
                    for (int l = 0; l < 16; ++l) {
                        dst[l] = dl * (float) ((q[16 * k + l] >> (2 * s)) & 3) - ml;
                    }
                }
            }
        }
    }
}

void dequant_q3_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q3_K)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q3_K, d)));
        int sc[16];
        q3_k_scales(src + offsetof(block_q3_K, scales), sc);
        const uint8_t * hmask = src + offsetof(block_q3_K, hmask);
        for (int h = 0; h < 2; ++h) {
            const uint8_t * q = src + offsetof(block_q3_K, qs) + 32 * h;
            for (int s = 0; s < 4; ++s) {
                const int plane = 4 * h + s;   // which hmask bit
                for (int k = 0; k < 2; ++k, dst += 16) {
                    const float dl = d * (float) sc[8 * h + 2 * s + k];
                    for (int l = 0; l < 16; ++l) {
                        const int lo = (q[16 * k + l] >> (2 * s)) & 3;
                        const int hi = (hmask[16 * k + l] >> plane) & 1;
                        dst[l] = dl * (float) (lo - (hi ? 0 : 4));
                    }
                }
            }
        }
    }
}

void dequant_q4_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q4_K)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q4_K, d)));
        const float dmin = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q4_K, dmin)));
        const uint8_t * scales = src + offsetof(block_q4_K, scales);
        const uint8_t * q = src + offsetof(block_q4_K, qs);
        for (int p = 0; p < 4; ++p, q += 32) {
            uint8_t sc, mn;
            k_quant_scale_min(2 * p, scales, &sc, &mn);
            const float d1 = d * (float) sc, m1 = dmin * (float) mn;
            k_quant_scale_min(2 * p + 1, scales, &sc, &mn);
            const float d2 = d * (float) sc, m2 = dmin * (float) mn;
            for (int l = 0; l < 32; ++l) *dst++ = d1 * (float) (q[l] & 0xf) - m1;
            for (int l = 0; l < 32; ++l) *dst++ = d2 * (float) (q[l] >> 4) - m2;
        }
    }
}

void dequant_q5_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q5_K)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q5_K, d)));
        const float dmin = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q5_K, dmin)));
        const uint8_t * scales = src + offsetof(block_q5_K, scales);
        const uint8_t * qh = src + offsetof(block_q5_K, qh);
        const uint8_t * q = src + offsetof(block_q5_K, qs);
        for (int p = 0; p < 4; ++p, q += 32) {
            uint8_t sc, mn;
            k_quant_scale_min(2 * p, scales, &sc, &mn);
            const float d1 = d * (float) sc, m1 = dmin * (float) mn;
            k_quant_scale_min(2 * p + 1, scales, &sc, &mn);
            const float d2 = d * (float) sc, m2 = dmin * (float) mn;
            for (int l = 0; l < 32; ++l) {
                *dst++ = d1 * (float) ((q[l] & 0xf) + ((qh[l] >> (2 * p)) & 1) * 16) - m1;
            }
            for (int l = 0; l < 32; ++l) {
                *dst++ = d2 * (float) ((q[l] >> 4) + ((qh[l] >> (2 * p + 1)) & 1) * 16) - m2;
            }
        }
    }
}

void dequant_q6_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q6_K)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_q6_K, d)));
        for (int h = 0; h < 2; ++h, dst += 128) {
            const uint8_t * ql = src + offsetof(block_q6_K, ql) + 64 * h;
            const uint8_t * qh = src + offsetof(block_q6_K, qh) + 32 * h;
            const int8_t * sc = reinterpret_cast<const int8_t *>(src + offsetof(block_q6_K, scales)) + 8 * h;
            for (int l = 0; l < 32; ++l) {
                const int g = l / 16;
                const int q1 = ((ql[l] & 0xf) | ((qh[l] >> 0) & 3) << 4) - 32;
                const int q2 = ((ql[l + 32] & 0xf) | ((qh[l] >> 2) & 3) << 4) - 32;
                const int q3 = ((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4) - 32;
                const int q4 = ((ql[l + 32] >> 4) | ((qh[l] >> 6) & 3) << 4) - 32;
                dst[l] = d * (float) sc[g] * (float) q1;
                dst[l + 32] = d * (float) sc[g + 2] * (float) q2;
                dst[l + 64] = d * (float) sc[g + 4] * (float) q3;
                dst[l + 96] = d * (float) sc[g + 6] * (float) q4;
            }
        }
    }
}

void dequant_q8_K_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_q8_K), dst += QK_K) {
        const float d = load_le<float>(src + offsetof(block_q8_K, d));
        const uint8_t * qs = src + offsetof(block_q8_K, qs);
        for (int j = 0; j < QK_K; ++j) dst[j] = d * (float) (int8_t) qs[j];
    }
}

// ---------------------------------------------------------------- ternary

// Trit n (0..4) of a TQ1_0 byte: the byte is a base-3 fraction scaled to
// 256, multiplying by 3^n (mod 256) shifts trit n to the top, * 3 >> 8 reads it.
static inline int tq1_trit(uint8_t b, int n) {
    static const uint8_t pow3[5] = { 1, 3, 9, 27, 81 };
    const uint8_t q = (uint8_t) (b * pow3[n]);
    return (int) (((uint16_t) q * 3) >> 8);
}

void dequant_tq1_0_ref(const uint8_t * src, float * dst, int64_t n) {
    constexpr int n_qs = (int) sizeof(block_tq1_0::qs);   // 48
    constexpr int n_qs32 = n_qs - n_qs % 32;              // 32
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_tq1_0)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_tq1_0, d)));
        const uint8_t * qs = src + offsetof(block_tq1_0, qs);
        const uint8_t * qh = src + offsetof(block_tq1_0, qh);
        for (int t = 0; t < 5; ++t) {
            for (int m = 0; m < n_qs32; ++m) *dst++ = (float) (tq1_trit(qs[m], t) - 1) * d;
        }
        for (int t = 0; t < 5; ++t) {
            for (int m = n_qs32; m < n_qs; ++m) *dst++ = (float) (tq1_trit(qs[m], t) - 1) * d;
        }
        for (int t = 0; t < 4; ++t) {
            for (int m = 0; m < QK_K / 64; ++m) *dst++ = (float) (tq1_trit(qh[m], t) - 1) * d;
        }
    }
}

void dequant_tq2_0_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_tq2_0)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_tq2_0, d)));
        const uint8_t * qs = src + offsetof(block_tq2_0, qs);
        for (int h = 0; h < 2; ++h) {
            for (int l = 0; l < 4; ++l) {
                for (int m = 0; m < 32; ++m) {
                    *dst++ = (float) (((qs[32 * h + m] >> (2 * l)) & 3) - 1) * d;
                }
            }
        }
    }
}

} // namespace gc
