// The tokenizer against llama.cpp's own outputs:
//  - llama.cpp's tokenizer test cases (test-tokenizer-0 format, *.gguf.inp /
//    *.gguf.out) for every vocabulary in tests/fixtures/vocab, 100 % agreement;
//  - stories260K on wiki.test.raw: the token count llama-perplexity implies
//    and the ids of its first 20 chunks of 256 (g4tiny fixture);
//  - the gemma-4 vocabulary on the whole wiki.test.raw in under 2 s.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "format/gguf.h"
#include "io/byte-source.h"
#include "tokenizer/tokenizer.h"

namespace {

std::string fixture(const std::string & rel) { return std::string(GC_FIXTURES) + "/" + rel; }

std::string read_file(const std::string & path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

struct loaded {
    gc::gguf_model model;
    gc::tokenizer_load_result tok;
};

std::unique_ptr<loaded> load(const std::string & path) {
    auto l = std::make_unique<loaded>();
    gc::file_set files;
    std::string err;
    auto src = gc::byte_source_open_file(path, &err);
    if (!src) {
        ADD_FAILURE() << path << ": " << err;
        return l;
    }
    files.push_back(gc::byte_source_read_ahead(std::move(src)));
    l->model = gc::gguf_load(files);
    l->tok = gc::tokenizer_from_gguf(l->model);
    return l;
}

std::string join_ids(const std::vector<int32_t> & ids) {
    std::string s;
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? " " : "") + std::to_string(ids[i]);
    return s;
}

// Reads llama.cpp's test cases exactly as tests/test-tokenizer-0.cpp does:
// inputs separated by "\n__ggml_vocab_test__\n" (the last one runs to the end
// of the file), one output line per input with space-separated ids (no BOS),
// kept in a map keyed by input (a repeated input keeps its last output).
std::map<std::string, std::vector<int32_t>> read_cases(const std::string & inp_path, const std::string & out_path) {
    const std::string raw = read_file(inp_path);
    const std::string sep = "\n__ggml_vocab_test__\n";
    std::vector<std::string> inputs;
    for (size_t pos = 0; pos < raw.size();) {
        const size_t next = raw.find(sep, pos);
        if (next == std::string::npos) {
            inputs.push_back(raw.substr(pos));
            break;
        }
        inputs.push_back(raw.substr(pos, next - pos));
        pos = next + sep.size();
    }
    std::vector<std::vector<int32_t>> outputs;
    std::istringstream out(read_file(out_path));
    for (std::string line; std::getline(out, line);) {
        std::istringstream ls(line);
        std::vector<int32_t> ids;
        for (int32_t id; ls >> id;) ids.push_back(id);
        outputs.push_back(ids);
    }
    std::map<std::string, std::vector<int32_t>> cases;
    EXPECT_EQ(inputs.size(), outputs.size()) << inp_path;
    for (size_t i = 0; i < inputs.size() && i < outputs.size(); ++i) cases[inputs[i]] = outputs[i];
    return cases;
}

// Runs every case of one vocabulary; returns the number of failures.
// `may_be_unsupported`: a vocabulary of a kind ggufcheck reports as
// unsupported is skipped (extra folders only).
size_t check_vocab(const std::string & gguf_path, size_t * n_cases, bool may_be_unsupported) {
    auto l = load(gguf_path);
    *n_cases = 0;
    if (!l->tok.tok && may_be_unsupported && !l->tok.findings.empty() &&
        l->tok.findings.back().code == "tokenizer_unsupported") {
        return 0;
    }
    if (!l->tok.tok) {
        std::string why;
        for (const auto & f : l->tok.findings) why += f.code + ": " + f.message + "\n";
        ADD_FAILURE() << gguf_path << ": no tokenizer\n" << why;
        return 1;
    }
    const auto cases = read_cases(gguf_path + ".inp", gguf_path + ".out");
    size_t failures = 0;
    for (const auto & [text, expected] : cases) {
        const auto got = l->tok.tok->tokenize(text, false, false);
        if (got != expected) {
            ++failures;
            ADD_FAILURE() << gguf_path << "\n  input:    '" << text << "'\n  expected: " << join_ids(expected)
                          << "\n  got:      " << join_ids(got);
        }
    }
    *n_cases = cases.size();
    return failures;
}

} // namespace

TEST(TokenizerVocab, LlamaCppCasesForEveryFixtureVocab) {
    namespace fs = std::filesystem;
    // The four named in the acceptance criteria must be there.
    for (const char * name : { "llama-spm", "llama-bpe", "qwen2", "gemma-4" }) {
        ASSERT_TRUE(fs::exists(fixture(std::string("vocab/ggml-vocab-") + name + ".gguf.inp"))) << name;
    }
    std::vector<std::string> dirs = { fixture("vocab") };
    // Optional: more llama.cpp vocabularies (e.g. llama.cpp's models/ folder);
    // there, unsupported kinds are skipped.
    if (const char * extra = std::getenv("GC_EXTRA_VOCAB_DIR")) dirs.push_back(extra);
    size_t n_vocabs = 0;
    for (const auto & dir : dirs) {
        const bool extra = dir != dirs.front();
        std::vector<std::string> paths;
        for (const auto & e : fs::directory_iterator(dir)) {
            const std::string p = e.path().string();
            if (p.size() > 9 && p.substr(p.size() - 9) == ".gguf.inp") paths.push_back(p.substr(0, p.size() - 4));
        }
        std::sort(paths.begin(), paths.end());
        for (const auto & p : paths) {
            size_t n = 0;
            const size_t failures = check_vocab(p, &n, extra);
            if (extra && n == 0 && failures == 0) {
                std::printf("vocab %-40s unsupported, skipped\n", fs::path(p).filename().c_str());
                continue;
            }
            std::printf("vocab %-40s %3zu cases, %zu failed\n", fs::path(p).filename().c_str(), n, failures);
            EXPECT_GT(n, 0u) << p;
            ++n_vocabs;
        }
    }
    EXPECT_GE(n_vocabs, 4u);
}

// llama-perplexity tokenizes the whole file with add_special = true. Its runs
// on this file with the stories260K vocabulary gave 3161 chunks at -c 256 and
// 1580 at -c 512 (n_chunks = n_tokens / n_ctx), and the g4tiny README gives
// the exact count: 809,247 tokens including BOS.
TEST(TokenizerStories260K, WikiTokenCountMatchesLlamaPerplexity) {
    auto l = load(fixture("stories260K/stories260K-F32.gguf"));
    ASSERT_TRUE(l->tok.tok);
    const gc::tokenizer & t = *l->tok.tok;
    EXPECT_EQ(t.kind(), gc::tokenizer_kind::spm);
    EXPECT_EQ(t.n_tokens(), 512u);
    EXPECT_EQ(t.bos(), 1);
    EXPECT_EQ(t.eos(), 2);
    EXPECT_TRUE(t.add_bos());
    const std::string text = read_file(fixture("text/wiki.test.raw"));
    ASSERT_EQ(text.size(), 1290547u);
    const auto t0 = std::chrono::steady_clock::now();
    const auto ids = t.tokenize(text, true, false);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("stories260K: wiki.test.raw -> %zu tokens in %.3f s\n", ids.size(), s);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids[0], 1);
    EXPECT_EQ(ids.size() / 256, 3161u);
    EXPECT_EQ(ids.size() / 512, 1580u);
    EXPECT_EQ(ids.size(), 809247u);
    EXPECT_EQ(t.dropped_bytes(), 0u);

    // Independent check of the ids themselves: llama.cpp's ids for the first
    // 20 chunks of 256 (int32 LE). llama-perplexity replaces token 0 of each
    // chunk by BOS when it evaluates, but this dump holds the tokenizer's ids
    // (BOS only at 0; the other chunk starts are ordinary tokens), so every
    // position is compared.
    const std::string raw = read_file(fixture("g4tiny/wiki.test.raw.first5120.tokens.i32"));
    ASSERT_EQ(raw.size(), 5120u * 4);
    size_t compared = 0, mismatches = 0;
    for (size_t i = 0; i < 5120; ++i) {
        int32_t ref;
        std::memcpy(&ref, raw.data() + 4 * i, 4);
        ++compared;
        if (ids[i] != ref && mismatches++ < 5) ADD_FAILURE() << "token " << i << ": " << ids[i] << " vs llama.cpp " << ref;
    }
    std::printf("stories260K: %zu ids compared with llama.cpp's, %zu differ\n", compared, mismatches);
    EXPECT_EQ(mismatches, 0u);
}

// The benchmark: the 262,144-token gemma-4 vocabulary (514,906 merges) on the
// whole 1.3 MB wiki.test.raw, natively (target: under 2 s, vocabulary loading
// not counted). Timings on shared machines are noisy, so this prints the time
// and asserts only what the tokenization must be.
TEST(TokenizerBench, Gemma4WholeWiki) {
    const auto t0 = std::chrono::steady_clock::now();
    auto l = load(fixture("vocab/ggml-vocab-gemma-4.gguf"));
    ASSERT_TRUE(l->tok.tok);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string text = read_file(fixture("text/wiki.test.raw"));
    const auto t1 = std::chrono::steady_clock::now();
    const auto ids = l->tok.tok->tokenize(text, true, false);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    std::printf("bench tokenize gemma-4: %zu bytes -> %zu tokens in %.3f s (%.2f MB/s); vocab load %.3f s\n",
                text.size(), ids.size(), s, text.size() / s / 1e6, load_s);
    EXPECT_EQ(ids[0], 2);   // Gemma's BOS
    EXPECT_EQ(ids.size(), 295173u);
}
