// What-if runs (forward/what-if.h): the candidate with one tensor class
// taken from the reference, on g4tiny with damaged layer_output_scale
// values (the bug report's situation: restoring only the scalars recovers
// the model).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli-util.h"
#include "fixture-util.h"
#include "model-util.h"
#include "forward/forward.h"
#include "forward/ppl.h"
#include "forward/what-if.h"
#include "model/model.h"

using namespace gc;

namespace {

const std::string k_fix = GC_FIXTURES;
const std::string k_f32 = k_fix + "/g4tiny/g4tiny-f32.gguf";
const std::string k_tokens = gc_test::fixture_tokens_path();
using loaded = gc_test::loaded_model;
constexpr auto load = [](std::vector<uint8_t> bytes, const std::string & name) { return gc_test::load_model(std::move(bytes), name); };
constexpr auto tokens = gc_test::fixture_tokens;

double ppl(const model_desc & d, weight_source & w) {
    ppl_options opt;
    opt.n_ctx = 256;
    opt.max_chunks = 4;
    ppl_result r;
    std::string err;
    EXPECT_TRUE(ppl_evaluate({ &d, &w }, nullptr, tokens(), opt, r, &err)) << err;
    return r.ppl;
}

// g4tiny F32 with every layer_output_scale multiplied by `f`.
std::vector<uint8_t> damaged_scales(float f) {
    auto bytes = gc_test::read_all(k_f32);
    for (int il = 0; il < 6; ++il) *gc_test::f32_at(bytes, "blk." + std::to_string(il) + ".layer_output_scale.weight") *= f;
    return bytes;
}

} // namespace

TEST(what_if_select, classes_layers_norms_and_errors) {
    auto m = load(gc_test::read_all(k_f32), "g4tiny-f32.gguf");
    std::vector<std::string> n;
    std::string err;
    ASSERT_TRUE(what_if_select(m->desc, "layer_output_scale", n, &err)) << err;
    ASSERT_EQ(n.size(), 6u);
    EXPECT_EQ(n[0], "blk.0.layer_output_scale.weight");
    // Layer 5 is global: K=V (no attn_v), rope_freqs shared by the model.
    ASSERT_TRUE(what_if_select(m->desc, "blk.5", n, &err)) << err;
    for (const auto & s : n) EXPECT_EQ(s.rfind("blk.5.", 0), 0u) << s;
    EXPECT_EQ(std::count(n.begin(), n.end(), "blk.5.attn_v.weight"), 0);
    EXPECT_EQ(std::count(n.begin(), n.end(), "blk.5.layer_output_scale.weight"), 1);
    EXPECT_EQ(n.size(), 13u);   // attn_norm q k o q_norm k_norm post_attn ffn_norm gate up down post_ffw scale
    // norms: 6 per layer (attn, q, k, post-attn, ffn, post-ffw) + output_norm.
    ASSERT_TRUE(what_if_select(m->desc, "norms", n, &err)) << err;
    EXPECT_EQ(n.size(), 6u * 6 + 1);
    for (const auto & s : n) EXPECT_NE(s.find("norm"), std::string::npos) << s;
    // Lists, duplicates once.
    ASSERT_TRUE(what_if_select(m->desc, "attn_q,blk.0", n, &err)) << err;
    EXPECT_EQ(std::count(n.begin(), n.end(), "blk.0.attn_q.weight"), 1);
    EXPECT_EQ(n.size(), 6u + 14 - 1);   // 6 attn_q + layer 0's 14 tensors (it has attn_v) - the shared attn_q
    // One tensor by name.
    ASSERT_TRUE(what_if_select(m->desc, "blk.3.ffn_down", n, &err)) << err;
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0], "blk.3.ffn_down.weight");
    // Errors name the selector.
    EXPECT_FALSE(what_if_select(m->desc, "blk.99", n, &err));
    EXPECT_NE(err.find("blk.99"), std::string::npos) << err;
    EXPECT_FALSE(what_if_select(m->desc, "no_such_class", n, &err));
    EXPECT_FALSE(what_if_select(m->desc, ",", n, &err));
    EXPECT_FALSE(what_if_select(m->desc, "blk.", n, &err));
}

// Damaged scalars: the PPL explodes; taking layer_output_scale from the
// reference restores the reference's PPL exactly (everything else is equal);
// taking an unrelated class changes nothing.
TEST(what_if_run, restoring_the_damaged_class_recovers_the_reference) {
    auto ref = load(gc_test::read_all(k_f32), "g4tiny-f32.gguf");
    auto cand = load(damaged_scales(4.0f), "g4tiny-damaged.gguf");
    const double p_ref = ppl(ref->desc, *ref->weights);
    const double p_bad = ppl(cand->desc, *cand->weights);
    std::vector<std::string> names;
    std::string err;
    ASSERT_TRUE(what_if_select(cand->desc, "layer_output_scale", names, &err)) << err;
    weight_source_redirect fix(*cand->weights, *ref->weights, names);
    EXPECT_EQ(fix.redirected().size(), 6u);
    EXPECT_TRUE(fix.skipped().empty());
    const double p_fix = ppl(cand->desc, fix);
    ASSERT_TRUE(what_if_select(cand->desc, "norms", names, &err)) << err;
    weight_source_redirect norms(*cand->weights, *ref->weights, names);
    const double p_norms = ppl(cand->desc, norms);
    std::printf("g4tiny 4 chunks: reference %.4f, scales x4 %.4f, what-if layer_output_scale %.4f, what-if norms %.4f\n",
                p_ref, p_bad, p_fix, p_norms);
    EXPECT_GT(p_bad, 2 * p_ref);
    EXPECT_NEAR(p_fix, p_ref, 1e-9 * p_ref);
    EXPECT_NEAR(p_norms, p_bad, 1e-9 * p_bad);
    // Bytes came from both sources.
    EXPECT_GT(fix.bytes_read(), 0u);
}

// A selected tensor the reference lacks or shapes differently stays with
// the candidate and is listed.
TEST(what_if_run, shape_mismatch_is_skipped_not_swapped) {
    auto cand = load(gc_test::read_all(k_f32), "g4tiny-f32.gguf");
    auto other = load(gc_test::read_all(k_fix + "/stories260K/stories260K-F32.gguf"), "stories260K-F32.gguf");
    weight_source_redirect w(*cand->weights, *other->weights,
                             { "blk.0.attn_q.weight", "output_norm.weight", "blk.0.layer_output_scale.weight" });
    EXPECT_TRUE(w.redirected().empty());
    EXPECT_EQ(w.skipped().size(), 3u);
    EXPECT_EQ(w.find("blk.0.attn_q.weight"), cand->weights->find("blk.0.attn_q.weight"));
}

TEST(what_if_cli, json_fields) {
    const std::string dir = ::testing::TempDir();
    const std::string bad = dir + "/g4tiny-scales-x4.gguf";
    {
        const auto bytes = damaged_scales(4.0f);
        FILE * f = std::fopen(bad.c_str(), "wb");
        ASSERT_TRUE(f);
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    int rc = -1;
    const std::string out = gc_test::run_cli("ppl --json " + bad + " --tokens " + k_tokens + " -c 256 --chunks 2 --ref " + k_fix +
                                             "/g4tiny/hf --what-if layer_output_scale", &rc);
    ASSERT_EQ(rc, 0) << out;
    const auto j = nlohmann::json::parse(out);
    ASSERT_TRUE(j.contains("what_if")) << out;
    const auto & w = j["what_if"];
    EXPECT_EQ(w["class"], "layer_output_scale");
    EXPECT_EQ(w["n_tensors"], 6);
    EXPECT_EQ(w["ppl_without"].get<double>(), j["ppl"].get<double>());
    // The HF reference is BF16 and so is g4tiny's origin: with the scalars
    // from the checkpoint the candidate is the reference again.
    EXPECT_NEAR(w["ppl"].get<double>(), j["ref_ppl"].get<double>(), 1e-6 * j["ref_ppl"].get<double>());
    EXPECT_NEAR(w["recovered_pct"].get<double>(), 100.0, 1e-3);
    EXPECT_LT(w["change_pct"].get<double>(), -10.0);
    // The pre-existing contract fields are still there.
    for (const char * k : { "n_ctx", "n_chunks", "n_scored", "ppl", "ppl_err", "cumulative", "nll_mean", "ref_ppl", "kld",
                            "rms_dp", "same_top_p", "hidden_cos", "verdict", "findings" }) {
        EXPECT_TRUE(j.contains(k)) << k;
    }
    // --what-if without --ref is refused.
    gc_test::run_cli("ppl " + bad + " --tokens " + k_tokens + " -c 256 --what-if norms", &rc);
    EXPECT_NE(rc, 0);
}
