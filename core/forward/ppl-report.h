// Renderings of a ppl_result: the JSON of the CLI contract and
// llama-perplexity-style text. Defined once here so the CLI and the page
// print the same numbers.
#pragma once

#include <string>

#include "forward/ppl.h"
#include "forward/what-if.h"

namespace gc {

// {"n_ctx", "n_chunks", "n_scored", "ppl", "ppl_err", "nll_mean",
//  "cumulative": [...], "chunk_ppl": [...], and with a reference:
//  "ref_ppl", "ref_ppl_err", "ppl_ratio", "kld": {mean, mean_err, max, p99_9,
//  p99, p95, p90, median, p10, p5, p1, min, definition}, "rms_dp" (percent),
//  "mean_dp" (percent), "same_top_p" (percent), "hidden_cos": [{layer, mean, min}]}
std::string ppl_result_json(const ppl_result & r, int indent = 2);

// {"class", "tensors": [...], "n_tensors", "skipped": [...], "ppl", "ppl_err",
//  "ppl_without", "ref_ppl" (when run), "change_pct" (ppl vs ppl_without),
//  "recovered_pct" (share of the gap to the reference closed; when run)}
std::string what_if_json(const what_if_result & w, int indent = -1);
std::string what_if_text(const what_if_result & w);

// "[1]95.7392,[2]86.8330,...\nFinal estimate: PPL = 131.4853 +/- 0.80655\n"
// plus the reference statistics when present.
std::string ppl_result_text(const ppl_result & r);

} // namespace gc
