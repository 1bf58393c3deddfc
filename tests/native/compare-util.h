// Test helper: the weight check as `ggufcheck compare` runs it — candidate
// GGUF files against reference files, readers' findings in front, GGUF sides
// read raw (compare_options::*_gguf_files). `base` supplies the other
// options (threads, block size, ...); raw = false reads every side through
// weight_source::read_rows instead (same numbers).
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check/compare.h"
#include "check/reference.h"
#include "format/gguf.h"

namespace gc_test {

inline gc::compare_report compare_files(gc::file_set & cand_files, gc::file_set & ref_files, bool quick = false,
                                       const gc::compare_options & base = {}, bool raw = true) {
    const gc::gguf_model cand = gc::gguf_load(cand_files);
    EXPECT_TRUE(cand.usable);
    gc::reference_model ref;
    std::string err;
    EXPECT_TRUE(gc::reference_open(ref_files, cand.architecture(), ref, &err)) << err;
    auto cw = gc::weight_source_gguf(cand, cand_files);
    std::vector<std::string> names;
    for (const auto & t : cand.tensors) names.push_back(t.info->name);
    gc::compare_options opt = base;
    opt.quick = quick;
    opt.cand_gguf_files = raw ? &cand_files : nullptr;
    opt.ref_gguf_files = raw && ref.kind == "gguf" ? &ref_files : nullptr;
    gc::compare_report r = gc::compare_weights(*cw, *ref.weights, names, opt);
    gc::compare_add_input_findings(r, cand.findings, ref.findings);
    return r;
}

} // namespace gc_test
