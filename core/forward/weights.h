// Weight access for the streaming forward: find a tensor by name, read a
// range of its rows dequantized to f32. Rows are ggml rows (ne[0] elements,
// contiguous in the file), so a row range is one contiguous byte range and
// one read. Dequantization goes through the type table only.
//
// Implementations: GGUF (weights-gguf.cpp, rows decoded by
// quant/dequant-rows.h), Hugging Face safetensors in GGUF names
// (weights-hf.cpp), and the what-if redirect over two sources
// (what-if.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "format/ggml-types.h"
#include "format/gguf.h"
#include "io/byte-source.h"

namespace gc {

struct weight_tensor {
    std::string name;
    const ggml_type_info * type = nullptr;
    int64_t n_cols = 0;        // ne[0]: elements per row
    int64_t n_rows = 0;        // ne[1] * ne[2] * ne[3]
    int32_t n_dims = 0;
    uint64_t row_bytes = 0;
    size_t source = 0;         // index into the file set
    uint64_t offset = 0;       // absolute offset of row 0
};

class weight_source {
public:
    virtual ~weight_source() = default;

    // nullptr when the tensor does not exist.
    virtual const weight_tensor * find(const std::string & name) const = 0;

    // Rows [r0, r0 + nr) of t as f32 into dst (nr * t.n_cols floats).
    // False with *error set when the range is outside the tensor, the bytes
    // cannot be read, or the type has no dequantization kernel.
    virtual bool read_rows(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) = 0;

    // Bytes of tensor data read so far.
    virtual uint64_t bytes_read() const = 0;

    // A hint from a streaming reader: rows [r0, r0 + nr) of t are read next,
    // in order (byte_source::will_read for the bytes behind them). Ignoring
    // it is correct.
    virtual void will_read_rows(const weight_tensor & t, int64_t r0, int64_t nr) {
        (void) t;
        (void) r0;
        (void) nr;
    }

    // Raw rows, for the integer GEMM (compute/qgemm.h): true when
    // read_raw_rows can return t's rows as stored in the file (GGUF sources;
    // not sources that convert or redirect tensors).
    virtual bool has_raw_rows(const weight_tensor & t) const {
        (void) t;
        return false;
    }

    // Rows [r0, r0 + nr) of t as stored: nr * t.row_bytes bytes into dst,
    // read on the calling thread like read_rows. False with *error when the
    // range is outside the tensor, the bytes cannot be read, or this source
    // has no raw form of t.
    virtual bool read_raw_rows(const weight_tensor & t, int64_t r0, int64_t nr, uint8_t * dst, std::string * error) {
        (void) r0;
        (void) nr;
        (void) dst;
        if (error) *error = "tensor " + t.name + " has no raw rows in this source";
        return false;
    }
};

// Over a loaded GGUF model and the file set it was loaded from. Both must
// outlive the source. Tensors whose byte range is invalid are left out (find
// returns nullptr; the integrity check reports them).
std::unique_ptr<weight_source> weight_source_gguf(const gguf_model & model, file_set & files);

// Over a Hugging Face checkpoint, presented in GGUF names and GGUF layout:
// find("blk.3.attn_q.weight") maps the name through model/hf-map.h and
// read_rows applies the converter's transform (Q/K row permutation, 1 + w
// norms) and creates converter-generated tensors (gemma4 rope_freqs), so a
// consumer compares or runs it exactly like a GGUF. weight_tensor::type is
// the ggml type of the same storage (BF16, F16, F32, ...), nullptr for FP8.
struct hf_family;
struct hf_model;
std::unique_ptr<weight_source> weight_source_hf(const hf_model & model, file_set & files, const hf_family & family);

} // namespace gc
