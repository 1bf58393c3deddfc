// Scalar reference dequantizers for the codebook i-quants (IQ1-IQ4). Groups
// of 8 (or 4) weights are a grid index (quant/iq-grids.h) plus sign bits;
// layouts and formulas: quant/blocks.h; evaluation order as in ggml-quants.c.
// A grid entry's bytes are its magnitudes in element order.
#include "quant/dequant.h"

#include <cstddef>

#include "quant/blocks.h"
#include "quant/iq-grids.h"
#include "quant/scalar-formats.h"

namespace gc {

namespace {

inline uint8_t grid_byte(uint64_t entry, int j) { return (uint8_t) (entry >> (8 * j)); }
inline uint8_t grid_byte(uint32_t entry, int j) { return (uint8_t) (entry >> (8 * j)); }

// x = dl * magnitude * (sign bit ? -1 : 1) for the 8 weights of one group.
inline void emit_signed8(float * dst, float dl, uint64_t entry, uint8_t signs) {
    for (int j = 0; j < 8; ++j) {
        dst[j] = dl * (float) grid_byte(entry, j) * ((signs >> j) & 1 ? -1.0f : 1.0f);
    }
}

} // namespace

void dequant_iq2_xxs_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_xxs)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq2_xxs, d)));
        const uint8_t * qs = src + offsetof(block_iq2_xxs, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8) {
            const uint32_t aux = load_le<uint32_t>(qs + 4);
            const float db = d * (0.5f + (float) (aux >> 28)) * 0.25f;
            for (int l = 0; l < 4; ++l, dst += 8) {
                emit_signed8(dst, db, k_iq2xxs_grid[qs[l]], k_iq2_signs[(aux >> (7 * l)) & 127]);
            }
        }
    }
}

void dequant_iq2_xs_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_xs)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq2_xs, d)));
        const uint8_t * qs = src + offsetof(block_iq2_xs, qs);
        const uint8_t * scales = src + offsetof(block_iq2_xs, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib) {
            const float db[2] = { d * (0.5f + (float) (scales[ib] & 0xf)) * 0.25f,
                                  d * (0.5f + (float) (scales[ib] >> 4)) * 0.25f };
            for (int l = 0; l < 4; ++l, dst += 8) {
                const uint16_t q = load_le<uint16_t>(qs + 2 * (4 * ib + l));
                emit_signed8(dst, db[l / 2], k_iq2xs_grid[q & 511], k_iq2_signs[q >> 9]);
            }
        }
    }
}

void dequant_iq2_s_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq2_s)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq2_s, d)));
        const uint8_t * qs = src + offsetof(block_iq2_s, qs);
        const uint8_t * signs = qs + QK_K / 8;
        const uint8_t * qh = src + offsetof(block_iq2_s, qh);
        const uint8_t * scales = src + offsetof(block_iq2_s, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4, signs += 4) {
            const float db[2] = { d * (0.5f + (float) (scales[ib] & 0xf)) * 0.25f,
                                  d * (0.5f + (float) (scales[ib] >> 4)) * 0.25f };
            for (int l = 0; l < 4; ++l, dst += 8) {
                const int idx = qs[l] | ((qh[ib] >> (2 * l)) & 3) << 8;
                emit_signed8(dst, db[l / 2], k_iq2s_grid[idx], signs[l]);
            }
        }
    }
}

void dequant_iq3_xxs_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq3_xxs)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq3_xxs, d)));
        const uint8_t * qs = src + offsetof(block_iq3_xxs, qs);
        const uint8_t * scales_and_signs = qs + QK_K / 4;
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8) {
            const uint32_t aux = load_le<uint32_t>(scales_and_signs + 4 * ib);
            const float db = d * (0.5f + (float) (aux >> 28)) * 0.5f;
            for (int l = 0; l < 4; ++l, dst += 8) {
                const uint8_t signs = k_iq2_signs[(aux >> (7 * l)) & 127];
                const uint64_t entry = (uint64_t) k_iq3xxs_grid[qs[2 * l]] |
                                       (uint64_t) k_iq3xxs_grid[qs[2 * l + 1]] << 32;
                emit_signed8(dst, db, entry, signs);
            }
        }
    }
}

void dequant_iq3_s_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq3_s)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq3_s, d)));
        const uint8_t * qs = src + offsetof(block_iq3_s, qs);
        const uint8_t * qh = src + offsetof(block_iq3_s, qh);
        const uint8_t * signs = src + offsetof(block_iq3_s, signs);
        const uint8_t * scales = src + offsetof(block_iq3_s, scales);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 8, signs += 4) {
            const int s = (scales[ib / 2] >> (4 * (ib % 2))) & 0xf;
            const float db = d * (float) (1 + 2 * s);
            for (int l = 0; l < 4; ++l, dst += 8) {
                const int idx1 = qs[2 * l] | ((qh[ib] >> (2 * l)) & 1) << 8;
                const int idx2 = qs[2 * l + 1] | ((qh[ib] >> (2 * l + 1)) & 1) << 8;
                const uint64_t entry = (uint64_t) k_iq3s_grid[idx1] | (uint64_t) k_iq3s_grid[idx2] << 32;
                emit_signed8(dst, db, entry, signs[l]);
            }
        }
    }
}

void dequant_iq1_s_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq1_s)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq1_s, d)));
        const uint8_t * qs = src + offsetof(block_iq1_s, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4) {
            const uint16_t qh = load_le<uint16_t>(src + offsetof(block_iq1_s, qh) + 2 * ib);
            const float dl = d * (float) (2 * ((qh >> 12) & 7) + 1);
            const float delta = qh & 0x8000 ? -IQ1S_DELTA : IQ1S_DELTA;
            for (int l = 0; l < 4; ++l, dst += 8) {
                const uint64_t entry = k_iq1s_grid[qs[l] | ((qh >> (3 * l)) & 7) << 8];
                for (int j = 0; j < 8; ++j) dst[j] = dl * ((float) (int8_t) grid_byte(entry, j) + delta);
            }
        }
    }
}

void dequant_iq1_m_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq1_m)) {
        const uint8_t * scales = src + offsetof(block_iq1_m, scales);
        const float d = fp16_to_fp32_inline(iq1_m_scale_bits(scales));
        const uint8_t * qs = src + offsetof(block_iq1_m, qs);
        const uint8_t * qh = src + offsetof(block_iq1_m, qh);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 4, qh += 2) {
            const uint16_t sw = load_le<uint16_t>(scales + 2 * (ib / 2));
            const float dl[2] = { d * (float) (2 * ((sw >> (6 * (ib % 2) + 0)) & 7) + 1),
                                  d * (float) (2 * ((sw >> (6 * (ib % 2) + 3)) & 7) + 1) };
            for (int l = 0; l < 4; ++l, dst += 8) {
                const uint8_t h = (uint8_t) (qh[l / 2] >> (4 * (l % 2)));   // this group's nibble
                const uint64_t entry = k_iq1s_grid[qs[l] | (h & 7) << 8];
                const float delta = h & 0x08 ? -IQ1S_DELTA : IQ1S_DELTA;
                for (int j = 0; j < 8; ++j) dst[j] = dl[l / 2] * ((float) (int8_t) grid_byte(entry, j) + delta);
            }
        }
    }
}

void dequant_iq4_nl_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK4_NL; ++i, src += sizeof(block_iq4_nl), dst += QK4_NL) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq4_nl, d)));
        const uint8_t * qs = src + offsetof(block_iq4_nl, qs);
        for (int j = 0; j < QK4_NL / 2; ++j) {
            dst[j] = d * (float) k_iq4nl_values[qs[j] & 0xf];
            dst[j + QK4_NL / 2] = d * (float) k_iq4nl_values[qs[j] >> 4];
        }
    }
}

void dequant_iq4_xs_ref(const uint8_t * src, float * dst, int64_t n) {
    for (int64_t i = 0; i < n / QK_K; ++i, src += sizeof(block_iq4_xs)) {
        const float d = fp16_to_fp32_inline(load_le<uint16_t>(src + offsetof(block_iq4_xs, d)));
        const uint16_t scales_h = load_le<uint16_t>(src + offsetof(block_iq4_xs, scales_h));
        const uint8_t * scales_l = src + offsetof(block_iq4_xs, scales_l);
        const uint8_t * qs = src + offsetof(block_iq4_xs, qs);
        for (int ib = 0; ib < QK_K / 32; ++ib, qs += 16, dst += 32) {
            const int ls = ((scales_l[ib / 2] >> (4 * (ib % 2))) & 0xf) | ((scales_h >> (2 * ib)) & 3) << 4;
            const float dl = d * (float) (ls - 32);
            for (int j = 0; j < 16; ++j) {
                dst[j] = dl * (float) k_iq4nl_values[qs[j] & 0xf];
                dst[j + 16] = dl * (float) k_iq4nl_values[qs[j] >> 4];
            }
        }
    }
}

} // namespace gc
