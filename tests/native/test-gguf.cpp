// GGUF reader: agreement with gguf-py on every fixture, and the broken-file
// corpus (each a named finding or a clear error, fast, without allocating
// more than the file's size).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>

#include <nlohmann/json.hpp>

#include "check/inspect.h"
#include "format/gguf.h"
#include "gguf-builder.h"

using nlohmann::json;
namespace fs = std::filesystem;

// ------------------------------------------------- allocation accounting
// Peak bytes live on the heap, so a test can bound what parsing allocates.
static std::atomic<int64_t> g_live{ 0 }, g_peak{ 0 };

void * operator new(size_t n) {
    void * p = std::malloc(n + 16);
    if (!p) throw std::bad_alloc();
    *(size_t *) p = n;
    const int64_t live = g_live += (int64_t) n;
    int64_t peak = g_peak.load();
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {}
    return (char *) p + 16;
}
void operator delete(void * p) noexcept {
    if (!p) return;
    void * base = (char *) p - 16;
    g_live -= (int64_t) * (size_t *) base;
    std::free(base);
}
void operator delete(void * p, size_t) noexcept { operator delete(p); }
// The nothrow forms too (std::stable_sort uses them): every allocation must
// come from the counting operator new, or sanitizers see mismatched frees.
void * operator new(size_t n, const std::nothrow_t &) noexcept {
    try {
        return operator new(n);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void * p, const std::nothrow_t &) noexcept { operator delete(p); }

namespace {

std::vector<uint8_t> read_all(const fs::path & p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

gc::gguf_model load_bytes(std::vector<uint8_t> bytes, const std::string & name = "test.gguf") {
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(std::move(bytes), name));
    return gc::gguf_load(set);
}

bool has_finding(const gc::gguf_model & m, const std::string & code) {
    for (const auto & f : m.findings) {
        if (f.code == code) return true;
    }
    return false;
}

std::string codes(const gc::gguf_model & m) {
    std::string s;
    for (const auto & f : m.findings) s += f.code + ": " + f.message + "\n";
    return s;
}

// Parses `bytes`, checks it finished quickly and allocated at most the file
// size (plus a small constant for bookkeeping), and returns the model.
gc::gguf_model load_hostile(std::vector<uint8_t> bytes) {
    const size_t size = bytes.size();
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(std::move(bytes), "hostile.gguf"));
    const int64_t base = g_live.load();
    g_peak = base;
    const auto t0 = std::chrono::steady_clock::now();
    gc::gguf_model m = gc::gguf_load(set);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 100.0);
    EXPECT_LE(g_peak.load() - base, (int64_t) (2 * size + 64 * 1024)) << "parse allocated more than the file holds";
    return m;
}

} // namespace

// ------------------------------------------------- fixtures vs gguf-py

class GgufFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(GgufFixture, AgreesWithGgufPy) {
    const fs::path expected_path = fs::path(GC_FIXTURES) / "expected" / (GetParam() + ".gguf-py.json");
    std::ifstream in(expected_path);
    ASSERT_TRUE(in) << expected_path;
    const json want = json::parse(in);

    fs::path file;
    for (const auto & dir : fs::directory_iterator(GC_FIXTURES)) {
        if (dir.is_directory() && fs::exists(dir.path() / GetParam())) file = dir.path() / GetParam();
    }
    ASSERT_FALSE(file.empty());
    std::string err;
    gc::file_set set;
    set.push_back(gc::byte_source_read_ahead(gc::byte_source_open_file(file, &err)));
    const gc::gguf_model model = gc::gguf_load(set);
    ASSERT_TRUE(model.usable);
    EXPECT_FALSE(gc::findings_have_errors(model.findings)) << codes(model);
    const json got = gc::inspect_report(model);

    EXPECT_EQ(got["version"], want["version"]);
    EXPECT_EQ(got["file_size"], want["file_size"]);
    EXPECT_EQ(got["alignment"], want["alignment"]);
    EXPECT_EQ(got["tensor_data_offset"], want["tensor_data_offset"]);
    EXPECT_EQ(got["n_kv"], want["n_kv"]);
    EXPECT_EQ(got["n_tensors"], want["n_tensors"]);
    ASSERT_EQ(got["tensors"].size(), want["tensors"].size());
    for (size_t i = 0; i < want["tensors"].size(); ++i) {
        const json & w = want["tensors"][i];
        const json & g = got["tensors"][i];
        EXPECT_EQ(g["name"], w["name"]);
        EXPECT_EQ(g["type"], w["type"]) << w["name"];
        EXPECT_EQ(g["shape"], w["shape"]) << w["name"];
        EXPECT_EQ(g["offset"], w["offset"]) << w["name"];
        EXPECT_EQ(g["nbytes"], w["nbytes"]) << w["name"];
    }
    for (const auto & [key, w] : want["metadata"].items()) {
        ASSERT_TRUE(got["metadata"].contains(key)) << key;
        const json & g = got["metadata"][key];
        if (w.is_object() && w.contains("array_length")) {
            EXPECT_EQ(g["array_length"], w["array_length"]) << key;
            EXPECT_EQ(g["first"], w["first"]) << key;
        } else if (!(w.is_object() && w.contains("nested"))) {
            EXPECT_EQ(g, w) << key;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllFixtures, GgufFixture, ::testing::Values(
    "stories260K-F32.gguf", "stories260K-F16.gguf", "stories260K-Q8_0.gguf", "stories260K-Q4_0.gguf",
    "stories260K-Q4_K_M.gguf", "g4tiny-f32.gguf", "g4tiny-bf16.gguf", "g4tiny-Q8_0.gguf", "g4tiny-Q6_K.gguf",
    "g4tiny-Q4_K_M.gguf", "g4tiny-Q4_0.gguf", "g4tiny-Q2_K.gguf", "g4tiny-IQ4_XS.gguf", "g4tiny-IQ2_XXS.gguf",
    "g4tiny-imatrix.gguf", "alltypes.gguf", "ggml-vocab-llama-spm.gguf", "ggml-vocab-llama-bpe.gguf",
    "ggml-vocab-qwen2.gguf", "ggml-vocab-gemma-4.gguf"),
    [](const auto & info) {
        std::string n = info.param;
        for (char & c : n) if (!isalnum((unsigned char) c)) c = '_';
        return n;
    });

TEST(Gguf, LoadingReadsOnlyTheHeader) {
    const fs::path file = fs::path(GC_FIXTURES) / "g4tiny" / "g4tiny-f32.gguf";
    std::string err;
    gc::file_set set;
    set.push_back(gc::byte_source_read_ahead(gc::byte_source_open_file(file, &err), 64 * 1024));
    const gc::gguf_model model = gc::gguf_load(set);
    ASSERT_TRUE(model.usable);
    const uint64_t header = model.parts[0].tensor_data_offset;
    EXPECT_LE(set[0]->bytes_fetched(), header + 64 * 1024);
    EXPECT_LT(set[0]->bytes_fetched(), fs::file_size(file) / 10);
}

// ------------------------------------------------- broken-file corpus

TEST(GgufHostile, BadMagic) {
    auto bytes = gc_test::small_model();
    bytes[0] = 'X';
    auto m = load_hostile(bytes);
    EXPECT_FALSE(m.usable);
    EXPECT_TRUE(has_finding(m, "bad_magic")) << codes(m);
}

TEST(GgufHostile, BadVersions) {
    for (uint32_t v : { 0u, 1u, 4u, 99u, 0x03000000u }) {
        auto bytes = gc_test::small_model();
        std::memcpy(bytes.data() + 4, &v, 4);
        auto m = load_hostile(bytes);
        EXPECT_FALSE(m.usable);
        EXPECT_TRUE(has_finding(m, "unsupported_version")) << v << codes(m);
    }
}

TEST(GgufHostile, TruncatedEverywhere) {
    // Cut a real file at every offset of its header and at many in its data.
    const auto full = read_all(fs::path(GC_FIXTURES) / "stories260K" / "stories260K-Q4_0.gguf");
    const gc::gguf_model whole = load_bytes(full);
    const auto header = whole.parts.at(0).tensor_data_offset;
    uint64_t data_end = 0;
    for (const auto & t : whole.tensors) data_end = std::max(data_end, t.data_offset + *t.nbytes);
    for (size_t cut = 0; cut < data_end; cut += (cut < header ? 7 : 4099)) {
        std::vector<uint8_t> part(full.begin(), full.begin() + (long) cut);
        auto m = load_hostile(part);
        ASSERT_TRUE(has_finding(m, "truncated")) << cut << codes(m);
        if (cut < header - 32) {  // surely inside the metadata or tensor infos
            EXPECT_FALSE(m.usable) << cut;
        } else if (m.usable) {    // infos complete: the data section is short
            for (const auto & f : m.findings) {
                if (f.code == "truncated") {
                    EXPECT_NE(f.message.find(std::to_string(data_end - cut) + " bytes"), std::string::npos) << f.message;
                }
            }
        }
    }
}

TEST(GgufHostile, HugeCounts) {
    {   // KV count of 2^60
        gc_test::gguf_builder b;
        b.header(0, 1ull << 60);
        b.kv_u32("a", 1);
        auto m = load_hostile(b.bytes);
        EXPECT_TRUE(has_finding(m, "bad_length")) << codes(m);
    }
    {   // tensor count of 2^60
        gc_test::gguf_builder b;
        b.header(1ull << 60, 0);
        auto m = load_hostile(b.bytes);
        EXPECT_TRUE(has_finding(m, "bad_length")) << codes(m);
    }
    {   // array length of 2^60, for each element kind
        for (uint32_t elem : { 0u, 4u, 8u, 9u, 10u }) {
            gc_test::gguf_builder b;
            b.header(0, 1);
            b.str("big");
            b.u32(9);
            b.u32(elem);
            b.u64(1ull << 60);
            b.zeros(64);
            auto m = load_hostile(b.bytes);
            EXPECT_TRUE(has_finding(m, "bad_length")) << elem << codes(m);
        }
    }
    {   // string length past EOF (key and value)
        gc_test::gguf_builder b;
        b.header(0, 1);
        b.u64(1000);
        b.raw("abc", 3);
        auto m = load_hostile(b.bytes);
        EXPECT_TRUE(has_finding(m, "truncated")) << codes(m);   // plausible length: a cut-off file
        gc_test::gguf_builder c;
        c.header(0, 1);
        c.str("k");
        c.u32(8);
        c.u64(~0ull);
        auto m2 = load_hostile(c.bytes);
        EXPECT_TRUE(has_finding(m2, "bad_length")) << codes(m2);
    }
    {   // deeply nested arrays
        gc_test::gguf_builder b;
        b.header(0, 1);
        b.str("nest");
        b.u32(9);
        for (int d = 0; d < 100; ++d) { b.u32(9); b.u64(1); }
        auto m = load_hostile(b.bytes);
        EXPECT_TRUE(has_finding(m, "bad_value_type")) << codes(m);
    }
}

TEST(GgufHostile, BadValueType) {
    gc_test::gguf_builder b;
    b.header(0, 1);
    b.str("k");
    b.u32(13);
    b.u32(0);
    auto m = load_hostile(b.bytes);
    EXPECT_TRUE(has_finding(m, "bad_value_type")) << codes(m);
}

TEST(GgufHostile, TensorOffsetPastEof) {
    gc_test::gguf_builder b;
    b.header(1, 0);
    b.tensor("w", { 8, 2 }, 0, 1ull << 40);
    b.pad();
    b.zeros(64);
    auto m = load_hostile(b.bytes);
    EXPECT_TRUE(m.usable);
    EXPECT_TRUE(has_finding(m, "truncated")) << codes(m);
    b.bytes.clear();
    b.header(1, 0);
    b.tensor("w", { 8, 2 }, 0, ~0ull - 31);
    b.pad();
    auto m2 = load_hostile(b.bytes);
    EXPECT_TRUE(has_finding(m2, "truncated") || has_finding(m2, "misaligned")) << codes(m2);
}

TEST(GgufHostile, TensorDims) {
    for (uint32_t n_dims : { 0u, 5u, 1000000u }) {
        gc_test::gguf_builder b;
        b.header(1, 0);
        b.str("w");
        b.u32(n_dims);
        for (uint32_t d = 0; d < std::min(n_dims, 5u); ++d) b.u64(2);
        b.u32(0);
        b.u64(0);
        b.pad();
        b.zeros(256);
        auto m = load_hostile(b.bytes);
        EXPECT_TRUE(has_finding(m, "bad_tensor_dims")) << n_dims << codes(m);
    }
}

TEST(GgufHostile, UnknownAndRetiredTypes) {
    auto bytes = gc_test::small_model(3, 0);
    gc::gguf_model good = load_bytes(bytes);
    ASSERT_TRUE(good.usable);
    EXPECT_TRUE(good.findings.empty()) << codes(good);
    for (uint32_t id : { 999u, 64u, 4u }) {
        gc_test::gguf_builder b;
        b.header(2, 1);
        b.kv_str("general.architecture", "llama");
        b.tensor("blk.0.w", { 8, 2 }, 0, 0);
        b.tensor("blk.1.w", { 8, 2 }, id, 64);
        b.pad();
        b.zeros(128);
        auto m = load_hostile(b.bytes);
        ASSERT_TRUE(m.usable);
        const std::string code = id == 4 ? "retired_type" : "unknown_type";
        EXPECT_TRUE(has_finding(m, code)) << id << codes(m);
        bool names_tensor = false;
        for (const auto & f : m.findings) {
            if (f.code == code) names_tensor = f.message.find("blk.1.w") != std::string::npos && f.message.find(std::to_string(id)) != std::string::npos;
        }
        EXPECT_TRUE(names_tensor) << codes(m);
    }
}

TEST(GgufHostile, OverlapMisalignDuplicateRowSize) {
    gc_test::gguf_builder b;
    b.header(5, 0);
    b.tensor("a", { 8, 2 }, 0, 0);     // 64 bytes at 0
    b.tensor("b", { 8, 2 }, 0, 32);    // overlaps a
    b.tensor("c", { 8, 1 }, 0, 100);   // misaligned
    b.tensor("a", { 8, 1 }, 0, 128);   // duplicate name
    b.tensor("q", { 33, 1 }, 2, 160);  // Q4_0 row of 33 elements
    b.pad();
    b.zeros(256);
    auto m = load_hostile(b.bytes);
    for (const char * code : { "overlap", "misaligned", "duplicate_tensor", "bad_row_size" }) {
        EXPECT_TRUE(has_finding(m, code)) << code << "\n" << codes(m);
    }
}

TEST(GgufHostile, BadAlignmentKey) {
    gc_test::gguf_builder b;
    b.header(0, 1);
    b.kv_u32("general.alignment", 48);
    auto m = load_hostile(b.bytes);
    EXPECT_TRUE(has_finding(m, "bad_alignment")) << codes(m);
}

TEST(GgufHostile, MetadataVsTensors) {
    gc_test::gguf_builder b;
    b.header(1, 2);
    b.kv_str("general.architecture", "llama");
    b.kv_u32("llama.block_count", 3);
    b.tensor("blk.0.w", { 8, 2 }, 0, 0);
    b.pad();
    b.zeros(64);
    auto m = load_hostile(b.bytes);
    EXPECT_TRUE(has_finding(m, "block_count_mismatch")) << codes(m);
}

namespace {
std::vector<uint8_t> split_part(int no, int count, int tensors_total) {
    gc_test::gguf_builder b;
    b.header(1, 4);
    b.kv_str("general.architecture", "llama");
    b.kv_u16("split.no", (uint16_t) no);
    b.kv_u16("split.count", (uint16_t) count);
    b.kv_i32("split.tensors.count", tensors_total);
    b.tensor("t" + std::to_string(no), { 8, 2 }, 0, 0);
    b.pad();
    b.zeros(64);
    return b.bytes;
}
std::string part_name(int no, int count) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "m-%05d-of-%05d.gguf", no + 1, count);
    return buf;
}
} // namespace

TEST(GgufSplit, WholeSetIsOneModel) {
    gc::file_set set;
    for (int no : { 2, 0, 1 }) set.push_back(gc::byte_source_from_memory(split_part(no, 3, 3), part_name(no, 3)));
    auto m = gc::gguf_load(set);
    ASSERT_TRUE(m.usable);
    EXPECT_TRUE(m.findings.empty()) << codes(m);
    ASSERT_EQ(m.tensors.size(), 3u);
    EXPECT_EQ(m.tensors[0].info->name, "t0");
    EXPECT_EQ(m.tensors[2].info->name, "t2");
    EXPECT_EQ(m.parts[1].name, part_name(1, 3));
}

TEST(GgufSplit, MissingPartIsNamed) {
    gc::file_set set;
    for (int no : { 0, 2 }) set.push_back(gc::byte_source_from_memory(split_part(no, 3, 3), part_name(no, 3)));
    auto m = gc::gguf_load(set);
    ASSERT_TRUE(m.usable);
    ASSERT_TRUE(has_finding(m, "missing_split_part")) << codes(m);
    EXPECT_NE(codes(m).find(part_name(1, 3)), std::string::npos) << codes(m);
}

TEST(GgufSplit, UnrelatedFilesAreNotOneModel) {
    gc::file_set set;
    set.push_back(gc::byte_source_from_memory(gc_test::small_model(), "a.gguf"));
    set.push_back(gc::byte_source_from_memory(gc_test::small_model(), "b.gguf"));
    auto m = gc::gguf_load(set);
    EXPECT_TRUE(has_finding(m, "not_a_split_set")) << codes(m);
}

TEST(GgufHostile, RandomBytesNeverCrash) {
    // Flip bytes of a real header at random: any outcome but a crash is fine.
    const auto full = read_all(fs::path(GC_FIXTURES) / "stories260K" / "stories260K-Q4_0.gguf");
    uint64_t state = 12345;
    auto next = [&] { state = state * 6364136223846793005ull + 1442695040888963407ull; return state >> 33; };
    for (int round = 0; round < 300; ++round) {
        auto bytes = full;
        for (int k = 0; k < 8; ++k) bytes[next() % 14240] = (uint8_t) next();
        auto m = load_hostile(bytes);
        (void) gc::json_dump(gc::inspect_report(m));
    }
}
