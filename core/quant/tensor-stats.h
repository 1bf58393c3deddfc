// Value statistics of one tensor, computed while streaming it through the
// dequantizer in bounded chunks (never the whole tensor in memory).
#pragma once

#include <cstdint>
#include <string>

#include "io/byte-source.h"
#include "quant/dequant-rows.h"

namespace gc {

// Elements per "block" for the all-zero check of element types (F32, F16,
// BF16, integers), which have no block of their own.
constexpr uint64_t TENSOR_STATS_ELEMENT_BLOCK = 256;

struct tensor_stats {
    uint64_t count = 0;          // elements
    uint64_t n_nan = 0;
    uint64_t n_inf = 0;
    uint64_t n_subnormal = 0;    // nonzero floats below FLT_MIN in magnitude
    uint64_t n_finite = 0;       // elements in min/max/mean/std
    double min = 0.0;            // over finite values; 0 when there are none
    double max = 0.0;
    double mean = 0.0;
    double std = 0.0;            // population standard deviation

    uint64_t blocks = 0;               // quant blocks (or TENSOR_STATS_ELEMENT_BLOCK groups)
    uint64_t zero_blocks = 0;          // blocks whose decoded values are all +-0
    uint64_t scale_blocks = 0;         // blocks that have a scale (0 for element types)
    uint64_t scale_zero_blocks = 0;    // blocks whose scales are all zero
    uint64_t scale_nonfinite_blocks = 0;   // blocks with a NaN or Inf scale
};

// Streams the whole tensor. False + *error when the type cannot be decoded
// or a read fails.
bool tensor_stats_compute(byte_source & src, const tensor_layout & t, tensor_stats * out, std::string * error,
                          const dequant_options & opt = {});

} // namespace gc
