// Judging a perplexity without a reference model: against a small table of
// known values (model, text, protocol, value, source), else against a
// generic band by parameter count for a known text, else only against the
// uniform-guess ceiling. Every verdict states its basis and how much it can
// be trusted.
//
// Text identity: a text file is named by FNV-1a-64 over its bytes (and a
// token-id file by FNV-1a-64 over its bytes); a few fingerprints are known
// (wikitext-2-raw test in its CRLF and LF forms, the g4tiny fixture's token
// file, which is wiki.test.raw's llama.cpp tokenization with the stories260K
// vocabulary). A table entry names either an exact text or a text family.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/finding.h"
#include "format/gguf.h"
#include "forward/ppl.h"
#include "forward/what-if.h"

namespace gc {

struct ppl_text_id {
    std::string exact;    // e.g. "wiki.test.raw (CRLF, 1290547 bytes)" or "text:fnv1a64:<hex>"
    std::string family;   // e.g. "wikitext-2-raw test"; empty when unknown
};

// FNV-1a 64 over bytes (the fingerprint used above).
uint64_t fnv1a64(const void * data, size_t n, uint64_t h = 0xcbf29ce484222325ull);

ppl_text_id ppl_text_identify(const std::string & text_bytes);
ppl_text_id ppl_tokens_identify(const std::vector<int32_t> & tokens);   // the ids as a token-id file holds them

// What the verdict looks at.
struct ppl_subject {
    std::string arch;
    int32_t n_layer = 0, n_embd = 0, n_vocab = 0;
    int64_t n_params = 0;                 // total elements of all tensors
    ppl_text_id text;
    int32_t n_ctx = 0;
    int64_t n_chunks = 0;
    bool score_from_half_minus_one = false;
    double ppl = 0;
};

// A row of the table.
struct ppl_known {
    const char * model;         // e.g. "Gemma-4-12B (bf16 checkpoint)"
    const char * arch;
    int32_t n_layer, n_embd, n_vocab;
    const char * text;          // exact id or family
    int32_t n_ctx;
    int64_t n_chunks;
    bool score_from_half_minus_one;
    double value;
    const char * confidence;    // how far the value itself can be trusted: "high" / "medium"
    const char * source;
};

const std::vector<ppl_known> & ppl_known_table();

struct ppl_verdict {
    // "ok", "degraded", "broken", "suspiciously_low" (table);
    // "plausible", "suspicious", "broken", "suspiciously_low" (band);
    // "broken" or "unknown" (no basis but the vocabulary).
    std::string status;
    std::string confidence;     // "high", "medium", "low", "none"
    std::string basis;          // "table", "band", "vocab", "none"
    std::string message;        // one or two sentences for the user
    const ppl_known * known = nullptr;
    bool protocol_exact = true; // table: false when only the scoring start differs by one
    double ratio = 0;           // ppl / known value (table)
    double band_lo = 0, band_hi = 0;
};

ppl_verdict ppl_judge(const ppl_subject & s);

// Total elements of all tensors of a GGUF (the parameter count).
int64_t gguf_param_count(const gguf_model & model);

nlohmann::json ppl_verdict_json(const ppl_verdict & v);
std::string ppl_verdict_text(const ppl_verdict & v);

// The whole ppl report: ppl_result_json's fields plus, when given,
// "what_if" (what_if_json), "verdict" (ppl_verdict_json), "reference" (a
// description) and "findings" (check/inspect.h's findings_to_json).
std::string ppl_report_json(const ppl_result & r, const what_if_result * what_if, const ppl_verdict * verdict,
                            const finding_list & findings, const std::string & reference, int indent = 2);

} // namespace gc
