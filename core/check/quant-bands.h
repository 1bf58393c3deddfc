// Expected weight noise of each storage type: how far a healthy quantized
// tensor's cosine to its full-precision source is from 1.
//
// typical_error(t) = 1 - cos for healthy weights, measured on the fixtures
// (g4tiny and stories260K quants vs their reference, tests/fixtures/*/README.md;
// quants/alltypes round trips for the types no model fixture uses). A tensor is
//   healthy     when 1 - cos <= SUSPICIOUS_FACTOR * typical_error
//   suspicious  up to DAMAGED_FACTOR * typical_error
//   damaged     beyond (or cos < 0.5, or NaN/Inf where the reference has none).
#pragma once

#include <cstdint>
#include <string>

namespace gc {

constexpr double BAND_SUSPICIOUS_FACTOR = 5.0;
constexpr double BAND_DAMAGED_FACTOR = 25.0;

enum class weight_status { healthy, suspicious, damaged, skipped };

const char * weight_status_name(weight_status s);

// 1 - cos expected for healthy weights of ggml type id `type` compared with a
// higher-precision reference (never below 1e-7, the float noise floor).
double band_typical_error(uint32_t type);

// The status of a cosine for a tensor stored as `type`.
weight_status band_status(uint32_t type, double cos);

// How many typical errors away a cosine is: (1 - cos) / typical_error.
double band_ratio(uint32_t type, double cos);

} // namespace gc
