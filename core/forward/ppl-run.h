// The wiring between opened inputs and a perplexity report, shared by
// `ggufcheck ppl` (cli/cmd-ppl.cpp) and the page (wasm/check-bindings.cpp),
// so both pick the same BOS, tokenize the text the same way, run the
// reference through the same recipe and judge the result by the same rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check/ppl-verdict.h"
#include "check/reference.h"
#include "format/gguf.h"
#include "forward/ppl.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace gc {

// The model description a reference runs with: a reference GGUF's own, or,
// for a Hugging Face checkpoint, the candidate's recipe with the config's
// hyper-parameters (each disagreement becomes a finding in ref.findings).
// False with *error when the reference has error findings or its GGUF
// cannot be described.
bool ppl_reference_desc(const model_desc & cand, reference_model & ref, model_desc & out, std::string * error);

// ppl_options::bos_id for a model: the tokenizer's BOS when its vocab adds
// one, -2 (never) when it does not, -1 (the model description's choice)
// when no tokenizer could be built.
int32_t ppl_bos_id(const tokenizer_load_result & tl);

// As llama-perplexity: the whole text at once, special tokens added (BOS
// first when the vocab adds it), special-token text not parsed.
std::vector<int32_t> ppl_tokenize_text(const tokenizer & tok, const std::string & text);

// The verdict from known values for a finished run of `cand`.
ppl_verdict ppl_judge_run(const model_desc & cand, const gguf_model & cand_gguf, const ppl_text_id & text,
                          const ppl_options & opt, const ppl_result & result);

} // namespace gc
