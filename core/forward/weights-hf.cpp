// weight_source over a Hugging Face checkpoint in GGUF names and layout
// (see weights.h and model/hf-map.h).
#include <algorithm>
#include <unordered_map>

#include "format/safetensors.h"
#include "forward/weights.h"
#include "model/hf-map.h"

namespace gc {

namespace {

const ggml_type_info * ggml_type_of(const st_dtype_info * d) {
    if (!d) return nullptr;
    const std::string n = d->name;
    if (n == "F32") return ggml_type_get(GGML_TYPE_F32);
    if (n == "F16") return ggml_type_get(GGML_TYPE_F16);
    if (n == "BF16") return ggml_type_get(GGML_TYPE_BF16);
    if (n == "F64") return ggml_type_get(GGML_TYPE_F64);
    if (n == "I8") return ggml_type_get(GGML_TYPE_I8);
    if (n == "I16") return ggml_type_get(GGML_TYPE_I16);
    if (n == "I32") return ggml_type_get(GGML_TYPE_I32);
    if (n == "I64") return ggml_type_get(GGML_TYPE_I64);
    return nullptr;
}

struct hf_entry {
    weight_tensor w;
    const st_tensor * st = nullptr;     // nullptr for generated tensors
    hf_tensor_ref ref;
    std::vector<float> generated;
};

class hf_weights final : public weight_source {
public:
    hf_weights(const hf_model & model, file_set & files, const hf_family & family)
        : model_(model), files_(files), family_(family) {}

    const weight_tensor * find(const std::string & name) const override {
        auto it = cache_.find(name);
        if (it != cache_.end()) return it->second ? &it->second->w : nullptr;
        auto & slot = cache_[name];
        auto ref = hf_map_name(family_, model_, name);
        if (!ref) return nullptr;
        auto e = std::make_unique<hf_entry>();
        e->ref = *ref;
        e->w.name = name;
        if (ref->generated) {
            if (!hf_generated_values(family_, model_, name, e->generated)) return nullptr;
            e->w.type = ggml_type_get(GGML_TYPE_F32);
            e->w.n_dims = 1;
            e->w.n_cols = (int64_t) e->generated.size();
            e->w.n_rows = 1;
            e->w.row_bytes = e->w.n_cols * 4;
        } else {
            const st_tensor * st = model_.find_tensor(ref->hf_name);
            if (!st || !st->dtype || st->shard >= model_.shards.size() || st->shape.size() > 4) return nullptr;
            e->st = st;
            e->w.type = ggml_type_of(st->dtype);
            e->w.n_dims = (int32_t) std::max<size_t>(st->shape.size(), 1);
            e->w.n_cols = st->shape.empty() ? 1 : (int64_t) st->shape.back();
            const uint64_t n = st->n_elements();
            if (e->w.n_cols <= 0 || n == UINT64_MAX || n % (uint64_t) e->w.n_cols != 0) return nullptr;
            e->w.n_rows = (int64_t) (n / (uint64_t) e->w.n_cols);
            e->w.row_bytes = (uint64_t) e->w.n_cols * st->dtype->size;
            e->w.source = model_.shards[st->shard].source;
            e->w.offset = st->data_offset;
            if (e->w.source >= files_.size() || !byte_range_ok(files_[e->w.source]->size(), st->data_offset, st->nbytes)) return nullptr;
            if (ref->transform == hf_transform::rope_permute) {
                const int32_t heads = ref->permute_heads;
                if (heads <= 0 || e->w.n_rows % heads != 0 || (e->w.n_rows / heads) % 2 != 0) return nullptr;
            }
        }
        slot = std::move(e);
        return &slot->w;
    }

    bool read_rows(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) override {
        auto it = cache_.find(t.name);
        if (it == cache_.end() || !it->second) {
            if (error) *error = "tensor " + t.name + " is not in the reference";
            return false;
        }
        const hf_entry & e = *it->second;
        if (r0 < 0 || nr < 0 || r0 > t.n_rows || nr > t.n_rows - r0) {
            if (error) *error = "row range outside tensor " + t.name;
            return false;
        }
        if (!e.st) {
            std::copy(e.generated.begin() + r0 * t.n_cols, e.generated.begin() + (r0 + nr) * t.n_cols, dst);
            return true;
        }
        if (e.ref.transform == hf_transform::rope_permute) {
            // GGUF rows of a head come from the same head in HF: read the
            // heads covering [r0, r0 + nr), then pick rows.
            const int64_t per_head = t.n_rows / e.ref.permute_heads;
            const int64_t h0 = r0 / per_head, h1 = (r0 + nr + per_head - 1) / per_head;
            std::vector<float> & heads = scratch_;
            heads.resize((size_t) ((h1 - h0) * per_head * t.n_cols));
            if (!read_plain(e, h0 * per_head, (h1 - h0) * per_head, heads.data(), error)) return false;
            for (int64_t r = r0; r < r0 + nr; ++r) {
                const int64_t src = hf_permuted_row(r, per_head) - h0 * per_head;
                std::copy_n(heads.data() + src * t.n_cols, t.n_cols, dst + (r - r0) * t.n_cols);
            }
            return true;
        }
        if (!read_plain(e, r0, nr, dst, error)) return false;
        if (e.ref.transform == hf_transform::plus_one) {
            for (int64_t i = 0; i < nr * t.n_cols; ++i) dst[i] += 1.0f;
        }
        return true;
    }

    uint64_t bytes_read() const override { return bytes_read_; }

    // The bytes read_rows reads for GGUF rows [r0, r0 + nr): the same HF
    // rows, or the whole heads holding them (rope_permute).
    void will_read_rows(const weight_tensor & t, int64_t r0, int64_t nr) override {
        auto it = cache_.find(t.name);
        if (it == cache_.end() || !it->second || !it->second->st || r0 < 0 || nr <= 0 || r0 > t.n_rows || nr > t.n_rows - r0) return;
        const hf_entry & e = *it->second;
        int64_t a = r0, b = r0 + nr;
        if (e.ref.transform == hf_transform::rope_permute) {
            const int64_t per_head = t.n_rows / e.ref.permute_heads;
            a = a / per_head * per_head;
            b = (b + per_head - 1) / per_head * per_head;
        }
        files_[e.w.source]->will_read(e.w.offset + e.w.row_bytes * (uint64_t) a, e.w.row_bytes * (uint64_t) (b - a));
    }

private:
    bool read_plain(const hf_entry & e, int64_t r0, int64_t nr, float * dst, std::string * error) {
        const uint64_t nbytes = e.w.row_bytes * (uint64_t) nr;
        raw_.resize(nbytes);
        if (!files_[e.w.source]->read(e.w.offset + e.w.row_bytes * (uint64_t) r0, raw_.data(), nbytes)) {
            if (error) *error = "cannot read " + e.st->name + " from " + files_[e.w.source]->name();
            return false;
        }
        bytes_read_ += nbytes;
        st_to_float(*e.st->dtype, raw_.data(), dst, nr * e.w.n_cols);
        return true;
    }

    const hf_model & model_;
    file_set & files_;
    hf_family family_;
    mutable std::unordered_map<std::string, std::unique_ptr<hf_entry>> cache_;
    std::vector<uint8_t> raw_;
    std::vector<float> scratch_;
    uint64_t bytes_read_ = 0;
};

} // namespace

std::unique_ptr<weight_source> weight_source_hf(const hf_model & model, file_set & files, const hf_family & family) {
    return std::make_unique<hf_weights>(model, files, family);
}

} // namespace gc
