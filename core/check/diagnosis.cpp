// Diagnosis of a weight comparison (see diagnosis.h).
#include "check/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "metrics/agreement.h"

namespace gc {

namespace {

std::string fmt(const char * f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string join(const std::vector<std::string> & v, size_t shown = 6) {
    std::string s;
    for (size_t i = 0; i < v.size() && i < shown; ++i) s += (i ? ", " : "") + v[i];
    if (v.size() > shown) s += " and " + std::to_string(v.size() - shown) + " more";
    return s;
}

bool flagged(weight_status s) { return s == weight_status::damaged || s == weight_status::suspicious; }

void add(compare_report & rep, severity level, const char * code, std::string message, std::string tensor = {}) {
    rep.findings.push_back({ level, code, std::move(message), "", std::move(tensor), {} });
}

// Provenance of 1-D tensors.
void check_provenance(compare_report & rep) {
    std::vector<tensor_agreement_result *> vectors, differing;
    for (auto & t : rep.tensors) {
        if (!t.bit_exact || t.type != "F32") continue;
        vectors.push_back(&t);
        if (!*t.bit_exact) differing.push_back(&t);
    }
    if (differing.empty()) return;
    const bool most = differing.size() >= 3 && differing.size() * 2 >= vectors.size();
    double worst_rel = 0.0;
    for (auto * t : differing) worst_rel = std::max(worst_rel, t->rel_rmse);
    if (most && worst_rel < 0.05) {
        for (auto * t : differing) {
            if (t->status == weight_status::suspicious) {
                t->status = weight_status::healthy;
                t->note = "differs slightly from the reference (relative error " + fmt("%.2g", t->rel_rmse) + ")";
            }
        }
        add(rep, severity::warning, "reference_differs",
            std::to_string(differing.size()) + " of " + std::to_string(vectors.size()) +
                " norm and scalar tensors differ slightly from the reference (up to " + fmt("%.2g", worst_rel * 100) +
                " %), although conversion copies them exactly. The reference is probably a different checkpoint or revision "
                "than the one this GGUF was made from; compare against the exact source (same commit) before calling the GGUF broken.");
        return;
    }
    // A few differ while the rest are bit-identical: those few are damaged.
    for (auto * t : differing) {
        if (t->value && t->ref_value) {
            t->note = "value " + fmt("%.6g", *t->value) + " where the reference has " + fmt("%.6g", *t->ref_value);
        } else {
            t->note = "differs from the reference (relative error " + fmt("%.3g", t->rel_rmse) + ") though conversion copies it exactly";
        }
        t->status = weight_status::damaged;
    }
}

// A whole tensor class off while the rest is healthy.
void check_classes(compare_report & rep) {
    std::map<std::string, std::pair<int, int>> per_class;   // flagged, total
    int flagged_total = 0, total = 0;
    for (const auto & t : rep.tensors) {
        if (t.status == weight_status::skipped || t.layer < 0) continue;
        auto & c = per_class[t.cls];
        c.second++;
        total++;
        if (flagged(t.status)) {
            c.first++;
            flagged_total++;
        }
    }
    for (const auto & [cls, c] : per_class) {
        if (c.second < 3 || c.first * 4 < c.second * 3) continue;
        const int others_flagged = flagged_total - c.first, others = total - c.second;
        if (others > 0 && others_flagged * 10 > others) continue;
        std::string detail;
        double rel_sum = 0.0;
        int n_vals = 0;
        for (const auto & t : rep.tensors) {
            if (t.cls == cls && t.value && t.ref_value && *t.ref_value != 0.0) {
                rel_sum += (*t.value - *t.ref_value) / *t.ref_value;
                ++n_vals;
            }
        }
        if (n_vals) detail = " Their values are off by " + fmt("%+.1f", 100.0 * rel_sum / n_vals) + " % on average.";
        add(rep, severity::error, "class_damaged",
            "The " + cls + " tensors are off in " + std::to_string(c.first) + " of " + std::to_string(c.second) +
                " layers while the other tensors agree with the reference: a whole class of weights was written wrongly "
                "(a converter or quantizer bug for this tensor kind, not random corruption)." + detail);
    }
}

void check_layers(compare_report & rep, weight_source & cand, weight_source & ref, const compare_options & opt) {
    std::map<int32_t, std::vector<const tensor_agreement_result *>> by_layer;
    int32_t n_layers = 0;
    for (const auto & t : rep.tensors) {
        if (t.layer < 0) continue;
        by_layer[t.layer].push_back(&t);
        n_layers = std::max(n_layers, t.layer + 1);
    }
    std::vector<bool> layer_flag((size_t) n_layers, false);
    std::vector<std::string> damaged_layers;
    for (const auto & [l, ts] : by_layer) {
        std::vector<std::string> bad;
        for (const auto * t : ts) {
            if (flagged(t->status)) bad.push_back(t->cls + " (cos " + fmt("%.4f", t->cos) + ", " + fmt("%.0f", t->band_ratio) + "x the expected error)");
        }
        if (bad.empty()) continue;
        layer_flag[(size_t) l] = true;
        damaged_layers.push_back(std::to_string(l));
        add(rep, severity::error, "layer_damaged", "layer " + std::to_string(l) + ": " + join(bad, 4) + ".",
            "blk." + std::to_string(l));
    }
    // Damaged non-layer tensors.
    for (const auto & t : rep.tensors) {
        if (t.layer < 0 && flagged(t.status)) {
            add(rep, severity::error, "tensor_damaged", t.name + " differs from the reference beyond its type's noise (cos " +
                fmt("%.5f", t.cos) + (t.note.empty() ? "" : "; " + t.note) + ").", t.name);
        }
    }
    // Periodic pattern.
    if (damaged_layers.size() >= 2 && n_layers >= 6) {
        auto [p, res] = find_period(layer_flag);
        if (p > 0) {
            add(rep, severity::error, "periodic_damage",
                "The damaged layers (" + join(damaged_layers, 8) + ") are every " + std::to_string(p) + "th layer (layer mod " +
                    std::to_string(p) + " = " + std::to_string(res) + ") while the others are healthy. A period like this points at the "
                    "architecture's layer pattern (e.g. global vs sliding-window layers) being mishandled by the converter or quantizer.");
        }
    }
    // Layer swaps: does a damaged layer's tensor match a neighbouring reference layer?
    compare_options probe = opt;
    probe.quick = true;
    probe.progress = nullptr;
    std::vector<float> a, b;
    for (const auto & [l, ts] : by_layer) {
        if (!layer_flag[(size_t) l]) continue;
        std::map<int32_t, int> votes;
        int tried = 0;
        for (const auto * t : ts) {
            if (!flagged(t->status) || t->rows_total <= 1) continue;
            const weight_tensor * wa = cand.find(t->name);
            if (!wa) continue;
            ++tried;
            for (int32_t m = std::max(0, l - 2); m <= l + 2 && m < n_layers; ++m) {
                if (m == l) continue;
                const std::string other = "blk." + std::to_string(m) + t->name.substr(t->name.find('.', 4));
                const weight_tensor * wb = ref.find(other);
                if (!wb || wb->n_cols != wa->n_cols || wb->n_rows != wa->n_rows) continue;
                const int64_t rows = std::min<int64_t>(wa->n_rows, 64);
                a.resize((size_t) (rows * wa->n_cols));
                b.resize(a.size());
                std::string err;
                if (!cand.read_rows(*wa, 0, rows, a.data(), &err) || !ref.read_rows(*wb, 0, rows, b.data(), &err)) continue;
                agreement acc;
                acc.add_rows(a.data(), b.data(), rows, wa->n_cols);
                const double typical = band_typical_error(wa->type ? wa->type->id : 0) + band_typical_error(wb->type ? wb->type->id : 0);
                if ((1.0 - acc.cos()) / typical <= BAND_SUSPICIOUS_FACTOR) votes[m]++;
            }
        }
        for (const auto & [m, n] : votes) {
            if (tried > 0 && n * 2 >= tried) {
                add(rep, severity::error, "layer_swapped",
                    "layer " + std::to_string(l) + "'s damaged tensors match the reference's layer " + std::to_string(m) + " (" +
                        std::to_string(n) + " of " + std::to_string(tried) + "): layers look swapped or misnumbered in this file.",
                    "blk." + std::to_string(l));
            }
        }
    }
}

} // namespace

std::pair<int, int> find_period(const std::vector<bool> & flag, int max_period) {
    const int n = (int) flag.size();
    int n_flag = 0;
    for (bool f : flag) n_flag += f;
    if (n_flag < 2) return { 0, 0 };
    for (int p = 2; p <= max_period && p * 2 <= n; ++p) {
        for (int r = 0; r < p; ++r) {
            int in_class = 0, flagged_in = 0;
            for (int l = r; l < n; l += p) {
                ++in_class;
                flagged_in += flag[(size_t) l];
            }
            // The class is (nearly) all flagged and holds (nearly) all flags.
            if (flagged_in >= 2 && flagged_in * 4 >= in_class * 3 && flagged_in * 4 >= n_flag * 3 && in_class < n) {
                return { p, r };
            }
        }
    }
    return { 0, 0 };
}

void diagnose(compare_report & rep, weight_source & cand, weight_source & ref, const compare_options & opt) {
    check_provenance(rep);
    check_classes(rep);
    check_layers(rep, cand, ref, opt);
}

} // namespace gc
