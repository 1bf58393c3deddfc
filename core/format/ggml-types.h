// The one table of ggml tensor types.
//
// Indexed by the upstream ggml_type id (ggml/include/ggml.h). Every consumer
// asks this table for sizes and kernels; nothing outside core/quant/ and this
// table switches on a type id. Retired ids keep their slot with block_size 0
// so a file that uses one is reported by name. Ids not in the table (forks:
// ik_llama's IQ*_K, Unsloth's 64-66) yield nullptr from ggml_type_get().
#pragma once

#include <cstdint>
#include <optional>

namespace gc {

enum ggml_type_id : uint32_t {
    GGML_TYPE_F32 = 0,
    GGML_TYPE_F16 = 1,
    GGML_TYPE_Q4_0 = 2,
    GGML_TYPE_Q4_1 = 3,
    // 4, 5: Q4_2, Q4_3 (retired)
    GGML_TYPE_Q5_0 = 6,
    GGML_TYPE_Q5_1 = 7,
    GGML_TYPE_Q8_0 = 8,
    GGML_TYPE_Q8_1 = 9,
    GGML_TYPE_Q2_K = 10,
    GGML_TYPE_Q3_K = 11,
    GGML_TYPE_Q4_K = 12,
    GGML_TYPE_Q5_K = 13,
    GGML_TYPE_Q6_K = 14,
    GGML_TYPE_Q8_K = 15,
    GGML_TYPE_IQ2_XXS = 16,
    GGML_TYPE_IQ2_XS = 17,
    GGML_TYPE_IQ3_XXS = 18,
    GGML_TYPE_IQ1_S = 19,
    GGML_TYPE_IQ4_NL = 20,
    GGML_TYPE_IQ3_S = 21,
    GGML_TYPE_IQ2_S = 22,
    GGML_TYPE_IQ4_XS = 23,
    GGML_TYPE_I8 = 24,
    GGML_TYPE_I16 = 25,
    GGML_TYPE_I32 = 26,
    GGML_TYPE_I64 = 27,
    GGML_TYPE_F64 = 28,
    GGML_TYPE_IQ1_M = 29,
    GGML_TYPE_BF16 = 30,
    // 31-33: Q4_0_4_4, Q4_0_4_8, Q4_0_8_8 (retired)
    GGML_TYPE_TQ1_0 = 34,
    GGML_TYPE_TQ2_0 = 35,
    // 36-38: IQ4_NL_4_4, IQ4_NL_4_8, IQ4_NL_8_8 (retired)
    GGML_TYPE_MXFP4 = 39,
    GGML_TYPE_NVFP4 = 40,
    GGML_TYPE_Q1_0 = 41,
    GGML_TYPE_Q2_0 = 42,
    GGML_TYPE_COUNT = 43,
};

// Dequantizes n elements (a multiple of the type's block size) from the
// packed bytes at src into dst. src holds exactly n / block_size blocks.
using dequant_fn = void (*)(const uint8_t * src, float * dst, int64_t n);

struct ggml_type_info {
    uint32_t id;
    const char * name;
    int64_t block_size;    // elements per block; 0 for a retired id
    int64_t type_size;     // bytes per block
    bool retired;          // id removed upstream; files using it cannot be read
    dequant_fn dequant_ref;  // scalar reference (the definition); nullptr if none
    dequant_fn dequant;      // fastest available path (SIMD128/SSE or the reference)
};

// The table entry for an id, or nullptr when the id is not an upstream type.
const ggml_type_info * ggml_type_get(uint32_t id);

// The entry whose name matches (case-sensitive, e.g. "Q4_K"), or nullptr.
const ggml_type_info * ggml_type_by_name(const char * name);

// True for ids a reader can decode: known, not retired, with a kernel.
bool ggml_type_readable(uint32_t id);

// Bytes of one row of ne0 elements; nullopt when ne0 is not a multiple of the
// block size, the type is unknown or retired, or the result overflows.
std::optional<uint64_t> ggml_row_bytes(uint32_t id, uint64_t ne0);

// Bytes of a tensor of the given shape (ggml order, ne[0] fastest); nullopt
// on the same conditions as ggml_row_bytes or on overflow.
std::optional<uint64_t> ggml_tensor_bytes(uint32_t id, const uint64_t * ne, uint32_t n_dims);

// Bits per weight of a type (8 * type_size / block_size), 0 for retired.
double ggml_type_bpw(uint32_t id);

} // namespace gc
