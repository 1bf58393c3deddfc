// Embind: dequantization entry points for the node tests and the wasm bench.
// A separate EMSCRIPTEN_BINDINGS block beside bindings.cpp; no math here.
//
// JS usage (tests/wasm/dequant.test.mjs):
//   M.dequantIsa()                            // "simd128" (or "scalar")
//   M.dequantBytes(typeId, u8, useRef)        // Float32Array copy, or null when
//                                             // the type is not decodable or u8
//                                             // is not whole blocks
//   const f = new M.DequantFile(reader); f.ok()   // a GGUF through a JS reader
//   f.rows(name, r0, r1, useRef)              // rows [r0, r1) of a tensor via the
//                                             // row-range API (r1 = -1: to the
//                                             // last row), or null; f.delete()
//   JSON.parse(M.ggmlTypeJson(id))            // {name, block_size, type_size,
//                                             // readable}, or "" for an unknown id
//   JSON.parse(M.benchDequantJson(elems, minTimeS, only))   // as `ggufcheck bench dequant --json`
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <exception>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/ggml-types.h"
#include "format/gguf.h"
#include "js-source.h"
#include "quant/dequant-bench.h"
#include "quant/dequant-rows.h"
#include "quant/dequant.h"

namespace {

using emscripten::val;

val float_array_copy(const std::vector<float> & v) {
    return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

std::string dequant_isa() {
    return gc::dequant_fast_isa();
}

val dequant_bytes(uint32_t type, val bytes, bool use_ref) {
    try {
        const gc::ggml_type_info * t = gc::ggml_type_get(type);
        if (!t || t->retired || !t->dequant) return val::null();
        const std::vector<uint8_t> raw = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
        if (raw.size() % (size_t) t->type_size != 0) return val::null();
        std::vector<float> out(raw.size() / (size_t) t->type_size * (size_t) t->block_size);
        (use_ref ? t->dequant_ref : t->dequant)(raw.data(), out.data(), (int64_t) out.size());
        return float_array_copy(out);
    } catch (...) {
        return val::null();
    }
}

// One GGUF opened through a JS reader, parsed once, for row-range reads.
class dequant_file {
public:
    explicit dequant_file(val reader) {
        try {
            std::string err;
            auto src = gc::byte_source_from_js(reader, &err);
            if (!src) return;
            sources_.push_back(gc::byte_source_read_ahead(std::move(src)));
            model_ = gc::gguf_load(sources_);
        } catch (...) {
            sources_.clear();
        }
    }

    bool ok() const { return !sources_.empty() && model_.usable; }

    // Rows [r0, r1) of tensor `name` (r1 = -1: to the last row) as a
    // Float32Array copy, or null (no such tensor, type not decodable, bad
    // range, read failure).
    val rows(const std::string & name, double r0, double r1, bool use_ref) {
        try {
            if (!ok()) return val::null();
            std::string err;
            const gc::gguf_tensor * t = model_.find_tensor(name);
            gc::tensor_layout lay;
            if (!t || !gc::tensor_layout_from_gguf(*t, &lay, &err)) return val::null();
            if (r1 < 0) r1 = (double) lay.n_rows;
            if (!(r0 >= 0 && r0 <= r1 && r1 <= (double) lay.n_rows)) return val::null();
            std::vector<float> out((size_t) (((uint64_t) r1 - (uint64_t) r0) * lay.ne0));
            gc::dequant_options opt;
            opt.use_ref = use_ref;
            if (!gc::dequant_rows(*sources_[0], lay, (uint64_t) r0, (uint64_t) r1, out.data(), &err, opt)) return val::null();
            return float_array_copy(out);
        } catch (...) {
            return val::null();
        }
    }

private:
    gc::file_set sources_;
    gc::gguf_model model_;
};

std::string ggml_type_json(uint32_t id) {
    const gc::ggml_type_info * t = gc::ggml_type_get(id);
    if (!t) return "";
    return nlohmann::json({ { "name", t->name }, { "block_size", t->block_size }, { "type_size", t->type_size },
                            { "readable", gc::ggml_type_readable(id) } }).dump();
}

std::string bench_dequant_json(double elems, double min_time_s, const std::string & only) {
    try {
        nlohmann::json types = nlohmann::json::array();
        for (const auto & r : gc::dequant_bench_run((int64_t) elems, min_time_s, only)) {
            types.push_back({ { "type", r.name }, { "bpw", r.bpw }, { "ref_gbps_in", r.ref_gbps_in },
                              { "ref_gelems_out", r.ref_gelems_out }, { "fast_gbps_in", r.fast_gbps_in },
                              { "fast_gelems_out", r.fast_gelems_out }, { "speedup", r.fast_gelems_out / r.ref_gelems_out } });
        }
        return nlohmann::json({ { "fast_isa", gc::dequant_fast_isa() }, { "types", types } }).dump();
    } catch (...) {
        return "";
    }
}

} // namespace

EMSCRIPTEN_BINDINGS(ggufcheck_dequant) {
    emscripten::function("dequantIsa", &dequant_isa);
    emscripten::function("dequantBytes", &dequant_bytes);
    emscripten::class_<dequant_file>("DequantFile")
        .constructor<val>()
        .function("ok", &dequant_file::ok)
        .function("rows", &dequant_file::rows);
    emscripten::function("ggmlTypeJson", &ggml_type_json);
    emscripten::function("benchDequantJson", &bench_dequant_json);
}
