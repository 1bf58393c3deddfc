#include "compute/attention.h"

#include <cmath>
#include <limits>

#include <algorithm>
#include <cstring>

#include "compute/gemm.h"

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

// The same for a row holding only keys [j0, j0 + n_keys): visible entries get
// exactly the operations of attention_softmax_row, the others 0. Loops run
// over the visible span only (causal: keys <= i).
void attention_softmax_row_range(const attention_params & p, int32_t i, int32_t j0, int32_t n_keys, float * s) {
    const int32_t lo = std::max(j0, p.window > 0 ? i - p.window + 1 : 0);
    const int32_t hi = std::min(j0 + n_keys - 1, i);   // last visible key
    float mx = -std::numeric_limits<float>::infinity();
    for (int32_t j = lo; j <= hi; ++j) {
        float x = s[j - j0] * p.scale;
        if (p.softcap > 0.0f) x = p.softcap * std::tanh(x / p.softcap);
        s[j - j0] = x;
        if (x > mx) mx = x;
    }
    double sum = 0.0;
    for (int32_t j = lo; j <= hi; ++j) {
        const float e = std::exp(s[j - j0] - mx);
        s[j - j0] = e;
        sum += e;
    }
    const float inv = (float) (1.0 / sum);
    for (int32_t j = j0; j < lo; ++j) s[j - j0] = 0.0f;
    for (int32_t j = lo; j <= hi; ++j) s[j - j0] *= inv;
    for (int32_t j = std::max(hi + 1, j0); j < j0 + n_keys; ++j) s[j - j0] = 0.0f;
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

// Blocked causal attention for one query head at a time, products by
// gemm_xwt (compute/gemm.h), which takes contiguous row-major operands:
//
//   Qc [n_tok, head_dim]     the head's queries, copied contiguous
//   Kc [n_tok, head_dim]     its KV head's keys, copied contiguous
//   Vt [head_dim_v, n_tok]   its KV head's values, transposed
//
// Queries go in blocks of k_block rows [i0, i1). Keys visible from any row of
// the block lie in [j0, i1) (j0 = 0, or i0 - window + 1 with a window), so the
// scores of the block are S[i1 - i0, nk] = Qc[i0:i1] * Kc[j0:i1]^T with
// nk = i1 - j0: the masked upper triangle beyond the block is never computed
// (about half the products of the full n_tok x n_tok score matrix). Each row is
// turned into probabilities (masked entries of the block become exact zeros),
// then O[i0:i1] = P * V[j0:i1] with W = Vt[:, j0:i1] copied contiguous.
// Every visible score goes through the same float operations as the
// reference; only the products' summation order differs (FMA, blocking).
void attention_chunk_heads(const attention_params & p, int32_t n_tok,
                           const float * q, const float * k, const float * v, float * out,
                           int32_t h0, int32_t h1, std::vector<float> & scratch) {
    constexpr int32_t k_block = 64;
    if (n_tok <= 0) return;
    const int32_t group = p.n_head / p.n_head_kv;
    const int64_t hd = p.head_dim, hv = p.head_dim_v;
    const int64_t qs = (int64_t) p.n_head * hd;
    const int64_t ks = (int64_t) p.n_head_kv * hd;
    const int64_t vs = (int64_t) p.n_head_kv * hv;
    const int64_t os = (int64_t) p.n_head * hv;
    const int64_t n = n_tok;
    const int64_t nb = std::min<int64_t>(k_block, n);
    scratch.resize((size_t) (n * hd * 2 + n * hv * 2 + nb * n));
    float * qc = scratch.data();
    float * kc = qc + n * hd;
    float * vt = kc + n * hd;
    float * vb = vt + n * hv;
    float * sc = vb + n * hv;
    int32_t hk_loaded = -1;
    for (int32_t h = h0 < 0 ? 0 : h0; h < h1 && h < p.n_head; ++h) {
        const int32_t hk = h / group;
        for (int64_t i = 0; i < n; ++i) std::memcpy(qc + i * hd, q + i * qs + h * hd, (size_t) hd * sizeof(float));
        if (hk != hk_loaded) {
            for (int64_t j = 0; j < n; ++j) std::memcpy(kc + j * hd, k + j * ks + hk * hd, (size_t) hd * sizeof(float));
            for (int64_t j = 0; j < n; ++j) {
                const float * vj = v + j * vs + hk * hv;
                for (int64_t c = 0; c < hv; ++c) vt[c * n + j] = vj[c];
            }
            hk_loaded = hk;
        }
        for (int64_t i0 = 0; i0 < n; i0 += nb) {
            const int64_t i1 = std::min(n, i0 + nb), m = i1 - i0;
            const int64_t j0 = p.window > 0 ? std::max<int64_t>(0, i0 - p.window + 1) : 0;
            const int64_t nk = i1 - j0;
            gemm_xwt(qc + i0 * hd, m, hd, kc + j0 * hd, nk, sc, nk);
            for (int64_t r = 0; r < m; ++r) {
                attention_softmax_row_range(p, (int32_t) (i0 + r), (int32_t) j0, (int32_t) nk, sc + r * nk);
            }
            for (int64_t c = 0; c < hv; ++c) std::memcpy(vb + c * nk, vt + c * n + j0, (size_t) nk * sizeof(float));
            gemm_xwt(sc, m, nk, vb, hv, out + i0 * os + h * hv, os);
        }
    }
}

} // namespace gc
