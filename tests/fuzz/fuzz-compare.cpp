// Fuzz target: the weight check. The candidate is the fuzzed GGUF; the
// reference is tests/fuzz/compare-ref.gguf, a tiny llama-named model written
// by tests/fuzz/make-corpus.mjs (F32 weights; its candidate seeds are the
// same model re-typed, damaged, truncated or with layers swapped).
// Quick (sampled) mode is chosen by the input length's parity, so both the
// full and the sampled paths are reached.
#include <memory>
#include <string>
#include <vector>

#include "check/compare.h"
#include "check/inspect.h"
#include "format/gguf.h"
#include "forward/weights.h"
#include "fuzz-targets.h"
#include "io/byte-source.h"

namespace gc_fuzz {

namespace {

struct compare_reference {
    gc::file_set files;
    gc::gguf_model model;
    std::unique_ptr<gc::weight_source> weights;
};

compare_reference & reference_get() {
    static compare_reference * ref = [] {
        auto * r = new compare_reference;
        std::string error;
        auto src = gc::byte_source_open_file(std::string(GC_FIXTURES) + "/../fuzz/compare-ref.gguf", &error);
        if (!src) {
            std::fprintf(stderr, "fuzz-compare: %s\n", error.c_str());
            fuzz_fail("cannot open tests/fuzz/compare-ref.gguf");
        }
        r->files.push_back(std::move(src));
        r->model = gc::gguf_load(r->files);
        if (!r->model.usable || gc::findings_have_errors(r->model.findings)) fuzz_fail("compare-ref.gguf is not a clean GGUF");
        r->weights = gc::weight_source_gguf(r->model, r->files);
        return r;
    }();
    return *ref;
}

} // namespace

int fuzz_compare(const uint8_t * data, size_t size) {
    compare_reference & ref = reference_get();
    gc::file_set files;
    files.push_back(gc::byte_source_from_memory(std::vector<uint8_t>(data, data + size), "candidate.gguf"));
    const gc::gguf_model cand = gc::gguf_load(files);
    if (!cand.usable) return 0;
    std::vector<std::string> names;
    for (const auto & t : cand.tensors) names.push_back(t.info->name);
    auto cand_weights = gc::weight_source_gguf(cand, files);

    gc::compare_options opt;
    opt.quick = size & 1;
    opt.quick_min_rows = 2;
    opt.block_bytes = 256;      // many row blocks even for tiny tensors
    gc::compare_report report = gc::compare_weights(*cand_weights, *ref.weights, names, opt);
    gc::compare_add_input_findings(report, cand.findings, ref.model.findings);
    if (report.verdict.empty()) fuzz_fail("compare report without a verdict");
    (void) gc::json_dump(gc::compare_to_json(report), 1);
    (void) gc::compare_exit_code(report);
    return 0;
}

} // namespace gc_fuzz

GC_FUZZ_ENTRY(fuzz_compare)
