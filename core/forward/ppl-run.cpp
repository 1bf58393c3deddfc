// Shared ppl wiring (see ppl-run.h).
#include "forward/ppl-run.h"

namespace gc {

bool ppl_reference_desc(const model_desc & cand, reference_model & ref, model_desc & out, std::string * error) {
    for (const auto & f : ref.findings) {
        if (f.level == severity::error) {
            if (error) *error = f.message;
            return false;
        }
    }
    if (ref.kind == "gguf") return model_desc_from_gguf(ref.gguf, out, error);
    model_desc_for_hf(cand, ref.hf, out, ref.findings);
    return true;
}

int32_t ppl_bos_id(const tokenizer_load_result & tl) {
    if (!tl.tok) return -1;
    return tl.tok->add_bos() && tl.tok->bos() >= 0 ? tl.tok->bos() : -2;
}

std::vector<int32_t> ppl_tokenize_text(const tokenizer & tok, const std::string & text) {
    return tok.tokenize(text, true, false);
}

ppl_verdict ppl_judge_run(const model_desc & cand, const gguf_model & cand_gguf, const ppl_text_id & text,
                          const ppl_options & opt, const ppl_result & result) {
    ppl_subject subj;
    subj.arch = cand.arch;
    subj.n_layer = (int32_t) cand.layers.size();
    subj.n_embd = cand.n_embd;
    subj.n_vocab = cand.n_vocab;
    subj.n_params = gguf_param_count(cand_gguf);
    subj.text = text;
    subj.n_ctx = result.n_ctx;
    subj.n_chunks = result.n_chunks;
    subj.score_from_half_minus_one = opt.score_from_half_minus_one;
    subj.ppl = result.ppl;
    return ppl_judge(subj);
}

} // namespace gc
