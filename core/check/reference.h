// The reference a candidate is checked against: a Hugging Face checkpoint
// (config.json + safetensors shards, optional index) or a reference GGUF,
// opened into one weight_source in GGUF names and layout.
#pragma once

#include <memory>
#include <string>

#include "check/finding.h"
#include "format/gguf.h"
#include "format/safetensors.h"
#include "forward/weights.h"
#include "model/hf-map.h"

namespace gc {

struct reference_model {
    std::string kind;                         // "hf" or "gguf"
    gguf_model gguf;                          // kind == "gguf"
    hf_model hf;                              // kind == "hf"
    hf_family family;                         // kind == "hf"
    std::unique_ptr<weight_source> weights;
    finding_list findings;                    // reader findings and mapping notes
    std::string description;                  // e.g. "Hugging Face checkpoint (gemma4, 1 shard, BF16)"
};

// Opens `files` as a reference for a candidate of architecture `cand_arch`.
// The files must outlive the result. False with *error when nothing usable
// was given (the findings say why).
bool reference_open(file_set & files, const std::string & cand_arch, reference_model & out, std::string * error);

} // namespace gc
