// A reference that is not the candidate's model (another architecture, or
// the same architecture at another size) gives the "reference_mismatch"
// verdict with a message that says what to drop instead, never "healthy"
// over the few tensors that happen to match; and opening no GGUF at all
// (only reference files dropped) is a "no_model" error, not an empty
// healthy report. Issue 8, deliverables 2 and 5.
#include <gtest/gtest.h>

#include <filesystem>

#include "check/compare.h"
#include "check/reference.h"
#include "format/gguf.h"
#include "compare-util.h"
#include "gguf-builder.h"

namespace fs = std::filesystem;

namespace {

const fs::path FX = GC_FIXTURES;

struct outcome {
    gc::compare_report report;
    std::string all() const {
        std::string s = "verdict " + report.verdict + ": " + report.summary + "\n";
        for (const auto & f : report.findings) s += f.code + ": " + f.message + "\n";
        return s;
    }
    const gc::finding * find(const std::string & code) const {
        for (const auto & f : report.findings) {
            if (f.code == code) return &f;
        }
        return nullptr;
    }
};

gc::file_set open_files(const std::vector<fs::path> & paths) {
    gc::file_set set;
    for (const auto & p : paths) {
        std::string err;
        auto src = gc::byte_source_open_file(p.string(), &err);
        EXPECT_TRUE(src) << err;
        set.push_back(std::move(src));
    }
    return set;
}

outcome compare(const std::vector<fs::path> & cand_paths, const std::vector<fs::path> & ref_paths, bool quick) {
    gc::file_set cand_files = open_files(cand_paths), ref_files = open_files(ref_paths);
    return outcome{ gc_test::compare_files(cand_files, ref_files, quick) };
}

const fs::path STORIES_Q4 = FX / "stories260K" / "stories260K-Q4_0.gguf";

} // namespace

TEST(ReferenceMismatch, OtherArchitectureGguf) {
    for (bool quick : { true, false }) {
        const outcome o = compare({ STORIES_Q4 }, { FX / "g4tiny" / "g4tiny-f32.gguf" }, quick);
        EXPECT_EQ(o.report.verdict, "reference_mismatch") << o.all();
        const gc::finding * f = o.find("architecture_mismatch");
        ASSERT_TRUE(f) << o.all();
        EXPECT_EQ(f->level, gc::severity::error);
        EXPECT_NE(f->message.find("gemma4"), std::string::npos) << f->message;
        EXPECT_NE(f->message.find("llama"), std::string::npos) << f->message;
        EXPECT_NE(f->message.find("Drop the reference of this very model"), std::string::npos) << f->message;
        EXPECT_EQ(o.report.summary, f->message);
    }
}

TEST(ReferenceMismatch, OtherArchitectureHf) {
    const outcome o = compare({ STORIES_Q4 }, { FX / "g4tiny" / "hf" / "config.json", FX / "g4tiny" / "hf" / "model.safetensors" }, true);
    EXPECT_EQ(o.report.verdict, "reference_mismatch") << o.all();
    ASSERT_TRUE(o.find("architecture_mismatch")) << o.all();
    EXPECT_NE(o.find("architecture_mismatch")->message.find("Hugging Face folder"), std::string::npos);
}

// Same architecture (llama), other size: stories260K (dim 64, 5 layers)
// against a generated llama of dim 32 with the same tensor names.
TEST(ReferenceMismatch, SameArchitectureOtherSize) {
    gc_test::gguf_builder b;
    const std::vector<std::string> names = { "token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight",
                                             "blk.0.ffn_up.weight", "output_norm.weight" };
    b.header(names.size(), 1);
    b.kv_str("general.architecture", "llama");
    const uint64_t n = 32 * 32 * 4;
    for (size_t i = 0; i < names.size(); ++i) b.tensor(names[i], { 32, 32 }, 0, i * n);
    b.pad();
    b.zeros(names.size() * n);
    const fs::path small = fs::temp_directory_path() / "gc-test-llama-dim32.gguf";
    {
        std::FILE * f = std::fopen(small.string().c_str(), "wb");
        ASSERT_TRUE(f);
        std::fwrite(b.bytes.data(), 1, b.bytes.size(), f);
        std::fclose(f);
    }
    const outcome o = compare({ STORIES_Q4 }, { small }, false);
    fs::remove(small);
    EXPECT_EQ(o.report.verdict, "reference_mismatch") << o.all();
    const gc::finding * f = o.find("shape_mismatch");
    ASSERT_TRUE(f) << o.all();
    EXPECT_NE(o.report.summary.find("different model (size or variant)"), std::string::npos) << o.report.summary;
    EXPECT_NE(o.report.summary.find("5 of 48 tensors"), std::string::npos) << o.report.summary;
}

TEST(ReferenceMismatch, NoGgufAtAll) {
    gc::file_set none;
    const gc::gguf_model m = gc::gguf_load(none);
    EXPECT_FALSE(m.usable);
    ASSERT_EQ(m.findings.size(), 1u);
    EXPECT_EQ(m.findings[0].code, "no_model");
    EXPECT_EQ(m.findings[0].level, gc::severity::error);
    EXPECT_NE(m.findings[0].message.find("drop the .gguf file"), std::string::npos);
}
