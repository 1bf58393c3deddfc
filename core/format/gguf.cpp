// GGUF reader (see gguf.h for the layout).
#include "format/gguf.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "format/file-kind.h"
#include "format/ggml-types.h"

namespace gc {

namespace {

// Nested arrays deeper than this are rejected (no real file nests at all;
// the cap keeps a crafted file from exhausting the stack).
constexpr int GGUF_MAX_ARRAY_DEPTH = 8;

// The smallest possible encodings, used to reject counts that cannot fit
// in the bytes that remain before anything is allocated.
constexpr uint64_t GGUF_MIN_KV_BYTES = 8 + 4 + 1;            // empty key, u8 value
constexpr uint64_t GGUF_MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8; // empty name, 0 dims, type, offset

// A declared size that does not fit in the rest of the file is called a
// truncation when it is plausible (the file was probably cut off) and a bad
// length when it is absurd (crafted or corrupt).
const char * overrun_code(uint64_t count, uint64_t min_bytes) {
    constexpr uint64_t plausible = 1ull << 40;
    return (count <= plausible / min_bytes) ? "truncated" : "bad_length";
}

std::string hex64(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long) v);
    return buf;
}

} // namespace

const char * gguf_type_name(gguf_type t) {
    switch (t) {
        case gguf_type::UINT8: return "UINT8";
        case gguf_type::INT8: return "INT8";
        case gguf_type::UINT16: return "UINT16";
        case gguf_type::INT16: return "INT16";
        case gguf_type::UINT32: return "UINT32";
        case gguf_type::INT32: return "INT32";
        case gguf_type::FLOAT32: return "FLOAT32";
        case gguf_type::BOOL: return "BOOL";
        case gguf_type::STRING: return "STRING";
        case gguf_type::ARRAY: return "ARRAY";
        case gguf_type::UINT64: return "UINT64";
        case gguf_type::INT64: return "INT64";
        case gguf_type::FLOAT64: return "FLOAT64";
    }
    return "?";
}

size_t gguf_type_size(gguf_type t) {
    switch (t) {
        case gguf_type::UINT8: case gguf_type::INT8: case gguf_type::BOOL: return 1;
        case gguf_type::UINT16: case gguf_type::INT16: return 2;
        case gguf_type::UINT32: case gguf_type::INT32: case gguf_type::FLOAT32: return 4;
        case gguf_type::UINT64: case gguf_type::INT64: case gguf_type::FLOAT64: return 8;
        case gguf_type::STRING: case gguf_type::ARRAY: return 0;
    }
    return 0;
}

static bool gguf_type_valid(uint32_t t) { return t <= (uint32_t) gguf_type::FLOAT64; }

// ---------------------------------------------------------------- values

std::optional<int64_t> gguf_value::as_int() const {
    switch (type) {
        case gguf_type::UINT8: case gguf_type::UINT16: case gguf_type::UINT32:
            return (int64_t) u;
        case gguf_type::UINT64:
            if (u > (uint64_t) std::numeric_limits<int64_t>::max()) return std::nullopt;
            return (int64_t) u;
        case gguf_type::INT8: case gguf_type::INT16: case gguf_type::INT32: case gguf_type::INT64:
        case gguf_type::BOOL:
            return i;
        default:
            return std::nullopt;
    }
}

std::optional<double> gguf_value::as_number() const {
    if (type == gguf_type::FLOAT32 || type == gguf_type::FLOAT64) return f;
    if (type == gguf_type::UINT64) return (double) u;
    if (auto v = as_int()) return (double) *v;
    return std::nullopt;
}

const std::string * gguf_value::as_string() const {
    return type == gguf_type::STRING ? &str : nullptr;
}

std::string_view gguf_value::array_string(uint64_t idx) const {
    return std::string_view(str).substr(str_offsets[idx], str_offsets[idx + 1] - str_offsets[idx]);
}

double gguf_value::array_number(uint64_t idx) const {
    const uint8_t * p = packed.data() + idx * gguf_type_size(elem_type);
    switch (elem_type) {
        case gguf_type::FLOAT32: { float v; std::memcpy(&v, p, 4); return v; }
        case gguf_type::FLOAT64: { double v; std::memcpy(&v, p, 8); return v; }
        case gguf_type::UINT64: { uint64_t v; std::memcpy(&v, p, 8); return (double) v; }
        default: return (double) array_int(idx);
    }
}

int64_t gguf_value::array_int(uint64_t idx) const {
    const uint8_t * p = packed.data() + idx * gguf_type_size(elem_type);
    switch (elem_type) {
        case gguf_type::UINT8: case gguf_type::BOOL: return p[0];
        case gguf_type::INT8: return (int8_t) p[0];
        case gguf_type::UINT16: { uint16_t v; std::memcpy(&v, p, 2); return v; }
        case gguf_type::INT16: { int16_t v; std::memcpy(&v, p, 2); return v; }
        case gguf_type::UINT32: { uint32_t v; std::memcpy(&v, p, 4); return v; }
        case gguf_type::INT32: { int32_t v; std::memcpy(&v, p, 4); return v; }
        case gguf_type::UINT64: { uint64_t v; std::memcpy(&v, p, 8); return (int64_t) v; }
        case gguf_type::INT64: { int64_t v; std::memcpy(&v, p, 8); return v; }
        case gguf_type::FLOAT32: { float v; std::memcpy(&v, p, 4); return (int64_t) v; }
        case gguf_type::FLOAT64: { double v; std::memcpy(&v, p, 8); return (int64_t) v; }
        default: return 0;
    }
}

uint64_t gguf_tensor_info::n_elements() const {
    uint64_t n = 1;
    for (uint32_t d = 0; d < std::min(n_dims, GGUF_MAX_DIMS); ++d) {
        if (ne[d] != 0 && n > UINT64_MAX / ne[d]) return UINT64_MAX;
        n *= ne[d];
    }
    return n_dims == 0 ? 0 : n;
}

// ---------------------------------------------------------------- reader

bool gguf_reader::fail(const char * code, std::string message) {
    error_code_ = code;
    error_ = std::move(message);
    return false;
}

bool gguf_reader::read_bytes(void * dst, uint64_t len, const char * what) {
    const uint64_t size = src_.size();
    if (!byte_range_ok(size, pos_, len)) {
        return fail("truncated", std::string("file ends inside ") + what + " at offset " + std::to_string(pos_) +
                    " (needs " + std::to_string(len) + " bytes, " + std::to_string(pos_ <= size ? size - pos_ : 0) +
                    " remain)");
    }
    if (!src_.read(pos_, dst, (size_t) len)) {
        return fail("read_error", std::string("read error in ") + what + " at offset " + std::to_string(pos_));
    }
    pos_ += len;
    return true;
}

template <typename T> bool gguf_reader::read_scalar(T & out, const char * what) {
    return read_bytes(&out, sizeof out, what);
}

bool gguf_reader::read_string(std::string & out, const char * what) {
    const uint64_t start = pos_;
    uint64_t len = 0;
    if (!read_scalar(len, what)) return false;
    if (len > src_.size() - pos_) {
        return fail(overrun_code(len, 1), std::string(what) + " at offset " + std::to_string(start) + " declares length " +
                                      std::to_string(len) + ", past the end of the file");
    }
    out.resize((size_t) len);
    return read_bytes(out.data(), len, what);
}

bool gguf_reader::read_header(gguf_header & out) {
    char magic[4];
    if (src_.size() == 0) {
        return fail("truncated", "the file is empty (0 bytes): nothing was saved, the download or copy did not finish; "
                                 "download the file again");
    }
    if (!read_bytes(magic, 4, "the magic")) return false;
    if (std::memcmp(magic, "GGUF", 4) != 0) {
        // Name what the file looks like (an HTML error page, a zip, a
        // safetensors file, ...): that is what the user can act on.
        std::string got, hex;
        for (char c : magic) {
            got += (c >= 32 && c < 127) ? c : '?';
            char h[4];
            std::snprintf(h, sizeof h, "%s%02x", hex.empty() ? "" : " ", (unsigned) (uint8_t) c);
            hex += h;
        }
        return fail("bad_magic", "not a GGUF file: it starts with \"" + got + "\" (" + hex + ") at offset 0, not \"GGUF\". " +
                                     file_kind_explain(file_kind_of(src_)));
    }
    if (!read_scalar(out.version, "the version")) return false;
    if (out.version == 1) {
        return fail("unsupported_version", "GGUF version 1 (2023, u32 counts) is not supported; re-convert the model");
    }
    if (out.version != 2 && out.version != 3) {
        // A big-endian file shows its version byte-swapped (e.g. 0x03000000).
        const bool swapped = out.version == 0x02000000u || out.version == 0x03000000u;
        return fail("unsupported_version", "GGUF version " + std::to_string(out.version) +
                                              (swapped ? " (a big-endian file; only little-endian is supported)" : " is unknown (expected 2 or 3)"));
    }
    if (!read_scalar(out.n_tensors, "the tensor count")) return false;
    if (!read_scalar(out.n_kv, "the metadata count")) return false;
    const uint64_t remain = src_.size() - pos_;
    if (out.n_kv > remain / GGUF_MIN_KV_BYTES) {
        return fail(overrun_code(out.n_kv, GGUF_MIN_KV_BYTES), "header declares " + std::to_string(out.n_kv) + " metadata entries, more than the " +
                                      std::to_string(remain) + " remaining bytes can hold");
    }
    if (out.n_tensors > remain / GGUF_MIN_TENSOR_INFO_BYTES) {
        return fail(overrun_code(out.n_tensors, GGUF_MIN_TENSOR_INFO_BYTES), "header declares " + std::to_string(out.n_tensors) + " tensors, more than the " +
                                      std::to_string(remain) + " remaining bytes can hold");
    }
    return true;
}

bool gguf_reader::read_array(gguf_value & out, int depth) {
    const uint64_t start = pos_;
    uint32_t elem = 0;
    if (!read_scalar(elem, "an array type")) return false;
    if (!gguf_type_valid(elem)) {
        return fail("bad_value_type", "array at offset " + std::to_string(start) + " has element type " + std::to_string(elem) + " (valid: 0-12)");
    }
    out.elem_type = (gguf_type) elem;
    if (!read_scalar(out.count, "an array length")) return false;
    const uint64_t remain = src_.size() - pos_;
    const size_t esize = gguf_type_size(out.elem_type);
    // Minimum bytes per element: its size, 8 for a string's length, 12 for a nested array header.
    const uint64_t min_bytes = esize ? esize : (out.elem_type == gguf_type::STRING ? 8 : 12);
    if (out.count > remain / min_bytes) {
        return fail(overrun_code(out.count, min_bytes), "array at offset " + std::to_string(start) + " declares " + std::to_string(out.count) + " " +
                                      gguf_type_name(out.elem_type) + " elements, more than the " + std::to_string(remain) +
                                      " remaining bytes can hold");
    }
    if (esize) {
        out.packed.resize((size_t) (out.count * esize));
        return read_bytes(out.packed.data(), out.count * esize, "an array");
    }
    if (out.elem_type == gguf_type::STRING) {
        out.str_offsets.reserve((size_t) out.count + 1);
        out.str_offsets.push_back(0);
        for (uint64_t k = 0; k < out.count; ++k) {
            uint64_t len = 0;
            if (!read_scalar(len, "a string length")) return false;
            if (len > src_.size() - pos_) {
                return fail(overrun_code(len, 1), "string " + std::to_string(k) + " of the array at offset " + std::to_string(start) +
                                              " declares length " + std::to_string(len) + ", past the end of the file");
            }
            const size_t at = out.str.size();
            out.str.resize(at + (size_t) len);
            if (!read_bytes(out.str.data() + at, len, "a string")) return false;
            out.str_offsets.push_back(out.str.size());
        }
        return true;
    }
    if (depth >= GGUF_MAX_ARRAY_DEPTH) {
        return fail("bad_value_type", "arrays nested deeper than " + std::to_string(GGUF_MAX_ARRAY_DEPTH) + " at offset " + std::to_string(start));
    }
    out.items.resize((size_t) out.count);
    for (auto & item : out.items) {
        item.type = gguf_type::ARRAY;
        if (!read_array(item, depth + 1)) return false;
    }
    return true;
}

bool gguf_reader::read_value(gguf_type type, gguf_value & out, int depth) {
    out.type = type;
    switch (type) {
        case gguf_type::UINT8: { uint8_t v; if (!read_scalar(v, "a value")) return false; out.u = v; return true; }
        case gguf_type::UINT16: { uint16_t v; if (!read_scalar(v, "a value")) return false; out.u = v; return true; }
        case gguf_type::UINT32: { uint32_t v; if (!read_scalar(v, "a value")) return false; out.u = v; return true; }
        case gguf_type::UINT64: { uint64_t v; if (!read_scalar(v, "a value")) return false; out.u = v; return true; }
        case gguf_type::INT8: { int8_t v; if (!read_scalar(v, "a value")) return false; out.i = v; return true; }
        case gguf_type::INT16: { int16_t v; if (!read_scalar(v, "a value")) return false; out.i = v; return true; }
        case gguf_type::INT32: { int32_t v; if (!read_scalar(v, "a value")) return false; out.i = v; return true; }
        case gguf_type::INT64: { int64_t v; if (!read_scalar(v, "a value")) return false; out.i = v; return true; }
        case gguf_type::BOOL: { uint8_t v; if (!read_scalar(v, "a value")) return false; out.i = v != 0; return true; }
        case gguf_type::FLOAT32: { float v; if (!read_scalar(v, "a value")) return false; out.f = v; return true; }
        case gguf_type::FLOAT64: { double v; if (!read_scalar(v, "a value")) return false; out.f = v; return true; }
        case gguf_type::STRING: return read_string(out.str, "a string value");
        case gguf_type::ARRAY: return read_array(out, depth);
    }
    return false;
}

bool gguf_reader::next_kv(gguf_kv & out) {
    out = gguf_kv{};
    out.offset = pos_;
    if (!read_string(out.key, "a metadata key")) return false;
    uint32_t type = 0;
    if (!read_scalar(type, "a value type")) return false;
    if (!gguf_type_valid(type)) {
        return fail("bad_value_type", "metadata key \"" + out.key + "\" at offset " + std::to_string(out.offset) +
                                          " has value type " + std::to_string(type) + " (valid: 0-12)");
    }
    return read_value((gguf_type) type, out.value, 0);
}

bool gguf_reader::next_tensor(gguf_tensor_info & out) {
    out = gguf_tensor_info{};
    out.info_offset = pos_;
    if (!read_string(out.name, "a tensor name")) return false;
    if (!read_scalar(out.n_dims, "a tensor's dimension count")) return false;
    if (out.n_dims > GGUF_MAX_DIMS) {
        return fail("bad_tensor_dims", "tensor \"" + out.name + "\" at offset " + std::to_string(out.info_offset) + " has " +
                                           std::to_string(out.n_dims) + " dimensions (at most " + std::to_string(GGUF_MAX_DIMS) + ")");
    }
    for (uint32_t d = 0; d < out.n_dims; ++d) {
        if (!read_scalar(out.ne[d], "a tensor dimension")) return false;
        if (out.ne[d] > (uint64_t) std::numeric_limits<int64_t>::max()) {
            return fail("bad_tensor_dims", "tensor \"" + out.name + "\" dimension " + std::to_string(d) + " is " + hex64(out.ne[d]));
        }
    }
    if (!read_scalar(out.type, "a tensor type")) return false;
    return read_scalar(out.offset, "a tensor offset");
}

// ---------------------------------------------------------------- files

const gguf_kv * gguf_file::find_kv(std::string_view key) const {
    for (const auto & kv : kvs) {
        if (kv.key == key) return &kv;
    }
    return nullptr;
}

gguf_parse_result gguf_parse(byte_source & src) {
    gguf_parse_result r;
    r.file.name = src.name();
    r.file.file_size = src.size();
    const uint64_t fetched_before = src.bytes_fetched();
    gguf_reader reader(src);
    auto finish = [&](bool ok) {
        r.ok = ok;
        if (!ok) {
            r.error_code = reader.error_code();
            r.error = reader.error();
        }
        r.file.header_bytes_fetched = src.bytes_fetched() - fetched_before;
        return r;
    };
    if (!reader.read_header(r.file.header)) return finish(false);
    r.file.kvs.reserve((size_t) r.file.header.n_kv);
    for (uint64_t k = 0; k < r.file.header.n_kv; ++k) {
        gguf_kv kv;
        if (!reader.next_kv(kv)) return finish(false);
        r.file.kvs.push_back(std::move(kv));
    }
    r.file.tensors.reserve((size_t) r.file.header.n_tensors);
    for (uint64_t t = 0; t < r.file.header.n_tensors; ++t) {
        gguf_tensor_info ti;
        if (!reader.next_tensor(ti)) return finish(false);
        r.file.tensors.push_back(std::move(ti));
    }
    r.file.alignment = 32;
    if (const gguf_kv * a = r.file.find_kv("general.alignment")) {
        auto v = a->value.as_int();
        if (v && *v > 0 && *v <= (1 << 30) && (*v & (*v - 1)) == 0) {
            r.file.alignment = (uint32_t) *v;
        }
        // An invalid alignment is reported by gguf_load; 32 is assumed.
    }
    const uint64_t end = reader.position();
    r.file.tensor_data_offset = end + (r.file.alignment - end % r.file.alignment) % r.file.alignment;
    return finish(true);
}

} // namespace gc
