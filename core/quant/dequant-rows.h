// Row-range and tile dequantization straight from a byte_source.
//
// A tensor is n_rows rows of ne0 elements (ggml order: ne[0] is the row,
// rows are ne[1] * ne[2] * ne[3]); row r starts at data_offset + r *
// row_bytes. These entry points read only the bytes of the requested rows
// (or columns), in bounded chunks, and decode them into the caller's f32
// buffer, so a consumer can stream tiles of a tensor of any size with a
// fixed amount of memory. Unknown or retired types, shapes that are not
// whole blocks and ranges outside the source are errors, never crashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "format/gguf.h"
#include "io/byte-source.h"

namespace gc {

// Where a tensor's bytes are and how they are laid out.
struct tensor_layout {
    uint32_t type = 0;          // ggml type id
    uint64_t ne0 = 0;           // elements per row
    uint64_t n_rows = 0;        // rows (product of ne[1..])
    uint64_t data_offset = 0;   // absolute offset of the first byte in its source
    uint64_t row_bytes = 0;     // bytes per row (set by tensor_layout_make)
};

// Fills a layout after checking that the type is readable, ne0 is a whole
// number of blocks and the tensor's size does not overflow. False + *error
// otherwise (the message names the type id or the shape).
bool tensor_layout_make(uint32_t type, uint64_t ne0, uint64_t n_rows, uint64_t data_offset,
                        tensor_layout * out, std::string * error);

// The layout of a tensor of a loaded GGUF model (see gguf_load).
bool tensor_layout_from_gguf(const gguf_tensor & t, tensor_layout * out, std::string * error);

struct dequant_options {
    bool use_ref = false;               // the scalar reference instead of the fast path
    size_t chunk_bytes = 4u << 20;      // read at most this much at once (at least one block)
};

// Announces (byte_source::will_read) that rows [r0, r1) of t are read next,
// in order; nothing when the range is invalid.
void will_read_rows(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1);

// Dequantizes rows [r0, r1) into dst, which holds (r1 - r0) * ne0 floats.
// False + *error when the range is invalid or a read fails; dst is then
// unspecified.
bool dequant_rows(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1, float * dst,
                  std::string * error, const dequant_options & opt = {});

// Dequantizes the tile rows [r0, r1) x columns [c0, c1) into dst with a row
// stride of ld floats (ld >= c1 - c0). c0 and c1 must be multiples of the
// type's block size: a block cannot be cut.
bool dequant_tile(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1, uint64_t c0, uint64_t c1,
                  float * dst, uint64_t ld, std::string * error, const dequant_options & opt = {});

} // namespace gc
