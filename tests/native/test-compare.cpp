// Weight check: the fixtures' oracle cosines, and damage made here from the
// fixtures (a scaled scalar, noisy FFN layers, swapped layers, truncation,
// gemma 1+w norms) must be detected, localized and described, with no false
// alarm on the healthy files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "check/compare.h"
#include "check/diagnosis.h"
#include "check/reference.h"
#include "metrics/agreement.h"
#include "format/gguf.h"
#include "compare-util.h"
#include "fixture-util.h"
#include "gguf-builder.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path FX = GC_FIXTURES;
using gc_test::f32_at;
using gc_test::read_all;
using gc_test::tensor_range;

struct checked {
    gc::compare_report report;
    std::map<std::string, gc::tensor_agreement_result> by_name;
    bool has(const std::string & code) const {
        for (const auto & f : report.findings) {
            if (f.code == code) return true;
        }
        return false;
    }
    std::string finding(const std::string & code) const {
        for (const auto & f : report.findings) {
            if (f.code == code) return f.message;
        }
        return "";
    }
    std::string all() const {
        std::string s = "verdict " + report.verdict + "\n";
        for (const auto & f : report.findings) s += f.code + ": " + f.message + "\n";
        return s;
    }
};

// Candidate bytes (a GGUF) against reference files (paths), as the CLI does.
checked run_compare(std::vector<uint8_t> cand_bytes, const std::vector<fs::path> & ref_paths, bool quick = false) {
    gc::file_set cand_files, ref_files;
    cand_files.push_back(gc::byte_source_from_memory(std::move(cand_bytes), "cand.gguf"));
    for (const auto & p : ref_paths) {
        std::string err;
        ref_files.push_back(gc::byte_source_open_file(p, &err));
    }
    checked c{ gc_test::compare_files(cand_files, ref_files, quick), {} };
    for (const auto & t : c.report.tensors) c.by_name[t.name] = t;
    return c;
}

std::vector<fs::path> g4_hf() { return { FX / "g4tiny" / "hf" / "config.json", FX / "g4tiny" / "hf" / "model.safetensors" }; }
std::vector<fs::path> st_hf() { return { FX / "stories260K" / "hf" / "config.json", FX / "stories260K" / "hf" / "model.safetensors" }; }

} // namespace

// ---------------------------------------------------------------- oracles

TEST(CompareOracle, Stories260KMatchesReadme) {
    // tests/fixtures/README.md: weight cosine of each file vs F32, flattened.
    struct row { const char * file; double min, mean; std::map<std::string, double> examples; };
    const row rows[] = {
        { "F16", 1.000000, 1.000000, {} },
        { "Q8_0", 0.999981, 0.999990, { { "token_embd.weight", 0.999985 } } },
        { "Q4_0", 0.995421, 0.997628, { { "token_embd.weight", 0.996320 }, { "blk.0.attn_q.weight", 0.996778 } } },
        { "Q4_K_M", 0.998762, 0.999449, { { "token_embd.weight", 0.999018 } } },
    };
    for (const auto & r : rows) {
        const auto bytes = read_all(FX / "stories260K" / ("stories260K-" + std::string(r.file) + ".gguf"));
        for (const auto & ref : { st_hf(), std::vector<fs::path>{ FX / "stories260K" / "stories260K-F32.gguf" } }) {
            const checked c = run_compare(bytes, ref);
            EXPECT_EQ(c.report.verdict, "healthy") << r.file << c.all();
            double mn = 1.0, sum = 0.0;
            int n = 0;
            for (const auto & t : c.report.tensors) {
                EXPECT_EQ(t.status, gc::weight_status::healthy) << r.file << " " << t.name;
                if (t.rows_total > 1) {   // every compared row lands in one row-cosine bin
                    uint64_t rows = 0;
                    for (uint64_t n : t.row_hist) rows += n;
                    EXPECT_EQ(rows, (uint64_t) t.rows_compared) << t.name;
                }
                mn = std::min(mn, t.cos);
                sum += t.cos;
                ++n;
            }
            ASSERT_EQ(n, 48);
            EXPECT_NEAR(mn, r.min, 5.1e-7) << r.file;
            EXPECT_NEAR(sum / n, r.mean, 5.1e-7) << r.file;
            for (const auto & [name, cos] : r.examples) EXPECT_NEAR(c.by_name.at(name).cos, cos, 5.1e-7) << r.file << " " << name;
        }
    }
}

class G4TinyCos : public ::testing::TestWithParam<std::string> {};

TEST_P(G4TinyCos, EveryColumnOfTheCsv) {
    const std::string q = GetParam();
    std::string file = "g4tiny-" + q + ".gguf";
    if (q == "F32") file = "g4tiny-f32.gguf";
    if (q == "BF16") file = "g4tiny-bf16.gguf";
    const checked c = run_compare(read_all(FX / "g4tiny" / file), g4_hf());
    EXPECT_EQ(c.report.verdict, "healthy") << c.all();
    EXPECT_TRUE(c.report.findings.empty()) << c.all();
    std::ifstream csv(FX / "g4tiny" / "cos" / ("g4tiny-" + q + ".cos.csv"));
    std::string line;
    std::getline(csv, line);
    int rows = 0;
    while (std::getline(csv, line)) {
        std::stringstream ss(line);
        std::string name, type, n, cf, cr, rr, ma;
        std::getline(ss, name, ',');
        std::getline(ss, type, ',');
        std::getline(ss, n, ',');
        std::getline(ss, cf, ',');
        std::getline(ss, cr, ',');
        std::getline(ss, rr, ',');
        std::getline(ss, ma, ',');
        const auto & t = c.by_name.at(name);
        EXPECT_EQ(t.type, type) << name;
        EXPECT_EQ(t.n_elements, std::stoull(n)) << name;
        EXPECT_NEAR(t.cos, std::stod(cf), 1e-6) << name;
        EXPECT_NEAR(t.cos_row_mean, std::stod(cr), 1e-6) << name;
        EXPECT_NEAR(t.rel_rmse, std::stod(rr), 1e-6) << name;
        EXPECT_NEAR(t.max_abs, std::stod(ma), 1e-6) << name;
        EXPECT_EQ(t.status, gc::weight_status::healthy) << name;
        if (t.bit_exact) {
            EXPECT_TRUE(*t.bit_exact) << name;   // every 1-D tensor
        }
        ++rows;
    }
    EXPECT_EQ(rows, 86);
}

INSTANTIATE_TEST_SUITE_P(AllQuants, G4TinyCos,
                         ::testing::Values("F32", "BF16", "Q8_0", "Q6_K", "Q4_K_M", "Q4_0", "Q2_K", "IQ4_XS", "IQ2_XXS"));

TEST(CompareOracle, QuickModeEstimatesWithinItsBound) {
    const auto bytes = read_all(FX / "g4tiny" / "g4tiny-Q4_0.gguf");
    const checked full = run_compare(bytes, g4_hf());
    const checked quick = run_compare(bytes, g4_hf(), true);
    EXPECT_TRUE(quick.report.quick);
    EXPECT_EQ(quick.report.verdict, "healthy");
    // cos_row_mean_err is a ~95 % bound (2 standard errors): most sampled
    // tensors must fall inside it, and all inside twice it.
    int sampled = 0, inside = 0;
    for (const auto & t : quick.report.tensors) {
        const auto & f = full.by_name.at(t.name);
        if (t.rows_compared < t.rows_total) {
            ++sampled;
            const double diff = std::fabs(t.cos_row_mean - f.cos_row_mean);
            inside += diff <= t.cos_row_mean_err;
            EXPECT_LE(diff, 2 * t.cos_row_mean_err + 1e-6) << t.name;
        }
    }
    EXPECT_GE(inside, sampled * 85 / 100) << inside << " of " << sampled;
    EXPECT_GT(sampled, 0);
    EXPECT_LT(quick.report.bytes_read, full.report.bytes_read / 2);
}

// ---------------------------------------------------------------- damage

TEST(CompareDamage, ScaledLayerScalarIsNamed) {
    auto bytes = read_all(FX / "g4tiny" / "g4tiny-Q8_0.gguf");
    f32_at(bytes, "blk.2.layer_output_scale.weight")[0] *= 1.5f;
    const checked c = run_compare(bytes, g4_hf());
    EXPECT_EQ(c.report.verdict, "damaged") << c.all();
    const auto & t = c.by_name.at("blk.2.layer_output_scale.weight");
    EXPECT_EQ(t.status, gc::weight_status::damaged);
    EXPECT_NEAR(*t.value, 1.5 * *t.ref_value, 1e-6);
    for (const auto & [name, x] : c.by_name) {
        if (name != "blk.2.layer_output_scale.weight") {
            EXPECT_EQ(x.status, gc::weight_status::healthy) << name;
        }
    }
    EXPECT_NE(c.finding("layer_damaged").find("layer 2"), std::string::npos) << c.all();
}

TEST(CompareDamage, WholeScalarClassIsNamed) {
    auto bytes = read_all(FX / "g4tiny" / "g4tiny-Q4_K_M.gguf");
    for (int l = 0; l < 6; ++l) f32_at(bytes, "blk." + std::to_string(l) + ".layer_output_scale.weight")[0] *= 0.5f;
    const checked c = run_compare(bytes, g4_hf());
    EXPECT_EQ(c.report.verdict, "damaged");
    ASSERT_TRUE(c.has("class_damaged")) << c.all();
    EXPECT_NE(c.finding("class_damaged").find("layer_output_scale"), std::string::npos);
    EXPECT_NE(c.finding("class_damaged").find("-50.0 %"), std::string::npos) << c.finding("class_damaged");
    EXPECT_FALSE(c.has("reference_differs")) << c.all();
}

TEST(CompareDamage, NoisyFfnLayersArePeriodic) {
    auto bytes = read_all(FX / "g4tiny" / "g4tiny-f32.gguf");
    std::mt19937 rng(7);
    for (int l : { 0, 3 }) {
        const std::string name = "blk." + std::to_string(l) + ".ffn_up.weight";
        const auto [off, nbytes] = tensor_range(bytes, name);
        float * w = reinterpret_cast<float *>(bytes.data() + off);
        double rms = 0;
        for (uint64_t i = 0; i < nbytes / 4; ++i) rms += (double) w[i] * w[i];
        rms = std::sqrt(rms / (nbytes / 4));
        std::normal_distribution<float> noise(0.0f, (float) (0.3 * rms));
        for (uint64_t i = 0; i < nbytes / 4; ++i) w[i] += noise(rng);
    }
    const checked c = run_compare(bytes, g4_hf());
    EXPECT_EQ(c.report.verdict, "damaged");
    for (const auto & [name, t] : c.by_name) {
        const bool hit = name == "blk.0.ffn_up.weight" || name == "blk.3.ffn_up.weight";
        EXPECT_EQ(t.status, hit ? gc::weight_status::damaged : gc::weight_status::healthy) << name;
    }
    for (const auto & l : c.report.layers) {
        EXPECT_EQ(l.status, (l.layer == 0 || l.layer == 3) ? gc::weight_status::damaged : gc::weight_status::healthy) << l.layer;
    }
    EXPECT_NE(c.finding("periodic_damage").find("every 3th layer"), std::string::npos) << c.all();
    // The row-cosine histogram shows it: every row of a damaged tensor has
    // 1 - cos >= 1e-2, no row of a healthy F32 tensor does.
    const int bin_1e2 = gc::row_hist_bin(1.0 - 1e-2);
    auto rows_at_or_above = [&](const std::string & name) {
        const auto & h = c.by_name.at(name).row_hist;
        uint64_t n = 0;
        for (size_t k = (size_t) bin_1e2; k < h.size(); ++k) n += h[k];
        return n;
    };
    EXPECT_EQ(rows_at_or_above("blk.0.ffn_up.weight"), (uint64_t) c.by_name.at("blk.0.ffn_up.weight").rows_total);
    EXPECT_EQ(rows_at_or_above("blk.1.ffn_up.weight"), 0u);
}

TEST(CompareDamage, SwappedLayersAreRecognised) {
    auto bytes = read_all(FX / "stories260K" / "stories260K-F32.gguf");
    for (const char * cls : { "ffn_down", "ffn_up", "ffn_gate" }) {
        const auto a = tensor_range(bytes, std::string("blk.1.") + cls + ".weight");
        const auto b = tensor_range(bytes, std::string("blk.2.") + cls + ".weight");
        ASSERT_EQ(a.second, b.second);
        std::swap_ranges(bytes.begin() + (long) a.first, bytes.begin() + (long) (a.first + a.second), bytes.begin() + (long) b.first);
    }
    const checked c = run_compare(bytes, st_hf());
    EXPECT_EQ(c.report.verdict, "damaged");
    const std::string all = c.all();
    EXPECT_NE(all.find("layer 1's damaged tensors match the reference's layer 2"), std::string::npos) << all;
    EXPECT_NE(all.find("layer 2's damaged tensors match the reference's layer 1"), std::string::npos) << all;
    EXPECT_EQ(c.by_name.at("blk.1.attn_q.weight").status, gc::weight_status::healthy);
}

TEST(CompareDamage, TruncatedCandidate) {
    auto bytes = read_all(FX / "stories260K" / "stories260K-Q8_0.gguf");
    bytes.resize(bytes.size() - 5000);
    const checked c = run_compare(bytes, st_hf());
    EXPECT_EQ(c.report.verdict, "damaged");
    EXPECT_TRUE(c.has("truncated")) << c.all();
}

TEST(CompareDamage, ReferenceFromAnotherRevision) {
    // Every norm of the candidate nudged by one ulp-ish: the reference looks
    // like a different checkpoint, not a broken GGUF.
    auto bytes = read_all(FX / "g4tiny" / "g4tiny-Q8_0.gguf");
    for (int l = 0; l < 6; ++l) {
        for (const char * n : { "attn_norm", "ffn_norm", "post_attention_norm", "post_ffw_norm" }) {
            const std::string name = "blk." + std::to_string(l) + "." + n + ".weight";
            const auto [off, nbytes] = tensor_range(bytes, name);
            float * w = reinterpret_cast<float *>(bytes.data() + off);
            for (uint64_t i = 0; i < nbytes / 4; ++i) w[i] *= 1.001f;
        }
    }
    const checked c = run_compare(bytes, g4_hf());
    EXPECT_EQ(c.report.verdict, "reference_mismatch") << c.all();
    EXPECT_TRUE(c.has("reference_differs"));
}

TEST(CompareDamage, GemmaNormsStoredAsOnePlusW) {
    // A tiny gemma3 pair: HF norms w, GGUF norms 1 + w (as the converter
    // writes them). Healthy; without the +1 it would be flagged.
    std::mt19937 rng(3);
    std::normal_distribution<float> d(0.0f, 0.1f);
    std::vector<float> norm(16), mat(16 * 16);
    for (auto & v : norm) v = d(rng);
    for (auto & v : mat) v = d(rng);
    auto make_gguf = [&](float shift) {
        gc_test::gguf_builder b;
        b.header(2, 2);
        b.kv_str("general.architecture", "gemma3");
        b.kv_u32("gemma3.block_count", 1);
        b.tensor("blk.0.attn_norm.weight", { 16 }, 0, 0);
        b.tensor("blk.0.attn_q.weight", { 16, 16 }, 0, 64);
        b.pad();
        for (float v : norm) b.f32(v + shift);
        for (float v : mat) b.f32(v);
        return b.bytes;
    };
    json header = { { "model.layers.0.input_layernorm.weight", { { "dtype", "F32" }, { "shape", { 16 } }, { "data_offsets", { 0, 64 } } } },
                    { "model.layers.0.self_attn.q_proj.weight", { { "dtype", "F32" }, { "shape", { 16, 16 } }, { "data_offsets", { 64, 1088 } } } },
                    { "model.embed_tokens.weight", { { "dtype", "F32" }, { "shape", { 1, 16 } }, { "data_offsets", { 1088, 1152 } } } } };
    const std::string h = header.dump();
    std::vector<uint8_t> st(8 + h.size() + 1152, 0);
    const uint64_t n = h.size();
    std::memcpy(st.data(), &n, 8);
    std::memcpy(st.data() + 8, h.data(), h.size());
    std::memcpy(st.data() + 8 + h.size(), norm.data(), 64);
    std::memcpy(st.data() + 8 + h.size() + 64, mat.data(), 1024);
    const std::string cfg = R"({"model_type": "gemma3_text", "num_attention_heads": 2, "num_key_value_heads": 1})";
    const fs::path dir = fs::temp_directory_path() / "gc-gemma3-ref";
    fs::create_directories(dir);
    std::ofstream(dir / "model.safetensors", std::ios::binary).write((const char *) st.data(), (long) st.size());
    std::ofstream(dir / "config.json") << cfg;
    const std::vector<fs::path> ref = { dir / "config.json", dir / "model.safetensors" };

    const checked good = run_compare(make_gguf(1.0f), ref);
    EXPECT_EQ(good.report.verdict, "healthy") << good.all();
    EXPECT_TRUE(*good.by_name.at("blk.0.attn_norm.weight").bit_exact);
    const checked bad = run_compare(make_gguf(0.0f), ref);
    EXPECT_EQ(bad.by_name.at("blk.0.attn_norm.weight").status, gc::weight_status::damaged) << bad.all();
}

TEST(CompareMetrics, RowHistogramBins) {
    EXPECT_EQ(gc::row_hist_bin(1.0), 0);
    EXPECT_EQ(gc::row_hist_bin(1.0 - 1e-9), 0);
    EXPECT_EQ(gc::row_hist_bin(1.0 - 1e-8), 1);
    EXPECT_EQ(gc::row_hist_bin(1.0 - 2e-8), 2);               // 10^-7.75 > 2e-8 > 10^-8
    EXPECT_EQ(gc::row_hist_bin(1.0 - 1e-2 * 1.0000001), 25);  // decade 6 starts at bin 6*4+1
    EXPECT_EQ(gc::row_hist_bin(0.0), gc::ROW_HIST_BINS - 1);
    EXPECT_EQ(gc::row_hist_bin(-0.5), gc::ROW_HIST_BINS - 1);
    EXPECT_EQ(gc::row_hist_bin(0.01), gc::ROW_HIST_BINS - 2);
}

TEST(CompareDiagnosis, FindPeriod) {
    auto flags = [](int n, std::initializer_list<int> on) {
        std::vector<bool> f((size_t) n, false);
        for (int l : on) f[(size_t) l] = true;
        return f;
    };
    EXPECT_EQ(gc::find_period(flags(48, { 5, 11, 17, 23, 29, 35, 41, 47 })), std::make_pair(6, 5));
    EXPECT_EQ(gc::find_period(flags(12, { 0, 2, 4, 6, 8, 10 })), std::make_pair(2, 0));
    EXPECT_EQ(gc::find_period(flags(12, { 1, 2, 7 })), std::make_pair(0, 0));
    EXPECT_EQ(gc::find_period(flags(12, { 3 })), std::make_pair(0, 0));
}
