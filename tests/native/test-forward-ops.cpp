// Compute kernels of the forward: fast paths against the scalar definitions,
// and hand-computed cases for RoPE, masks and norms.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "compute/attention.h"
#include "compute/gemm.h"
#include "compute/ops.h"
#include "compute/rope.h"

using namespace gc;

namespace {
std::vector<float> random_vec(size_t n, uint32_t seed, float sd = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, sd);
    std::vector<float> v(n);
    for (auto & x : v) x = nd(rng);
    return v;
}
} // namespace

TEST(forward_gemm, eigen_matches_reference_on_odd_shapes) {
    for (int64_t n_tok : { 1, 3, 17 }) {
        for (int64_t n_in : { 1, 5, 64, 173 }) {
            for (int64_t n_rows : { 1, 7, 33 }) {
                const auto x = random_vec(n_tok * n_in, 1);
                const auto w = random_vec(n_rows * n_in, 2);
                const int64_t ldy = n_rows + 3;   // a column block of a wider output
                std::vector<float> y0(n_tok * ldy, 42.0f), y1(n_tok * ldy, 42.0f);
                gemm_xwt_ref(x.data(), n_tok, n_in, w.data(), n_rows, y0.data(), ldy);
                gemm_xwt(x.data(), n_tok, n_in, w.data(), n_rows, y1.data(), ldy);
                for (int64_t t = 0; t < n_tok; ++t) {
                    for (int64_t c = 0; c < ldy; ++c) {
                        if (c >= n_rows) {
                            EXPECT_EQ(y1[t * ldy + c], 42.0f) << "wrote outside its column block";
                            continue;
                        }
                        EXPECT_NEAR(y0[t * ldy + c], y1[t * ldy + c], 1e-4f * std::sqrt((float) n_in));
                    }
                }
            }
        }
    }
}

TEST(forward_ops, rmsnorm_by_hand) {
    const float x[] = { 3, 4 };   // mean square 12.5
    const float w[] = { 2, 0.5f };
    float y[2];
    rmsnorm_row(x, 2, w, 0.0f, y);
    EXPECT_NEAR(y[0], 3 / std::sqrt(12.5f) * 2, 1e-6);
    EXPECT_NEAR(y[1], 4 / std::sqrt(12.5f) * 0.5f, 1e-6);
    rmsnorm_row(x, 2, nullptr, 0.5f, y);   // weightless, with eps
    EXPECT_NEAR(y[0], 3 / std::sqrt(13.0f), 1e-6);
}

TEST(forward_ops, activations_and_softcap) {
    EXPECT_NEAR(silu(1.0f), 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
    EXPECT_NEAR(gelu_tanh(1.0f), 0.8411920, 1e-6);     // torch gelu(approximate='tanh')(1.0)
    EXPECT_NEAR(gelu_tanh(-2.0f), -0.0454023, 1e-6);
    float v[] = { 0.0f, 30.0f, -300.0f };
    softcap_apply(v, 3, 30.0f);
    EXPECT_EQ(v[0], 0.0f);
    EXPECT_NEAR(v[1], 30 * std::tanh(1.0), 1e-5);
    EXPECT_NEAR(v[2], -30.0, 1e-4);
}

TEST(forward_rope, norm_and_neox_pairings_by_hand) {
    rope_params p;
    p.n_rot = 4;
    p.freq_base = 100.0f;
    // Pair i angle at pos 1: 100^(-2i/4) -> pair 0: 1 rad, pair 1: 0.1 rad.
    p.kind = rope_kind::norm;
    rope_table t = rope_table_build(p, 2);
    float x[] = { 1, 0, 1, 0, 7 };   // head_dim 5: dim 4 is not rotated
    rope_apply(t, x, 1, 5, 1);
    EXPECT_NEAR(x[0], std::cos(1.0), 1e-6);
    EXPECT_NEAR(x[1], std::sin(1.0), 1e-6);
    EXPECT_NEAR(x[2], std::cos(0.1), 1e-6);
    EXPECT_NEAR(x[3], std::sin(0.1), 1e-6);
    EXPECT_EQ(x[4], 7.0f);

    p.kind = rope_kind::neox;   // pairs (0,2) and (1,3)
    t = rope_table_build(p, 2);
    float y[] = { 1, 1, 0, 0 };
    rope_apply(t, y, 1, 4, 1);
    EXPECT_NEAR(y[0], std::cos(1.0), 1e-6);
    EXPECT_NEAR(y[2], std::sin(1.0), 1e-6);
    EXPECT_NEAR(y[1], std::cos(0.1), 1e-6);
    EXPECT_NEAR(y[3], std::sin(0.1), 1e-6);

    // Position 0 is the identity.
    float z[] = { 0.3f, -2, 5, 1 };
    rope_apply(t, z, 1, 4, 0);
    EXPECT_EQ(z[0], 0.3f);
    EXPECT_EQ(z[3], 1.0f);
}

TEST(forward_rope, freq_factors_1e30_leave_pairs_unrotated) {
    // gemma4's proportional rope: rope_freqs = [1, 1e30] -> only pair 0 rotates.
    rope_params p;
    p.kind = rope_kind::neox;
    p.n_rot = 4;
    p.freq_base = 1e6f;
    p.freq_factors = { 1.0f, 1e30f };
    const rope_table t = rope_table_build(p, 100);
    float x[] = { 1, 2, 3, 4 };
    rope_apply(t, x, 1, 4, 99);
    EXPECT_NEAR(x[0], 1 * std::cos(99.0) - 3 * std::sin(99.0), 1e-5);
    EXPECT_EQ(x[1], 2.0f);
    EXPECT_EQ(x[3], 4.0f);
    // Linear scaling halves the angle.
    p.freq_factors.clear();
    p.freq_scale = 0.5f;
    p.freq_base = 1e4f;
    const rope_table t2 = rope_table_build(p, 3);
    float y[] = { 1, 0, 0, 0 };
    rope_apply(t2, y, 1, 4, 2);
    EXPECT_NEAR(y[0], std::cos(1.0), 1e-6);
}

TEST(forward_attention, mask_by_hand) {
    EXPECT_TRUE(attention_visible(5, 5, 0));
    EXPECT_TRUE(attention_visible(5, 0, 0));
    EXPECT_FALSE(attention_visible(5, 6, 0));
    EXPECT_TRUE(attention_visible(5, 2, 4));    // 5 - 2 = 3 < 4
    EXPECT_FALSE(attention_visible(5, 1, 4));   // 5 - 1 = 4: masked (p1 - p0 >= n_swa)
}

TEST(forward_attention, fast_matches_reference_with_gqa_window_softcap) {
    attention_params p;
    p.n_head = 4;
    p.n_head_kv = 2;
    p.head_dim = 8;
    p.head_dim_v = 6;
    p.scale = 0.35f;
    const int32_t n = 23;
    const auto q = random_vec(n * 4 * 8, 3), k = random_vec(n * 2 * 8, 4), v = random_vec(n * 2 * 6, 5);
    for (int32_t window : { 0, 5 }) {
        for (float cap : { 0.0f, 2.0f }) {
            p.window = window;
            p.softcap = cap;
            std::vector<float> o0(n * 4 * 6), o1(n * 4 * 6), scratch;
            attention_chunk_ref(p, n, q.data(), k.data(), v.data(), o0.data());
            attention_chunk(p, n, q.data(), k.data(), v.data(), o1.data(), scratch);
            for (size_t i = 0; i < o0.size(); ++i) EXPECT_NEAR(o0[i], o1[i], 1e-5f);
        }
    }
    // Token 0 sees only itself: output = its own V row (head 3 uses KV head 1).
    p.window = 0;
    p.softcap = 0;
    std::vector<float> o(n * 4 * 6), scratch;
    attention_chunk(p, n, q.data(), k.data(), v.data(), o.data(), scratch);
    for (int c = 0; c < 6; ++c) EXPECT_NEAR(o[3 * 6 + c], v[1 * 6 + c], 1e-6f);
    // With window 1 every token sees only itself.
    p.window = 1;
    attention_chunk(p, n, q.data(), k.data(), v.data(), o.data(), scratch);
    for (int c = 0; c < 6; ++c) EXPECT_NEAR(o[(10 * 4 + 2) * 6 + c], v[(10 * 2 + 1) * 6 + c], 1e-6f);
}

// The blocked fast attention (compute/attention.cpp: query blocks of 64 rows,
// keys limited to the block's visible span) against the scalar definition,
// on chunks long enough to span several blocks, with windows that start
// inside, at and across block boundaries.
TEST(forward_attention, blocked_matches_reference_over_several_blocks) {
    attention_params p;
    p.n_head = 8;
    p.n_head_kv = 2;
    p.head_dim = 16;
    p.head_dim_v = 12;
    p.scale = 0.25f;
    for (int32_t n : { 1, 63, 64, 65, 200 }) {
        // sd 2 makes peaked softmax rows, so wrong masking shows.
        const auto q = random_vec((size_t) n * 8 * 16, 11, 2.0f), k = random_vec((size_t) n * 2 * 16, 12, 2.0f);
        const auto v = random_vec((size_t) n * 2 * 12, 13, 1.0f);
        for (int32_t window : { 0, 1, 5, 64, 70 }) {
            for (float cap : { 0.0f, 3.0f }) {
                p.window = window;
                p.softcap = cap;
                std::vector<float> o0((size_t) n * 8 * 12), o1(o0.size(), 42.0f), scratch;
                attention_chunk_ref(p, n, q.data(), k.data(), v.data(), o0.data());
                attention_chunk(p, n, q.data(), k.data(), v.data(), o1.data(), scratch);
                double max_err = 0.0;
                for (size_t i = 0; i < o0.size(); ++i) max_err = std::max(max_err, (double) std::fabs(o0[i] - o1[i]));
                EXPECT_LT(max_err, 2e-5) << "n " << n << " window " << window << " cap " << cap;
                // Head by head (as the forward's workers call it) gives the same bits.
                std::vector<float> o2(o0.size(), -7.0f), s2;
                for (int32_t h = p.n_head - 1; h >= 0; --h) {
                    attention_chunk_heads(p, n, q.data(), k.data(), v.data(), o2.data(), h, h + 1, s2);
                }
                EXPECT_EQ(o1, o2);
            }
        }
    }
}

TEST(forward_attention, far_token_sees_only_window) {
    // Window 3 at token 150: only keys 148..150 count. Make key 100 match the
    // query hugely; it must still be ignored.
    attention_params p;
    p.n_head = 1;
    p.n_head_kv = 1;
    p.head_dim = 4;
    p.head_dim_v = 1;
    p.window = 3;
    const int32_t n = 160;
    std::vector<float> q((size_t) n * 4, 0.0f), k((size_t) n * 4, 0.0f), v((size_t) n, 0.0f), o(n), scratch;
    q[150 * 4] = 10.0f;
    k[100 * 4] = 10.0f;
    v[100] = 1000.0f;
    for (int32_t j = 148; j <= 150; ++j) v[j] = (float) j;
    attention_chunk(p, n, q.data(), k.data(), v.data(), o.data(), scratch);
    EXPECT_NEAR(o[150], 149.0f, 1e-4f);   // uniform over 148, 149, 150
    p.window = 0;   // full causal: key 100 dominates
    attention_chunk(p, n, q.data(), k.data(), v.data(), o.data(), scratch);
    EXPECT_NEAR(o[150], 1000.0f, 1e-2f);
}
