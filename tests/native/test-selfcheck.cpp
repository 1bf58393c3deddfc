// Reference-free check: healthy fixtures raise nothing; NaN, zeroed matrices
// and a layer off its class's trend are found and named.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "caller-only-source.h"
#include "check/selfcheck.h"
#include "compute/thread-pool.h"
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

// Threads: with blocks of 1000 floats every matrix is many blocks; 1 and 3
// threads give the same JSON bit for bit, every read happens on the calling
// thread, and the block-wise sums agree with whole-tensor blocks to rounding.
TEST(SelfCheck, ThreadsChangeNoNumberAndReadOnlyOnTheCaller) {
    std::atomic<int64_t> off_thread{ 0 };
    const auto bytes = read_all(fs::path(GC_FIXTURES) / "g4tiny" / "g4tiny-Q4_K_M.gguf");
    auto check = [&](int threads, int64_t block_floats) {
        gc::file_set files;
        files.push_back(std::make_unique<gc_test::caller_only_source>(gc::byte_source_from_memory(bytes, "cand.gguf"),
                                                                      off_thread));
        const gc::gguf_model m = gc::gguf_load(files);
        auto w = gc::weight_source_gguf(m, files);
        std::vector<std::string> names;
        for (const auto & t : m.tensors) names.push_back(t.info->name);
        gc::compare_options opt;
        opt.n_threads = threads;
        return gc::self_check(*w, names, opt, block_floats);
    };
    const gc::self_check_report one = check(1, 1000);
    const gc::self_check_report three = check(3, 1000);
    EXPECT_EQ(gc::self_check_to_json(one).dump(), gc::self_check_to_json(three).dump());
    EXPECT_EQ(off_thread.load(), 0);
    EXPECT_TRUE(gc::threads_available());

    const gc::self_check_report whole = check(3, gc::SELF_CHECK_BLOCK_FLOATS);
    ASSERT_EQ(whole.tensors.size(), three.tensors.size());
    int multi_block = 0;
    for (size_t i = 0; i < whole.tensors.size(); ++i) {
        const auto & a = whole.tensors[i];
        const auto & b = three.tensors[i];
        SCOPED_TRACE(a.name);
        multi_block += a.n_elements > 1000;
        EXPECT_EQ(a.n_elements, b.n_elements);
        EXPECT_EQ(a.max_abs, b.max_abs);
        EXPECT_NEAR(a.rms, b.rms, 1e-12 * a.rms);
        EXPECT_NEAR(a.mean, b.mean, 1e-12 * a.rms);
        EXPECT_NEAR(a.kurtosis, b.kurtosis, 1e-9 * a.kurtosis);
        EXPECT_EQ(a.status, b.status);
    }
    EXPECT_GT(multi_block, 40);
}

// The full check announces each tensor it streams (byte_source::will_read):
// one hint per tensor, its whole byte range, and every read after a hint
// lies inside it.
TEST(SelfCheck, AnnouncesEachTensorItStreams) {
    struct hint_log final : gc::byte_source {
        std::unique_ptr<gc::byte_source> inner;
        std::vector<std::pair<uint64_t, uint64_t>> hints;
        uint64_t reads_outside = 0, reads_after_hints = 0;
        uint64_t size() const override { return inner->size(); }
        const std::string & name() const override { return inner->name(); }
        uint64_t bytes_fetched() const override { return inner->bytes_fetched(); }
        void will_read(uint64_t offset, uint64_t len) override { hints.emplace_back(offset, len); }
        bool read(uint64_t offset, void * dst, size_t len) override {
            if (!hints.empty()) {
                ++reads_after_hints;
                const auto [h0, hn] = hints.back();
                reads_outside += offset < h0 || offset + len > h0 + hn;
            }
            return inner->read(offset, dst, len);
        }
    };
    auto src = std::make_unique<hint_log>();
    src->inner = gc::byte_source_from_memory(read_all(fs::path(GC_FIXTURES) / "g4tiny" / "g4tiny-Q4_K_M.gguf"), "cand.gguf");
    hint_log * log = src.get();
    gc::file_set files;
    files.push_back(std::move(src));
    const gc::gguf_model m = gc::gguf_load(files);
    auto w = gc::weight_source_gguf(m, files);
    std::vector<std::string> names;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto & t : m.tensors) {
        names.push_back(t.info->name);
        const gc::weight_tensor * wt = w->find(t.info->name);
        ASSERT_TRUE(wt);
        ranges.emplace_back(wt->offset, wt->row_bytes * (uint64_t) wt->n_rows);
    }
    gc::compare_options opt;
    opt.n_threads = 2;
    gc::self_check(*w, names, opt, 1000);
    EXPECT_EQ(log->hints, ranges);
    EXPECT_GT(log->reads_after_hints, 100u);
    EXPECT_EQ(log->reads_outside, 0u);
}

// GGUF tensors are read raw and decoded on the pool; a source without raw
// rows decodes in read_rows on the caller. Same values, same order: the same
// report, for every type of the g4tiny files.
TEST(SelfCheck, RawAndDecodedReadsGiveTheSameReport) {
    struct decoded_only final : gc::weight_source {
        gc::weight_source & inner;
        explicit decoded_only(gc::weight_source & w) : inner(w) {}
        const gc::weight_tensor * find(const std::string & name) const override { return inner.find(name); }
        bool read_rows(const gc::weight_tensor & t, int64_t r0, int64_t nr, float * dst, std::string * error) override {
            return inner.read_rows(t, r0, nr, dst, error);
        }
        uint64_t bytes_read() const override { return inner.bytes_read(); }
    };
    for (const char * file : { "g4tiny-Q4_K_M", "g4tiny-IQ2_XXS", "g4tiny-Q2_K", "g4tiny-bf16", "g4tiny-f32" }) {
        SCOPED_TRACE(file);
        gc::file_set files;
        files.push_back(gc::byte_source_from_memory(read_all(fs::path(GC_FIXTURES) / "g4tiny" / (std::string(file) + ".gguf")), "c"));
        const gc::gguf_model m = gc::gguf_load(files);
        auto w = gc::weight_source_gguf(m, files);
        auto w2 = gc::weight_source_gguf(m, files);   // its own bytes_read count
        std::vector<std::string> names;
        for (const auto & t : m.tensors) names.push_back(t.info->name);
        gc::compare_options opt;
        opt.n_threads = 3;
        decoded_only plain(*w2);
        const std::string raw = gc::self_check_to_json(gc::self_check(*w, names, opt, 1000)).dump();
        EXPECT_EQ(gc::self_check_to_json(gc::self_check(plain, names, opt, 1000)).dump(), raw);
        EXPECT_NE(raw.find("\"verdict\""), std::string::npos);
    }
}
