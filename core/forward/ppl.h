// Perplexity with llama-perplexity's protocol, and the same run against a
// reference model (KL divergence, Δp, top-1 agreement, per-layer hidden-state
// cosines), on the streaming forward.
//
// Protocol (tools/perplexity/perplexity.cpp):
//  - the token stream is cut into consecutive chunks of n_ctx tokens (the
//    tail that does not fill a chunk is dropped); chunk k = tokens[k n_ctx,
//    (k+1) n_ctx); token 0 of each chunk is overwritten with BOS when the
//    vocab adds BOS; positions restart at 0 in each chunk;
//  - positions first .. n_ctx-2 are scored against the next token, with
//    first = n_ctx/2 (n_ctx - 1 - first tokens per chunk); the bug report's
//    variant starts at n_ctx/2 - 1 (score_from_half_minus_one);
//  - NLL = -(logit[target] - log sum exp(logits)), PPL = exp(mean NLL),
//    ± and the cumulative [k] values as in metrics/nll.h.
//
// Chunks are evaluated in batches: for each batch, every layer is streamed
// once through all its chunks; the head is streamed in vocab tiles with an
// online log-sum-exp per scored token, so full-vocabulary logits are never
// held. With a reference, both models run the same layer loop in lockstep.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "forward/forward.h"
#include "forward/weights.h"
#include "metrics/kld.h"
#include "model/model.h"

namespace gc {

class thread_pool;

struct ppl_model {
    const model_desc * desc = nullptr;
    weight_source * weights = nullptr;
};

struct ppl_progress {
    int64_t batch = 0, n_batches = 0;        // batch being evaluated
    int32_t layer = 0, n_layers = 0;         // layer just finished (n_layers = head)
    int64_t chunks_done = 0, n_chunks = 0;
};

struct ppl_options {
    int32_t n_ctx = 512;
    int64_t max_chunks = -1;                 // < 0: all
    int32_t batch_chunks = 0;                // chunks per batch; 0: from the memory budget
    int64_t activation_budget = 256ll << 20; // bytes, when batch_chunks == 0
    bool score_from_half_minus_one = false;
    // Token written over position 0 of every chunk; -1: the model
    // description's choice (desc.add_bos / desc.bos_id); -2: never.
    int32_t bos_id = -1;
    std::function<void(const ppl_progress &)> progress;
    // Threads: <= 0: the hardware concurrency. The numbers do not depend on
    // it (bit-identical for any count, tests/native/test-threads.cpp).
    int32_t n_threads = 0;
    // A pool to run on instead of one made from n_threads (the browser keeps
    // one for the session: its threads are web workers that start slowly).
    thread_pool * pool = nullptr;
    // f32 elements per weight tile; 0: the forward's default (1 MiB).
    int64_t tile_floats = 0;
    // Arithmetic of the products (forward/forward.h): f32 (the default, the
    // engine-independent numbers) or ggml (llama.cpp's CPU rounding: 8-bit
    // activations, faster). Applies to the reference model too.
    activation_mode activations = activation_mode::f32;
};

struct layer_cosine {
    double mean = 0.0;   // mean over tokens of the row-wise cosine
    double min = 1.0;
};

struct ppl_result {
    int32_t n_ctx = 0;
    int64_t n_chunks = 0;
    int64_t n_scored = 0;
    double ppl = 0, ppl_err = 0, nll_mean = 0;
    std::vector<double> cumulative;          // [k] = PPL over chunks 1..k+1
    std::vector<double> chunk_ppl;           // PPL of each chunk alone

    bool has_ref = false;
    double ref_ppl = 0, ref_ppl_err = 0;
    std::vector<double> ref_cumulative;
    kld_summary kld;
    std::vector<layer_cosine> hidden_cos;    // per layer; empty when the layer shapes differ
    uint64_t bytes_read = 0;                 // candidate tensor bytes read
    // Candidate's seconds, summed over workers: reading + dequantizing
    // weight tiles, and the tile GEMMs (for the benchmark).
    double read_seconds = 0, gemm_seconds = 0;
    int32_t n_threads = 1;                   // workers used
    activation_mode activations = activation_mode::f32;
};

// Runs the evaluation. ref may be nullptr. The token stream must hold at
// least one chunk. False with *error set on any failure (bad token id,
// unreadable tensor, models that cannot be compared, ...).
bool ppl_evaluate(const ppl_model & cand, const ppl_model * ref, const std::vector<int32_t> & tokens,
                  const ppl_options & opt, ppl_result & out, std::string * error);

// Reads a token-id file: int32 little-endian ids, nothing else.
bool ppl_read_token_file(byte_source & src, std::vector<int32_t> & tokens, std::string * error);

} // namespace gc
