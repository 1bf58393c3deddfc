// ggufcheck ppl MODEL... (-f TEXT | --tokens FILE) [-c 512] [--chunks N]
//                [--ref REF... [--what-if CLASS]] [--batch-chunks N]
//                [--score-from-half-minus-one] [-t N | --threads N]
//                [--activations f32|ggml] [--json]
//
// MODEL... and REF... are the files of one model each (a single GGUF or the
// parts of a split set, or a Hugging Face folder / its files for REF). Text
// mode prints llama-perplexity-style lines. --what-if CLASS re-runs the
// candidate with the tensors of CLASS (forward/what-if.h) taken from the
// reference. Without a reference the PPL is judged against known values
// (check/ppl-verdict.h).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "check/ppl-verdict.h"
#include "check/reference.h"
#include "args.h"
#include "commands.h"
#include "open-files.h"
#include "forward/ppl-report.h"
#include "forward/ppl.h"
#include "forward/ppl-run.h"
#include "forward/what-if.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace {

const char * k_usage =
    "usage: ggufcheck ppl MODEL... (-f TEXT | --tokens FILE) [-c 512] [--chunks N] [--ref REF...]\n"
    "                     [--what-if CLASS] [--batch-chunks N] [--score-from-half-minus-one] [-t N]\n"
    "                     [--activations f32|ggml] [--json]\n"
    "  -t, --threads N: worker threads (default: the hardware concurrency); the numbers do not depend on it\n"
    "  --activations ggml: llama.cpp's CPU arithmetic (8-bit activations, faster); f32 (default): exact f32 products\n"
    "  CLASS: a tensor class (layer_output_scale, attn_q, ...), norms, blk.N, all; comma-separated\n";


// One model opened from its files: sources, parsed GGUF, description, weights.
struct opened_model {
    gc::file_set files;
    gc::gguf_model gguf;
    gc::model_desc desc;
    std::unique_ptr<gc::weight_source> weights;
};

bool open_model(const std::vector<std::string> & paths, opened_model & m, std::string & error) {
    if (!open_paths(paths, m.files, &error)) return false;
    m.gguf = gc::gguf_load(m.files);
    if (!m.gguf.usable) {
        error = "cannot read " + paths[0] + " as GGUF";
        for (const auto & f : m.gguf.findings) error += "\n  " + f.message;
        return false;
    }
    if (!gc::model_desc_from_gguf(m.gguf, m.desc, &error)) return false;
    m.weights = gc::weight_source_gguf(m.gguf, m.files);
    return true;
}

// The reference: a GGUF (its own description) or a Hugging Face checkpoint
// (a folder or its files), presented in GGUF names and layout by
// check/reference.h and run through the candidate's recipe.
struct opened_reference {
    gc::file_set files;
    gc::reference_model ref;
    gc::model_desc desc;
};

bool open_reference(const std::vector<std::string> & paths, const opened_model & cand, opened_reference & r,
                    std::string & error) {
    if (!open_paths(paths, r.files, &error)) return false;
    if (!gc::reference_open(r.files, cand.desc.arch, r.ref, &error)) {
        for (const auto & f : r.ref.findings) error += "\n  " + f.message;
        return false;
    }
    // A GGUF's own description, or the candidate's recipe with the config's
    // hyper-parameters (each disagreement is a finding); shared with the page.
    return gc::ppl_reference_desc(cand.desc, r.ref, r.desc, &error);
}

} // namespace

int cmd_ppl(int argc, char ** argv) {
    std::vector<std::string> model_paths, ref_paths;
    std::string text_path, tokens_path, what_if;
    gc::ppl_options opt;
    bool as_json = false;
    bool in_ref = false;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char * what) -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "ppl: %s needs a value\n%s", what, k_usage);
                return nullptr;
            }
            return argv[++i];
        };
        long long v = 0;
        if (a == "--json") {
            as_json = true;
            in_ref = false;
        } else if (a == "-f" || a == "--file") {
            const char * s = value("-f");
            if (!s) return 1;
            text_path = s;
            in_ref = false;
        } else if (a == "--tokens") {
            const char * s = value("--tokens");
            if (!s) return 1;
            tokens_path = s;
            in_ref = false;
        } else if (a == "-c" || a == "--ctx-size") {
            const char * s = value("-c");
            if (!s || !parse_int(s, 4, 1 << 20, v)) {
                std::fprintf(stderr, "ppl: -c needs an integer in [4, 1048576]\n");
                return 1;
            }
            opt.n_ctx = (int32_t) v;
            in_ref = false;
        } else if (a == "--chunks") {
            const char * s = value("--chunks");
            if (!s || !parse_int(s, 0, 1ll << 40, v)) {
                std::fprintf(stderr, "ppl: --chunks needs a non-negative integer\n");
                return 1;
            }
            opt.max_chunks = v;
            in_ref = false;
        } else if (a == "--batch-chunks") {
            const char * s = value("--batch-chunks");
            if (!s || !parse_int(s, 1, 1 << 20, v)) {
                std::fprintf(stderr, "ppl: --batch-chunks needs a positive integer\n");
                return 1;
            }
            opt.batch_chunks = (int32_t) v;
            in_ref = false;
        } else if (a == "-t" || a == "--threads") {
            const char * s = value("-t");
            if (!s || !parse_int(s, 1, 256, v)) {
                std::fprintf(stderr, "ppl: -t needs an integer in [1, 256]\n");
                return 1;
            }
            opt.n_threads = (int32_t) v;
            in_ref = false;
        } else if (a == "--activations") {
            const char * s = value("--activations");
            if (!s) return 1;
            if (!gc::activation_mode_parse(s, &opt.activations)) {
                std::fprintf(stderr, "ppl: --activations needs f32 or ggml, got %s\n", s);
                return 1;
            }
            in_ref = false;
        } else if (a == "--score-from-half-minus-one") {
            opt.score_from_half_minus_one = true;
            in_ref = false;
        } else if (a == "--what-if") {
            const char * s = value("--what-if");
            if (!s) return 1;
            what_if = s;
            in_ref = false;
        } else if (a == "--ref") {
            in_ref = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "ppl: unknown option %s\n%s", a.c_str(), k_usage);
            return 1;
        } else if (in_ref) {
            ref_paths.push_back(a);
        } else {
            model_paths.push_back(a);
        }
    }
    if (model_paths.empty() || (text_path.empty() == tokens_path.empty())) {
        std::fprintf(stderr, "%s", k_usage);
        return 1;
    }
    if (!what_if.empty() && ref_paths.empty()) {
        std::fprintf(stderr, "ppl: --what-if needs a reference (--ref)\n");
        return 1;
    }

    opened_model cand;
    opened_reference ref;
    std::string error;
    if (!open_model(model_paths, cand, error)) {
        std::fprintf(stderr, "ppl: %s\n", error.c_str());
        return 1;
    }
    if (!ref_paths.empty() && !open_reference(ref_paths, cand, ref, error)) {
        std::fprintf(stderr, "ppl: reference: %s\n", error.c_str());
        return 1;
    }

    std::vector<int32_t> tokens;
    gc::ppl_text_id text_id;
    if (!tokens_path.empty()) {
        auto src = gc::byte_source_open_file(tokens_path, &error);
        if (!src || !gc::ppl_read_token_file(*src, tokens, &error)) {
            std::fprintf(stderr, "ppl: %s\n", error.c_str());
            return 1;
        }
    }

    // BOS comes from the model's tokenizer (llama.cpp's vocab rules); when no
    // tokenizer can be built, from the metadata keys the model description read.
    gc::tokenizer_load_result tl = gc::tokenizer_from_gguf(cand.gguf);
    opt.bos_id = gc::ppl_bos_id(tl);
    if (!text_path.empty()) {
        if (!tl.tok) {
            std::fprintf(stderr, "ppl: no tokenizer for this model's vocabulary; use --tokens FILE\n");
            for (const auto & f : tl.findings) std::fprintf(stderr, "  %s\n", f.message.c_str());
            return 1;
        }
        auto src = gc::byte_source_open_file(text_path, &error);
        if (!src) {
            std::fprintf(stderr, "ppl: %s\n", error.c_str());
            return 1;
        }
        if (src->size() > (uint64_t) 1 << 30) {
            std::fprintf(stderr, "ppl: %s is larger than 1 GiB\n", text_path.c_str());
            return 1;
        }
        std::string text((size_t) src->size(), '\0');
        if (!text.empty() && !src->read(0, text.data(), text.size())) {
            std::fprintf(stderr, "ppl: cannot read %s\n", text_path.c_str());
            return 1;
        }
        // As llama-perplexity (forward/ppl-run.h).
        tokens = gc::ppl_tokenize_text(*tl.tok, text);
        text_id = gc::ppl_text_identify(text);
    } else {
        text_id = gc::ppl_tokens_identify(tokens);
    }

    gc::ppl_model pc{ &cand.desc, cand.weights.get() };
    gc::ppl_model pr{ &ref.desc, ref.ref.weights.get() };
    const bool has_ref = !ref_paths.empty();
    for (const auto & f : ref.ref.findings) {
        if (f.code == "hparam_mismatch" || f.code == "no_config") {
            std::fprintf(stderr, "ppl: %s: %s\n", gc::severity_name(f.level), f.message.c_str());
        }
    }
    gc::ppl_result result;
    if (!gc::ppl_evaluate(pc, has_ref ? &pr : nullptr, tokens, opt, result, &error)) {
        std::fprintf(stderr, "ppl: %s\n", error.c_str());
        return 1;
    }

    // What-if: the same candidate with CLASS from the reference, run alone.
    std::unique_ptr<gc::what_if_result> wi;
    if (!what_if.empty()) {
        std::vector<std::string> names;
        if (!gc::what_if_select(cand.desc, what_if, names, &error)) {
            std::fprintf(stderr, "ppl: %s\n", error.c_str());
            return 1;
        }
        gc::weight_source_redirect swapped(*cand.weights, *ref.ref.weights, names);
        gc::ppl_model pw{ &cand.desc, &swapped };
        gc::ppl_result rw;
        if (!gc::ppl_evaluate(pw, nullptr, tokens, opt, rw, &error)) {
            std::fprintf(stderr, "ppl: what-if: %s\n", error.c_str());
            return 1;
        }
        wi = std::make_unique<gc::what_if_result>();
        wi->spec = what_if;
        wi->tensors = swapped.redirected();
        wi->skipped = swapped.skipped();
        wi->ppl = rw.ppl;
        wi->ppl_err = rw.ppl_err;
        wi->ppl_without = result.ppl;
        wi->ref_ppl = result.ref_ppl;
    }

    // Verdict from known values (the reference, when given, says more).
    const gc::ppl_verdict verdict = gc::ppl_judge_run(cand.desc, cand.gguf, text_id, opt, result);

    if (as_json) {
        std::printf("%s\n", gc::ppl_report_json(result, wi.get(), &verdict, ref.ref.findings,
                                                has_ref ? ref.ref.description : std::string()).c_str());
    } else {
        std::fputs(gc::ppl_result_text(result).c_str(), stdout);
        if (wi) std::fputs(gc::what_if_text(*wi).c_str(), stdout);
        std::fputs(gc::ppl_verdict_text(verdict).c_str(), stdout);
    }
    return 0;
}
