// Replays the fuzzers' saved inputs through the fuzz targets' own entry
// logic (tests/fuzz/fuzz-*.cpp, compiled here without the libFuzzer entry
// point), in the ordinary native and ASan/UBSan builds:
//   tests/fuzz/regressions/<target>/*   inputs that once crashed or violated
//                                       an invariant (each file names its bug)
//   tests/fuzz/corpus/<target>/*        the seed corpus (make-corpus.mjs)
// A target function aborts on a violated invariant, so a failure here is a
// crash of this test with the target's message on stderr.
#define GC_FUZZ_NO_ENTRY
#include "../fuzz/fuzz-compare.cpp"
#include "../fuzz/fuzz-dequant.cpp"
#include "../fuzz/fuzz-gguf.cpp"
#include "../fuzz/fuzz-hf.cpp"
#include "../fuzz/fuzz-tokenize.cpp"
#include "../fuzz/fuzz-vocab.cpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

namespace fs = std::filesystem;

using target_fn = int (*)(const uint8_t *, size_t);

const fs::path k_fuzz_dir = fs::path(GC_FIXTURES) / ".." / "fuzz";

// Runs every file of <kind>/<target>/ through fn; returns how many ran.
size_t replay(const char * kind, const char * target, target_fn fn) {
    const fs::path dir = k_fuzz_dir / kind / target;
    if (!fs::is_directory(dir)) return 0;
    std::vector<fs::path> files;
    for (const auto & e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto & f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        SCOPED_TRACE(f.string());
        EXPECT_EQ(fn(bytes.data(), bytes.size()), 0);
    }
    return files.size();
}

struct target_case {
    const char * name;
    target_fn fn;
};

const target_case k_targets[] = {
    { "gguf", gc_fuzz::fuzz_gguf },         { "hf", gc_fuzz::fuzz_hf },
    { "tokenize", gc_fuzz::fuzz_tokenize }, { "vocab", gc_fuzz::fuzz_vocab },
    { "dequant", gc_fuzz::fuzz_dequant },   { "compare", gc_fuzz::fuzz_compare },
};

} // namespace

TEST(FuzzRegressions, SavedCrashInputs) {
    size_t n = 0;
    for (const auto & t : k_targets) n += replay("regressions", t.name, t.fn);
    std::printf("replayed %zu regression inputs\n", n);
    EXPECT_GE(n, 1u);   // at least the dequant NaN-sign case
}

TEST(FuzzRegressions, SeedCorpus) {
    for (const auto & t : k_targets) {
        const size_t n = replay("corpus", t.name, t.fn);
        std::printf("%-9s %zu seeds\n", t.name, n);
        EXPECT_GT(n, 0u) << "no seeds for " << t.name << ": run node tests/fuzz/make-corpus.mjs";
    }
}

// The targets' own invariants hold on inputs made here too: empty input,
// one byte, and the edge cases of each header.
TEST(FuzzRegressions, TinyInputs) {
    const uint8_t zero[64] = {};
    for (const auto & t : k_targets)
        for (size_t n : { 0, 1, 4, 8, 24, 64 }) EXPECT_EQ(t.fn(zero, n), 0) << t.name << " " << n;
}
