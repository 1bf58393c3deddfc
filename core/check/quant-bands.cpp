#include "check/quant-bands.h"

#include <algorithm>
#include <cmath>

#include "format/ggml-types.h"

namespace gc {

const char * weight_status_name(weight_status s) {
    switch (s) {
        case weight_status::healthy: return "healthy";
        case weight_status::suspicious: return "suspicious";
        case weight_status::damaged: return "damaged";
        case weight_status::skipped: return "skipped";
    }
    return "skipped";
}

double band_typical_error(uint32_t type) {
    // 1 - cos of healthy tensors. Sources: g4tiny cos/*.csv medians (Q8_0,
    // Q6_K, Q4_K, Q4_0, Q2_K, IQ4_XS, IQ2_XXS), stories260K (Q5_0), the
    // alltypes round trips (others), rounded up.
    switch (type) {
        case GGML_TYPE_F32: return 1e-7;
        case GGML_TYPE_F64: return 1e-7;
        case GGML_TYPE_F16: return 2e-7;
        case GGML_TYPE_BF16: return 2e-6;
        case GGML_TYPE_Q8_0: case GGML_TYPE_Q8_1: case GGML_TYPE_Q8_K: return 1.5e-5;
        case GGML_TYPE_Q6_K: return 1.6e-4;
        case GGML_TYPE_Q5_K: return 6e-4;
        case GGML_TYPE_Q5_0: case GGML_TYPE_Q5_1: return 1.2e-3;
        case GGML_TYPE_Q4_K: return 2.6e-3;
        case GGML_TYPE_Q4_1: return 3.0e-3;
        case GGML_TYPE_IQ4_XS: case GGML_TYPE_IQ4_NL: return 3.2e-3;
        case GGML_TYPE_Q4_0: return 4.0e-3;
        case GGML_TYPE_MXFP4: case GGML_TYPE_NVFP4: return 6.5e-3;
        case GGML_TYPE_Q3_K: return 1.2e-2;
        case GGML_TYPE_IQ3_S: return 1.6e-2;
        case GGML_TYPE_IQ3_XXS: return 2.3e-2;
        case GGML_TYPE_IQ2_S: return 3.5e-2;
        case GGML_TYPE_Q2_K: return 4.5e-2;
        case GGML_TYPE_IQ2_XS: return 5.0e-2;
        case GGML_TYPE_IQ2_XXS: return 6.5e-2;
        case GGML_TYPE_Q2_0: return 0.1;
        case GGML_TYPE_IQ1_M: return 0.12;
        case GGML_TYPE_IQ1_S: return 0.17;
        case GGML_TYPE_Q1_0: return 0.22;
        case GGML_TYPE_TQ1_0: case GGML_TYPE_TQ2_0: return 0.45;   // ternary: meaningful only for ternary-trained models
        default: return 1e-7;                                         // integer types: exact
    }
}

double band_ratio(uint32_t type, double cos) {
    if (!std::isfinite(cos)) return INFINITY;
    return std::max(0.0, 1.0 - cos) / band_typical_error(type);
}

weight_status band_status(uint32_t type, double cos) {
    if (!std::isfinite(cos) || cos < 0.5) return weight_status::damaged;
    const double r = band_ratio(type, cos);
    if (r > BAND_DAMAGED_FACTOR) return weight_status::damaged;
    if (r > BAND_SUSPICIOUS_FACTOR) return weight_status::suspicious;
    return weight_status::healthy;
}

} // namespace gc
