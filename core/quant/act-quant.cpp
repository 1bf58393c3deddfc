// Activation quantizers of ggml-cpu (formats and sources in act-quant.h).
// Scalar code; the forward calls them once per linear and token row, which
// is cheap next to the product itself.
#include "quant/act-quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "format/ggml-types.h"
#include "quant/scalar-formats.h"

namespace gc {

act_format act_format_for_weight(uint32_t t) {
    switch (t) {
        case GGML_TYPE_F16: return act_format::f16;
        case GGML_TYPE_BF16: return act_format::bf16;
        case GGML_TYPE_Q4_0:
        case GGML_TYPE_Q5_0:
        case GGML_TYPE_Q8_0:
        case GGML_TYPE_IQ4_NL:
        case GGML_TYPE_MXFP4:
        case GGML_TYPE_NVFP4:
        case GGML_TYPE_Q1_0:
        case GGML_TYPE_Q2_0: return act_format::q8_0;
        case GGML_TYPE_Q4_1:
        case GGML_TYPE_Q5_1: return act_format::q8_1;
        case GGML_TYPE_Q2_K:
        case GGML_TYPE_Q3_K:
        case GGML_TYPE_Q4_K:
        case GGML_TYPE_Q5_K:
        case GGML_TYPE_Q6_K:
        case GGML_TYPE_IQ2_XXS:
        case GGML_TYPE_IQ2_XS:
        case GGML_TYPE_IQ2_S:
        case GGML_TYPE_IQ3_XXS:
        case GGML_TYPE_IQ3_S:
        case GGML_TYPE_IQ1_S:
        case GGML_TYPE_IQ1_M:
        case GGML_TYPE_IQ4_XS:
        case GGML_TYPE_TQ1_0:
        case GGML_TYPE_TQ2_0: return act_format::q8_K;
        default: return act_format::f32;
    }
}

const char * act_format_name(act_format f) {
    switch (f) {
        case act_format::f32: return "f32";
        case act_format::f16: return "f16";
        case act_format::bf16: return "bf16";
        case act_format::q8_0: return "q8_0";
        case act_format::q8_1: return "q8_1";
        case act_format::q8_K: return "q8_K";
    }
    return "f32";
}

int64_t act_format_block(act_format f) {
    switch (f) {
        case act_format::q8_0:
        case act_format::q8_1: return 32;
        case act_format::q8_K: return 256;
        default: return 1;
    }
}

// binary32 -> binary16, round to nearest even, in integer arithmetic.
uint16_t fp32_to_fp16_rne(float f) {
    const uint32_t w = fp32_to_bits(f);
    const uint16_t sign = (uint16_t) ((w >> 16) & 0x8000);
    const uint32_t x = w & 0x7fffffff;
    if (x > 0x7f800000) return sign | 0x7e00;          // NaN -> quiet NaN
    if (x >= 0x477ff000) return sign | 0x7c00;         // >= 65520 (and Inf): Inf
    if (x >= 0x38800000) {                             // normal half: |f| >= 2^-14
        const uint32_t u = x - (112u << 23);           // rebias the exponent 127 -> 15
        uint32_t h = u >> 13;
        const uint32_t rem = u & 0x1fff;
        h += (rem > 0x1000 || (rem == 0x1000 && (h & 1))) ? 1 : 0;   // a carry into the exponent is right
        return (uint16_t) (sign | h);
    }
    if (x <= 0x33000000) return sign;                  // <= 2^-25: rounds to 0 (2^-25 is a tie to even 0)
    // Subnormal half: h = round(|f| * 2^24) = mant * 2^(e - 126).
    const uint32_t e = x >> 23;
    const uint64_t mant = (x & 0x7fffff) | 0x800000;
    const uint32_t s = 126 - e;                        // 14 .. 24
    uint32_t h = (uint32_t) (mant >> s);
    const uint64_t rem = mant & ((1ull << s) - 1), half = 1ull << (s - 1);
    h += (rem > half || (rem == half && (h & 1))) ? 1 : 0;
    return (uint16_t) (sign | h);
}

uint16_t fp32_to_bf16_rne(float f) {
    const uint32_t u = fp32_to_bits(f);
    if ((u & 0x7fffffff) > 0x7f800000) return (uint16_t) ((u >> 16) | 64);   // NaN stays a quiet NaN
    return (uint16_t) ((u + (0x7fff + ((u >> 16) & 1))) >> 16);
}

float bf16_to_fp32(uint16_t h) { return fp32_from_bits((uint32_t) h << 16); }

namespace {

// ggml-cpu's x86 rounding: _mm256_round_ps(_MM_ROUND_NEAREST) then
// _mm256_cvtps_epi32, i.e. nearest with ties to even; the same as ggml's
// nearest_int: adding 1.5 * 2^23 leaves the rounded integer in the low
// mantissa bits (exact for |v| < 2^22; here |v| <= 127 up to rounding).
inline int round_even(float v) {
    const float t = v + 12582912.f;
    return (int) (fp32_to_bits(t) & 0x007fffff) - 0x00400000;
}

// One 32-block of Q8_0 / Q8_1: returns the f32 d before its f16 rounding.
inline float q8_32_block(const float * x, int8_t * qs) {
    float amax = 0.0f;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.f;
    const float id = amax != 0.0f ? 127.f / amax : 0.0f;
    for (int j = 0; j < 32; ++j) qs[j] = (int8_t) round_even(x[j] * id);
    return d;
}

} // namespace

void act_quantize_row_q8_0(const float * x, int64_t n, int8_t * qs, float * d) {
    for (int64_t b = 0; b < n / 32; ++b) {
        d[b] = fp16_to_fp32_inline(fp32_to_fp16_rne(q8_32_block(x + 32 * b, qs + 32 * b)));
    }
}

void act_quantize_row_q8_1(const float * x, int64_t n, int8_t * qs, float * d, float * s) {
    for (int64_t b = 0; b < n / 32; ++b) {
        const float df = q8_32_block(x + 32 * b, qs + 32 * b);
        int sum = 0;
        for (int j = 0; j < 32; ++j) sum += qs[32 * b + j];
        d[b] = fp16_to_fp32_inline(fp32_to_fp16_rne(df));
        s[b] = fp16_to_fp32_inline(fp32_to_fp16_rne(df * (float) sum));
    }
}

void act_quantize_row_q8_K(const float * x, int64_t n, int8_t * qs, float * d, int16_t * bsums) {
    for (int64_t b = 0; b < n / 256; ++b) {
        const float * xb = x + 256 * b;
        int8_t * q = qs + 256 * b;
        float max = 0.0f, amax = 0.0f;
        for (int j = 0; j < 256; ++j) {
            const float ax = std::fabs(xb[j]);
            if (ax > amax) {
                amax = ax;
                max = xb[j];
            }
        }
        if (amax == 0.0f) {
            d[b] = 0.0f;
            std::memset(q, 0, 256);
            for (int j = 0; j < 16; ++j) bsums[16 * b + j] = 0;
            continue;
        }
        const float iscale = -127.f / max;
        for (int j = 0; j < 256; ++j) q[j] = (int8_t) std::min(127, round_even(iscale * xb[j]));
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int i = 0; i < 16; ++i) sum += q[16 * j + i];
            bsums[16 * b + j] = (int16_t) sum;
        }
        d[b] = 1 / iscale;
    }
}

void act_round_trip_row(act_format f, const float * x, int64_t n, float * y) {
    switch (f) {
        case act_format::f32:
            if (y != x) std::memmove(y, x, (size_t) n * sizeof(float));
            return;
        case act_format::f16:
            for (int64_t i = 0; i < n; ++i) y[i] = fp16_to_fp32_inline(fp32_to_fp16_rne(x[i]));
            return;
        case act_format::bf16:
            for (int64_t i = 0; i < n; ++i) y[i] = bf16_to_fp32(fp32_to_bf16_rne(x[i]));
            return;
        case act_format::q8_0:
        case act_format::q8_1: {
            // Q8_1 values are those of Q8_0 (its s only feeds the weight's min term).
            int8_t q[32];
            for (int64_t b = 0; b < n / 32; ++b) {
                const float d = fp16_to_fp32_inline(fp32_to_fp16_rne(q8_32_block(x + 32 * b, q)));
                for (int j = 0; j < 32; ++j) y[32 * b + j] = d * (float) q[j];
            }
            return;
        }
        case act_format::q8_K: {
            int8_t q[256];
            int16_t bs[16];
            for (int64_t b = 0; b < n / 256; ++b) {
                float d;
                act_quantize_row_q8_K(x + 256 * b, 256, q, &d, bs);
                for (int j = 0; j < 256; ++j) y[256 * b + j] = d * (float) q[j];
            }
            return;
        }
    }
}

} // namespace gc
