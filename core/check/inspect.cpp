// The inspect report (see inspect.h).
#include "check/inspect.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

#include "check/integrity.h"
#include "format/ggml-types.h"

namespace gc {

using nlohmann::json;

namespace {

constexpr uint64_t INSPECT_ARRAY_PREVIEW = 8;

// general.file_type values (llama.cpp's enum llama_ftype).
const char * file_type_name(int64_t ft) {
    switch (ft) {
        case 0: return "F32";       case 1: return "F16";       case 2: return "Q4_0";
        case 3: return "Q4_1";      case 7: return "Q8_0";      case 8: return "Q5_0";
        case 9: return "Q5_1";      case 10: return "Q2_K";     case 11: return "Q3_K_S";
        case 12: return "Q3_K_M";   case 13: return "Q3_K_L";   case 14: return "Q4_K_S";
        case 15: return "Q4_K_M";   case 16: return "Q5_K_S";   case 17: return "Q5_K_M";
        case 18: return "Q6_K";     case 19: return "IQ2_XXS";  case 20: return "IQ2_XS";
        case 21: return "Q2_K_S";   case 22: return "IQ3_XS";   case 23: return "IQ3_XXS";
        case 24: return "IQ1_S";    case 25: return "IQ4_NL";   case 26: return "IQ3_S";
        case 27: return "IQ3_M";    case 28: return "IQ2_S";    case 29: return "IQ2_M";
        case 30: return "IQ4_XS";   case 31: return "IQ1_M";    case 32: return "BF16";
        case 36: return "TQ1_0";    case 37: return "TQ2_0";    case 38: return "MXFP4_MOE";
        default: return nullptr;
    }
}

json array_item(const gguf_value & v, uint64_t i) {
    switch (v.elem_type) {
        case gguf_type::STRING: return std::string(v.array_string(i));
        case gguf_type::ARRAY: return gguf_value_to_json(v.items[(size_t) i]);
        case gguf_type::BOOL: return v.array_int(i) != 0;
        case gguf_type::FLOAT32: case gguf_type::FLOAT64: {
            const double d = v.array_number(i);
            return std::isfinite(d) ? json(d) : json(nullptr);
        }
        case gguf_type::UINT64: {
            uint64_t u;
            std::memcpy(&u, v.packed.data() + i * 8, 8);
            return u;
        }
        default: return v.array_int(i);
    }
}

std::string type_name(uint32_t id) {
    const ggml_type_info * t = ggml_type_get(id);
    return t ? std::string(t->name) : "unknown(" + std::to_string(id) + ")";
}

} // namespace

json gguf_value_to_json(const gguf_value & v) {
    switch (v.type) {
        case gguf_type::STRING: return v.str;
        case gguf_type::BOOL: return v.i != 0;
        case gguf_type::FLOAT32: case gguf_type::FLOAT64: return std::isfinite(v.f) ? json(v.f) : json(nullptr);
        case gguf_type::UINT8: case gguf_type::UINT16: case gguf_type::UINT32: case gguf_type::UINT64: return v.u;
        case gguf_type::INT8: case gguf_type::INT16: case gguf_type::INT32: case gguf_type::INT64: return v.i;
        case gguf_type::ARRAY: {
            if (v.count <= INSPECT_ARRAY_INLINE_MAX) {
                json a = json::array();
                for (uint64_t i = 0; i < v.count; ++i) a.push_back(array_item(v, i));
                return a;
            }
            json first = json::array();
            for (uint64_t i = 0; i < INSPECT_ARRAY_PREVIEW; ++i) first.push_back(array_item(v, i));
            return json{ { "array_length", v.count }, { "elem_type", gguf_type_name(v.elem_type) }, { "first", first } };
        }
    }
    return nullptr;
}

json findings_to_json(const finding_list & findings) {
    json a = json::array();
    for (const auto & f : findings) {
        json o{ { "severity", severity_name(f.level) }, { "code", f.code }, { "message", f.message } };
        if (!f.file.empty()) o["file"] = f.file;
        if (!f.tensor.empty()) o["tensor"] = f.tensor;
        if (f.offset) o["offset"] = *f.offset;
        a.push_back(std::move(o));
    }
    return a;
}

json inspect_report(const gguf_model & model) {
    json j;
    j["format"] = "gguf";
    if (!model.usable) {
        j["usable"] = false;
        j["findings"] = findings_to_json(model.findings);
        return j;
    }
    const gguf_file & first = model.parts.front();
    uint64_t file_size = 0;
    for (const auto & p : model.parts) file_size += p.file_size;
    j["usable"] = true;
    j["version"] = first.header.version;
    j["architecture"] = model.architecture();
    const gguf_kv * name = model.find_kv("general.name");
    j["name"] = name && name->value.as_string() ? *name->value.as_string() : "";
    j["file_size"] = file_size;
    j["alignment"] = first.alignment;
    j["tensor_data_offset"] = first.tensor_data_offset;
    j["n_kv"] = first.kvs.size();
    j["n_tensors"] = model.tensors.size();
    if (model.parts.size() > 1) {
        json files = json::array();
        for (const auto & p : model.parts) {
            files.push_back({ { "name", p.name }, { "file_size", p.file_size }, { "n_kv", p.kvs.size() },
                              { "n_tensors", p.tensors.size() }, { "tensor_data_offset", p.tensor_data_offset } });
        }
        j["files"] = files;
    }
    if (const gguf_kv * ft = model.find_kv("general.file_type")) {
        if (auto v = ft->value.as_int()) {
            const char * n = file_type_name(*v);
            j["file_type"] = n ? n : "unknown(" + std::to_string(*v) + ")";
        }
    }

    uint64_t n_params = 0;
    std::map<std::string, json> census;
    json tensors = json::array();
    for (const auto & t : model.tensors) {
        const gguf_tensor_info & ti = *t.info;
        const uint64_t n = ti.n_elements();
        n_params += n;
        const std::string tn = type_name(ti.type);
        json & c = census[tn];
        if (c.is_null()) c = json{ { "tensors", 0 }, { "params", 0 }, { "bytes", 0 }, { "bpw", ggml_type_bpw(ti.type) } };
        c["tensors"] = c["tensors"].get<uint64_t>() + 1;
        c["params"] = c["params"].get<uint64_t>() + n;
        c["bytes"] = c["bytes"].get<uint64_t>() + t.nbytes.value_or(0);
        json shape = json::array();
        for (uint32_t d = 0; d < ti.n_dims; ++d) shape.push_back(ti.ne[d]);
        json o{ { "name", ti.name }, { "type", tn }, { "shape", shape }, { "offset", ti.offset } };
        o["nbytes"] = t.nbytes ? json(*t.nbytes) : json(nullptr);
        if (model.parts.size() > 1) o["file"] = model.parts[t.part].name;
        tensors.push_back(std::move(o));
    }
    j["n_params"] = n_params;
    j["type_census"] = json(census);

    json metadata = json::object();
    for (const auto & kv : first.kvs) metadata[kv.key] = gguf_value_to_json(kv.value);
    j["metadata"] = metadata;
    j["tensors"] = tensors;
    j["findings"] = findings_to_json(model.findings);
    return j;
}

std::string json_dump(const json & j, int indent) {
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string inspect_text(const gguf_model & model) {
    std::ostringstream out;
    if (model.usable) {
        const json r = inspect_report(model);
        out << "architecture  " << r["architecture"].get<std::string>() << "\n";
        out << "name          " << r["name"].get<std::string>() << "\n";
        out << "GGUF version  " << r["version"].get<uint32_t>() << ", " << model.parts.size() << " file(s), "
            << format_bytes(r["file_size"].get<uint64_t>()) << "\n";
        if (r.contains("file_type")) out << "file type     " << r["file_type"].get<std::string>() << "\n";
        out << "tensors       " << r["n_tensors"].get<uint64_t>() << ", parameters " << r["n_params"].get<uint64_t>() << "\n";
        out << "metadata      " << r["n_kv"].get<uint64_t>() << " keys\n";
        out << "types:\n";
        for (const auto & [type, c] : r["type_census"].items()) {
            char line[160];
            std::snprintf(line, sizeof line, "  %-10s %6llu tensors %14llu params %12s  %.2f bpw\n", type.c_str(),
                          (unsigned long long) c["tensors"].get<uint64_t>(), (unsigned long long) c["params"].get<uint64_t>(),
                          format_bytes(c["bytes"].get<uint64_t>()).c_str(), c["bpw"].get<double>());
            out << line;
        }
    }
    if (model.findings.empty()) {
        out << "findings: none\n";
    } else {
        out << "findings:\n";
        for (const auto & f : model.findings) {
            out << "  [" << severity_name(f.level) << "] " << f.code << ": " << f.message << "\n";
        }
    }
    return out.str();
}

} // namespace gc
