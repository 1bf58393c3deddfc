// Reference-free check: healthy fixtures raise nothing; NaN, zeroed matrices
// and a layer off its class's trend are found and named.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "check/selfcheck.h"
#include "fixture-util.h"

namespace fs = std::filesystem;
using gc_test::f32_at;
using gc_test::read_all;
using gc_test::tensor_range;

namespace {

gc::self_check_report run(std::vector<uint8_t> bytes) {
    gc::file_set files;
    files.push_back(gc::byte_source_from_memory(std::move(bytes), "cand.gguf"));
    const gc::gguf_model m = gc::gguf_load(files);
    auto w = gc::weight_source_gguf(m, files);
    std::vector<std::string> names;
    for (const auto & t : m.tensors) names.push_back(t.info->name);
    return gc::self_check(*w, names, {});
}

const gc::self_tensor_result & get(const gc::self_check_report & r, const std::string & name) {
    for (const auto & t : r.tensors) {
        if (t.name == name) return t;
    }
    throw std::runtime_error(name);
}

int flagged(const gc::self_check_report & r) {
    int n = 0;
    for (const auto & t : r.tensors) n += t.status != gc::weight_status::healthy;
    return n;
}

} // namespace

TEST(SelfCheck, HealthyFixturesRaiseNothing) {
    for (const char * f : { "g4tiny/g4tiny-f32.gguf", "g4tiny/g4tiny-Q4_K_M.gguf", "g4tiny/g4tiny-IQ2_XXS.gguf", "g4tiny/g4tiny-Q2_K.gguf",
                            "stories260K/stories260K-Q4_0.gguf", "stories260K/stories260K-F16.gguf" }) {
        const auto r = run(read_all(fs::path(GC_FIXTURES) / f));
        EXPECT_EQ(r.verdict, "no_anomaly") << f;
        EXPECT_EQ(flagged(r), 0) << f;
    }
}

TEST(SelfCheck, NanAndZeros) {
    auto bytes = read_all(fs::path(GC_FIXTURES) / "g4tiny" / "g4tiny-f32.gguf");
    f32_at(bytes, "blk.1.attn_k.weight")[17] = NAN;
    const auto [off, n] = tensor_range(bytes, "blk.4.ffn_down.weight");
    std::fill(bytes.begin() + (long) off, bytes.begin() + (long) (off + n), 0);
    const auto r = run(bytes);
    EXPECT_EQ(r.verdict, "damaged");
    EXPECT_EQ(get(r, "blk.1.attn_k.weight").status, gc::weight_status::damaged);
    EXPECT_EQ(get(r, "blk.1.attn_k.weight").nonfinite, 1u);
    EXPECT_EQ(get(r, "blk.4.ffn_down.weight").status, gc::weight_status::damaged);
    EXPECT_EQ(flagged(r), 2);
}

TEST(SelfCheck, LayerOffItsClassTrend) {
    auto bytes = read_all(fs::path(GC_FIXTURES) / "g4tiny" / "g4tiny-f32.gguf");
    f32_at(bytes, "blk.3.layer_output_scale.weight")[0] *= 40.0f;
    const auto [off, n] = tensor_range(bytes, "blk.2.attn_q.weight");
    float * q = reinterpret_cast<float *>(bytes.data() + off);
    for (uint64_t i = 0; i < n / 4; ++i) q[i] *= 30.0f;
    const auto r = run(bytes);
    EXPECT_EQ(r.verdict, "suspicious");
    EXPECT_EQ(get(r, "blk.3.layer_output_scale.weight").status, gc::weight_status::suspicious);
    EXPECT_NE(get(r, "blk.3.layer_output_scale.weight").note.find("above the trend"), std::string::npos);
    EXPECT_EQ(get(r, "blk.2.attn_q.weight").status, gc::weight_status::suspicious);
    EXPECT_EQ(flagged(r), 2);
}

TEST(SelfCheck, RobustTrend) {
    const auto r = gc::robust_trend_residuals({ 0, 1, 2, 3, 4, 5 }, { 0, 1, 2, 10, 4, 5 });
    EXPECT_NEAR(r[3], 7.0, 1e-12);
    EXPECT_NEAR(r[0], 0.0, 1e-12);
}
