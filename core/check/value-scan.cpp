// The value scan (see value-scan.h).
#include "check/value-scan.h"

#include "check/inspect.h"
#include "format/ggml-types.h"
#include "quant/dequant.h"

namespace gc {

namespace {

std::string shape_text(const gguf_tensor_info & ti) {
    std::string s;
    for (uint32_t d = 0; d < ti.n_dims && d < GGUF_MAX_DIMS; ++d) s += (d ? " x " : "") + std::to_string(ti.ne[d]);
    return s.empty() ? "scalar" : s;
}

std::string type_name(uint32_t id) {
    const ggml_type_info * t = ggml_type_get(id);
    return t ? t->name : "unknown(" + std::to_string(id) + ")";
}

} // namespace

value_scan_result value_scan(file_set & files, const gguf_model & model, const dequant_options & opt,
                             const value_scan_progress & progress) {
    value_scan_result r;
    r.kernel = opt.use_ref ? "scalar" : dequant_fast_isa();
    uint64_t total = 0, done = 0;
    for (const gguf_tensor & t : model.tensors) total += t.nbytes.value_or(0);
    for (const gguf_tensor & t : model.tensors) {
        const gguf_tensor_info & ti = *t.info;
        if (progress && !progress(done, total, ti.name)) {
            r.cancelled = true;
            break;
        }
        value_scan_row row;
        row.name = ti.name;
        row.type = type_name(ti.type);
        row.type_id = ti.type;
        row.shape = shape_text(ti);
        tensor_layout lay;
        std::string err;
        if (t.part >= model.part_source.size() || model.part_source[t.part] >= files.size()) {
            row.reason = "tensor's file part is missing";
        } else if (!tensor_layout_from_gguf(t, &lay, &err) ||
                   !tensor_stats_compute(*files[model.part_source[t.part]], lay, &row.stats, &err, opt)) {
            row.reason = err;
        } else {
            row.scanned = true;
        }
        done += t.nbytes.value_or(0);
        const tensor_stats & st = row.stats;
        if (row.scanned && (st.n_nan || st.n_inf)) {
            r.poisoned = true;
            r.findings.push_back({ severity::error, "nonfinite_values",
                                   ti.name + " holds " + std::to_string(st.n_nan) + " NaN and " + std::to_string(st.n_inf) +
                                       " Inf values: any computation that touches them is poisoned",
                                   "", ti.name, std::nullopt });
        }
        if (row.scanned && st.scale_nonfinite_blocks) {
            r.poisoned = true;
            r.findings.push_back({ severity::error, "nonfinite_scales",
                                   ti.name + " has " + std::to_string(st.scale_nonfinite_blocks) +
                                       " quant blocks whose scale is NaN or Inf",
                                   "", ti.name, std::nullopt });
        }
        r.rows.push_back(std::move(row));
    }
    if (progress && !r.cancelled) progress(done, total, "");
    return r;
}

nlohmann::json value_scan_json(const value_scan_result & r) {
    nlohmann::json tensors = nlohmann::json::array(), skipped = nlohmann::json::array();
    for (const auto & row : r.rows) {
        if (!row.scanned) {
            skipped.push_back({ { "name", row.name }, { "type_id", row.type_id }, { "type", row.type }, { "reason", row.reason } });
            continue;
        }
        const tensor_stats & st = row.stats;
        const bool any = st.n_finite > 0;
        tensors.push_back({
            { "name", row.name }, { "type", row.type }, { "type_id", row.type_id }, { "shape", row.shape },
            { "count", st.count }, { "finite", st.n_finite },
            { "min", any ? nlohmann::json(st.min) : nlohmann::json(nullptr) },
            { "max", any ? nlohmann::json(st.max) : nlohmann::json(nullptr) },
            { "mean", any ? nlohmann::json(st.mean) : nlohmann::json(nullptr) },
            { "std", any ? nlohmann::json(st.std) : nlohmann::json(nullptr) },
            { "nan", st.n_nan }, { "inf", st.n_inf }, { "subnormal", st.n_subnormal },
            { "blocks", st.blocks }, { "zero_blocks", st.zero_blocks }, { "scale_blocks", st.scale_blocks },
            { "scale_zero_blocks", st.scale_zero_blocks }, { "scale_nonfinite_blocks", st.scale_nonfinite_blocks },
        });
    }
    nlohmann::json j = { { "kernel", r.kernel }, { "tensors", tensors }, { "skipped", skipped },
                         { "findings", findings_to_json(r.findings) } };
    if (r.cancelled) j["cancelled"] = true;
    return j;
}

} // namespace gc
