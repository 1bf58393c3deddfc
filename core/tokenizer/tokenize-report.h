// The tokenization as JSON, one definition for the CLI (`ggufcheck tokenize
// --json`) and the page (wasm binding), so both show the same thing.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/tokenizer.h"

namespace gc {

// {"ids": [...], "pieces": [...]}: pieces are the vocabulary's own strings
// for each id (e.g. "▁the", "Ġthe", "<0x0A>"), "" for an id outside the
// vocabulary; without a tokenizer, only "ids".
nlohmann::json tokenize_report(const tokenizer * tok, const std::vector<int32_t> & ids);

// What the tokenizer is: model, pre-tokenizer, vocabulary size, BOS/EOS ids
// and whether they are added.
nlohmann::json tokenizer_info(const tokenizer & tok);

} // namespace gc
