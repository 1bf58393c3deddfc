// safetensors reader and the Hugging Face reference set (config.json +
// one or many *.safetensors shards, with or without the index json).
//
// File layout (https://github.com/huggingface/safetensors):
//   u64 N (little-endian) | N bytes of JSON header | raw tensor data
//   header: { "<name>": {"dtype": "BF16", "shape": [out, in], "data_offsets": [begin, end]},
//             "__metadata__": {"format": "pt", ...} }
//   data_offsets are relative to the first byte after the header; row-major,
//   little-endian, shape in PyTorch order (slowest dimension first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/finding.h"
#include "io/byte-source.h"

namespace gc {

// Headers larger than this are rejected (the format's own reference
// implementation caps them at 100 MB).
constexpr uint64_t SAFETENSORS_MAX_HEADER = 100ull << 20;

struct st_dtype_info {
    const char * name;      // "F32", "BF16", ...
    uint32_t size;          // bytes per element (BOOL: 1)
    bool floating;          // F64/F32/F16/BF16/F8_*
};

// The dtype entry for a name, or nullptr for an unknown dtype.
const st_dtype_info * st_dtype_get(std::string_view name);

// Converts n elements of the given dtype to float (BOOL -> 0/1).
void st_to_float(const st_dtype_info & dtype, const uint8_t * src, float * dst, int64_t n);

struct st_tensor {
    std::string name;
    const st_dtype_info * dtype = nullptr;   // nullptr: unknown dtype (a finding)
    std::string dtype_name;
    std::vector<uint64_t> shape;              // PyTorch order
    uint64_t data_offset = 0;                 // absolute offset in its shard
    uint64_t nbytes = 0;
    size_t shard = 0;                          // index into hf_model::shards

    uint64_t n_elements() const;
};

struct st_shard {
    std::string name;
    uint64_t file_size = 0;
    uint64_t header_size = 0;                 // N
    size_t source = 0;                        // index into the file_set given to hf_load
};

// A Hugging Face checkpoint: config + tensors over all shards.
struct hf_model {
    nlohmann::json config;                    // config.json (null when absent)
    std::vector<st_shard> shards;
    std::vector<st_tensor> tensors;           // all shards, in header order per shard
    finding_list findings;
    bool usable = false;                      // at least one shard parsed

    const st_tensor * find_tensor(std::string_view name) const;

    // A config value, looked up in text_config first (multimodal configs
    // nest the text tower there), then at the top level; null when absent.
    const nlohmann::json * config_value(std::string_view key) const;
    std::string model_type() const;           // text_config.model_type or model_type
};

// Parses one safetensors shard's header into `out` (appending tensors with
// shard index `shard`). Returns false and a finding on a fatal format error.
bool safetensors_parse(byte_source & src, size_t shard, hf_model & out);

// Loads a reference set. Files are recognised by name: config.json,
// *.index.json (the shard map: checks that every listed shard is present),
// *.safetensors. Anything else is a finding.
hf_model hf_load(file_set & sources);

// True when a source looks like part of a HF reference set (by name).
bool hf_is_reference_file(std::string_view name);

} // namespace gc
