// GGUF reader: bounds-checked, pull-style, over a byte_source.
//
// File layout (little-endian; ggml/docs/gguf.md):
//   magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv          (v2, v3)
//   n_kv   x { string key | u32 value_type | value }
//   n_tensors x { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset }
//   zero padding to general.alignment (default 32)
//   tensor data; each tensor at data_offset + offset, offset % alignment == 0
// string = u64 length + bytes (no NUL). array = u32 elem_type + u64 count + elems.
// v1 used u32 for counts and lengths; it is rejected with a clear message.
//
// Every length and count read from the file is checked against the bytes that
// remain before anything is allocated, so a crafted count of 2^60 costs one
// comparison, not a giant allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/finding.h"
#include "io/byte-source.h"

namespace gc {

enum class gguf_type : uint32_t {
    UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
    BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12,
};

const char * gguf_type_name(gguf_type t);

// Size in bytes of a fixed-size value type, 0 for STRING and ARRAY.
size_t gguf_type_size(gguf_type t);

// A metadata value. Scalars live in `number` (integers exactly in `i`/`u`),
// strings in `str`. Arrays keep their elements packed: numeric arrays in
// `packed` (elem size x count), string arrays as one buffer `str` with
// count + 1 offsets, arrays of arrays in `items`.
struct gguf_value {
    gguf_type type = gguf_type::UINT8;
    int64_t i = 0;          // signed integer scalars and BOOL (0/1)
    uint64_t u = 0;         // unsigned integer scalars
    double f = 0.0;         // FLOAT32 / FLOAT64 scalars
    std::string str;        // STRING, or the concatenated elements of a string array

    gguf_type elem_type = gguf_type::UINT8;   // arrays only
    uint64_t count = 0;                       // arrays only
    std::vector<uint8_t> packed;              // numeric arrays
    std::vector<uint64_t> str_offsets;        // string arrays: count + 1 entries
    std::vector<gguf_value> items;            // arrays of arrays

    bool is_array() const { return type == gguf_type::ARRAY; }

    // Scalar as an integer (integers, BOOL); nullopt for other types or when
    // a UINT64 does not fit.
    std::optional<int64_t> as_int() const;
    // Scalar as a number (integers, BOOL, floats).
    std::optional<double> as_number() const;
    // STRING value, or nullptr.
    const std::string * as_string() const;

    // Array element access; callers check elem_type and i < count.
    std::string_view array_string(uint64_t i) const;
    double array_number(uint64_t i) const;
    int64_t array_int(uint64_t i) const;
};

struct gguf_kv {
    std::string key;
    gguf_value value;
    uint64_t offset = 0;    // where the key starts in the file
};

constexpr uint32_t GGUF_MAX_DIMS = 4;

struct gguf_tensor_info {
    std::string name;
    uint32_t n_dims = 0;
    uint64_t ne[GGUF_MAX_DIMS] = { 1, 1, 1, 1 };   // ggml order: ne[0] varies fastest
    uint32_t type = 0;                             // ggml type id (may be unknown)
    uint64_t offset = 0;                           // relative to the data section
    uint64_t info_offset = 0;                      // where this record starts in the file

    uint64_t n_elements() const;                    // saturates at UINT64_MAX
};

struct gguf_header {
    uint32_t version = 0;
    uint64_t n_tensors = 0;
    uint64_t n_kv = 0;
};

// Pull-style reader: read_header, then next_kv n_kv times, then next_tensor
// n_tensors times. Each call returns false on a format error and sets error()
// to a message naming the field, the offset and the value.
class gguf_reader {
public:
    explicit gguf_reader(byte_source & src) : src_(src) {}

    bool read_header(gguf_header & out);
    bool next_kv(gguf_kv & out);
    bool next_tensor(gguf_tensor_info & out);

    uint64_t position() const { return pos_; }
    const std::string & error() const { return error_; }
    // The code of the last error, e.g. "bad_magic", "truncated", "bad_length".
    const std::string & error_code() const { return error_code_; }

private:
    bool fail(const char * code, std::string message);
    bool read_bytes(void * dst, uint64_t len, const char * what);
    template <typename T> bool read_scalar(T & out, const char * what);
    bool read_string(std::string & out, const char * what);
    bool read_value(gguf_type type, gguf_value & out, int depth);
    bool read_array(gguf_value & out, int depth);

    byte_source & src_;
    uint64_t pos_ = 0;
    std::string error_;
    std::string error_code_;
};

// One parsed GGUF file (one split part).
struct gguf_file {
    std::string name;
    uint64_t file_size = 0;
    gguf_header header;
    std::vector<gguf_kv> kvs;
    std::vector<gguf_tensor_info> tensors;
    uint32_t alignment = 32;
    uint64_t tensor_data_offset = 0;   // absolute start of the data section
    uint64_t header_bytes_fetched = 0;

    const gguf_kv * find_kv(std::string_view key) const;
};

// A tensor of the model, located in one part.
struct gguf_tensor {
    const gguf_tensor_info * info = nullptr;
    size_t part = 0;                   // index into gguf_model::parts (sorted by split.no)
    uint64_t data_offset = 0;          // absolute offset in its part
    std::optional<uint64_t> nbytes;    // nullopt when the type is unknown or the shape invalid
};

// A whole model: one file or a split set, presented as one.
struct gguf_model {
    std::vector<gguf_file> parts;      // sorted by split.no
    std::vector<size_t> part_source;   // parts[i] was read from sources[part_source[i]]
    std::vector<gguf_tensor> tensors;  // all parts, in file order
    finding_list findings;
    bool usable = false;               // false when no part's header could be parsed

    const gguf_kv * find_kv(std::string_view key) const;   // in the first part
    const gguf_tensor * find_tensor(std::string_view name) const;
    std::string architecture() const;                      // general.architecture or ""
    // "<arch>.<suffix>" as an integer / number, if present.
    std::optional<int64_t> arch_int(std::string_view suffix) const;
    std::optional<double> arch_number(std::string_view suffix) const;
};

// Parses the header region of one file (never its tensor data). On a format
// error the returned file holds what was read before it and *error is set.
struct gguf_parse_result {
    gguf_file file;
    bool ok = false;
    std::string error_code;
    std::string error;
};
gguf_parse_result gguf_parse(byte_source & src);

// Loads a model from one or more sources (a single GGUF or the parts of a
// split set, in any order) and runs the integrity checks: truncation,
// alignment, overlaps, sizes, unknown types, duplicates, missing parts,
// metadata vs tensors. Reads only header regions.
gguf_model gguf_load(file_set & sources);

} // namespace gc
