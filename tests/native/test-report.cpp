// The Markdown report: built from the CLI's JSON objects; holds the verdict,
// the files with hashes, the per-layer table and the findings.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "check/report-md.h"
#include "cli-util.h"

namespace {


const std::string FX = GC_FIXTURES;

} // namespace

TEST(Report, MarkdownForAComparison) {
    int rc = 0;
    const std::string md = gc_test::run_cli("report " + FX + "/stories260K/stories260K-Q4_0.gguf --ref " + FX + "/stories260K/hf --sha256", &rc);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(md.find("**Weights: healthy.**"), std::string::npos) << md;
    EXPECT_NE(md.find("fd93abd9957992763c863e7e3f30934baf1e7a2e31b6c911a720cd109daed40d"), std::string::npos);  // fixture README
    EXPECT_NE(md.find("| layer | cos min | cos mean | worst tensor | status |"), std::string::npos);
    EXPECT_NE(md.find("| 0 | 0.995421 |"), std::string::npos) << md;
    EXPECT_NE(md.find("architecture: `llama`"), std::string::npos);
}

TEST(Report, DamageAndFindingsAppear) {
    nlohmann::json weights = { { "verdict", "damaged" }, { "summary", "1 tensor(s) are damaged." },
                               { "layers", { { { "layer", 3 }, { "cos_min", 0.2 }, { "cos_mean", 0.5 }, { "worst_tensor", "blk.3.ffn_up.weight" }, { "status", "damaged" } } } },
                               { "tensors", { { { "name", "blk.3.ffn_up.weight" }, { "type", "Q4_K" }, { "cos", 0.2 }, { "cos_row_min", 0.1 }, { "rel_rmse", 1.3 }, { "status", "damaged" }, { "note", "a | b" } } } },
                               { "findings", { { { "severity", "warning" }, { "code", "x" }, { "message", "later" } }, { { "severity", "error" }, { "code", "layer_damaged" }, { "message", "layer 3: ffn_up" } } } } };
    gc::report_inputs in;
    in.weights = weights;
    const std::string md = gc::report_markdown(in);
    EXPECT_NE(md.find("**Weights: damaged.**"), std::string::npos);
    EXPECT_LT(md.find("layer_damaged"), md.find("`x`"));                 // errors first
    EXPECT_NE(md.find("| blk.3.ffn_up.weight | Q4_K | 0.200000 |"), std::string::npos) << md;
    EXPECT_NE(md.find("a / b"), std::string::npos);                      // cells cannot break the table
}

TEST(Report, ReferenceFreeSaysSo) {
    int rc = 0;
    const std::string md = gc_test::run_cli("report " + FX + "/g4tiny/g4tiny-Q4_0.gguf", &rc);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(md.find("no reference: statistics only"), std::string::npos) << md;
    EXPECT_NE(md.find("reference_free"), std::string::npos);
}
