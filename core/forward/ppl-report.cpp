#include "forward/ppl-report.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace gc {

namespace {

// NaN / inf are not JSON: null.
nlohmann::json num(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::string fmt(const char * f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

} // namespace

std::string ppl_result_json(const ppl_result & r, int indent) {
    nlohmann::json j;
    j["n_ctx"] = r.n_ctx;
    j["n_chunks"] = r.n_chunks;
    j["n_scored"] = r.n_scored;
    j["activations"] = activation_mode_name(r.activations);
    j["ppl"] = num(r.ppl);
    j["ppl_err"] = num(r.ppl_err);
    j["nll_mean"] = num(r.nll_mean);
    nlohmann::json cum = nlohmann::json::array(), chunk = nlohmann::json::array();
    for (double v : r.cumulative) cum.push_back(num(v));
    for (double v : r.chunk_ppl) chunk.push_back(num(v));
    j["cumulative"] = cum;
    j["chunk_ppl"] = chunk;
    if (r.has_ref) {
        j["ref_ppl"] = num(r.ref_ppl);
        j["ref_ppl_err"] = num(r.ref_ppl_err);
        j["ppl_ratio"] = num(r.ppl / r.ref_ppl);
        const kld_summary & k = r.kld;
        j["kld"] = {
            { "mean", num(k.mean) }, { "mean_err", num(k.mean_err) }, { "max", num(k.max) },
            { "p99_9", num(k.p99_9) }, { "p99", num(k.p99) }, { "p95", num(k.p95) }, { "p90", num(k.p90) },
            { "median", num(k.median) }, { "p10", num(k.p10) }, { "p5", num(k.p5) }, { "p1", num(k.p1) },
            { "min", num(k.min) },
            { "definition", "full-precision reference distribution (llama.cpp clips its base log-probs at max-16)" },
        };
        j["mean_dp"] = num(k.mean_dp);
        j["rms_dp"] = num(k.rms_dp);
        j["rms_dp_err"] = num(k.rms_dp_err);
        j["same_top_p"] = num(k.same_top_p);
        j["same_top_p_err"] = num(k.same_top_p_err);
        nlohmann::json hc = nlohmann::json::array();
        for (size_t i = 0; i < r.hidden_cos.size(); ++i) {
            hc.push_back({ { "layer", i }, { "mean", num(r.hidden_cos[i].mean) }, { "min", num(r.hidden_cos[i].min) } });
        }
        j["hidden_cos"] = hc;
    }
    return j.dump(indent);
}

std::string ppl_result_text(const ppl_result & r) {
    std::string s;
    for (size_t i = 0; i < r.cumulative.size(); ++i) s += "[" + std::to_string(i + 1) + "]" + fmt("%.4f", r.cumulative[i]) + ",";
    s += "\n";
    s += "Final estimate: PPL = " + fmt("%.4f", r.ppl) + " +/- " + fmt("%.5f", r.ppl_err) + "\n";
    if (r.activations != activation_mode::f32) {
        s += std::string("activations: ") + activation_mode_name(r.activations) + " (llama.cpp's CPU rounding)\n";
    }
    if (r.has_ref) {
        const kld_summary & k = r.kld;
        s += "Reference:      PPL = " + fmt("%.4f", r.ref_ppl) + " +/- " + fmt("%.5f", r.ref_ppl_err) + "\n";
        s += "PPL(Q)/PPL(ref):      " + fmt("%.6f", r.ppl / r.ref_ppl) + "\n";
        s += "Mean    KLD: " + fmt("%10.6f", k.mean) + " +/- " + fmt("%.6f", k.mean_err) + "\n";
        s += "Maximum KLD: " + fmt("%10.6f", k.max) + "\n";
        s += "99.9%   KLD: " + fmt("%10.6f", k.p99_9) + "\n";
        s += "99.0%   KLD: " + fmt("%10.6f", k.p99) + "\n";
        s += "95.0%   KLD: " + fmt("%10.6f", k.p95) + "\n";
        s += "90.0%   KLD: " + fmt("%10.6f", k.p90) + "\n";
        s += "Median  KLD: " + fmt("%10.6f", k.median) + "\n";
        s += "RMS Δp    : " + fmt("%.3f", k.rms_dp) + " +/- " + fmt("%.3f", k.rms_dp_err) + " %\n";
        s += "Same top p: " + fmt("%.3f", k.same_top_p) + " +/- " + fmt("%.3f", k.same_top_p_err) + " %\n";
        s += "(KLD uses the full-precision reference distribution; llama.cpp clips its base log-probs at max-16.)\n";
        for (size_t i = 0; i < r.hidden_cos.size(); ++i) {
            s += "hidden cos layer " + std::to_string(i) + ": mean " + fmt("%.6f", r.hidden_cos[i].mean) + ", min " +
                 fmt("%.6f", r.hidden_cos[i].min) + "\n";
        }
    }
    return s;
}

std::string what_if_json(const what_if_result & w, int indent) {
    nlohmann::json j;
    j["class"] = w.spec;
    j["tensors"] = w.tensors;
    j["n_tensors"] = w.tensors.size();
    j["skipped"] = w.skipped;
    j["ppl"] = num(w.ppl);
    j["ppl_err"] = num(w.ppl_err);
    j["ppl_without"] = num(w.ppl_without);
    j["change_pct"] = num(100.0 * (w.ppl / w.ppl_without - 1.0));
    if (w.ref_ppl > 0) {
        j["ref_ppl"] = num(w.ref_ppl);
        j["recovered_pct"] = num(100.0 * (w.ppl_without - w.ppl) / (w.ppl_without - w.ref_ppl));
    }
    return j.dump(indent);
}

std::string what_if_text(const what_if_result & w) {
    std::string s = "What-if: " + w.spec + " (" + std::to_string(w.tensors.size()) + " tensors) taken from the reference: PPL " +
                    fmt("%.4f", w.ppl_without) + " -> " + fmt("%.4f", w.ppl) + " +/- " + fmt("%.5f", w.ppl_err) + " (" +
                    fmt("%+.2f", 100.0 * (w.ppl / w.ppl_without - 1.0)) + " %)";
    if (w.ref_ppl > 0) s += ", reference " + fmt("%.4f", w.ref_ppl);
    s += "\n";
    if (!w.skipped.empty()) s += "  (" + std::to_string(w.skipped.size()) + " selected tensors are absent or shaped differently in the reference and were kept)\n";
    return s;
}

} // namespace gc
