// safetensors + Hugging Face reference set (see safetensors.h).
#include "format/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "format/file-kind.h"
#include "quant/dequant.h"

namespace gc {

using nlohmann::json;

namespace {

const st_dtype_info k_dtypes[] = {
    { "F64", 8, true },  { "F32", 4, true },  { "F16", 2, true },     { "BF16", 2, true },
    { "F8_E4M3", 1, true }, { "F8_E5M2", 1, true },
    { "I64", 8, false }, { "I32", 4, false }, { "I16", 2, false },    { "I8", 1, false },
    { "U8", 1, false },  { "BOOL", 1, false },
};

// FP8 E4M3 (OCP "fn" variant): 1 sign, 4 exponent (bias 7), 3 mantissa bits;
// no infinities, S.1111.111 is NaN.
float fp8_e4m3_to_float(uint8_t v) {
    const float sign = (v & 0x80) ? -1.0f : 1.0f;
    const int exp = (v >> 3) & 0xf;
    const int mant = v & 0x7;
    if (exp == 0xf && mant == 0x7) return std::nanf("");
    if (exp == 0) return sign * std::ldexp((float) mant, -9);          // subnormal: mant/8 * 2^-6
    return sign * std::ldexp(1.0f + (float) mant / 8.0f, exp - 7);
}

// FP8 E5M2: the top byte of an IEEE half.
float fp8_e5m2_to_float(uint8_t v) { return fp16_to_fp32((uint16_t) (v << 8)); }

finding make(severity level, std::string code, std::string message, const std::string & file, std::string tensor = {}) {
    finding f;
    f.level = level;
    f.code = std::move(code);
    f.message = std::move(message);
    f.file = file;
    f.tensor = std::move(tensor);
    return f;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace

const st_dtype_info * st_dtype_get(std::string_view name) {
    for (const auto & d : k_dtypes) {
        if (name == d.name) return &d;
    }
    return nullptr;
}

void st_to_float(const st_dtype_info & dtype, const uint8_t * src, float * dst, int64_t n) {
    const std::string_view name = dtype.name;
    if (name == "F32") { std::memcpy(dst, src, (size_t) n * 4); return; }
    if (name == "F16") { dequant_f16(src, dst, n); return; }
    if (name == "BF16") { dequant_bf16(src, dst, n); return; }
    if (name == "F64") { dequant_f64(src, dst, n); return; }
    if (name == "I64") { dequant_i64(src, dst, n); return; }
    if (name == "I32") { dequant_i32(src, dst, n); return; }
    if (name == "I16") { dequant_i16(src, dst, n); return; }
    if (name == "I8") { dequant_i8(src, dst, n); return; }
    for (int64_t i = 0; i < n; ++i) {
        if (name == "F8_E4M3") dst[i] = fp8_e4m3_to_float(src[i]);
        else if (name == "F8_E5M2") dst[i] = fp8_e5m2_to_float(src[i]);
        else if (name == "BOOL") dst[i] = src[i] ? 1.0f : 0.0f;
        else dst[i] = (float) src[i];   // U8
    }
}

uint64_t st_tensor::n_elements() const {
    uint64_t n = 1;
    for (uint64_t d : shape) {
        if (d != 0 && n > UINT64_MAX / d) return UINT64_MAX;
        n *= d;
    }
    return n;
}

const st_tensor * hf_model::find_tensor(std::string_view name) const {
    for (const auto & t : tensors) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

const json * hf_model::config_value(std::string_view key) const {
    if (!config.is_object()) return nullptr;
    const std::string k(key);
    auto tc = config.find("text_config");
    if (tc != config.end() && tc->is_object()) {
        auto it = tc->find(k);
        if (it != tc->end() && !it->is_null()) return &*it;
    }
    auto it = config.find(k);
    return (it != config.end() && !it->is_null()) ? &*it : nullptr;
}

std::string hf_model::model_type() const {
    const json * v = config_value("model_type");
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool hf_is_reference_file(std::string_view name) {
    return ends_with(name, ".safetensors") || ends_with(name, ".index.json") || name == "config.json" ||
           ends_with(name, "/config.json");
}

// What a file that fails the safetensors header checks looks like instead
// (a GGUF dropped as reference, an HTML page or a Git LFS pointer saved under
// the .safetensors name, ...), and what to do.
static std::string not_safetensors_hint(byte_source & src) {
    const file_kind k = file_kind_of(src);
    if (k == file_kind::safetensors || k == file_kind::unknown) {
        return "The file is damaged or cut off: download it again and compare its size and sha256 with the ones "
               "the download page shows.";
    }
    if (k == file_kind::gguf) return "It is a GGUF file: give it a .gguf name so that it is opened as one.";
    return file_kind_explain(k);
}

bool safetensors_parse(byte_source & src, size_t shard, hf_model & out) {
    const std::string & file = src.name();
    uint64_t n = 0;
    if (src.size() < 8 || !src.read(0, &n, 8)) {
        out.findings.push_back(make(severity::error, "truncated", file + " is too short to be a safetensors file (" +
                                                                    std::to_string(src.size()) + " bytes). " +
                                                                    file_kind_explain(file_kind_of(src)), file));
        return false;
    }
    if (n > src.size() - 8 || n > SAFETENSORS_MAX_HEADER) {
        out.findings.push_back(make(severity::error, "bad_header", file + ": declares a " + std::to_string(n) +
            "-byte header but the file has " + std::to_string(src.size()) + " bytes; not a safetensors file or cut off. " +
            not_safetensors_hint(src), file));
        return false;
    }
    std::string text((size_t) n, '\0');
    if (!src.read(8, text.data(), text.size())) {
        out.findings.push_back(make(severity::error, "read_error", file + ": cannot read the header.", file));
        return false;
    }
    json header = json::parse(text, nullptr, false);
    if (header.is_discarded() || !header.is_object()) {
        out.findings.push_back(make(severity::error, "bad_header", file + ": the header (bytes 8 to " + std::to_string(8 + n) +
            ") is not a JSON object. " + not_safetensors_hint(src), file));
        return false;
    }
    st_shard s;
    s.name = file;
    s.file_size = src.size();
    s.header_size = n;
    const uint64_t data_start = 8 + n;
    const uint64_t data_size = src.size() - data_start;

    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    uint64_t missing = 0;
    std::vector<std::string> cut;
    for (const auto & [name, info] : header.items()) {
        if (name == "__metadata__") continue;
        const json * dtype = info.is_object() && info.contains("dtype") ? &info["dtype"] : nullptr;
        const json * shape = info.is_object() && info.contains("shape") ? &info["shape"] : nullptr;
        const json * offs = info.is_object() && info.contains("data_offsets") ? &info["data_offsets"] : nullptr;
        bool ok = dtype && dtype->is_string() && shape && shape->is_array() && shape->size() <= 8 && offs &&
                  offs->is_array() && offs->size() == 2 && (*offs)[0].is_number_unsigned() && (*offs)[1].is_number_unsigned();
        if (ok) {
            for (const auto & d : *shape) ok = ok && d.is_number_unsigned();
        }
        if (!ok) {
            out.findings.push_back(make(severity::error, "bad_tensor_entry", file + ": the header entry of " + name +
                " lacks a valid dtype, shape or data_offsets.", file, name));
            continue;
        }
        st_tensor t;
        t.name = name;
        t.dtype_name = dtype->get<std::string>();
        t.dtype = st_dtype_get(t.dtype_name);
        for (const auto & d : *shape) t.shape.push_back(d.get<uint64_t>());
        const uint64_t begin = (*offs)[0].get<uint64_t>(), end = (*offs)[1].get<uint64_t>();
        t.shard = shard;
        if (!t.dtype) {
            out.findings.push_back(make(severity::warning, "unknown_dtype", file + ": tensor " + name + " has dtype " +
                t.dtype_name + ", which this checker cannot read; it is skipped.", file, name));
        }
        if (end < begin) {
            out.findings.push_back(make(severity::error, "bad_tensor_entry", file + ": " + name + " has data_offsets that end before they begin.", file, name));
            continue;
        }
        t.data_offset = data_start + begin;
        t.nbytes = end - begin;
        const uint64_t elems = t.n_elements();
        if (t.dtype && (elems == UINT64_MAX || elems > UINT64_MAX / t.dtype->size || elems * t.dtype->size != t.nbytes)) {
            out.findings.push_back(make(severity::error, "bad_tensor_size", file + ": " + name + " holds " + std::to_string(t.nbytes) +
                " bytes but its shape and dtype need " + (elems == UINT64_MAX ? std::string("more than 2^64") : std::to_string(elems * t.dtype->size)) + ".", file, name));
            continue;
        }
        if (end > data_size) {
            missing = std::max(missing, end - data_size);
            cut.push_back(name);
        }
        ranges.emplace_back(begin, end);
        out.tensors.push_back(std::move(t));
    }
    if (!cut.empty()) {
        out.findings.push_back(make(severity::error, "truncated", file + " is " + std::to_string(missing) +
            " bytes shorter than its tensors need (" + std::to_string(cut.size()) + " tensor(s) cut off, e.g. " + cut.front() +
            "). The download is incomplete; download it again.", file, cut.front()));
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
        if (ranges[i - 1].second > ranges[i].first) {
            out.findings.push_back(make(severity::error, "overlap", file + ": tensor data ranges overlap at data offset " +
                                                                    std::to_string(ranges[i].first) + ".", file));
            break;
        }
    }
    out.shards.push_back(std::move(s));
    return true;
}

hf_model hf_load(file_set & sources) {
    hf_model model;
    json index;
    std::string index_name;
    for (size_t i = 0; i < sources.size(); ++i) {
        byte_source & src = *sources[i];
        const std::string & name = src.name();
        if (ends_with(name, ".safetensors")) {
            const size_t shard = model.shards.size();
            if (safetensors_parse(src, shard, model)) model.shards.back().source = i;
        } else if (ends_with(name, ".json")) {
            if (src.size() > (64u << 20)) {
                model.findings.push_back(make(severity::error, "bad_json", name + " is too large for a config file.", name));
                continue;
            }
            std::string text((size_t) src.size(), '\0');
            json j = src.read(0, text.data(), text.size()) ? json::parse(text, nullptr, false) : json();
            if (j.is_discarded() || !j.is_object()) {
                model.findings.push_back(make(severity::error, "bad_json", name + " is not a JSON object.", name));
            } else if (ends_with(name, ".index.json")) {
                index = std::move(j);
                index_name = name;
            } else {
                model.config = std::move(j);
            }
        } else {
            model.findings.push_back(make(severity::warning, "ignored_file", name +
                " is not part of a Hugging Face checkpoint (config.json, *.safetensors, *.index.json); ignored.", name));
        }
    }
    model.usable = !model.shards.empty();

    // Duplicate tensor names across shards.
    std::set<std::string_view> seen;
    for (const auto & t : model.tensors) {
        if (!seen.insert(t.name).second) {
            model.findings.push_back(make(severity::error, "duplicate_tensor", "tensor " + t.name + " appears in more than one shard.", "", t.name));
        }
    }
    // The index names every shard and where each tensor lives.
    if (index.is_object() && index.contains("weight_map") && index["weight_map"].is_object()) {
        std::set<std::string> shard_names;
        for (const auto & s : model.shards) shard_names.insert(s.name);
        std::map<std::string, std::vector<std::string>> missing;
        for (const auto & [tensor, file] : index["weight_map"].items()) {
            if (!file.is_string()) continue;
            const std::string f = file.get<std::string>();
            if (!shard_names.count(f)) missing[f].push_back(tensor);
        }
        for (const auto & [f, tensors] : missing) {
            model.findings.push_back(make(severity::error, "missing_shard", index_name + " lists shard " + f + " (" +
                std::to_string(tensors.size()) + " tensors, e.g. " + tensors.front() + ") but it was not given. Add all shards.", f));
        }
    }
    if (model.config.is_null() && model.usable) {
        model.findings.push_back(make(severity::info, "no_config",
            "no config.json was given with the safetensors; the architecture is guessed from tensor names.", ""));
    }
    return model;
}

} // namespace gc
