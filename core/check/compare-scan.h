// The weight check's scan: every compared row of every tensor pair, both
// sides, streamed in batches of row blocks and folded into one agreement
// (metrics/agreement.h) per tensor.
//
// Threads contract: only the calling thread reads (byte sources, weight
// sources) and calls opt.progress; pool workers only decode and sum bytes
// already in memory. The calling thread fills batch k+1 (reads the raw bytes
// of both files) while it and the workers compute batch k: inside
// parallel_for the first index the calling thread runs starts with that read.
//
// Determinism: a batch is split into items of whole rows (or, for rows longer
// than AGREEMENT_SEGMENT on raw sides, single segments); each item writes the
// sums of its own (row, segment) pieces, and the calling thread folds them in
// data order after each batch. Since the summation order is defined by element
// positions only (agreement.h), the results are bit-identical for every
// thread count, batch size and side mode (raw or decoded).
//
// Memory: two batches of about block_bytes of buffer per side (4 MiB by
// default, whatever the thread count; at least one row or segment), in the
// file's encoding on raw sides (f32 on decoded ones), so a quantized file is
// read in reads of about block_bytes too; plus two segments of f32 per
// worker (2 * min(AGREEMENT_SEGMENT, longest raw row) floats); never a whole
// tensor (unless one row of a decoded side is larger than a batch). Items
// hold whole rows up to block_bytes / 4 / (2 * threads) elements (at least one row),
// so every worker gets work.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "check/compare.h"
#include "metrics/agreement.h"

namespace gc {

struct compare_scan_job {
    std::string name;                                  // for progress
    const weight_tensor * a = nullptr;                 // candidate
    const weight_tensor * b = nullptr;                 // reference: same n_cols, at least as many rows
    std::vector<std::pair<int64_t, int64_t>> spans;    // row ranges [r0, r1) to compare, ascending
};

struct compare_scan_result {
    agreement acc;
    bool ok = true;
    std::string error;             // when !ok: the first read error
    float a0 = 0.0f, b0 = 0.0f;    // element 0 of both sides (when row 0 was compared)
};

// One side: its weight source and, when that source is weight_source_gguf
// over `gguf_files`, those files. Tensors of a side with files are read raw
// (the calling thread reads their bytes, workers decode them with the type
// table's kernel, exactly as weight_source_gguf::read_rows would); without
// files (a Hugging Face reference: transforms, generated tensors) the calling
// thread gets f32 rows from weights->read_rows and workers only sum.
struct compare_scan_side {
    weight_source * weights = nullptr;
    file_set * gguf_files = nullptr;
};

// Runs the scan of `jobs` into `out` (same order) with opt's threads.
// opt.progress(done, total, job name) is called after every batch, done
// counting row_bytes of both sides per row scanned. `raw_bytes` is
// increased by the bytes read raw (weight sources count their own reads).
// False when opt.progress cancelled (out is then incomplete).
bool compare_scan(const compare_scan_side & cand, const compare_scan_side & ref, const std::vector<compare_scan_job> & jobs,
                  const compare_options & opt, uint64_t total, std::vector<compare_scan_result> & out, uint64_t & raw_bytes);

} // namespace gc
