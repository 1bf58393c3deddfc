// The verdict on a PPL without a reference (check/ppl-verdict.h): text
// fingerprints, table matches, bands, the uniform-guess ceiling.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli-util.h"
#include <nlohmann/json.hpp>

#include "check/ppl-verdict.h"
#include "fixture-util.h"
#include "forward/ppl.h"

using namespace gc;

namespace {

const std::string k_fix = GC_FIXTURES;

ppl_subject gemma4_12b(double ppl, bool half_minus_one = true) {
    ppl_subject s;
    s.arch = "gemma4";
    s.n_layer = 48;
    s.n_embd = 3840;
    s.n_vocab = 262144;
    s.n_params = 12'000'000'000;
    s.text = { "wiki.test.raw with LF line ends (1287656 bytes)", "wikitext-2-raw test" };
    s.n_ctx = 512;
    s.n_chunks = 1;
    s.score_from_half_minus_one = half_minus_one;
    s.ppl = ppl;
    return s;
}

nlohmann::json run_cli(const std::string & args) {
    int rc = -1;
    const std::string out = gc_test::run_cli("ppl --json " + args, &rc);
    EXPECT_EQ(rc, 0) << out;
    return nlohmann::json::parse(out, nullptr, false);
}

} // namespace

TEST(ppl_text_identify, fixture_texts_and_token_files) {
    const auto crlf = gc_test::read_all(k_fix + "/text/wiki.test.raw");
    const auto lf = gc_test::read_all(k_fix + "/text/wiki.test.lf.raw");
    const ppl_text_id a = ppl_text_identify(std::string(crlf.begin(), crlf.end()));
    const ppl_text_id b = ppl_text_identify(std::string(lf.begin(), lf.end()));
    EXPECT_EQ(a.family, "wikitext-2-raw test");
    EXPECT_EQ(b.family, "wikitext-2-raw test");
    EXPECT_NE(a.exact, b.exact);
    // One byte changed: unknown text.
    std::string c(crlf.begin(), crlf.end());
    c[1000] ^= 1;
    const ppl_text_id u = ppl_text_identify(c);
    EXPECT_EQ(u.family, "");
    EXPECT_EQ(u.exact.rfind("text:fnv1a64:", 0), 0u);
    // The g4tiny token file is the CRLF text's llama.cpp tokens.
    std::string err;
    auto src = byte_source_open_file(k_fix + "/g4tiny/wiki.test.raw.first5120.tokens.i32", &err);
    std::vector<int32_t> t;
    ASSERT_TRUE(src && ppl_read_token_file(*src, t, &err)) << err;
    EXPECT_EQ(ppl_tokens_identify(t).exact, a.exact);
    t.pop_back();
    EXPECT_EQ(ppl_tokens_identify(t).family, "");
    // FNV-1a 64 test vectors (Fowler/Noll/Vo reference: "" and "a").
    EXPECT_EQ(fnv1a64("", 0), 0xcbf29ce484222325ull);
    EXPECT_EQ(fnv1a64("a", 1), 0xaf63dc4c8601ec8cull);
}

// The bug report's numbers against the Gemma-4-12B row: 4.68 healthy,
// 364 (QAT Q4_0 GGUF) and 192.9 broken, 5.13 (the B1 simulation, +9.6 %) ok
// but near the edge.
TEST(ppl_verdict, gemma4_12b_bug_report_numbers) {
    ppl_verdict v = ppl_judge(gemma4_12b(4.6776));
    EXPECT_EQ(v.basis, "table");
    EXPECT_EQ(v.status, "ok");
    EXPECT_EQ(v.confidence, "medium");   // the known value's text version is uncertain
    ASSERT_TRUE(v.known);
    EXPECT_NEAR(v.ratio, 1.0, 1e-12);
    v = ppl_judge(gemma4_12b(364.33));
    EXPECT_EQ(v.status, "broken");
    EXPECT_EQ(v.confidence, "high");
    v = ppl_judge(gemma4_12b(192.94));
    EXPECT_EQ(v.status, "broken");
    v = ppl_judge(gemma4_12b(5.1259));
    EXPECT_EQ(v.status, "ok");
    v = ppl_judge(gemma4_12b(6.0));
    EXPECT_EQ(v.status, "degraded");
    v = ppl_judge(gemma4_12b(4.0));
    EXPECT_EQ(v.status, "suspiciously_low");
    // llama-perplexity's own protocol (one token fewer per chunk): still the
    // row, with less trust.
    v = ppl_judge(gemma4_12b(4.70, false));
    EXPECT_EQ(v.basis, "table");
    EXPECT_FALSE(v.protocol_exact);
    EXPECT_EQ(v.confidence, "low");
    // Another context size: no row; wikitext band for 12B params.
    ppl_subject s = gemma4_12b(4.70);
    s.n_ctx = 1024;
    v = ppl_judge(s);
    EXPECT_EQ(v.basis, "band");
    EXPECT_EQ(v.status, "plausible");
    EXPECT_EQ(v.confidence, "low");
    s.ppl = 364;
    v = ppl_judge(s);
    EXPECT_EQ(v.status, "broken");
    EXPECT_EQ(v.confidence, "medium");
    s.ppl = 12;
    EXPECT_EQ(ppl_judge(s).status, "suspicious");
}

TEST(ppl_verdict, no_basis_but_the_vocabulary) {
    ppl_subject s = gemma4_12b(20000);
    s.text = { "text:fnv1a64:0:1", "" };
    ppl_verdict v = ppl_judge(s);
    EXPECT_EQ(v.status, "unknown");
    EXPECT_EQ(v.confidence, "none");
    s.ppl = 200000;   // > n_vocab / 2
    v = ppl_judge(s);
    EXPECT_EQ(v.status, "broken");
    EXPECT_EQ(v.basis, "vocab");
    s.ppl = std::nan("");
    EXPECT_EQ(ppl_judge(s).status, "broken");
    s.ppl = 0.5;
    EXPECT_EQ(ppl_judge(s).status, "broken");
    // Tiny models have no band (they are rarely trained on wikitext).
    s = gemma4_12b(150);
    s.n_ctx = 256;
    s.n_params = 260'000;
    EXPECT_EQ(ppl_judge(s).basis, "none");
}

// The CLI on the fixtures: the table rows (llama.cpp's numbers) say ok; a
// damaged copy is called broken.
TEST(ppl_verdict_cli, fixtures_against_their_rows) {
    const std::string wiki = k_fix + "/text/wiki.test.raw";
    auto j = run_cli(k_fix + "/stories260K/stories260K-Q4_0.gguf -f " + wiki + " -c 256 --chunks 20");
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j["verdict"]["status"], "ok") << j["verdict"].dump();
    EXPECT_EQ(j["verdict"]["confidence"], "high");
    EXPECT_EQ(j["verdict"]["known"]["value"], 139.2812);
    j = run_cli(k_fix + "/g4tiny/g4tiny-Q2_K.gguf --tokens " + k_fix + "/g4tiny/wiki.test.raw.first5120.tokens.i32 -c 256 --chunks 20");
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j["verdict"]["status"], "ok") << j["verdict"].dump();   // 7.33 vs 6.708: +9.3 %
    EXPECT_NEAR(j["verdict"]["ratio"].get<double>(), 7.3294 / 6.7081, 2e-3);
    j = run_cli(k_fix + "/g4tiny/g4tiny-IQ2_XXS.gguf -f " + wiki + " -c 256 --chunks 20");
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j["verdict"]["status"], "degraded") << j["verdict"].dump();   // 7.99: +19 %

    // g4tiny with its per-layer output scalars x4 (the bug report's damage).
    auto bytes = gc_test::read_all(k_fix + "/g4tiny/g4tiny-f32.gguf");
    for (int il = 0; il < 6; ++il) *gc_test::f32_at(bytes, "blk." + std::to_string(il) + ".layer_output_scale.weight") *= 4.0f;
    const std::string bad = gc_test::temp_path("g4tiny-verdict-bad.gguf");
    FILE * f = std::fopen(bad.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    j = run_cli(bad + " -f " + wiki + " -c 256 --chunks 20");
    ASSERT_TRUE(j.is_object());
    std::printf("damaged g4tiny: PPL %.4f, verdict %s\n", j["ppl"].get<double>(), j["verdict"].dump().c_str());
    EXPECT_EQ(j["verdict"]["status"], "broken");
    EXPECT_EQ(j["verdict"]["basis"], "table");
    std::remove(bad.c_str());
}
