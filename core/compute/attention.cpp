#include "compute/attention.h"

#include <cmath>
#include <limits>

#include <Eigen/Core>

namespace gc {

namespace {

// Turns one row of raw scores into probabilities in place: cap, mask, softmax.
void attention_softmax_row(const attention_params & p, int32_t i, int32_t n_tok, float * s) {
    float mx = -std::numeric_limits<float>::infinity();
    for (int32_t j = 0; j < n_tok; ++j) {
        if (!attention_visible(i, j, p.window)) continue;
        float x = s[j] * p.scale;
        if (p.softcap > 0.0f) x = p.softcap * std::tanh(x / p.softcap);
        s[j] = x;
        if (x > mx) mx = x;
    }
    double sum = 0.0;
    for (int32_t j = 0; j < n_tok; ++j) {
        if (!attention_visible(i, j, p.window)) {
            s[j] = 0.0f;
            continue;
        }
        const float e = std::exp(s[j] - mx);
        s[j] = e;
        sum += e;
    }
    const float inv = (float) (1.0 / sum);
    for (int32_t j = 0; j < n_tok; ++j) s[j] *= inv;
}

} // namespace

void attention_chunk_ref(const attention_params & p, int32_t n_tok,
                         const float * q, const float * k, const float * v, float * out) {
    const int32_t group = p.n_head / p.n_head_kv;
    const int64_t qs = (int64_t) p.n_head * p.head_dim;
    const int64_t ks = (int64_t) p.n_head_kv * p.head_dim;
    const int64_t vs = (int64_t) p.n_head_kv * p.head_dim_v;
    const int64_t os = (int64_t) p.n_head * p.head_dim_v;
    std::vector<float> s(n_tok);
    for (int32_t h = 0; h < p.n_head; ++h) {
        const int32_t hk = h / group;
        for (int32_t i = 0; i < n_tok; ++i) {
            const float * qi = q + i * qs + (int64_t) h * p.head_dim;
            for (int32_t j = 0; j < n_tok; ++j) {
                const float * kj = k + j * ks + (int64_t) hk * p.head_dim;
                float d = 0.0f;
                for (int32_t c = 0; c < p.head_dim; ++c) d += qi[c] * kj[c];
                s[j] = d;
            }
            attention_softmax_row(p, i, n_tok, s.data());
            float * oi = out + i * os + (int64_t) h * p.head_dim_v;
            for (int32_t c = 0; c < p.head_dim_v; ++c) {
                float acc = 0.0f;
                for (int32_t j = 0; j < n_tok; ++j) acc += s[j] * v[j * vs + (int64_t) hk * p.head_dim_v + c];
                oi[c] = acc;
            }
        }
    }
}

void attention_chunk(const attention_params & p, int32_t n_tok,
                     const float * q, const float * k, const float * v, float * out,
                     std::vector<float> & scratch) {
    attention_chunk_heads(p, n_tok, q, k, v, out, 0, p.n_head, scratch);
}

void attention_chunk_heads(const attention_params & p, int32_t n_tok,
                           const float * q, const float * k, const float * v, float * out,
                           int32_t h0, int32_t h1, std::vector<float> & scratch) {
    using row_major = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using strided = Eigen::Map<const row_major, 0, Eigen::OuterStride<>>;
    using strided_out = Eigen::Map<row_major, 0, Eigen::OuterStride<>>;
    const int32_t group = p.n_head / p.n_head_kv;
    const int64_t qs = (int64_t) p.n_head * p.head_dim;
    const int64_t ks = (int64_t) p.n_head_kv * p.head_dim;
    const int64_t vs = (int64_t) p.n_head_kv * p.head_dim_v;
    const int64_t os = (int64_t) p.n_head * p.head_dim_v;
    scratch.resize((size_t) n_tok * n_tok);
    Eigen::Map<row_major> S(scratch.data(), n_tok, n_tok);
    for (int32_t h = h0 < 0 ? 0 : h0; h < h1 && h < p.n_head; ++h) {
        const int32_t hk = h / group;
        strided Q(q + (int64_t) h * p.head_dim, n_tok, p.head_dim, Eigen::OuterStride<>(qs));
        strided K(k + (int64_t) hk * p.head_dim, n_tok, p.head_dim, Eigen::OuterStride<>(ks));
        strided V(v + (int64_t) hk * p.head_dim_v, n_tok, p.head_dim_v, Eigen::OuterStride<>(vs));
        strided_out O(out + (int64_t) h * p.head_dim_v, n_tok, p.head_dim_v, Eigen::OuterStride<>(os));
        S.noalias() = Q * K.transpose();
        for (int32_t i = 0; i < n_tok; ++i) attention_softmax_row(p, i, n_tok, scratch.data() + (size_t) i * n_tok);
        O.noalias() = S * V;
    }
}

} // namespace gc
