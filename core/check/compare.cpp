// Weight check engine (see compare.h).
#include "check/compare.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "check/compare-scan.h"
#include "check/diagnosis.h"
#include "compute/thread-pool.h"
#include "metrics/agreement.h"
#include "model/hf-map.h"

namespace gc {

using nlohmann::json;

namespace {

// Row spans to read: everything, or in quick mode a deterministic, evenly
// spread sample of about `fraction` of the rows in up to 16 runs.
std::vector<std::pair<int64_t, int64_t>> plan_rows(int64_t n_rows, const compare_options & opt) {
    if (!opt.quick || n_rows <= opt.quick_min_rows) return { { 0, n_rows } };
    const int64_t want = std::min(n_rows, std::max<int64_t>(opt.quick_min_rows, (int64_t) std::ceil(n_rows * opt.quick_fraction)));
    const int64_t spans = std::min<int64_t>(16, want);
    const int64_t len = (want + spans - 1) / spans;
    std::vector<std::pair<int64_t, int64_t>> out;
    int64_t last_end = 0;
    for (int64_t k = 0; k < spans; ++k) {
        int64_t start = spans == 1 ? 0 : (int64_t) ((double) k * (double) (n_rows - len) / (double) (spans - 1));
        start = std::max(start, last_end);
        const int64_t end = std::min(n_rows, start + len);
        if (start < end) out.emplace_back(start, end);
        last_end = end;
    }
    return out;
}

int64_t rows_in(const std::vector<std::pair<int64_t, int64_t>> & spans) {
    int64_t n = 0;
    for (const auto & s : spans) n += s.second - s.first;
    return n;
}

std::string type_name_of(const weight_tensor * t) { return t && t->type ? t->type->name : "unknown"; }

uint32_t type_id_of(const weight_tensor * t) { return t && t->type ? t->type->id : GGML_TYPE_F32; }

weight_status worse(weight_status a, weight_status b) {
    auto rank = [](weight_status s) {
        switch (s) {
            case weight_status::damaged: return 3;
            case weight_status::suspicious: return 2;
            case weight_status::healthy: return 1;
            default: return 0;
        }
    };
    return rank(a) >= rank(b) ? a : b;
}

} // namespace

thread_pool * compare_pool(const compare_options & opt, std::unique_ptr<thread_pool> & own) {
    if (opt.pool) return opt.pool;
    const int n = opt.n_threads <= 0 ? thread_count_default() : opt.n_threads;
    if (n <= 1) return nullptr;
    own = std::make_unique<thread_pool>(n);
    return own.get();
}

compare_report compare_weights(weight_source & cand, weight_source & ref, const std::vector<std::string> & cand_names,
                               const compare_options & opt) {
    compare_report rep;
    rep.quick = opt.quick;

    struct job {
        size_t index;                 // into rep.tensors
        std::string name;
        const weight_tensor * a;
        const weight_tensor * b;
        std::vector<std::pair<int64_t, int64_t>> spans;
    };
    std::vector<job> jobs;
    std::vector<std::string> missing, unreadable, mismatched;
    uint64_t total = 0;
    for (const auto & name : cand_names) {
        const weight_tensor * a = cand.find(name);
        if (!a) continue;   // invalid extent: reported by the integrity check
        tensor_agreement_result t;
        t.name = name;
        t.type = type_name_of(a);
        t.layer = tensor_layer(name);
        t.cls = tensor_class(name);
        t.rows_total = a->n_rows;
        const weight_tensor * b = ref.find(name);
        if (!a->type || !a->type->dequant || a->row_bytes == 0) {
            t.note = "type " + t.type + " cannot be decoded; not checked";
            unreadable.push_back(name);
        } else if (!b) {
            t.note = "no counterpart in the reference";
            missing.push_back(name);
        } else if (a->n_cols != b->n_cols || a->n_rows > b->n_rows ||
                   (a->n_rows < b->n_rows && t.cls != "token_embd" && t.cls != "output")) {
            t.note = "shape differs from the reference (" + std::to_string(a->n_cols) + " x " + std::to_string(a->n_rows) +
                     " vs " + std::to_string(b->n_cols) + " x " + std::to_string(b->n_rows) + ")";
            t.ref_type = type_name_of(b);
            mismatched.push_back(name);
        } else {
            t.ref_name = b->name;
            t.ref_type = type_name_of(b);
            if (a->n_rows < b->n_rows) {
                t.note = "the reference has " + std::to_string(b->n_rows) + " rows; the converter trimmed it to the real vocabulary";
            }
            job j{ rep.tensors.size(), name, a, b, plan_rows(a->n_rows, opt) };
            total += (uint64_t) rows_in(j.spans) * (a->row_bytes + b->row_bytes);
            jobs.push_back(std::move(j));
        }
        rep.tensors.push_back(std::move(t));
    }

    // The scan: every row of every job, threaded (compare-scan.h).
    std::vector<compare_scan_job> scan_jobs;
    scan_jobs.reserve(jobs.size());
    for (const job & j : jobs) scan_jobs.push_back({ j.name, j.a, j.b, j.spans });
    std::vector<compare_scan_result> scanned;
    uint64_t raw_bytes = 0;
    const compare_scan_side cand_side{ &cand, opt.cand_gguf_files }, ref_side{ &ref, opt.ref_gguf_files };
    if (!compare_scan(cand_side, ref_side, scan_jobs, opt, total, scanned, raw_bytes)) {
        rep.verdict = "cancelled";
        rep.summary = "The check was cancelled.";
        return rep;
    }
    for (size_t k = 0; k < jobs.size(); ++k) {
        const job & j = jobs[k];
        const compare_scan_result & res = scanned[k];
        const agreement & acc = res.acc;
        tensor_agreement_result & t = rep.tensors[j.index];
        const int64_t n_cols = j.a->n_cols;
        if (!res.ok) {
            t.note = res.error;
            rep.findings.push_back({ severity::error, "read_error", "cannot compare " + j.name + ": " + res.error, "", j.name, {} });
            continue;
        }
        t.n_elements = acc.n;
        t.rows_compared = (int64_t) acc.rows;
        t.cos = acc.cos();
        t.cos_row_mean = acc.cos_row_mean();
        t.cos_row_min = acc.row_cos_min;
        t.rel_rmse = acc.rel_rmse();
        t.max_abs = acc.max_abs;
        t.nonfinite = acc.nonfinite;
        if (t.rows_compared < t.rows_total && acc.rows > 1) {
            t.cos_row_mean_err = 2.0 * acc.cos_row_sd() / std::sqrt((double) acc.rows);
        }
        const bool vector = j.a->n_rows == 1;
        if (!vector) t.row_hist.assign(acc.row_hist.begin(), acc.row_hist.end());
        if (vector) t.bit_exact = acc.identical;
        if (vector && n_cols == 1) {
            t.value = res.a0;
            t.ref_value = res.b0;
        }
        // Expected noise: candidate and reference storage together.
        const double typical = band_typical_error(type_id_of(j.a)) + band_typical_error(type_id_of(j.b));
        t.band_ratio = std::max(0.0, 1.0 - t.cos) / typical;
        if (acc.nonfinite > 0) {
            t.status = weight_status::damaged;
            t.note = std::to_string(acc.nonfinite) + " NaN/Inf value(s)";
        } else if (vector) {
            // 1-D tensors are copied exactly by conversion; a scalar keeps
            // cosine 1 when only its magnitude changes, so judge values.
            t.status = acc.identical ? weight_status::healthy
                                     : (t.cos < 0.5 ? weight_status::damaged : weight_status::suspicious);
            if (!acc.identical && t.value && t.ref_value && *t.ref_value != 0.0) {
                const double rel = std::fabs(*t.value - *t.ref_value) / std::fabs(*t.ref_value);
                t.band_ratio = rel / 1e-3;
                if (rel > 0.05) t.status = weight_status::damaged;
            } else if (!acc.identical) {
                t.band_ratio = std::max(t.band_ratio, t.rel_rmse / 1e-3);
                if (t.rel_rmse > 0.05) t.status = weight_status::damaged;
            }
        } else {
            t.status = t.band_ratio > BAND_DAMAGED_FACTOR || t.cos < 0.5 ? weight_status::damaged
                       : t.band_ratio > BAND_SUSPICIOUS_FACTOR          ? weight_status::suspicious
                                                                        : weight_status::healthy;
        }
    }
    rep.bytes_read = raw_bytes + cand.bytes_read() + ref.bytes_read();

    auto list = [](const std::vector<std::string> & v) {
        std::string s;
        for (size_t i = 0; i < v.size() && i < 4; ++i) s += (i ? ", " : "") + v[i];
        if (v.size() > 4) s += " and " + std::to_string(v.size() - 4) + " more";
        return s;
    };
    if (!missing.empty()) {
        rep.findings.push_back({ severity::warning, "missing_in_reference", std::to_string(missing.size()) +
            " tensor(s) have no counterpart in the reference and were not compared: " + list(missing) + ".", "", missing.front(), {} });
    }
    if (!unreadable.empty()) {
        rep.findings.push_back({ severity::warning, "unknown_type", std::to_string(unreadable.size()) +
            " tensor(s) use a type this checker cannot decode and were skipped: " + list(unreadable) + ".", "", unreadable.front(), {} });
    }
    if (!mismatched.empty()) {
        rep.findings.push_back({ severity::error, "shape_mismatch", std::to_string(mismatched.size()) +
            " tensor(s) have a different shape than in the reference: " + list(mismatched) +
            ". Is the reference the same model (size, variant) as the candidate?", "", mismatched.front(), {} });
    }

    diagnose(rep, cand, ref, opt);

    // Per layer.
    std::map<int32_t, layer_agreement_result> layers;
    std::map<int32_t, std::pair<double, int>> sums;
    for (const auto & t : rep.tensors) {
        if (t.layer < 0 || t.status == weight_status::skipped) continue;
        auto & L = layers[t.layer];
        L.layer = t.layer;
        if (t.rows_total > 1) {
            L.cos_min = std::min(L.cos_min, t.cos);
            sums[t.layer].first += t.cos;
            sums[t.layer].second += 1;
        }
        if (L.worst_tensor.empty() || t.band_ratio > L.worst_ratio) {
            L.worst_ratio = t.band_ratio;
            L.worst_tensor = t.name;
        }
        L.status = worse(L.status, t.status);
    }
    for (auto & [l, L] : layers) {
        if (sums[l].second) L.cos_mean = sums[l].first / sums[l].second;
        rep.layers.push_back(L);
    }

    // Verdict.
    int n_damaged = 0, n_suspicious = 0;
    for (const auto & t : rep.tensors) {
        n_damaged += t.status == weight_status::damaged;
        n_suspicious += t.status == weight_status::suspicious;
    }
    bool provenance = false;
    for (const auto & f : rep.findings) provenance = provenance || f.code == "reference_differs";
    const std::string how = opt.quick ? " (quick check: sampled rows)" : "";
    const bool mostly_other_shapes = !mismatched.empty() && mismatched.size() * 2 >= rep.tensors.size();
    if (n_damaged > 0 && !mostly_other_shapes) {
        rep.verdict = "damaged";
        rep.summary = std::to_string(n_damaged) + " tensor(s) are damaged: they differ from the reference far more than their quantization type explains" + how + ".";
    } else if (n_suspicious > 0 && !mostly_other_shapes) {
        rep.verdict = "suspicious";
        rep.summary = std::to_string(n_suspicious) + " tensor(s) differ from the reference more than their quantization type usually does" + how + ".";
    } else if (!mismatched.empty()) {
        // Shapes that differ mean another model (size or variant), not
        // damage: "healthy" over the few tensors that happen to match
        // would be misleading.
        rep.verdict = "reference_mismatch";
        rep.summary = std::to_string(mismatched.size()) + " of " + std::to_string(rep.tensors.size()) +
            " tensors have a different shape than in the reference: the reference is a different model (size or variant). "
            "Drop the reference of this very model" + how + ".";
    } else if (provenance) {
        rep.verdict = "reference_mismatch";
        rep.summary = "The weights agree within quantization noise, but the reference seems to be a different checkpoint or revision" + how + ".";
    } else {
        rep.verdict = "healthy";
        rep.summary = "Every compared tensor agrees with the reference within its quantization type's expected noise" + how + ".";
    }
    return rep;
}

void compare_add_input_findings(compare_report & r, const finding_list & cand, const finding_list & ref) {
    finding_list all = cand;
    all.insert(all.end(), ref.begin(), ref.end());
    all.insert(all.end(), r.findings.begin(), r.findings.end());
    r.findings = std::move(all);
    // A reference of another architecture: whatever matched by name, the
    // comparison says nothing about this model.
    if (!findings_have_errors(cand) && r.verdict != "cancelled") {
        for (const auto & f : ref) {
            if (f.code == "architecture_mismatch") {
                r.verdict = "reference_mismatch";
                r.summary = f.message;
                break;
            }
        }
    }
    if (findings_have_errors(cand) && r.verdict != "cancelled") {
        r.verdict = "damaged";
        for (const auto & f : cand) {
            if (f.level == severity::error) {
                r.summary = "The candidate file itself is broken, so its weights cannot all be checked: " + f.message;
                break;
            }
        }
    }
}

json compare_to_json(const compare_report & r) {
    auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    json tensors = json::array();
    for (const auto & t : r.tensors) {
        json o{ { "name", t.name }, { "ref_name", t.ref_name }, { "type", t.type }, { "ref_type", t.ref_type },
                { "layer", t.layer }, { "class", t.cls }, { "n_elements", t.n_elements }, { "rows", t.rows_total },
                { "rows_compared", t.rows_compared }, { "cos", num(t.cos) }, { "cos_row_mean", num(t.cos_row_mean) },
                { "cos_row_min", num(t.cos_row_min) }, { "rel_rmse", num(t.rel_rmse) }, { "max_abs", num(t.max_abs) },
                { "band_ratio", num(t.band_ratio) }, { "status", weight_status_name(t.status) } };
        o["bit_exact"] = t.bit_exact ? json(*t.bit_exact) : json(nullptr);
        if (t.cos_row_mean_err > 0) o["cos_row_mean_err"] = t.cos_row_mean_err;
        if (t.value) o["value"] = num(*t.value);
        if (t.ref_value) o["ref_value"] = num(*t.ref_value);
        if (t.nonfinite) o["nonfinite"] = t.nonfinite;
        if (!t.row_hist.empty()) {
            o["row_cos_hist"] = { { "log10_1mcos_min", ROW_HIST_LOG10_MIN }, { "bins_per_decade", ROW_HIST_PER_DECADE },
                                  { "counts", t.row_hist } };
        }
        if (!t.note.empty()) o["note"] = t.note;
        tensors.push_back(std::move(o));
    }
    json layers = json::array();
    for (const auto & l : r.layers) {
        layers.push_back({ { "layer", l.layer }, { "cos_min", num(l.cos_min) }, { "cos_mean", num(l.cos_mean) },
                           { "worst_tensor", l.worst_tensor }, { "worst_ratio", num(l.worst_ratio) },
                           { "status", weight_status_name(l.status) } });
    }
    json findings = json::array();
    for (const auto & f : r.findings) {
        json o{ { "severity", severity_name(f.level) }, { "code", f.code }, { "message", f.message } };
        if (!f.tensor.empty()) o["tensor"] = f.tensor;
        findings.push_back(std::move(o));
    }
    return json{ { "verdict", r.verdict }, { "summary", r.summary }, { "quick", r.quick }, { "bytes_read", r.bytes_read },
                 { "tensors", tensors }, { "layers", layers }, { "findings", findings } };
}

int compare_exit_code(const compare_report & r) { return r.verdict == "damaged" ? 3 : 0; }

} // namespace gc
