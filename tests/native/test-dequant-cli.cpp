// ggufcheck dequant / bench dequant, run as a process (GC_CLI).
#include <gtest/gtest.h>

#include "cli-util.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

const std::string k_alltypes = std::string(GC_FIXTURES) + "/quants/alltypes.gguf";

std::vector<uint8_t> read_file(const std::string & path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Runs the CLI, returns its exit code and stdout.
int run(const std::string & args, std::string * out) {
    int rc = -1;
    *out = gc_test::run_cli(args, &rc);
    return rc;
}

} // namespace

TEST(DequantCli, RowsToRawF32MatchGgml) {
    const std::string tmp = (std::filesystem::temp_directory_path() / "gc-dequant-cli.f32").string();
    std::string out;
    ASSERT_EQ(run("dequant " + k_alltypes + " t.Q6_K --rows 3:7 --out " + tmp + " 2>/dev/null", &out), 0);
    const std::vector<uint8_t> got = read_file(tmp);
    const std::vector<uint8_t> expected = read_file(std::string(GC_FIXTURES) + "/quants/alltypes.expected.f32");
    // t.Q6_K starts at float 65536 of the expected file; rows of 512 floats.
    const size_t off = (65536 + 3 * 512) * 4, len = 4 * 512 * 4;
    ASSERT_EQ(got.size(), len);
    EXPECT_EQ(std::memcmp(got.data(), expected.data() + off, len), 0);
    // the scalar reference writes the same bytes
    ASSERT_EQ(run("dequant " + k_alltypes + " t.Q6_K --rows 3:7 --ref --out " + tmp + " 2>/dev/null", &out), 0);
    EXPECT_EQ(read_file(tmp), got);
    std::filesystem::remove(tmp);
}

TEST(DequantCli, BadArgumentsFailCleanly) {
    std::string out;
    EXPECT_EQ(run("dequant " + k_alltypes + " no.such.tensor --out /dev/null 2>/dev/null", &out), 1);
    EXPECT_EQ(run("dequant " + k_alltypes + " t.Q4_0 --rows 5:99 --out /dev/null 2>/dev/null", &out), 1);
    EXPECT_EQ(run("dequant " + k_alltypes + " t.Q4_0 --rows 7:3 --out /dev/null 2>/dev/null", &out), 1);
    EXPECT_EQ(run("dequant /nonexistent.gguf --stats 2>/dev/null", &out), 1);
    EXPECT_EQ(run("dequant 2>/dev/null", &out), 1);
}

TEST(DequantCli, StatsJson) {
    std::string out;
    ASSERT_EQ(run("dequant " + k_alltypes + " --stats --json", &out), 0);
    const nlohmann::json j = nlohmann::json::parse(out);
    ASSERT_EQ(j["tensors"].size(), 18u);
    EXPECT_TRUE(j["skipped"].empty());
    for (const auto & t : j["tensors"]) {
        EXPECT_EQ(t["count"], 8192) << t["name"];
        EXPECT_EQ(t["nan"], 0);
        EXPECT_EQ(t["inf"], 0);
        // row 14 of the source is exactly zero: at least its blocks decode to zero
        EXPECT_GE(t["zero_blocks"].get<int>(), 1) << t["name"];
        EXPECT_LT(t["min"].get<double>(), 0.0);
        EXPECT_GT(t["max"].get<double>(), 0.0);
        EXPECT_GT(t["std"].get<double>(), 0.1);
    }
}

TEST(DequantCli, BenchRuns) {
    std::string out;
    ASSERT_EQ(run("bench dequant --type Q4_K --elems 4096 --min-time 0.001 --json", &out), 0);
    const nlohmann::json j = nlohmann::json::parse(out);
    ASSERT_EQ(j["types"].size(), 1u);
    EXPECT_EQ(j["types"][0]["type"], "Q4_K");
    EXPECT_GT(j["types"][0]["fast_gbps_in"].get<double>(), 0.0);
}
