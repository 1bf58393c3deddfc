#include "forward/forward.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>

#include "compute/gemm.h"
#include "compute/tile-stream.h"
#include "compute/ops.h"
#include "compute/thread-pool.h"
#include "quant/act-quant.h"

namespace gc {

const char * activation_mode_name(activation_mode m) { return m == activation_mode::ggml ? "ggml" : "f32"; }

bool activation_mode_parse(const std::string & s, activation_mode * m) {
    if (s == "f32") *m = activation_mode::f32;
    else if (s == "ggml") *m = activation_mode::ggml;
    else return false;
    return true;
}

namespace {

// Checks that a tensor exists with n_cols x n_rows and a decodable type.
bool check_tensor(weight_source & w, const std::string & name, int64_t n_cols, int64_t n_rows, std::string * error) {
    const weight_tensor * t = w.find(name);
    if (!t) {
        if (error) *error = "tensor " + name + " is missing (or its data lies outside the file)";
        return false;
    }
    if (t->n_cols != n_cols || t->n_rows != n_rows) {
        if (error) {
            *error = "tensor " + name + " has shape [" + std::to_string(t->n_cols) + ", " + std::to_string(t->n_rows) +
                     "], the architecture expects [" + std::to_string(n_cols) + ", " + std::to_string(n_rows) + "]";
        }
        return false;
    }
    if (!t->type || t->type->retired || !t->type->dequant || t->row_bytes == 0) {
        if (error) {
            *error = "tensor " + name + " has type " + (t->type ? std::string(t->type->name) : "unknown") +
                     ", which this build cannot dequantize yet";
        }
        return false;
    }
    return true;
}

int64_t elapsed_ns(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
}

bool check_optional(weight_source & w, const std::string & name, int64_t n_cols, int64_t n_rows, std::string * error) {
    return name.empty() || check_tensor(w, name, n_cols, n_rows, error);
}

// A layer whose V is its raw K projection needs equal K and V head sizes.
bool check_k_eq_v(const layer_desc & L, std::string * error) {
    if (L.head_dim_v == L.head_dim) return true;
    if (error) *error = "a layer without attn_v (V = K) has different K and V head sizes";
    return false;
}

// Runs fn(r0, r1) over [0, n_rows) in blocks of k_rows_per_item rows on the
// pool. Blocks depend on n_rows only and every row is computed by the same
// code whatever block it falls in, so results do not depend on the thread
// count. The element-wise steps of the layer (norms, residual adds,
// activations) only touch memory, as pool work must (tile-stream.h).
constexpr int64_t k_rows_per_item = 8;

void for_row_blocks(thread_pool * pool, int64_t n_rows, const std::function<void(int64_t r0, int64_t r1)> & fn) {
    const int64_t n_items = (n_rows + k_rows_per_item - 1) / k_rows_per_item;
    parallel_for(pool, n_items, [&](int64_t i, int) {
        const int64_t r0 = i * k_rows_per_item;
        fn(r0, std::min(n_rows, r0 + k_rows_per_item));
    });
}

// rmsnorm_rows over the pool.
void rmsnorm_rows_par(thread_pool * pool, const float * x, int64_t n_rows, int64_t n, const float * w, float eps,
                      float * y) {
    for_row_blocks(pool, n_rows, [&](int64_t r0, int64_t r1) {
        rmsnorm_rows(x + r0 * n, r1 - r0, n, w, eps, y + r0 * n);
    });
}

// x += o over T rows of d floats, on the pool.
void add_rows_par(thread_pool * pool, float * x, const float * o, int64_t n_rows, int64_t d) {
    for_row_blocks(pool, n_rows, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0 * d; i < r1 * d; ++i) x[i] += o[i];
    });
}

// y = x rounded to format f (quant/act-quant.h), n_rows rows of n floats,
// on the pool. Each row's rounding depends on that row only.
void round_rows_par(thread_pool * pool, act_format f, const float * x, int64_t n_rows, int64_t n, float * y) {
    for_row_blocks(pool, n_rows, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) act_round_trip_row(f, x + r * n, n, y + r * n);
    });
}

} // namespace

bool forward_check_model(const model_desc & d, weight_source & w, std::string * error) {
    if (d.layers.empty() || d.n_embd <= 0 || d.n_vocab <= 0) {
        if (error) *error = "the model description is empty";
        return false;
    }
    if (!check_tensor(w, d.tok_embd, d.n_embd, d.n_vocab, error)) return false;
    if (!check_tensor(w, d.output, d.n_embd, d.n_vocab, error)) return false;
    if (!check_tensor(w, d.output_norm, d.n_embd, 1, error)) return false;
    for (size_t il = 0; il < d.layers.size(); ++il) {
        const layer_desc & L = d.layers[il];
        if (L.n_head <= 0 || L.n_head_kv <= 0 || L.n_head % L.n_head_kv != 0 || L.head_dim <= 0 || L.head_dim_v <= 0 ||
            L.n_ff <= 0 || L.rope.n_rot > L.head_dim) {
            if (error) *error = "layer " + std::to_string(il) + " has inconsistent hyper-parameters";
            return false;
        }
        const int64_t qw = (int64_t) L.n_head * L.head_dim;
        const int64_t kw = (int64_t) L.n_head_kv * L.head_dim;
        const int64_t vw = (int64_t) L.n_head_kv * L.head_dim_v;
        const int64_t aw = (int64_t) L.n_head * L.head_dim_v;
        const bool ok =
            check_tensor(w, L.attn_norm, d.n_embd, 1, error) &&
            check_tensor(w, L.wq, d.n_embd, qw, error) &&
            check_tensor(w, L.wk, d.n_embd, kw, error) &&
            (L.v_from_k ? check_k_eq_v(L, error) : check_tensor(w, L.wv, d.n_embd, vw, error)) &&
            check_tensor(w, L.wo, aw, d.n_embd, error) &&
            check_optional(w, L.q_norm, L.head_dim, 1, error) &&
            check_optional(w, L.k_norm, L.head_dim, 1, error) &&
            check_optional(w, L.post_attn_norm, d.n_embd, 1, error) &&
            check_tensor(w, L.ffn_norm, d.n_embd, 1, error) &&
            check_tensor(w, L.ffn_gate, d.n_embd, L.n_ff, error) &&
            check_tensor(w, L.ffn_up, d.n_embd, L.n_ff, error) &&
            check_tensor(w, L.ffn_down, L.n_ff, d.n_embd, error) &&
            check_optional(w, L.post_ffn_norm, d.n_embd, 1, error) &&
            check_optional(w, L.out_scale, 1, 1, error) &&
            check_optional(w, L.rope_freqs, L.rope.n_rot / 2, 1, error);
        if (!ok) return false;
    }
    return true;
}

int64_t forward_floats_per_token(const model_desc & d) {
    int64_t m = 0;
    for (const layer_desc & L : d.layers) {
        const int64_t qw = (int64_t) L.n_head * L.head_dim;
        const int64_t kw = (int64_t) L.n_head_kv * L.head_dim;
        const int64_t vw = (int64_t) L.n_head_kv * L.head_dim_v;
        const int64_t aw = (int64_t) L.n_head * L.head_dim_v;
        // x, xn, o + q, k, v, att + g, u
        m = std::max(m, 3 * (int64_t) d.n_embd + qw + kw + vw + aw + 2 * (int64_t) L.n_ff);
    }
    return m;
}

forward_runner::forward_runner(const model_desc & desc, weight_source & weights)
    : desc_(desc), weights_(weights), scores_(1), rope_index_(desc.layers.size(), -1) {}

void forward_runner::set_pool(thread_pool * pool) {
    pool_ = pool;
    scores_.resize((size_t) n_workers());
    qscratch_.resize((size_t) n_workers());
}

bool forward_runner::read_raw_timed(const weight_tensor & t, int64_t r0, int64_t nr, void * dst, std::string * error) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = weights_.read_raw_rows(t, r0, nr, static_cast<uint8_t *>(dst), error);
    read_ns_ += elapsed_ns(t0);
    return ok;
}

bool forward_runner::use_int_kernel(const weight_tensor & t) const {
    return act_mode_ == activation_mode::ggml && t.type && qgemm_supported(t.type->id) && weights_.has_raw_rows(t) &&
           t.n_cols % act_format_block(act_format_for_weight(t.type->id)) == 0;
}

bool forward_runner::linear_int(const weight_tensor & t, const float * x, int64_t n_tok, int64_t n_in, float * y,
                                int64_t n_out, std::string * error) {
    // X quantized once for all tiles (on the pool), then the tiles' raw rows
    // streamed as in linear(): the calling thread reads, the pool multiplies.
    {
        const auto t0 = std::chrono::steady_clock::now();
        qgemm_acts_build(t.type->id, x, n_tok, n_in, pool_, qacts_);
        gemm_ns_ += elapsed_ns(t0);
    }
    if (qscratch_.size() < (size_t) n_workers()) qscratch_.resize((size_t) n_workers());
    const int64_t tr = tile_rows_for(n_in, n_out);
    const int64_t n_tiles = (n_out + tr - 1) / tr;
    // Raw rows never take more bytes than their f32 values.
    const size_t slot_floats = (size_t) std::max<int64_t>(tr * n_in, (int64_t) ((t.row_bytes * (uint64_t) tr + 3) / 4));
    return stream_tiles(
        pool_, n_tiles, slot_floats, slots_,
        [&](int64_t i, float * tile, std::string * e) {
            const int64_t r0 = i * tr;
            return read_raw_timed(t, r0, std::min(tr, n_out - r0), tile, e);
        },
        [&](int64_t i, const float * tile, int worker) {
            const int64_t r0 = i * tr;
            const auto t0 = std::chrono::steady_clock::now();
            qgemm_tile(qacts_, reinterpret_cast<const uint8_t *>(tile), std::min(tr, n_out - r0), y + r0, n_out,
                       qscratch_[(size_t) worker]);
            gemm_ns_ += elapsed_ns(t0);
        },
        error);
}

bool forward_runner::read_rows_timed(const weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = weights_.read_rows(t, r0, nr, dst, error);
    read_ns_ += elapsed_ns(t0);
    return ok;
}

int64_t forward_runner::tile_rows(int64_t n_in, int64_t n_rows, int64_t tile_floats) {
    const int64_t target_floats = tile_floats > 0 ? tile_floats : k_tile_floats;   // default 1 MiB of f32 per tile
    int64_t r = std::max<int64_t>(1, target_floats / std::max<int64_t>(1, n_in));
    if (r > 16) r -= r % 16;
    return std::min(r, n_rows);
}

bool forward_runner::linear(const std::string & name, const float * x, int64_t n_tok, int64_t n_in, float * y,
                            int64_t n_out, std::string * error) {
    const weight_tensor * t = weights_.find(name);
    if (!t || t->n_cols != n_in || t->n_rows != n_out) {
        if (error) *error = "tensor " + name + " is missing or has an unexpected shape";
        return false;
    }
    // ggml arithmetic, reference path: the activations rounded as ggml-cpu
    // rounds them for this weight type, then the f32 product.
    if (act_mode_ == activation_mode::ggml) {
        const act_format af = act_format_for_weight(t->type ? t->type->id : GGML_TYPE_F32);
        if (af != act_format::f32) {
            if (n_in % act_format_block(af) != 0) {
                if (error) *error = "tensor " + name + ": rows of " + std::to_string(n_in) + " values do not fill " + act_format_name(af) + " blocks";
                return false;
            }
            if (use_int_kernel(*t)) return linear_int(*t, x, n_tok, n_in, y, n_out, error);
            xr_.resize((size_t) (n_tok * n_in));
            round_rows_par(pool_, af, x, n_tok, n_in, xr_.data());
            x = xr_.data();
        }
    }
    // Tile boundaries depend on the shapes only; tile i writes columns
    // [i tr, i tr + nr) of y. The calling thread reads the tiles (see
    // compute/tile-stream.h), the pool multiplies them.
    const int64_t tr = tile_rows_for(n_in, n_out);
    const int64_t n_tiles = (n_out + tr - 1) / tr;
    return stream_tiles(
        pool_, n_tiles, (size_t) (tr * n_in), slots_,
        [&](int64_t i, float * tile, std::string * e) {
            const int64_t r0 = i * tr;
            return read_rows_timed(*t, r0, std::min(tr, n_out - r0), tile, e);
        },
        [&](int64_t i, const float * tile, int) {
            const int64_t r0 = i * tr;
            const auto t0 = std::chrono::steady_clock::now();
            gemm_xwt(x, n_tok, n_in, tile, std::min(tr, n_out - r0), y + r0, n_out);
            gemm_ns_ += elapsed_ns(t0);
        },
        error);
}

bool forward_runner::read_vector(const std::string & name, int64_t n, std::vector<float> & out, std::string * error) {
    const weight_tensor * t = weights_.find(name);
    if (!t || t->n_cols * t->n_rows != n) {
        if (error) *error = "tensor " + name + " is missing or does not hold " + std::to_string(n) + " values";
        return false;
    }
    out.resize((size_t) n);
    return read_rows_timed(*t, 0, t->n_rows, out.data(), error);
}

bool forward_runner::embed(const int32_t * tokens, int64_t n_tok, std::vector<float> & x, std::string * error) {
    const weight_tensor * t = weights_.find(desc_.tok_embd);
    if (!t) {
        if (error) *error = "tensor " + desc_.tok_embd + " is missing";
        return false;
    }
    const int64_t d = desc_.n_embd;
    x.resize((size_t) (n_tok * d));
    // Each distinct token's row is read once.
    std::vector<int32_t> ids(tokens, tokens + n_tok);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<float> rows(ids.size() * (size_t) d);
    for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] < 0 || ids[i] >= t->n_rows) {
            if (error) *error = "token id " + std::to_string(ids[i]) + " is outside the vocabulary";
            return false;
        }
        if (!read_rows_timed(*t, ids[i], 1, rows.data() + i * d, error)) return false;
    }
    for (int64_t i = 0; i < n_tok; ++i) {
        const size_t r = (size_t) (std::lower_bound(ids.begin(), ids.end(), tokens[i]) - ids.begin());
        const float * src = rows.data() + r * d;
        float * dst = x.data() + i * d;
        for (int64_t c = 0; c < d; ++c) dst[c] = src[c] * desc_.embd_scale;
    }
    return true;
}

const rope_table & forward_runner::rope_for(int32_t il, int32_t n_ctx, std::string * error, bool & ok) {
    ok = true;
    const layer_desc & L = desc_.layers[il];
    int32_t & idx = rope_index_[il];
    if (idx >= 0 && rope_tables_[idx].n_pos >= n_ctx) return rope_tables_[idx];
    rope_params p = L.rope;
    if (!L.rope_freqs.empty()) {
        if (!read_vector(L.rope_freqs, L.rope.n_rot / 2, p.freq_factors, error)) {
            ok = false;
            static const rope_table empty;
            return empty;
        }
    }
    for (size_t i = 0; i < rope_tables_.size(); ++i) {
        const rope_params & q = rope_tables_[i].params;
        if (rope_tables_[i].n_pos >= n_ctx && q.kind == p.kind && q.n_rot == p.n_rot && q.freq_base == p.freq_base &&
            q.freq_scale == p.freq_scale && q.freq_factors == p.freq_factors) {
            idx = (int32_t) i;
            return rope_tables_[i];
        }
    }
    rope_tables_.push_back(rope_table_build(p, n_ctx));
    idx = (int32_t) rope_tables_.size() - 1;
    return rope_tables_[idx];
}

bool forward_runner::layer(int32_t il, float * x, int32_t n_seq, int32_t n_ctx, std::string * error) {
    const layer_desc & L = desc_.layers[il];
    const int64_t T = (int64_t) n_seq * n_ctx;
    const int64_t d = desc_.n_embd;
    const int64_t qw = (int64_t) L.n_head * L.head_dim;
    const int64_t kw = (int64_t) L.n_head_kv * L.head_dim;
    const int64_t vw = (int64_t) L.n_head_kv * L.head_dim_v;
    const int64_t aw = (int64_t) L.n_head * L.head_dim_v;
    const float eps = desc_.norm_eps;
    xn_.resize((size_t) (T * d));
    o_.resize((size_t) (T * d));
    q_.resize((size_t) (T * qw));
    k_.resize((size_t) (T * kw));
    v_.resize((size_t) (T * vw));
    att_.resize((size_t) (T * aw));
    g_.resize((size_t) (T * L.n_ff));
    u_.resize((size_t) (T * L.n_ff));

    // The layer's 1-D tensors.
    if (!read_vector(L.attn_norm, d, w_norm_, error) || !read_vector(L.ffn_norm, d, w_ffn_norm_, error)) return false;
    if (!L.q_norm.empty() && !read_vector(L.q_norm, L.head_dim, w_qn_, error)) return false;
    if (!L.k_norm.empty() && !read_vector(L.k_norm, L.head_dim, w_kn_, error)) return false;
    if (!L.post_attn_norm.empty() && !read_vector(L.post_attn_norm, d, w_post_attn_, error)) return false;
    if (!L.post_ffn_norm.empty() && !read_vector(L.post_ffn_norm, d, w_post_ffn_, error)) return false;
    float out_scale = 1.0f;
    if (!L.out_scale.empty()) {
        std::vector<float> s;
        if (!read_vector(L.out_scale, 1, s, error)) return false;
        out_scale = s[0];
    }
    bool ok = true;
    const rope_table & rope = rope_for(il, n_ctx, error, ok);
    if (!ok) return false;

    // Attention: a = RMS(x), projections.
    rmsnorm_rows_par(pool_, x, T, d, w_norm_.data(), eps, xn_.data());
    if (!linear(L.wq, xn_.data(), T, d, q_.data(), qw, error)) return false;
    if (!linear(L.wk, xn_.data(), T, d, k_.data(), kw, error)) return false;
    if (L.v_from_k) {
        std::memcpy(v_.data(), k_.data(), (size_t) (T * kw) * sizeof(float));   // raw K, before k_norm
    } else if (!linear(L.wv, xn_.data(), T, d, v_.data(), vw, error)) {
        return false;
    }
    // Per-head norms.
    if (!L.q_norm.empty()) rmsnorm_rows_par(pool_, q_.data(), T * L.n_head, L.head_dim, w_qn_.data(), eps, q_.data());
    if (!L.k_norm.empty()) rmsnorm_rows_par(pool_, k_.data(), T * L.n_head_kv, L.head_dim, w_kn_.data(), eps, k_.data());
    if (L.v_norm) rmsnorm_rows_par(pool_, v_.data(), T * L.n_head_kv, L.head_dim_v, nullptr, eps, v_.data());
    // RoPE on q and k; position = index inside the chunk. Per token.
    parallel_for(pool_, T, [&](int64_t t, int) {
        const int32_t pos = (int32_t) (t % n_ctx);
        rope_apply(rope, q_.data() + t * qw, L.n_head, L.head_dim, pos);
        rope_apply(rope, k_.data() + t * kw, L.n_head_kv, L.head_dim, pos);
    });
    // ggml arithmetic: K and V enter llama.cpp's KV cache, F16 by default.
    if (act_mode_ == activation_mode::ggml) {
        round_rows_par(pool_, act_format::f16, k_.data(), T, kw, k_.data());
        round_rows_par(pool_, act_format::f16, v_.data(), T, vw, v_.data());
    }
    // Attention per chunk.
    attention_params ap;
    ap.n_head = L.n_head;
    ap.n_head_kv = L.n_head_kv;
    ap.head_dim = L.head_dim;
    ap.head_dim_v = L.head_dim_v;
    ap.scale = L.attn_scale;
    ap.softcap = L.attn_softcap;
    ap.window = L.sliding_window;
    // One work item per (chunk, query head): each writes its own columns.
    parallel_for(pool_, (int64_t) n_seq * L.n_head, [&](int64_t i, int worker) {
        const int32_t s = (int32_t) (i / L.n_head), h = (int32_t) (i % L.n_head);
        const int64_t t0 = (int64_t) s * n_ctx;
        attention_chunk_heads(ap, n_ctx, q_.data() + t0 * qw, k_.data() + t0 * kw, v_.data() + t0 * vw,
                              att_.data() + t0 * aw, h, h + 1, scores_[(size_t) worker]);
    });
    // Output projection, optional post-norm, residual.
    if (!linear(L.wo, att_.data(), T, aw, o_.data(), d, error)) return false;
    if (!L.post_attn_norm.empty()) rmsnorm_rows_par(pool_, o_.data(), T, d, w_post_attn_.data(), eps, o_.data());
    add_rows_par(pool_, x, o_.data(), T, d);

    // FFN: f = RMS(x); down(act(gate f) * up f); optional post-norm; residual.
    rmsnorm_rows_par(pool_, x, T, d, w_ffn_norm_.data(), eps, xn_.data());
    if (!linear(L.ffn_gate, xn_.data(), T, d, g_.data(), L.n_ff, error)) return false;
    if (!linear(L.ffn_up, xn_.data(), T, d, u_.data(), L.n_ff, error)) return false;
    const int64_t n_ff = L.n_ff;
    for_row_blocks(pool_, T, [&](int64_t r0, int64_t r1) {
        ffn_gate_apply(g_.data() + r0 * n_ff, u_.data() + r0 * n_ff, (r1 - r0) * n_ff, L.act);
    });
    if (!linear(L.ffn_down, g_.data(), T, L.n_ff, o_.data(), d, error)) return false;
    if (!L.post_ffn_norm.empty()) rmsnorm_rows_par(pool_, o_.data(), T, d, w_post_ffn_.data(), eps, o_.data());
    add_rows_par(pool_, x, o_.data(), T, d);

    // Whole-stream layer scale.
    if (!L.out_scale.empty()) {
        for (int64_t i = 0; i < T * d; ++i) x[i] *= out_scale;
    }
    return true;
}

bool forward_runner::final_norm(const float * x, int64_t n, float * out, std::string * error) {
    if (!read_vector(desc_.output_norm, desc_.n_embd, w_norm_, error)) return false;
    rmsnorm_rows_par(pool_, x, n, desc_.n_embd, w_norm_.data(), desc_.norm_eps, out);
    return true;
}

const weight_tensor * forward_runner::head_tensor(int64_t v0, int64_t nv, std::string * error) const {
    const weight_tensor * t = weights_.find(desc_.output);
    if (!t) {
        if (error) *error = "tensor " + desc_.output + " is missing";
        return nullptr;
    }
    if (t->n_cols != desc_.n_embd || v0 < 0 || nv < 0 || v0 + nv > t->n_rows) {
        if (error) *error = "tensor " + desc_.output + " does not hold vocabulary rows [" + std::to_string(v0) + ", " +
                            std::to_string(v0 + nv) + ") of " + std::to_string(desc_.n_embd) + " values";
        return nullptr;
    }
    return t;
}

bool forward_runner::head_read(int64_t v0, int64_t nv, float * tile, std::string * error) {
    const weight_tensor * t = head_tensor(v0, nv, error);
    if (t && head_int_) return read_raw_timed(*t, v0, nv, tile, error);
    return t && read_rows_timed(*t, v0, nv, tile, error);
}

void forward_runner::head_prepare(const float * h, int64_t n_tok) {
    head_h_ = h;
    head_n_ = n_tok;
    head_int_ = false;
    if (act_mode_ != activation_mode::ggml) return;
    const weight_tensor * t = weights_.find(desc_.output);
    if (t && t->n_cols == desc_.n_embd && use_int_kernel(*t)) {
        const auto t0 = std::chrono::steady_clock::now();
        qgemm_acts_build(t->type->id, h, n_tok, desc_.n_embd, pool_, head_qacts_);
        if (qscratch_.size() < (size_t) n_workers()) qscratch_.resize((size_t) n_workers());
        gemm_ns_ += elapsed_ns(t0);
        head_int_ = true;
        return;
    }
    const act_format af = act_format_for_weight(t && t->type ? t->type->id : GGML_TYPE_F32);
    if (af == act_format::f32 || desc_.n_embd % act_format_block(af) != 0) return;   // (shape checked by forward_check_model)
    head_hr_.resize((size_t) (n_tok * desc_.n_embd));
    round_rows_par(pool_, af, h, n_tok, desc_.n_embd, head_hr_.data());
    head_h_ = head_hr_.data();
}

void forward_runner::head_logits(const float * h, int64_t n_tok, const float * tile, int64_t nv, float * logits,
                                 int worker) {
    const auto t0 = std::chrono::steady_clock::now();
    if (head_int_ && n_tok == head_n_ && worker >= 0 && (size_t) worker < qscratch_.size()) {
        qgemm_tile(head_qacts_, reinterpret_cast<const uint8_t *>(tile), nv, logits, nv, qscratch_[(size_t) worker]);
        gemm_ns_ += elapsed_ns(t0);
        softcap_apply(logits, n_tok * nv, desc_.final_softcap);
        return;
    }
    // ggml mode: the input prepared by head_prepare (rounded once per batch).
    if (act_mode_ == activation_mode::ggml && head_h_ && n_tok == head_n_) h = head_h_;
    gemm_xwt(h, n_tok, desc_.n_embd, tile, nv, logits, nv);
    gemm_ns_ += elapsed_ns(t0);
    softcap_apply(logits, n_tok * nv, desc_.final_softcap);
}

} // namespace gc
