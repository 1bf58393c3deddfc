// The inspect report: what `ggufcheck inspect --json` prints and what the
// page renders (one definition for both).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "format/gguf.h"

namespace gc {

// Arrays longer than this are summarized in the metadata as
// {"array_length": N, "elem_type": T, "first": [first few items]}.
constexpr uint64_t INSPECT_ARRAY_INLINE_MAX = 32;

// A metadata value as JSON (long arrays summarized).
nlohmann::json gguf_value_to_json(const gguf_value & v);

// Findings as a JSON array of {severity, code, message, file?, tensor?, offset?}.
nlohmann::json findings_to_json(const finding_list & findings);

// The inspect object: format, version, architecture, name, file_size,
// alignment, tensor_data_offset, n_kv, n_tensors, n_params, file_type,
// type_census, metadata, tensors, findings (+ files for split sets).
nlohmann::json inspect_report(const gguf_model & model);

// Serialized with invalid UTF-8 in strings replaced (metadata is untrusted).
std::string json_dump(const nlohmann::json & j, int indent = -1);

// Human-readable summary for the CLI's text mode.
std::string inspect_text(const gguf_model & model);

} // namespace gc
