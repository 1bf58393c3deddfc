#include "forward/weights.h"
#include "quant/dequant-rows.h"
#include <cstdint>

namespace gc {

namespace {

class gguf_weights final : public weight_source {
public:
    gguf_weights(const gguf_model & model, file_set & files) : files_(files) {
        for (const gguf_tensor & t : model.tensors) {
            if (!t.info || t.part >= model.part_source.size()) continue;
            const size_t src = model.part_source[t.part];
            if (src >= files.size()) continue;
            weight_tensor w;
            w.name = t.info->name;
            w.type = ggml_type_get(t.info->type);
            w.n_dims = (int32_t) t.info->n_dims;
            if (t.info->ne[0] > (uint64_t) INT64_MAX) continue;
            w.n_cols = (int64_t) t.info->ne[0];
            uint64_t rows = 1;
            bool overflow = false;
            for (uint32_t d = 1; d < GGUF_MAX_DIMS; ++d) {
                if (t.info->ne[d] != 0 && rows > UINT64_MAX / t.info->ne[d]) overflow = true;
                rows *= t.info->ne[d];
            }
            if (overflow || rows > (uint64_t) INT64_MAX) continue;
            w.n_rows = (int64_t) rows;
            auto rb = ggml_row_bytes(t.info->type, t.info->ne[0]);
            w.row_bytes = rb.value_or(0);
            w.source = src;
            w.offset = t.data_offset;
            // Whole tensor inside its file (row_bytes 0 when the type is
            // unknown: kept so that the forward can name the type).
            if (rb) {
                if (*rb != 0 && rows > UINT64_MAX / *rb) continue;
                if (!byte_range_ok(files[src]->size(), w.offset, *rb * rows)) continue;
            }
            by_name_.emplace(w.name, std::move(w));
        }
    }

    const weight_tensor * find(const std::string & name) const override {
        auto it = by_name_.find(name);
        return it == by_name_.end() ? nullptr : &it->second;
    }

    // The bytes of rows [r0, r0 + nr) are one contiguous range; reading and
    // decoding them is quant/dequant-rows.h's job (bounded chunks, the type
    // table's kernel).
    bool read_rows(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) override {
        if (!t.type || t.type->retired || !t.type->dequant || t.row_bytes == 0) {
            if (error) {
                *error = "tensor " + t.name + " has type " + (t.type ? t.type->name : "unknown") +
                         ", which this build cannot dequantize yet";
            }
            return false;
        }
        if (r0 < 0 || nr < 0 || r0 > t.n_rows || nr > t.n_rows - r0) {
            if (error) *error = "row range outside tensor " + t.name;
            return false;
        }
        tensor_layout layout;
        layout.type = t.type->id;
        layout.ne0 = (uint64_t) t.n_cols;
        layout.n_rows = (uint64_t) t.n_rows;
        layout.data_offset = t.offset;
        layout.row_bytes = t.row_bytes;
        std::string e;
        if (!dequant_rows(*files_[t.source], layout, (uint64_t) r0, (uint64_t) (r0 + nr), dst, &e)) {
            if (error) *error = "cannot read rows of tensor " + t.name + ": " + e;
            return false;
        }
        bytes_read_ += t.row_bytes * (uint64_t) nr;
        return true;
    }

    uint64_t bytes_read() const override { return bytes_read_; }

    void will_read_rows(const weight_tensor & t, int64_t r0, int64_t nr) override {
        if (t.source >= files_.size() || r0 < 0 || nr <= 0 || r0 > t.n_rows || nr > t.n_rows - r0) return;
        files_[t.source]->will_read(t.offset + (uint64_t) r0 * t.row_bytes, (uint64_t) nr * t.row_bytes);
    }

    bool has_raw_rows(const weight_tensor & t) const override {
        return t.type && !t.type->retired && t.row_bytes != 0;
    }

    // One read of the rows' contiguous byte range (checked against the file
    // when the tensor was listed).
    bool read_raw_rows(const weight_tensor & t, int64_t r0, int64_t nr, uint8_t * dst, std::string * error) override {
        if (!has_raw_rows(t)) {
            if (error) *error = "tensor " + t.name + " has no readable rows";
            return false;
        }
        if (r0 < 0 || nr < 0 || r0 > t.n_rows || nr > t.n_rows - r0) {
            if (error) *error = "row range outside tensor " + t.name;
            return false;
        }
        const uint64_t len = t.row_bytes * (uint64_t) nr;
        if (len > SIZE_MAX) {
            if (error) *error = "row range of tensor " + t.name + " too large";
            return false;
        }
        if (len > 0 && !files_[t.source]->read(t.offset + t.row_bytes * (uint64_t) r0, dst, (size_t) len)) {
            if (error) *error = "cannot read rows of tensor " + t.name;
            return false;
        }
        bytes_read_ += len;
        return true;
    }

private:
    file_set & files_;
    std::unordered_map<std::string, weight_tensor> by_name_;
    uint64_t bytes_read_ = 0;
};

} // namespace

std::unique_ptr<weight_source> weight_source_gguf(const gguf_model & model, file_set & files) {
    return std::make_unique<gguf_weights>(model, files);
}

} // namespace gc
