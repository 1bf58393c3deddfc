// Integer unpacking of Q8_0, Q4_0, Q5_0, Q4_K, Q5_K and Q6_K rows (formats in
// quant/blocks.h, contract in quant/int-unpack.h).
#include "quant/int-unpack.h"

#include "format/ggml-types.h"
#include "quant/blocks.h"
#include "quant/scalar-formats.h"

namespace gc {

int_unpack_info int_unpack_info_for(uint32_t t) {
    int_unpack_info i;
    switch (t) {
        case GGML_TYPE_Q8_0: i = { true, 32, sizeof(block_q8_0), false, act_format::q8_0 }; break;
        case GGML_TYPE_Q4_0: i = { true, 32, sizeof(block_q4_0), false, act_format::q8_0 }; break;
        case GGML_TYPE_Q5_0: i = { true, 32, sizeof(block_q5_0), false, act_format::q8_0 }; break;
        case GGML_TYPE_Q4_K: i = { true, 256, sizeof(block_q4_K), true, act_format::q8_K }; break;
        case GGML_TYPE_Q5_K: i = { true, 256, sizeof(block_q5_K), true, act_format::q8_K }; break;
        case GGML_TYPE_Q6_K: i = { true, 256, sizeof(block_q6_K), false, act_format::q8_K }; break;
        default: break;
    }
    return i;
}

namespace {

void unpack_q8_0(const uint8_t * b, int16_t * w, float * d) {
    *d = fp16_to_fp32_inline(load_le<uint16_t>(b + offsetof(block_q8_0, d)));
    const int8_t * qs = reinterpret_cast<const int8_t *>(b + offsetof(block_q8_0, qs));
    for (int k = 0; k < 32; ++k) w[k] = qs[k];
}

void unpack_q4_0(const uint8_t * b, int16_t * w, float * d) {
    *d = fp16_to_fp32_inline(load_le<uint16_t>(b + offsetof(block_q4_0, d)));
    const uint8_t * qs = b + offsetof(block_q4_0, qs);
    for (int k = 0; k < 16; ++k) {
        w[k] = (int16_t) ((qs[k] & 0xf) - 8);
        w[k + 16] = (int16_t) ((qs[k] >> 4) - 8);
    }
}

void unpack_q5_0(const uint8_t * b, int16_t * w, float * d) {
    *d = fp16_to_fp32_inline(load_le<uint16_t>(b + offsetof(block_q5_0, d)));
    const uint32_t qh = load_le<uint32_t>(b + offsetof(block_q5_0, qh));
    const uint8_t * qs = b + offsetof(block_q5_0, qs);
    for (int k = 0; k < 16; ++k) {
        w[k] = (int16_t) (((qs[k] & 0xf) | ((qh >> k) & 1) << 4) - 16);
        w[k + 16] = (int16_t) (((qs[k] >> 4) | ((qh >> (k + 16)) & 1) << 4) - 16);
    }
}

// Q4_K and Q5_K: group g (32 elements) is the low (g even) or high nibble of
// qs[32 (g / 2) + l]; Q5_K adds 16 * bit g of qh[l].
void unpack_q45_K(const uint8_t * b, bool five, int16_t * w, float * d, int16_t * m, float * dm) {
    const size_t o_d = five ? offsetof(block_q5_K, d) : offsetof(block_q4_K, d);
    const size_t o_dmin = five ? offsetof(block_q5_K, dmin) : offsetof(block_q4_K, dmin);
    const size_t o_sc = five ? offsetof(block_q5_K, scales) : offsetof(block_q4_K, scales);
    const size_t o_qs = five ? offsetof(block_q5_K, qs) : offsetof(block_q4_K, qs);
    *d = fp16_to_fp32_inline(load_le<uint16_t>(b + o_d));
    *dm = fp16_to_fp32_inline(load_le<uint16_t>(b + o_dmin));
    const uint8_t * qs = b + o_qs;
    const uint8_t * qh = five ? b + offsetof(block_q5_K, qh) : nullptr;
    for (int g = 0; g < 8; ++g) {
        uint8_t sc, mn;
        k_quant_scale_min(g, b + o_sc, &sc, &mn);
        m[g] = mn;
        const uint8_t * q = qs + 32 * (g / 2);
        const int shift = (g & 1) ? 4 : 0;
        for (int l = 0; l < 32; ++l) {
            int v = (q[l] >> shift) & 0xf;
            if (qh) v += ((qh[l] >> g) & 1) << 4;
            w[32 * g + l] = (int16_t) (sc * v);
        }
    }
}

// Q6_K: element 128 h + 32 k + l: low bits from ql[64 h + l + 32 (k & 1)]
// (low nibble for k < 2), high bits 2k..2k+1 of qh[32 h + l], scale index
// (128 h + 32 k + l) / 16.
void unpack_q6_K(const uint8_t * b, int16_t * w, float * d) {
    *d = fp16_to_fp32_inline(load_le<uint16_t>(b + offsetof(block_q6_K, d)));
    const uint8_t * ql = b + offsetof(block_q6_K, ql);
    const uint8_t * qh = b + offsetof(block_q6_K, qh);
    const int8_t * sc = reinterpret_cast<const int8_t *>(b + offsetof(block_q6_K, scales));
    for (int h = 0; h < 2; ++h)
        for (int k = 0; k < 4; ++k)
            for (int l = 0; l < 32; ++l) {
                const int e = 128 * h + 32 * k + l;
                const int lo = (ql[64 * h + l + 32 * (k & 1)] >> (k < 2 ? 0 : 4)) & 0xf;
                const int hi = (qh[32 * h + l] >> (2 * k)) & 3;
                w[e] = (int16_t) (sc[e / 16] * ((lo | hi << 4) - 32));
            }
}

} // namespace

void int_unpack_row(uint32_t t, const uint8_t * row, int64_t n, int16_t * w, float * d, int16_t * m, float * dm) {
    const int_unpack_info info = int_unpack_info_for(t);
    if (!info.supported) return;
    const int64_t nb = n / info.block;
    for (int64_t b = 0; b < nb; ++b) {
        const uint8_t * blk = row + b * info.type_size;
        int16_t * wb = w + b * info.block;
        switch (t) {
            case GGML_TYPE_Q8_0: unpack_q8_0(blk, wb, d + b); break;
            case GGML_TYPE_Q4_0: unpack_q4_0(blk, wb, d + b); break;
            case GGML_TYPE_Q5_0: unpack_q5_0(blk, wb, d + b); break;
            case GGML_TYPE_Q4_K: unpack_q45_K(blk, false, wb, d + b, m + 8 * b, dm + b); break;
            case GGML_TYPE_Q5_K: unpack_q45_K(blk, true, wb, d + b, m + 8 * b, dm + b); break;
            case GGML_TYPE_Q6_K: unpack_q6_K(blk, wb, d + b); break;
            default: break;
        }
    }
}

} // namespace gc
