// The value scan (check/value-scan.h) and the tensor histogram
// (quant/tensor-histogram.h): counts add up, the range is the stats' range,
// NaN/Inf are counted apart and become error findings, hostile arguments fail
// cleanly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "check/value-scan.h"
#include "fixture-util.h"
#include "format/gguf.h"
#include "quant/tensor-histogram.h"

namespace {

const std::string k_q4 = std::string(GC_FIXTURES) + "/stories260K/stories260K-Q4_0.gguf";

struct opened {
    gc::file_set files;
    gc::gguf_model model;
};

void open_bytes(opened & o, const std::vector<uint8_t> & bytes) {
    o.files.push_back(gc::byte_source_from_memory(bytes, "m.gguf"));
    o.model = gc::gguf_load(o.files);
    ASSERT_TRUE(o.model.usable);
}

gc::tensor_layout layout_of(const opened & o, const std::string & name) {
    gc::tensor_layout lay;
    std::string err;
    const gc::gguf_tensor * t = o.model.find_tensor(name);
    EXPECT_NE(t, nullptr);
    EXPECT_TRUE(gc::tensor_layout_from_gguf(*t, &lay, &err)) << err;
    return lay;
}

} // namespace

TEST(ValueScan, HealthyFixtureAndHistogramAgree) {
    opened o;
    open_bytes(o, gc_test::read_all(k_q4));
    const gc::value_scan_result r = gc::value_scan(o.files, o.model);
    ASSERT_EQ(r.rows.size(), 48u);
    EXPECT_FALSE(r.poisoned);
    EXPECT_TRUE(r.findings.empty());
    for (const auto & row : r.rows) {
        ASSERT_TRUE(row.scanned) << row.name << ": " << row.reason;
        gc::tensor_histogram h;
        std::string err;
        ASSERT_TRUE(gc::tensor_histogram_compute(*o.files[0], layout_of(o, row.name), 16, &h, &err)) << err;
        EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), uint64_t{0}), row.stats.count) << row.name;
        EXPECT_EQ(h.count, row.stats.count);
        EXPECT_EQ(h.lo, row.stats.min) << row.name;
        EXPECT_EQ(h.hi, row.stats.max) << row.name;
    }
}

TEST(ValueScan, NanAndInfAreCountedApartAndFound) {
    std::vector<uint8_t> bytes = gc_test::read_all(std::string(GC_FIXTURES) + "/stories260K/stories260K-F32.gguf");
    float * w = gc_test::f32_at(bytes, "blk.1.attn_norm.weight");
    w[0] = std::numeric_limits<float>::quiet_NaN();
    w[1] = std::numeric_limits<float>::infinity();
    w[2] = -std::numeric_limits<float>::infinity();
    opened o;
    open_bytes(o, bytes);
    const gc::value_scan_result r = gc::value_scan(o.files, o.model);
    EXPECT_TRUE(r.poisoned);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].code, "nonfinite_values");
    EXPECT_EQ(r.findings[0].tensor, "blk.1.attn_norm.weight");
    EXPECT_EQ(r.findings[0].level, gc::severity::error);
    const nlohmann::json j = gc::value_scan_json(r);
    EXPECT_EQ(j["findings"].size(), 1u);

    gc::tensor_histogram h;
    std::string err;
    ASSERT_TRUE(gc::tensor_histogram_compute(*o.files[0], layout_of(o, "blk.1.attn_norm.weight"), 8, &h, &err)) << err;
    EXPECT_EQ(h.n_nan, 1u);
    EXPECT_EQ(h.n_pos_inf, 1u);
    EXPECT_EQ(h.n_neg_inf, 1u);
    EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), uint64_t{0}) + 3, h.count);
    EXPECT_TRUE(std::isfinite(h.lo) && std::isfinite(h.hi));
}

TEST(ValueScan, ProgressCancels) {
    opened o;
    open_bytes(o, gc_test::read_all(k_q4));
    int calls = 0;
    const gc::value_scan_result r = gc::value_scan(o.files, o.model, {}, [&](uint64_t, uint64_t, const std::string &) {
        return ++calls < 3;
    });
    EXPECT_TRUE(r.cancelled);
    EXPECT_EQ(r.rows.size(), 2u);
}

TEST(TensorHistogram, BadArgumentsFailCleanly) {
    opened o;
    open_bytes(o, gc_test::read_all(k_q4));
    const gc::tensor_layout lay = layout_of(o, "blk.0.attn_q.weight");
    gc::tensor_histogram h;
    std::string err;
    EXPECT_FALSE(gc::tensor_histogram_compute(*o.files[0], lay, 0, &h, &err));
    EXPECT_FALSE(gc::tensor_histogram_compute(*o.files[0], lay, gc::TENSOR_HISTOGRAM_MAX_BINS + 1, &h, &err));
    gc::tensor_layout past = lay;
    past.data_offset = o.files[0]->size() - 8;   // reads past the end
    EXPECT_FALSE(gc::tensor_histogram_compute(*o.files[0], past, 8, &h, &err));
    EXPECT_FALSE(err.empty());
}
