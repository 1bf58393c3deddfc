// ggufcheck report CAND... [--ref REF...] [--quick] [-t N] [--sha256] [--ppl-json FILE] [--json]
// One Markdown report for an issue tracker: inspect + weight check (against
// the reference, or reference-free) + optionally the JSON of a `ggufcheck ppl
// --json` run. --json prints the combined JSON instead.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "args.h"
#include "check/compare.h"
#include "check/inspect.h"
#include "check/reference.h"
#include "check/report-md.h"
#include "check/selfcheck.h"
#include "commands.h"
#include "io/sha256.h"
#include "open-files.h"

int cmd_report(int argc, char ** argv) {
    const char * usage = "usage: ggufcheck report CAND... [--ref REF...] [--quick] [-t N] [--sha256] [--ppl-json FILE] [--json]\n"
                        "  -t, --threads N: worker threads of the weight check (default: the hardware concurrency)\n";
    std::vector<std::string> cand_paths, ref_paths;
    std::string ppl_path;
    gc::compare_options opt;
    bool as_json = false, hashes = false, in_ref = false;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") as_json = true;
        else if (a == "-t" || a == "--threads") {
            if (!parse_threads("report", argc, argv, i, opt.n_threads)) return 1;
            ++i;
        }
        else if (a == "--quick") opt.quick = true;
        else if (a == "--sha256") hashes = true;
        else if (a == "--ref") in_ref = true;
        else if (a == "--ppl-json" && i + 1 < argc) ppl_path = argv[++i];
        else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "report: unknown option %s\n%s", a.c_str(), usage);
            return 1;
        } else (in_ref ? ref_paths : cand_paths).push_back(a);
    }
    if (cand_paths.empty()) {
        std::fputs(usage, stderr);
        return 1;
    }
    std::string error;
    gc::file_set cand_files, ref_files;
    if (!open_paths(cand_paths, cand_files, &error) || (!ref_paths.empty() && !open_paths(ref_paths, ref_files, &error))) {
        std::fprintf(stderr, "report: %s\n", error.c_str());
        return 1;
    }
    gc::report_inputs in;
    const gc::gguf_model cand = gc::gguf_load(cand_files);
    in.inspect = gc::inspect_report(cand);
    for (auto * set : { &cand_files, &ref_files }) {
        for (auto & f : *set) {
            in.files.push_back({ set == &cand_files ? "candidate" : "reference", f->name(), f->size(), hashes ? gc::sha256_of_source(*f) : "" });
        }
    }
    if (cand.usable) {
        auto cw = gc::weight_source_gguf(cand, cand_files);
        std::vector<std::string> names;
        for (const auto & t : cand.tensors) names.push_back(t.info->name);
        gc::reference_model ref;
        if (!ref_paths.empty()) {
            if (!gc::reference_open(ref_files, cand.architecture(), ref, &error)) {
                std::fprintf(stderr, "report: %s\n", error.c_str());
                return 1;
            }
            opt.cand_gguf_files = &cand_files;   // GGUF sides: raw reads here, decoding on the workers
            opt.ref_gguf_files = ref.kind == "gguf" ? &ref_files : nullptr;
            gc::compare_report r = gc::compare_weights(*cw, *ref.weights, names, opt);
            gc::compare_add_input_findings(r, {}, ref.findings);
            in.weights = gc::compare_to_json(r);
            in.weights["reference"] = ref.description;
        } else {
            in.weights = gc::self_check_to_json(gc::self_check(*cw, names, opt));
        }
    }
    if (!ppl_path.empty()) {
        std::ifstream f(ppl_path);
        in.ppl = nlohmann::json::parse(f, nullptr, false);
        if (in.ppl.is_discarded()) {
            std::fprintf(stderr, "report: %s is not JSON\n", ppl_path.c_str());
            return 1;
        }
    }
    if (as_json) {
        nlohmann::json j{ { "inspect", in.inspect }, { "weights", in.weights }, { "ppl", in.ppl } };
        std::printf("%s\n", gc::json_dump(j, 1).c_str());
    } else {
        std::fputs(gc::report_markdown(in).c_str(), stdout);
    }
    if (!cand.usable) return 1;
    if (in.weights.is_object() && in.weights.value("verdict", "") == "damaged") return 3;
    return gc::findings_have_errors(cand.findings) ? 2 : 0;
}
