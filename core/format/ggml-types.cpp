// The ggml type table. Sizes from ggml/src/ggml-common.h (block structs and
// their static_asserts) and ggml.c's type_traits; kernels from core/quant/.
#include "format/ggml-types.h"

#include <cstring>

#include "quant/dequant.h"

namespace gc {

namespace {

constexpr ggml_type_info retired(uint32_t id, const char * name) {
    return ggml_type_info{ id, name, 0, 0, true, nullptr, nullptr };
}

// Indexed by id; the id field repeats the index so a misordered row fails the
// static check below.
constexpr ggml_type_info k_types[GGML_TYPE_COUNT] = {
    { GGML_TYPE_F32,     "F32",     1,   4,   false, dequant_f32_ref,     dequant_f32 },
    { GGML_TYPE_F16,     "F16",     1,   2,   false, dequant_f16_ref,     dequant_f16 },
    { GGML_TYPE_Q4_0,    "Q4_0",    32,  18,  false, dequant_q4_0_ref,    dequant_q4_0 },
    { GGML_TYPE_Q4_1,    "Q4_1",    32,  20,  false, dequant_q4_1_ref,    dequant_q4_1 },
    retired(4, "Q4_2 (retired)"),
    retired(5, "Q4_3 (retired)"),
    { GGML_TYPE_Q5_0,    "Q5_0",    32,  22,  false, dequant_q5_0_ref,    dequant_q5_0 },
    { GGML_TYPE_Q5_1,    "Q5_1",    32,  24,  false, dequant_q5_1_ref,    dequant_q5_1 },
    { GGML_TYPE_Q8_0,    "Q8_0",    32,  34,  false, dequant_q8_0_ref,    dequant_q8_0 },
    { GGML_TYPE_Q8_1,    "Q8_1",    32,  36,  false, dequant_q8_1_ref,    dequant_q8_1 },
    { GGML_TYPE_Q2_K,    "Q2_K",    256, 84,  false, dequant_q2_K_ref,    dequant_q2_K },
    { GGML_TYPE_Q3_K,    "Q3_K",    256, 110, false, dequant_q3_K_ref,    dequant_q3_K },
    { GGML_TYPE_Q4_K,    "Q4_K",    256, 144, false, dequant_q4_K_ref,    dequant_q4_K },
    { GGML_TYPE_Q5_K,    "Q5_K",    256, 176, false, dequant_q5_K_ref,    dequant_q5_K },
    { GGML_TYPE_Q6_K,    "Q6_K",    256, 210, false, dequant_q6_K_ref,    dequant_q6_K },
    { GGML_TYPE_Q8_K,    "Q8_K",    256, 292, false, dequant_q8_K_ref,    dequant_q8_K },
    { GGML_TYPE_IQ2_XXS, "IQ2_XXS", 256, 66,  false, dequant_iq2_xxs_ref, dequant_iq2_xxs },
    { GGML_TYPE_IQ2_XS,  "IQ2_XS",  256, 74,  false, dequant_iq2_xs_ref,  dequant_iq2_xs },
    { GGML_TYPE_IQ3_XXS, "IQ3_XXS", 256, 98,  false, dequant_iq3_xxs_ref, dequant_iq3_xxs },
    { GGML_TYPE_IQ1_S,   "IQ1_S",   256, 50,  false, dequant_iq1_s_ref,   dequant_iq1_s },
    { GGML_TYPE_IQ4_NL,  "IQ4_NL",  32,  18,  false, dequant_iq4_nl_ref,  dequant_iq4_nl },
    { GGML_TYPE_IQ3_S,   "IQ3_S",   256, 110, false, dequant_iq3_s_ref,   dequant_iq3_s },
    { GGML_TYPE_IQ2_S,   "IQ2_S",   256, 82,  false, dequant_iq2_s_ref,   dequant_iq2_s },
    { GGML_TYPE_IQ4_XS,  "IQ4_XS",  256, 136, false, dequant_iq4_xs_ref,  dequant_iq4_xs },
    { GGML_TYPE_I8,      "I8",      1,   1,   false, dequant_i8_ref,      dequant_i8 },
    { GGML_TYPE_I16,     "I16",     1,   2,   false, dequant_i16_ref,     dequant_i16 },
    { GGML_TYPE_I32,     "I32",     1,   4,   false, dequant_i32_ref,     dequant_i32 },
    { GGML_TYPE_I64,     "I64",     1,   8,   false, dequant_i64_ref,     dequant_i64 },
    { GGML_TYPE_F64,     "F64",     1,   8,   false, dequant_f64_ref,     dequant_f64 },
    { GGML_TYPE_IQ1_M,   "IQ1_M",   256, 56,  false, dequant_iq1_m_ref,   dequant_iq1_m },
    { GGML_TYPE_BF16,    "BF16",    1,   2,   false, dequant_bf16_ref,    dequant_bf16 },
    retired(31, "Q4_0_4_4 (retired)"),
    retired(32, "Q4_0_4_8 (retired)"),
    retired(33, "Q4_0_8_8 (retired)"),
    { GGML_TYPE_TQ1_0,   "TQ1_0",   256, 54,  false, dequant_tq1_0_ref,   dequant_tq1_0 },
    { GGML_TYPE_TQ2_0,   "TQ2_0",   256, 66,  false, dequant_tq2_0_ref,   dequant_tq2_0 },
    retired(36, "IQ4_NL_4_4 (retired)"),
    retired(37, "IQ4_NL_4_8 (retired)"),
    retired(38, "IQ4_NL_8_8 (retired)"),
    { GGML_TYPE_MXFP4,   "MXFP4",   32,  17,  false, dequant_mxfp4_ref,   dequant_mxfp4 },
    { GGML_TYPE_NVFP4,   "NVFP4",   64,  36,  false, dequant_nvfp4_ref,   dequant_nvfp4 },
    { GGML_TYPE_Q1_0,    "Q1_0",    128, 18,  false, dequant_q1_0_ref,    dequant_q1_0 },
    { GGML_TYPE_Q2_0,    "Q2_0",    64,  18,  false, dequant_q2_0_ref,    dequant_q2_0 },
};

constexpr bool table_ids_match_index() {
    for (uint32_t i = 0; i < GGML_TYPE_COUNT; ++i) {
        if (k_types[i].id != i) return false;
    }
    return true;
}
static_assert(table_ids_match_index(), "ggml type table row out of order");

} // namespace

const ggml_type_info * ggml_type_get(uint32_t id) {
    return id < GGML_TYPE_COUNT ? &k_types[id] : nullptr;
}

const ggml_type_info * ggml_type_by_name(const char * name) {
    for (const auto & t : k_types) {
        if (!t.retired && std::strcmp(t.name, name) == 0) return &t;
    }
    return nullptr;
}

bool ggml_type_readable(uint32_t id) {
    const ggml_type_info * t = ggml_type_get(id);
    return t && !t->retired && t->dequant != nullptr;
}

std::optional<uint64_t> ggml_row_bytes(uint32_t id, uint64_t ne0) {
    const ggml_type_info * t = ggml_type_get(id);
    if (!t || t->retired || ne0 % (uint64_t) t->block_size != 0) {
        return std::nullopt;
    }
    const uint64_t blocks = ne0 / (uint64_t) t->block_size;
    if (blocks > UINT64_MAX / (uint64_t) t->type_size) {
        return std::nullopt;
    }
    return blocks * (uint64_t) t->type_size;
}

std::optional<uint64_t> ggml_tensor_bytes(uint32_t id, const uint64_t * ne, uint32_t n_dims) {
    if (n_dims == 0) {
        return std::nullopt;
    }
    std::optional<uint64_t> bytes = ggml_row_bytes(id, ne[0]);
    if (!bytes) {
        return std::nullopt;
    }
    for (uint32_t d = 1; d < n_dims; ++d) {
        if (ne[d] != 0 && *bytes > UINT64_MAX / ne[d]) {
            return std::nullopt;
        }
        *bytes *= ne[d];
    }
    return bytes;
}

double ggml_type_bpw(uint32_t id) {
    const ggml_type_info * t = ggml_type_get(id);
    if (!t || t->retired) return 0.0;
    return 8.0 * (double) t->type_size / (double) t->block_size;
}

} // namespace gc
