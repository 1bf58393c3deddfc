// The blocked fast attention (compute/attention.cpp: query blocks of 64 rows,
// keys limited to the block's visible span) against the scalar definition,
// on chunks long enough to span several blocks, with windows that start
// inside, at and across block boundaries.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "compute/attention.h"

using namespace gc;

namespace {
std::vector<float> normal_vec(size_t n, uint32_t seed, float sd) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, sd);
    std::vector<float> v(n);
    for (auto & x : v) x = nd(rng);
    return v;
}
} // namespace

TEST(attention_blocked, matches_reference_over_several_blocks) {
    attention_params p;
    p.n_head = 8;
    p.n_head_kv = 2;
    p.head_dim = 16;
    p.head_dim_v = 12;
    p.scale = 0.25f;
    for (int32_t n : { 1, 63, 64, 65, 200 }) {
        // sd 2 makes peaked softmax rows, so wrong masking shows.
        const auto q = normal_vec((size_t) n * 8 * 16, 11, 2.0f), k = normal_vec((size_t) n * 2 * 16, 12, 2.0f);
        const auto v = normal_vec((size_t) n * 2 * 12, 13, 1.0f);
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

TEST(attention_blocked, far_token_sees_only_window) {
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
