// Codebook grids and value tables of the IQ and FP4 types (format constants
// transcribed from ggml/src/ggml-common.h; see iq-grids.cpp). Grid entries
// pack one small integer per byte in element order.
#pragma once

#include <cstdint>

namespace gc {

// 7-bit sign code -> 8 sign bits (bit j set = element j negative); bit 7 is
// the parity of the code, so every group has an even number of negatives.
extern const uint8_t k_iq2_signs[128];

extern const uint64_t k_iq2xxs_grid[256];   // 8 magnitudes in {8, 25, 43}
extern const uint64_t k_iq2xs_grid[512];    // 8 magnitudes in {8, 25, 43}
extern const uint64_t k_iq2s_grid[1024];    // 8 magnitudes in {8, 25, 43}
extern const uint32_t k_iq3xxs_grid[256];   // 4 magnitudes in {4, 12, 20, ..., 52, 62}
extern const uint32_t k_iq3s_grid[512];     // 4 magnitudes, odd, 1..15
extern const uint64_t k_iq1s_grid[2048];    // 8 signed values in {-1, 0, 1}

extern const int8_t k_iq4nl_values[16];     // IQ4_NL / IQ4_XS non-linear codebook
extern const int8_t k_fp4_values[16];       // E2M1 values doubled (MXFP4, NVFP4)

} // namespace gc
