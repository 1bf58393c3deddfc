// Markdown report (see report-md.h).
#include "check/report-md.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "check/integrity.h"

namespace gc {

using nlohmann::json;

namespace {

std::string num(const json & v, const char * f) {
    if (!v.is_number()) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v.get<double>());
    return buf;
}

std::string str(const json & o, const char * key) {
    return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

// Table cells must not break the table.
std::string cell(std::string s) {
    for (char & c : s) {
        if (c == '|') c = '/';
        if (c == '\n') c = ' ';
    }
    return s;
}

void findings_section(std::ostringstream & out, const json & list) {
    if (!list.is_array() || list.empty()) return;
    for (const auto & f : list) {
        out << "- **" << str(f, "severity") << "** `" << str(f, "code") << "`: " << cell(str(f, "message")) << "\n";
    }
}

} // namespace

std::string report_markdown(const report_inputs & in) {
    std::ostringstream out;
    out << "## " << in.tool << " report\n\n";

    // Verdict first: what a reader of the issue wants to know.
    if (in.weights.is_object()) {
        out << "**Weights: " << str(in.weights, "verdict") << ".** " << str(in.weights, "summary") << "\n\n";
    }
    if (in.ppl.is_object() && in.ppl.contains("ppl")) {
        out << "**Perplexity: " << num(in.ppl["ppl"], "%.4f") << " ± " << num(in.ppl["ppl_err"], "%.4f");
        if (in.ppl.contains("ref_ppl")) {
            out << "** (reference " << num(in.ppl["ref_ppl"], "%.4f") << ", ratio " << num(in.ppl["ppl_ratio"], "%.4f") << ")\n\n";
        } else {
            out << "**\n\n";
        }
    }

    if (!in.files.empty()) {
        out << "### Files\n\n| role | file | size | sha256 |\n|---|---|---|---|\n";
        for (const auto & f : in.files) {
            const std::string size = f.size < 1024 ? format_bytes(f.size) : format_bytes(f.size) + " (" + std::to_string(f.size) + " bytes)";
            out << "| " << f.role << " | " << cell(f.name) << " | " << size << " | "
                << (f.sha256.empty() ? "not computed" : "`" + f.sha256 + "`") << " |\n";
        }
        out << "\n";
    }

    if (in.inspect.is_object() && in.inspect.value("usable", false)) {
        const json & m = in.inspect;
        out << "### Model\n\n";
        out << "- architecture: `" << str(m, "architecture") << "`, name: " << cell(str(m, "name")) << "\n";
        out << "- GGUF v" << m.value("version", 0) << ", " << m.value("n_tensors", 0) << " tensors, "
            << m.value("n_params", (uint64_t) 0) << " parameters";
        if (m.contains("file_type")) out << ", file type " << str(m, "file_type");
        out << "\n\n| type | tensors | parameters | bytes | bits/weight |\n|---|---|---|---|---|\n";
        if (m.contains("type_census") && m["type_census"].is_object()) {
            for (const auto & [type, c] : m["type_census"].items()) {
                out << "| " << type << " | " << c.value("tensors", 0) << " | " << c.value("params", (uint64_t) 0) << " | "
                    << format_bytes(c.value("bytes", (uint64_t) 0)) << " | " << num(c["bpw"], "%.2f") << " |\n";
            }
        }
        out << "\n";
    }

    // Findings of every part, errors first.
    json all = json::array();
    for (const json * src : { &in.inspect, &in.weights }) {
        if (src->is_object() && src->contains("findings") && (*src)["findings"].is_array()) {
            for (const auto & f : (*src)["findings"]) all.push_back(f);
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const json & a, const json & b) {
        auto rank = [](const std::string & s) { return s == "error" ? 0 : s == "warning" ? 1 : 2; };
        return rank(str(a, "severity")) < rank(str(b, "severity"));
    });
    // A finding repeated by two sources (the inspect and the compare) once.
    std::vector<std::string> seen;
    json unique = json::array();
    for (const auto & f : all) {
        const std::string key = str(f, "code") + str(f, "message");
        if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
            seen.push_back(key);
            unique.push_back(f);
        }
    }
    if (!unique.empty()) {
        out << "### Findings\n\n";
        findings_section(out, unique);
        out << "\n";
    }

    if (in.weights.is_object() && in.weights.contains("layers") && in.weights["layers"].is_array() && !in.weights["layers"].empty()) {
        const bool ref_free = str(in.weights, "mode") == "reference_free";
        out << "### Weights per layer" << (ref_free ? " (no reference: statistics only)" : "")
            << (in.weights.value("quick", false) ? " — quick check, sampled rows" : "") << "\n\n";
        if (ref_free) {
            out << "| layer | most unusual tensor | status |\n|---|---|---|\n";
            for (const auto & l : in.weights["layers"]) {
                out << "| " << l.value("layer", 0) << " | " << cell(str(l, "worst_tensor")) << " | " << str(l, "status") << " |\n";
            }
        } else {
            out << "| layer | cos min | cos mean | worst tensor | status |\n|---|---|---|---|---|\n";
            for (const auto & l : in.weights["layers"]) {
                out << "| " << l.value("layer", 0) << " | " << num(l["cos_min"], "%.6f") << " | " << num(l["cos_mean"], "%.6f") << " | "
                    << cell(str(l, "worst_tensor")) << " | " << str(l, "status") << " |\n";
            }
        }
        out << "\n";
        // The tensors that are not healthy, worst first.
        std::vector<json> bad;
        for (const auto & t : in.weights["tensors"]) {
            const std::string s = str(t, "status");
            if (s == "damaged" || s == "suspicious") bad.push_back(t);
        }
        if (!bad.empty()) {
            out << "<details><summary>" << bad.size() << " tensor(s) not healthy</summary>\n\n"
                << "| tensor | type | cos | row cos min | rel. RMSE | status | note |\n|---|---|---|---|---|---|---|\n";
            for (const auto & t : bad) {
                out << "| " << cell(str(t, "name")) << " | " << str(t, "type") << " | " << num(t.value("cos", json()), "%.6f") << " | "
                    << num(t.value("cos_row_min", json()), "%.6f") << " | " << num(t.value("rel_rmse", json()), "%.3g") << " | "
                    << str(t, "status") << " | " << cell(str(t, "note")) << " |\n";
            }
            out << "\n</details>\n\n";
        }
    }

    if (in.ppl.is_object() && in.ppl.contains("ppl")) {
        const json & p = in.ppl;
        out << "### Perplexity\n\n";
        out << "llama-perplexity protocol: n_ctx " << p.value("n_ctx", 0) << ", " << p.value("n_chunks", 0) << " chunk(s), "
            << p.value("n_scored", 0) << " scored tokens (second half of each chunk); arithmetic: "
            << (p.value("activations", std::string("f32")) == "ggml"
                    ? "llama.cpp's CPU rounding (8-bit activations, F16 K/V; --activations ggml)"
                    : "exact f32 products of the dequantized weights")
            << ".\n\n";
        out << "| | value |\n|---|---|\n";
        out << "| PPL | " << num(p["ppl"], "%.4f") << " ± " << num(p["ppl_err"], "%.5f") << " |\n";
        if (p.contains("ref_ppl")) {
            out << "| reference PPL | " << num(p["ref_ppl"], "%.4f") << " ± " << num(p["ref_ppl_err"], "%.5f") << " |\n";
            out << "| PPL ratio | " << num(p["ppl_ratio"], "%.6f") << " |\n";
            if (p.contains("kld")) {
                const json & k = p["kld"];
                out << "| KLD mean / median / 99 % / max | " << num(k["mean"], "%.6f") << " / " << num(k["median"], "%.6f") << " / "
                    << num(k["p99"], "%.6f") << " / " << num(k["max"], "%.6f") << " |\n";
            }
            out << "| same top p | " << num(p["same_top_p"], "%.3f") << " % |\n";
            out << "| RMS Δp | " << num(p["rms_dp"], "%.3f") << " % |\n";
        }
        out << "\n";
        if (p.contains("hidden_cos") && p["hidden_cos"].is_array() && !p["hidden_cos"].empty()) {
            out << "<details><summary>hidden-state cosine vs the reference after each layer</summary>\n\n| layer | mean | min |\n|---|---|---|\n";
            for (const auto & h : p["hidden_cos"]) {
                out << "| " << h.value("layer", 0) << " | " << num(h["mean"], "%.6f") << " | " << num(h["min"], "%.6f") << " |\n";
            }
            out << "\n</details>\n\n";
        }
    }
    out << "<sub>Made with " << in.tool << ": weights compared after undoing the converter's transforms; "
        << "cosines in double precision; perplexity by llama-perplexity's protocol on an f32 forward.</sub>\n";
    return out.str();
}

} // namespace gc
