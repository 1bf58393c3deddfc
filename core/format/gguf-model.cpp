// gguf_load: one model from one file or a split set (see gguf.h).
#include <algorithm>

#include "check/integrity.h"
#include "format/ggml-types.h"
#include "format/gguf.h"

namespace gc {

const gguf_kv * gguf_model::find_kv(std::string_view key) const {
    return parts.empty() ? nullptr : parts.front().find_kv(key);
}

const gguf_tensor * gguf_model::find_tensor(std::string_view name) const {
    for (const auto & t : tensors) {
        if (t.info->name == name) return &t;
    }
    return nullptr;
}

std::string gguf_model::architecture() const {
    const gguf_kv * kv = find_kv("general.architecture");
    const std::string * s = kv ? kv->value.as_string() : nullptr;
    return s ? *s : std::string();
}

std::optional<int64_t> gguf_model::arch_int(std::string_view suffix) const {
    const gguf_kv * kv = find_kv(architecture() + "." + std::string(suffix));
    return kv ? kv->value.as_int() : std::nullopt;
}

std::optional<double> gguf_model::arch_number(std::string_view suffix) const {
    const gguf_kv * kv = find_kv(architecture() + "." + std::string(suffix));
    return kv ? kv->value.as_number() : std::nullopt;
}

// split.no of a parsed file, or -1 when the file is not a split part.
static int64_t split_no(const gguf_file & f) {
    const gguf_kv * kv = f.find_kv("split.no");
    auto v = kv ? kv->value.as_int() : std::nullopt;
    return v ? *v : -1;
}

gguf_model gguf_load(file_set & sources) {
    gguf_model model;
    if (sources.empty()) {
        // The page opens whatever was dropped as the candidate; only
        // reference files (safetensors, config.json) leave it empty.
        model.findings.push_back({ severity::error, "no_model",
            "no GGUF file to check. Hugging Face files (*.safetensors, config.json) only serve as the reference of a GGUF: "
            "drop the .gguf file, together with them if you want the weights compared.", "", "", {} });
        return model;
    }
    for (size_t s = 0; s < sources.size(); ++s) {
        gguf_parse_result r = gguf_parse(*sources[s]);
        if (!r.ok) {
            finding f;
            f.level = severity::error;
            f.code = r.error_code;
            f.file = sources[s]->name();
            f.message = sources[s]->name() + ": " + r.error;
            if (r.error_code == "truncated" && r.file.file_size > 0) {
                f.message += ". The file is cut off inside its header: the download is incomplete; download it again.";
            }
            model.findings.push_back(std::move(f));
            continue;
        }
        model.parts.push_back(std::move(r.file));
        model.part_source.push_back(s);
    }
    if (model.parts.empty()) {
        return model;
    }
    model.usable = true;

    // Order split parts by split.no (stable for non-split files).
    std::vector<size_t> order(model.parts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return split_no(model.parts[a]) < split_no(model.parts[b]); });
    std::vector<gguf_file> parts;
    std::vector<size_t> part_source;
    for (size_t i : order) {
        parts.push_back(std::move(model.parts[i]));
        part_source.push_back(model.part_source[i]);
    }
    model.parts = std::move(parts);
    model.part_source = std::move(part_source);

    for (size_t p = 0; p < model.parts.size(); ++p) {
        const gguf_file & f = model.parts[p];
        for (const auto & ti : f.tensors) {
            gguf_tensor t;
            t.info = &ti;
            t.part = p;
            t.data_offset = f.tensor_data_offset + ti.offset;
            if (t.data_offset < ti.offset) t.data_offset = UINT64_MAX;   // overflow: reported as past EOF
            t.nbytes = ggml_tensor_bytes(ti.type, ti.ne, ti.n_dims);
            model.tensors.push_back(t);
        }
    }
    integrity_check(model);
    return model;
}

} // namespace gc
