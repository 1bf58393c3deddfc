// What-if runs: the candidate with one class of tensors taken from the
// reference ("would the model work if only its layer_output_scale were
// right?"), as the bug report did by hand (PPL 364 -> 97 when only the
// scalars were restored from the checkpoint).
//
// It is a composition, not a second forward: weight_source_redirect wraps
// the candidate's weight source and answers find/read_rows for the chosen
// names from the reference's source (both present the GGUF names and
// layout, see weights.h), everything else from the candidate. The unchanged
// forward then runs over the wrapper.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "forward/weights.h"
#include "model/model.h"

namespace gc {

// Every tensor name the recipe uses, once each, in recipe order.
std::vector<std::string> model_tensor_names(const model_desc & desc);

// The names of `desc` selected by a class spec. A spec is a comma-separated
// list of selectors:
//   "norms"   every RMSNorm weight (class ending in "norm": attn_norm,
//             ffn_norm, post_*_norm, attn_q_norm, attn_k_norm, output_norm)
//   "blk.N"   every tensor of layer N
//   "all"     every tensor
//   NAME      one tensor by its GGUF name (".weight" may be left out)
//   CLASS     a tensor class as model/hf-map.h's tensor_class names it
//             (layer_output_scale, attn_q, ffn_down, token_embd, ...)
// False with *error naming the selector when a selector matches nothing.
bool what_if_select(const model_desc & desc, const std::string & spec, std::vector<std::string> & names,
                    std::string * error);

// The outcome of a what-if run, for the report.
struct what_if_result {
    std::string spec;                    // the class as given
    std::vector<std::string> tensors;    // names taken from the reference
    std::vector<std::string> skipped;    // selected but absent/different in the reference
    double ppl = 0, ppl_err = 0;         // the candidate with those tensors swapped in
    double ppl_without = 0;              // the candidate as it is
    double ref_ppl = 0;                  // the reference (0 when not run)
};

// A weight source that serves `names` from `alt` and every other tensor from
// `base`. A name is redirected only when alt has it with the same shape
// (n_cols x n_rows); the others stay with base and are listed by
// skipped(). Both sources must outlive the wrapper. bytes_read() is the sum
// over both.
class weight_source_redirect final : public weight_source {
public:
    weight_source_redirect(weight_source & base, weight_source & alt, const std::vector<std::string> & names);

    const weight_tensor * find(const std::string & name) const override;
    bool read_rows(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) override;
    uint64_t bytes_read() const override { return base_.bytes_read() + alt_.bytes_read(); }

    const std::vector<std::string> & redirected() const { return redirected_; }
    const std::vector<std::string> & skipped() const { return skipped_; }

private:
    weight_source & base_;
    weight_source & alt_;
    std::set<std::string> from_alt_;
    std::vector<std::string> redirected_, skipped_;
};

} // namespace gc
