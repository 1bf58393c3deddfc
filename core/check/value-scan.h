// The value scan: every tensor of a GGUF streamed through the dequantizer
// (quant/tensor-stats.h), with min/max/mean/std, NaN/Inf/subnormal counts,
// all-zero blocks and blocks with zero or non-finite scales. It reads the
// whole file, so it is a separate, explicit step (`ggufcheck dequant
// --stats`, the page's "scan values" button). NaN or Inf anywhere is an
// error finding naming the tensor.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/finding.h"
#include "format/gguf.h"
#include "io/byte-source.h"
#include "quant/dequant-rows.h"
#include "quant/tensor-stats.h"

namespace gc {

struct value_scan_row {
    std::string name, type, shape;   // shape "ne0 x ne1 ...", "scalar" for 0-D
    uint32_t type_id = 0;
    bool scanned = false;            // false: skipped, `reason` says why
    std::string reason;
    tensor_stats stats;
};

struct value_scan_result {
    std::vector<value_scan_row> rows;    // file order
    finding_list findings;               // "nonfinite_values", "nonfinite_scales"
    std::string kernel;                  // "scalar" or the fast path's ISA
    bool poisoned = false;               // any NaN/Inf value or non-finite scale
    bool cancelled = false;
};

// Progress: tensor bytes done / total, the tensor being read; return false
// to cancel (the rows so far are kept, `cancelled` is set).
using value_scan_progress = std::function<bool(uint64_t done, uint64_t total, const std::string & tensor)>;

value_scan_result value_scan(file_set & files, const gguf_model & model, const dequant_options & opt = {},
                             const value_scan_progress & progress = {});

// {"kernel", "tensors": [{name, type, type_id, shape, count, finite, min,
//  max, mean, std (null when nothing is finite), nan, inf, subnormal, blocks,
//  zero_blocks, scale_blocks, scale_zero_blocks, scale_nonfinite_blocks}],
//  "skipped": [{name, type_id, type, reason}], "findings": [...]}
nlohmann::json value_scan_json(const value_scan_result & r);

} // namespace gc
