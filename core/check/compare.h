// Weight check: every candidate tensor against the same tensor of the
// reference (a HF checkpoint through weight_source_hf, or a reference GGUF),
// streamed in row blocks, with per-tensor and per-layer agreement, statuses
// against each type's expected noise, a diagnosis and a verdict.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/finding.h"
#include "check/quant-bands.h"
#include "forward/weights.h"

namespace gc {

class thread_pool;

// Where the scan's time went (compare_options::stats; benchmarks only).
// Worker times are summed over workers.
struct compare_scan_stats {
    int32_t threads = 1;
    uint64_t batches = 0;
    double wall_s = 0;        // the whole scan
    double read_s = 0;        // calling thread: reads (raw bytes, or read_rows of decoded sides)
    double compute_s = 0;     // workers: dequantizing raw bytes + the agreement sums (timed per item)
    double fold_s = 0;        // calling thread: folding the batches' sums in order
};

struct compare_options {
    bool quick = false;                   // sample rows instead of reading everything
    double quick_fraction = 0.02;         // share of each tensor's rows read in quick mode
    int64_t quick_min_rows = 64;          // ... but at least this many (or all)
    size_t block_bytes = 4u << 20;        // buffer bytes per row block and side: raw on GGUF sides, f32 on decoded ones (compare-scan.h)
    // Threads (compare-scan.h): `pool` when set (the caller's, shared),
    // else n_threads workers made for the call (<= 0: thread_count_default()).
    // No number depends on it: the JSON is bit-identical for every count.
    thread_pool * pool = nullptr;
    int32_t n_threads = 0;
    // The files each side's weight_source was opened over, when it is
    // weight_source_gguf(model, *files): its tensors are then read raw by
    // the calling thread and decoded by the workers. Leave nullptr for any
    // other source (a Hugging Face reference, a what-if source): its rows
    // come from read_rows on the calling thread. Same numbers either way.
    file_set * cand_gguf_files = nullptr;
    file_set * ref_gguf_files = nullptr;
    compare_scan_stats * stats = nullptr;  // filled when set
    // Progress: bytes of both sides done / total, the tensor being read.
    // Return false to cancel.
    std::function<bool(uint64_t done, uint64_t total, const std::string & tensor)> progress;
};

// The pool a check runs on: opt.pool, else a pool of opt.n_threads made into
// `own` (nullptr, i.e. the calling thread alone, when that is one thread).
thread_pool * compare_pool(const compare_options & opt, std::unique_ptr<thread_pool> & own);

struct tensor_agreement_result {
    std::string name;                     // GGUF name (the candidate's)
    std::string ref_name;                 // as found in the reference source (GGUF name space)
    std::string type;                     // candidate storage type
    std::string ref_type;
    int32_t layer = -1;
    std::string cls;                      // tensor class ("attn_q", "layer_output_scale", ...)
    uint64_t n_elements = 0;              // elements compared
    int64_t rows_total = 0, rows_compared = 0;
    double cos = 1, cos_row_mean = 1, cos_row_min = 1, rel_rmse = 0, max_abs = 0;
    double cos_row_mean_err = 0;          // quick mode: ~95 % bound of cos_row_mean's sampling error
    std::optional<bool> bit_exact;        // 1-D tensors
    std::optional<double> value, ref_value;  // 1-element tensors (scalars)
    uint64_t nonfinite = 0;
    std::vector<uint64_t> row_hist;       // matrices: metrics/agreement.h's row-cosine bins
    double band_ratio = 0;                // (1 - cos) / typical error of the type
    weight_status status = weight_status::skipped;
    std::string note;
};

struct layer_agreement_result {
    int32_t layer = 0;
    double cos_min = 1, cos_mean = 1;
    std::string worst_tensor;
    double worst_ratio = 0;
    weight_status status = weight_status::healthy;
};

struct compare_report {
    std::vector<tensor_agreement_result> tensors;
    std::vector<layer_agreement_result> layers;
    finding_list findings;
    std::string verdict;                  // "healthy", "suspicious", "damaged", "reference_mismatch", "cancelled"
    std::string summary;                  // one sentence for people
    bool quick = false;
    uint64_t bytes_read = 0;
};

// Compares every tensor of `cand_names` (the candidate's tensor names in file
// order) found in both sources. Tensors of unknown types are skipped with a
// finding; tensors missing from the reference are listed.
compare_report compare_weights(weight_source & cand, weight_source & ref, const std::vector<std::string> & cand_names,
                               const compare_options & opt);

// Puts the readers' findings of both inputs in front of the report's and
// makes the verdict "damaged" when the candidate file itself has error
// findings (truncated, overlapping, ...): its weights cannot all be right.
void compare_add_input_findings(compare_report & r, const finding_list & cand, const finding_list & ref);

nlohmann::json compare_to_json(const compare_report & r);

// Exit code of `ggufcheck compare`: 0 healthy (or only suspicious), 3 damaged.
int compare_exit_code(const compare_report & r);

} // namespace gc
