// model_desc_for_hf on the fixtures' Hugging Face folders: their own configs
// agree with the GGUF metadata (no finding); edited configs give one finding
// per edited value, with the config's value in the reference recipe.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fixture-util.h"
#include "format/safetensors.h"
#include "model/model.h"

using namespace gc;

namespace {

const std::string k_fix = GC_FIXTURES;

model_desc desc_of(const std::string & gguf_path) {
    file_set fs;
    fs.push_back(byte_source_open_file(gguf_path, nullptr));
    const gguf_model g = gguf_load(fs);
    model_desc d;
    std::string err;
    EXPECT_TRUE(model_desc_from_gguf(g, d, &err)) << err;
    return d;
}

nlohmann::json config_of(const std::string & dir) {
    const auto b = gc_test::read_all(dir + "/config.json");
    return nlohmann::json::parse(b.begin(), b.end());
}

// Runs model_desc_for_hf with `config` and the folder's safetensors.
std::vector<finding> sync(const model_desc & cand, const std::string & dir, const nlohmann::json & config, model_desc & out) {
    file_set fs;
    const std::string c = config.dump();
    fs.push_back(byte_source_from_memory(std::vector<uint8_t>(c.begin(), c.end()), "config.json"));
    fs.push_back(byte_source_open_file(dir + "/model.safetensors", nullptr));
    const hf_model hf = hf_load(fs);
    EXPECT_TRUE(hf.usable);
    finding_list f;
    model_desc_for_hf(cand, hf, out, f);
    return f;
}

} // namespace

TEST(ppl_hf_config, g4tiny_gemma4) {
    const model_desc cand = desc_of(k_fix + "/g4tiny/g4tiny-f32.gguf");
    const std::string dir = k_fix + "/g4tiny/hf";
    model_desc out;
    auto f = sync(cand, dir, config_of(dir), out);
    for (const auto & x : f) ADD_FAILURE() << x.message;
    EXPECT_EQ(out.layers[5].rope.freq_base, 1e6f);
    EXPECT_EQ(out.final_softcap, 30.0f);

    nlohmann::json c = config_of(dir);
    c["text_config"]["rope_parameters"]["full_attention"]["rope_theta"] = 1e5;
    c["text_config"]["final_logit_softcapping"] = 20.0;
    c["text_config"]["sliding_window"] = 128;
    c["text_config"]["num_global_key_value_heads"] = 2;
    f = sync(cand, dir, c, out);
    ASSERT_EQ(f.size(), 4u);
    int errors = 0;
    for (const auto & x : f) {
        EXPECT_EQ(x.code, "hparam_mismatch");
        errors += x.level == severity::error;
        std::printf("%s: %s\n", severity_name(x.level), x.message.c_str());
    }
    EXPECT_EQ(errors, 1);   // the KV heads: structural
    EXPECT_EQ(out.layers[5].rope.freq_base, 1e5f);
    EXPECT_EQ(out.layers[0].rope.freq_base, 1e4f);
    EXPECT_EQ(out.final_softcap, 20.0f);
    EXPECT_EQ(out.layers[0].sliding_window, 128);
    EXPECT_EQ(out.layers[5].sliding_window, 0);
    EXPECT_EQ(out.layers[5].n_head_kv, 2);

    // A pattern that moves the full layer is reported, not applied.
    c = config_of(dir);
    c["text_config"]["layer_types"][0] = "full_attention";
    f = sync(cand, dir, c, out);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].level, severity::error);
    EXPECT_NE(f[0].message.find("layer 0"), std::string::npos);
}

TEST(ppl_hf_config, stories260k_llama) {
    const model_desc cand = desc_of(k_fix + "/stories260K/stories260K-F32.gguf");
    const std::string dir = k_fix + "/stories260K/hf";
    model_desc out;
    auto f = sync(cand, dir, config_of(dir), out);
    for (const auto & x : f) ADD_FAILURE() << x.message;

    nlohmann::json c = config_of(dir);
    c["rope_theta"] = 5e5;
    c["rms_norm_eps"] = 1e-6;
    c["rope_scaling"] = { { "rope_type", "linear" }, { "factor", 4.0 } };
    f = sync(cand, dir, c, out);
    EXPECT_EQ(f.size(), 3u);
    EXPECT_EQ(out.layers[2].rope.freq_base, 5e5f);
    EXPECT_FLOAT_EQ(out.layers[2].rope.freq_scale, 0.25f);
    EXPECT_FLOAT_EQ(out.norm_eps, 1e-6f);

    // No config at all: a warning that nothing could be cross-checked.
    file_set fs;
    fs.push_back(byte_source_open_file(dir + "/model.safetensors", nullptr));
    const hf_model hf = hf_load(fs);
    finding_list nf;
    model_desc_for_hf(cand, hf, out, nf);
    ASSERT_EQ(nf.size(), 1u);
    EXPECT_EQ(nf[0].code, "no_config");
    EXPECT_EQ(out.layers[0].rope.freq_base, cand.layers[0].rope.freq_base);
}
