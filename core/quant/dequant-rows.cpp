// Row-range and tile dequantization (see dequant-rows.h).
#include "quant/dequant-rows.h"

#include <algorithm>
#include <vector>

#include "format/ggml-types.h"

namespace gc {

namespace {

bool fail(std::string * error, std::string message) {
    if (error) *error = std::move(message);
    return false;
}

std::string type_label(uint32_t type) {
    const ggml_type_info * info = ggml_type_get(type);
    return info ? std::string(info->name) + " (id " + std::to_string(type) + ")" : "unknown type id " + std::to_string(type);
}

// Decodes n_blocks consecutive blocks starting at byte offset `offset`,
// reading at most opt.chunk_bytes (rounded down to whole blocks, at least
// one) per read, into dst.
bool dequant_span(byte_source & src, const ggml_type_info & info, uint64_t offset, uint64_t n_blocks, float * dst,
                  std::vector<uint8_t> & buf, std::string * error, const dequant_options & opt) {
    const dequant_fn fn = opt.use_ref ? info.dequant_ref : info.dequant;
    const uint64_t type_size = (uint64_t) info.type_size;
    const uint64_t per_chunk = std::max<uint64_t>(1, opt.chunk_bytes / type_size);
    while (n_blocks > 0) {
        const uint64_t nb = std::min(n_blocks, per_chunk);
        const uint64_t len = nb * type_size;
        if (buf.size() < len) buf.resize(len);
        if (!byte_range_ok(src.size(), offset, len) || !src.read(offset, buf.data(), len)) {
            return fail(error, src.name() + ": cannot read " + std::to_string(len) + " bytes at offset " +
                               std::to_string(offset) + " (file size " + std::to_string(src.size()) + ")");
        }
        fn(buf.data(), dst, (int64_t) (nb * (uint64_t) info.block_size));
        dst += nb * (uint64_t) info.block_size;
        offset += len;
        n_blocks -= nb;
    }
    return true;
}

} // namespace

bool tensor_layout_make(uint32_t type, uint64_t ne0, uint64_t n_rows, uint64_t data_offset,
                        tensor_layout * out, std::string * error) {
    const ggml_type_info * info = ggml_type_get(type);
    if (!info || info->retired || !info->dequant || !info->dequant_ref) {
        return fail(error, type_label(type) + " cannot be decoded" +
                           (info && info->retired ? " (retired upstream)" : " (not an upstream ggml type)"));
    }
    const std::optional<uint64_t> row_bytes = ggml_row_bytes(type, ne0);
    if (!row_bytes) {
        return fail(error, "rows of " + std::to_string(ne0) + " elements are not whole " + info->name + " blocks of " +
                           std::to_string(info->block_size));
    }
    if (n_rows != 0 && *row_bytes > UINT64_MAX / n_rows) return fail(error, "tensor size overflows");
    if (n_rows != 0 && ne0 > (uint64_t) INT64_MAX / n_rows) return fail(error, "element count overflows");
    out->type = type;
    out->ne0 = ne0;
    out->n_rows = n_rows;
    out->data_offset = data_offset;
    out->row_bytes = *row_bytes;
    return true;
}

bool tensor_layout_from_gguf(const gguf_tensor & t, tensor_layout * out, std::string * error) {
    if (!t.info) return fail(error, "tensor without info");
    const gguf_tensor_info & ti = *t.info;
    uint64_t n_rows = 1;
    for (uint32_t d = 1; d < ti.n_dims && d < GGUF_MAX_DIMS; ++d) {
        if (ti.ne[d] != 0 && n_rows > UINT64_MAX / ti.ne[d]) return fail(error, ti.name + ": row count overflows");
        n_rows *= ti.ne[d];
    }
    if (!tensor_layout_make(ti.type, ti.n_dims == 0 ? 1 : ti.ne[0], n_rows, t.data_offset, out, error)) {
        if (error) *error = ti.name + ": " + *error;
        return false;
    }
    return true;
}

void will_read_rows(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1) {
    if (r0 >= r1 || r1 > t.n_rows || (t.row_bytes != 0 && r1 > UINT64_MAX / t.row_bytes)) return;
    if (t.data_offset > UINT64_MAX - r1 * t.row_bytes) return;
    const uint64_t begin = t.data_offset + r0 * t.row_bytes, len = (r1 - r0) * t.row_bytes;
    if (byte_range_ok(src.size(), begin, len)) src.will_read(begin, len);
}

bool dequant_rows(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1, float * dst,
                  std::string * error, const dequant_options & opt) {
    if (r0 > r1 || r1 > t.n_rows) {
        return fail(error, "row range " + std::to_string(r0) + ":" + std::to_string(r1) + " outside 0:" + std::to_string(t.n_rows));
    }
    const ggml_type_info * info = ggml_type_get(t.type);
    if (!info || info->retired || !info->dequant) return fail(error, type_label(t.type) + " cannot be decoded");
    if (r0 == r1 || t.ne0 == 0) return true;
    const uint64_t blocks_per_row = t.ne0 / (uint64_t) info->block_size;
    if (t.data_offset > UINT64_MAX - r1 * t.row_bytes) return fail(error, "tensor offset overflows");
    std::vector<uint8_t> buf;
    return dequant_span(src, *info, t.data_offset + r0 * t.row_bytes, (r1 - r0) * blocks_per_row, dst, buf, error, opt);
}

bool dequant_tile(byte_source & src, const tensor_layout & t, uint64_t r0, uint64_t r1, uint64_t c0, uint64_t c1,
                  float * dst, uint64_t ld, std::string * error, const dequant_options & opt) {
    if (r0 > r1 || r1 > t.n_rows) {
        return fail(error, "row range " + std::to_string(r0) + ":" + std::to_string(r1) + " outside 0:" + std::to_string(t.n_rows));
    }
    if (c0 > c1 || c1 > t.ne0) {
        return fail(error, "column range " + std::to_string(c0) + ":" + std::to_string(c1) + " outside 0:" + std::to_string(t.ne0));
    }
    if (ld < c1 - c0) return fail(error, "tile row stride smaller than the tile width");
    const ggml_type_info * info = ggml_type_get(t.type);
    if (!info || info->retired || !info->dequant) return fail(error, type_label(t.type) + " cannot be decoded");
    const uint64_t bs = (uint64_t) info->block_size;
    if (c0 % bs != 0 || c1 % bs != 0) {
        return fail(error, "tile columns " + std::to_string(c0) + ":" + std::to_string(c1) + " cut " + info->name +
                           " blocks of " + std::to_string(bs));
    }
    if (r0 == r1 || c0 == c1) return true;
    if (t.data_offset > UINT64_MAX - r1 * t.row_bytes) return fail(error, "tensor offset overflows");
    std::vector<uint8_t> buf;
    const uint64_t col_offset = c0 / bs * (uint64_t) info->type_size;
    for (uint64_t r = r0; r < r1; ++r) {
        if (!dequant_span(src, *info, t.data_offset + r * t.row_bytes + col_offset, (c1 - c0) / bs,
                          dst + (r - r0) * ld, buf, error, opt)) {
            return false;
        }
    }
    return true;
}

} // namespace gc
