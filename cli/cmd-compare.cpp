// ggufcheck compare CAND... [--ref REF...] [--quick] [-t N] [--stats] [--json]
// Without --ref: the reference-free check of the weights alone.
// Exit: 0 healthy (or suspicious / reference mismatch), 3 damaged, 1 unusable input.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "check/compare.h"
#include "check/inspect.h"
#include "check/reference.h"
#include "check/selfcheck.h"
#include "commands.h"
#include "open-files.h"

namespace {

const char * k_usage = "usage: ggufcheck compare CAND.gguf... [--ref REF...] [--quick] [-t N] [--stats] [--json]\n"
                       "  REF: a reference GGUF (F32/F16/BF16/Q8_0) or the Hugging Face files (a folder, or config.json + *.safetensors)\n"
                       "  without --ref: statistics of the weights alone (weaker)\n"
                       "  -t, --threads N: worker threads of the scan (default: the hardware concurrency); the numbers do not depend on it\n"
                       "  --stats: where the scan's time went, on stderr (benchmarks)\n";

void print_text(const gc::compare_report & r, const gc::reference_model & ref) {
    std::printf("reference: %s\n\n", ref.description.c_str());
    std::printf("%-34s %-8s %-6s %10s %10s %10s %9s  %s\n", "tensor", "type", "ref", "cos", "row mean", "row min", "rel rmse", "status");
    for (const auto & t : r.tensors) {
        if (t.status == gc::weight_status::skipped) {
            std::printf("%-34s %-8s %-6s %10s %10s %10s %9s  skipped: %s\n", t.name.c_str(), t.type.c_str(), t.ref_type.c_str(), "", "", "", "", t.note.c_str());
            continue;
        }
        std::printf("%-34s %-8s %-6s %10.6f %10.6f %10.6f %9.2e  %s%s%s\n", t.name.c_str(), t.type.c_str(), t.ref_type.c_str(), t.cos,
                    t.cos_row_mean, t.cos_row_min, t.rel_rmse, gc::weight_status_name(t.status), t.note.empty() ? "" : ": ", t.note.c_str());
    }
    std::printf("\n%-6s %10s %10s  %-34s %s\n", "layer", "cos min", "cos mean", "worst tensor", "status");
    for (const auto & l : r.layers) {
        std::printf("%-6d %10.6f %10.6f  %-34s %s\n", l.layer, l.cos_min, l.cos_mean, l.worst_tensor.c_str(), gc::weight_status_name(l.status));
    }
    std::printf("\n");
    for (const auto & f : r.findings) std::printf("[%s] %s: %s\n", gc::severity_name(f.level), f.code.c_str(), f.message.c_str());
    std::printf("verdict: %s. %s\n", r.verdict.c_str(), r.summary.c_str());
}

} // namespace

int cmd_compare(int argc, char ** argv) {
    std::vector<std::string> cand_paths, ref_paths;
    gc::compare_options opt;
    gc::compare_scan_stats stats;
    bool as_json = false, in_ref = false, print_stats = false;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") as_json = true;
        else if (a == "--quick") opt.quick = true;
        else if (a == "--stats") print_stats = true;
        else if (a == "-t" || a == "--threads") {
            if (!parse_threads("compare", argc, argv, i, opt.n_threads)) return 1;
            ++i;
        }
        else if (a == "--ref") in_ref = true;
        else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "compare: unknown option %s\n%s", a.c_str(), k_usage);
            return 1;
        } else (in_ref ? ref_paths : cand_paths).push_back(a);
    }
    if (cand_paths.empty() || (in_ref && ref_paths.empty())) {
        std::fputs(k_usage, stderr);
        return 1;
    }
    std::string error;
    gc::file_set cand_files, ref_files;
    if (!open_paths(cand_paths, cand_files, &error) || (!ref_paths.empty() && !open_paths(ref_paths, ref_files, &error))) {
        std::fprintf(stderr, "compare: %s\n", error.c_str());
        return 1;
    }
    const gc::gguf_model cand = gc::gguf_load(cand_files);
    if (!cand.usable) {
        std::fprintf(stderr, "compare: the candidate cannot be read as GGUF\n");
        for (const auto & f : cand.findings) std::fprintf(stderr, "  %s\n", f.message.c_str());
        return 1;
    }
    std::vector<std::string> names;
    for (const auto & t : cand.tensors) names.push_back(t.info->name);
    auto cand_weights = gc::weight_source_gguf(cand, cand_files);
    if (ref_paths.empty()) {
        gc::self_check_report report = gc::self_check(*cand_weights, names, opt);
        report.findings.insert(report.findings.begin(), cand.findings.begin(), cand.findings.end());
        if (gc::findings_have_errors(cand.findings)) report.verdict = "damaged";
        if (as_json) {
            std::printf("%s\n", gc::json_dump(gc::self_check_to_json(report), 1).c_str());
        } else {
            for (const auto & t : report.tensors) {
                std::printf("%-34s %-8s rms %-10.4g max %-10.4g kurt %-8.3g %s%s%s\n", t.name.c_str(), t.type.c_str(), t.rms, t.max_abs,
                            t.kurtosis, gc::weight_status_name(t.status), t.note.empty() ? "" : ": ", t.note.c_str());
            }
            for (const auto & f : report.findings) std::printf("[%s] %s: %s\n", gc::severity_name(f.level), f.code.c_str(), f.message.c_str());
            std::printf("verdict: %s. %s\n", report.verdict.c_str(), report.summary.c_str());
        }
        return report.verdict == "damaged" ? 3 : 0;
    }
    gc::reference_model ref;
    if (!gc::reference_open(ref_files, cand.architecture(), ref, &error)) {
        std::fprintf(stderr, "compare: %s\n", error.c_str());
        for (const auto & f : ref.findings) std::fprintf(stderr, "  %s\n", f.message.c_str());
        return 1;
    }
    // Both GGUF sides are read raw by this thread and decoded by the workers.
    opt.cand_gguf_files = &cand_files;
    opt.ref_gguf_files = ref.kind == "gguf" ? &ref_files : nullptr;
    if (print_stats) opt.stats = &stats;
    gc::compare_report report = gc::compare_weights(*cand_weights, *ref.weights, names, opt);
    if (print_stats) {
        std::fprintf(stderr, "scan: %d thread(s), %llu batches, %.3f s wall; reads %.3f s (calling thread), decode + sums %.3f s "
                             "(all workers), fold %.3f s; %.1f MB/s of both files\n",
                     stats.threads, (unsigned long long) stats.batches, stats.wall_s, stats.read_s, stats.compute_s, stats.fold_s,
                     stats.wall_s > 0 ? (double) report.bytes_read / 1e6 / stats.wall_s : 0.0);
    }
    gc::compare_add_input_findings(report, cand.findings, ref.findings);
    if (as_json) {
        nlohmann::json j = gc::compare_to_json(report);
        j["reference"] = ref.description;
        std::printf("%s\n", gc::json_dump(j, 1).c_str());
    } else {
        print_text(report, ref);
    }
    return gc::compare_exit_code(report);
}
