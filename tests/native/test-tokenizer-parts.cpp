// Tokenizer parts on hand-checked inputs: each pre-tokenizer splitter, the
// Unicode table, special-token cutting, the SPM and BPE merge orders on tiny
// hand-made vocabularies, hostile metadata (findings, no crash), random bytes,
// token-id files, and the CLI.
#include <gtest/gtest.h>

#include "cli-util.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "format/gguf.h"
#include "io/byte-source.h"
#include "tokenizer/pre-tokenize.h"
#include "tokenizer/token-ids.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace {

std::string fixture(const std::string & rel) { return std::string(GC_FIXTURES) + "/" + rel; }

// The words a pre-tokenizer makes of a UTF-8 string.
std::vector<std::string> split(const std::string & s, gc::pretok_kind kind) {
    std::vector<uint32_t> cps;
    gc::utf8_decode(s, cps);
    std::vector<std::string> words;
    size_t begin = 0;
    for (size_t len : gc::pretokenize(cps, kind)) {
        std::string w;
        for (size_t i = begin; i < begin + len; ++i) gc::utf8_append(w, cps[i]);
        words.push_back(w);
        begin += len;
    }
    EXPECT_EQ(begin, cps.size());
    return words;
}

using words = std::vector<std::string>;

// ---- a minimal GGUF writer for hand-made vocabularies

struct gguf_writer {
    std::vector<uint8_t> kv_bytes;
    uint64_t n_kv = 0;

    template <typename T> void raw(const T & v) {
        const auto * p = (const uint8_t *) &v;
        kv_bytes.insert(kv_bytes.end(), p, p + sizeof(T));
    }
    void str(const std::string & s) {
        raw<uint64_t>(s.size());
        kv_bytes.insert(kv_bytes.end(), s.begin(), s.end());
    }
    void key(const std::string & k, gc::gguf_type t) {
        str(k);
        raw<uint32_t>((uint32_t) t);
        ++n_kv;
    }
    void kv_string(const std::string & k, const std::string & v) { key(k, gc::gguf_type::STRING); str(v); }
    void kv_u32(const std::string & k, uint32_t v) { key(k, gc::gguf_type::UINT32); raw(v); }
    void kv_bool(const std::string & k, bool v) { key(k, gc::gguf_type::BOOL); raw<uint8_t>(v ? 1 : 0); }
    void kv_strings(const std::string & k, const std::vector<std::string> & v) {
        key(k, gc::gguf_type::ARRAY);
        raw<uint32_t>((uint32_t) gc::gguf_type::STRING);
        raw<uint64_t>(v.size());
        for (const auto & s : v) str(s);
    }
    void kv_f32s(const std::string & k, const std::vector<float> & v) {
        key(k, gc::gguf_type::ARRAY);
        raw<uint32_t>((uint32_t) gc::gguf_type::FLOAT32);
        raw<uint64_t>(v.size());
        for (float f : v) raw(f);
    }
    void kv_i32s(const std::string & k, const std::vector<int32_t> & v) {
        key(k, gc::gguf_type::ARRAY);
        raw<uint32_t>((uint32_t) gc::gguf_type::INT32);
        raw<uint64_t>(v.size());
        for (int32_t x : v) raw(x);
    }
    std::vector<uint8_t> bytes() const {
        std::vector<uint8_t> out = { 'G', 'G', 'U', 'F' };
        const auto put = [&](const auto & v) {
            const auto * p = (const uint8_t *) &v;
            out.insert(out.end(), p, p + sizeof(v));
        };
        put((uint32_t) 3);
        put((uint64_t) 0);   // tensors
        put(n_kv);
        out.insert(out.end(), kv_bytes.begin(), kv_bytes.end());
        while (out.size() % 32) out.push_back(0);
        return out;
    }
};

struct built {
    gc::gguf_model model;
    gc::tokenizer_load_result r;
    bool has(const std::string & code) const {
        for (const auto & f : r.findings) {
            if (f.code == code) return true;
        }
        return false;
    }
};

std::unique_ptr<built> build(const gguf_writer & w) {
    auto b = std::make_unique<built>();
    gc::file_set files;
    files.push_back(gc::byte_source_from_memory(w.bytes(), "vocab.gguf"));
    b->model = gc::gguf_load(files);
    EXPECT_TRUE(b->model.usable);
    b->r = gc::tokenizer_from_gguf(b->model);
    return b;
}

const std::string SP = "\xE2\x96\x81";   // U+2581

// A tiny SentencePiece vocabulary: ids 0..9.
gguf_writer spm_vocab(float score_a_b, float score_sp_a) {
    gguf_writer w;
    w.kv_string("tokenizer.ggml.model", "llama");
    w.kv_strings("tokenizer.ggml.tokens", { "<unk>", "<s>", "</s>", SP, "a", "b", SP + "a", "ab", "<0x63>", "<0x0A>" });
    w.kv_f32s("tokenizer.ggml.scores", { 0, 0, 0, -5, -5, -5, score_sp_a, score_a_b, 0, 0 });
    w.kv_i32s("tokenizer.ggml.token_type", { 2, 3, 3, 1, 1, 1, 1, 1, 6, 6 });
    return w;
}

// A tiny byte-level BPE vocabulary (gpt-2 pre-tokenizer).
gguf_writer bpe_vocab(const std::vector<std::string> & merges) {
    gguf_writer w;
    w.kv_string("tokenizer.ggml.model", "gpt2");
    w.kv_string("tokenizer.ggml.pre", "gpt-2");
    w.kv_strings("tokenizer.ggml.tokens", { "a", "b", "c", "ab", "bc", "abc", "aa", "<|x|>" });
    w.kv_i32s("tokenizer.ggml.token_type", { 1, 1, 1, 1, 1, 1, 1, 4 });
    w.kv_strings("tokenizer.ggml.merges", merges);
    return w;
}

} // namespace

TEST(TokenizerUnicode, Categories) {
    EXPECT_STREQ(gc::unicode_table_version(), "15.0.0");
    EXPECT_TRUE(gc::unicode_flags('a') & gc::UCP_LETTER);
    EXPECT_TRUE(gc::unicode_flags(0x0436) & gc::UCP_LETTER);       // ж
    EXPECT_TRUE(gc::unicode_flags(0x4E2D) & gc::UCP_LETTER);       // 中
    EXPECT_TRUE(gc::unicode_flags('7') & gc::UCP_NUMBER);
    EXPECT_TRUE(gc::unicode_flags(0x00BD) & gc::UCP_NUMBER);       // ½ (No)
    EXPECT_TRUE(gc::unicode_flags(0x0663) & gc::UCP_NUMBER);       // Arabic-Indic 3
    EXPECT_TRUE(gc::unicode_flags(0x3000) & gc::UCP_WHITESPACE);   // ideographic space
    EXPECT_TRUE(gc::unicode_flags(0x0085) & gc::UCP_WHITESPACE);
    EXPECT_FALSE(gc::unicode_flags(0x200B) & gc::UCP_WHITESPACE);  // zero width space is Cf
    EXPECT_TRUE(gc::unicode_flags(0x0301) & gc::UCP_MARK);
    EXPECT_TRUE(gc::unicode_flags(0x2014) & gc::UCP_PUNCTUATION);  // em dash
    EXPECT_TRUE(gc::unicode_flags(0x1F999) & gc::UCP_SYMBOL);      // 🦙
    EXPECT_EQ(gc::unicode_flags(0x0378), gc::UCP_UNDEFINED);       // unassigned
    EXPECT_EQ(gc::unicode_flags(0x110000), gc::UCP_UNDEFINED);
}

TEST(TokenizerUnicode, Utf8DecodeLikeLlamaCpp) {
    std::vector<uint32_t> cps;
    gc::utf8_decode("a\xC3\xA9\xE2\x96\x81\xF0\x9F\xA6\x99", cps);
    EXPECT_EQ(cps, (std::vector<uint32_t>{ 'a', 0xE9, 0x2581, 0x1F999 }));
    cps.clear();
    // stray continuation, cut sequence, F8: one U+FFFD per bad byte
    gc::utf8_decode("\x80x\xE2\x96" "y\xF8", cps);
    EXPECT_EQ(cps, (std::vector<uint32_t>{ 0xFFFD, 'x', 0xFFFD, 0xFFFD, 'y', 0xFFFD }));
    std::string s;
    gc::utf8_append(s, 0x1FFFFF);   // beyond Unicode: written as U+FFFD
    EXPECT_EQ(s, "\xEF\xBF\xBD");
}

TEST(TokenizerPre, Gpt2) {
    EXPECT_EQ(split("Hello world's  test 123!!  \n", gc::pretok_kind::gpt2),
              (words{ "Hello", " world", "'s", " ", " test", " 123", "!!", "  \n" }));
    EXPECT_EQ(split("I'M ok", gc::pretok_kind::gpt2), (words{ "I", "'", "M", " ok" }));   // case-sensitive
    EXPECT_EQ(split(" ", gc::pretok_kind::gpt2), (words{ " " }));
}

TEST(TokenizerPre, Llama3) {
    EXPECT_EQ(split("Hello WORLD'S 12345 \r\n\n  x", gc::pretok_kind::llama3),
              (words{ "Hello", " WORLD", "'S", " ", "123", "45", " \r\n\n", " ", " x" }));
    EXPECT_EQ(split("a...\n\nb", gc::pretok_kind::llama3), (words{ "a", "...\n\n", "b" }));
    EXPECT_EQ(split("\xD0\xBD\xD0\xB5 \xD0\xBD\xD0\xB0", gc::pretok_kind::llama3),   // не на
              (words{ "\xD0\xBD\xD0\xB5", " \xD0\xBD\xD0\xB0" }));
    EXPECT_EQ(split("(hi", gc::pretok_kind::llama3), (words{ "(hi" }));   // [^\r\n\p{L}\p{N}]?\p{L}+
}

TEST(TokenizerPre, Qwen2) {
    EXPECT_EQ(split("x 12345", gc::pretok_kind::qwen2), (words{ "x", " ", "1", "2", "3", "4", "5" }));
}

TEST(TokenizerPre, Default) {
    // [\p{P}$+<=>^~|]+ (no backtick), then gpt-2, then \p{N}+, then [0-9]{3}
    EXPECT_EQ(split("Hello, world! 12345 `x`", gc::pretok_kind::def),
              (words{ "Hello", ",", " world", "!", " ", "123", "45", " `", "x", "`" }));
}

TEST(TokenizerPre, Newlines) {
    EXPECT_EQ(split("a b\n\nc\n", gc::pretok_kind::newlines), (words{ "a b", "\n\n", "c", "\n" }));
}

TEST(TokenizerSpm, HighestScoreFirstAndByteFallback) {
    {
        auto b = build(spm_vocab(/*ab*/ -1, /*▁a*/ -2));
        ASSERT_TRUE(b->r.tok);
        // "ab" -> "▁ab": the pair "ab" scores higher than "▁a", so ▁ | ab.
        EXPECT_EQ(b->r.tok->tokenize("ab", false, false), (std::vector<int32_t>{ 3, 7 }));
        // with BOS; 'c' is not a piece: byte fallback <0x63>
        EXPECT_EQ(b->r.tok->tokenize("abc", true, false), (std::vector<int32_t>{ 1, 3, 7, 8 }));
        // 'd' has no piece and no byte token: dropped and counted
        EXPECT_EQ(b->r.tok->tokenize("d", false, false), (std::vector<int32_t>{ 3 }));
        EXPECT_EQ(b->r.tok->dropped_bytes(), 1u);
    }
    {
        auto b = build(spm_vocab(-2, -1));
        ASSERT_TRUE(b->r.tok);
        EXPECT_EQ(b->r.tok->tokenize("ab", false, false), (std::vector<int32_t>{ 6, 5 }));
    }
}

TEST(TokenizerSpm, SpecialTokensAndSpacePrefix) {
    auto b = build(spm_vocab(-1, -2));
    ASSERT_TRUE(b->r.tok);
    // </s> is CONTROL: plain text without parse_special, a token with it; the
    // text after a special token gets the space prefix again.
    const auto plain = b->r.tok->tokenize("a</s>a", false, false);
    EXPECT_EQ(std::count(plain.begin(), plain.end(), 2), 0);
    EXPECT_EQ(b->r.tok->tokenize("a</s>a", false, true), (std::vector<int32_t>{ 6, 2, 6 }));
}

TEST(TokenizerBpe, RankOrderAndTies) {
    {
        auto b = build(bpe_vocab({ "b c", "a b", "a bc" }));
        ASSERT_TRUE(b->r.tok);
        EXPECT_EQ(b->r.tok->tokenize("abc", false, false), (std::vector<int32_t>{ 5 }));
    }
    {
        // "a b" first, then no "ab c": ab | c
        auto b = build(bpe_vocab({ "a b", "b c" }));
        ASSERT_TRUE(b->r.tok);
        EXPECT_EQ(b->r.tok->tokenize("abc", false, false), (std::vector<int32_t>{ 3, 2 }));
        // equal ranks: the leftmost pair
        auto c = build(bpe_vocab({ "a a" }));
        EXPECT_EQ(c->r.tok->tokenize("aaa", false, false), (std::vector<int32_t>{ 6, 0 }));
        // USER_DEFINED tokens are cut out even without parse_special
        EXPECT_EQ(c->r.tok->tokenize("a<|x|>a", false, false), (std::vector<int32_t>{ 0, 7, 0 }));
        // 'z' has no token: dropped, as llama.cpp does
        EXPECT_EQ(c->r.tok->tokenize("aza", false, false), (std::vector<int32_t>{ 0, 0 }));
    }
}

TEST(TokenizerSpecial, LongestFirstWithParseSpecial) {
    auto b = build(bpe_vocab({}));
    ASSERT_TRUE(b->r.tok);
    // Real vocabularies: CONTROL tokens only with parse_special.
    gc::file_set files;
    std::string err;
    files.push_back(gc::byte_source_read_ahead(gc::byte_source_open_file(fixture("vocab/ggml-vocab-llama-bpe.gguf"), &err)));
    const auto model = gc::gguf_load(files);
    const auto r = gc::tokenizer_from_gguf(model);
    ASSERT_TRUE(r.tok);
    EXPECT_TRUE(r.tok->add_bos());
    EXPECT_EQ(r.tok->bos(), 128000);
    const auto with = r.tok->tokenize("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", true, true);
    EXPECT_EQ(with, (std::vector<int32_t>{ 128000, 128006, 882, 128007, 271, 13347, 128009 }));
    const auto without = r.tok->tokenize("<|eot_id|>", false, false);
    EXPECT_GT(without.size(), 1u);
}

TEST(TokenizerLoad, HostileMetadataBecomesFindings) {
    {
        gguf_writer w;
        w.kv_string("general.architecture", "llama");
        auto b = build(w);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_missing"));
    }
    {
        gguf_writer w;
        w.kv_string("tokenizer.ggml.model", "bert");
        w.kv_strings("tokenizer.ggml.tokens", { "a" });
        auto b = build(w);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_unsupported"));
    }
    {
        gguf_writer v;
        v.kv_string("tokenizer.ggml.model", "gpt2");
        v.kv_string("tokenizer.ggml.pre", "no-such-pre");
        v.kv_strings("tokenizer.ggml.tokens", { "a" });
        v.kv_strings("tokenizer.ggml.merges", {});
        auto b = build(v);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_unsupported"));
    }
    {
        gguf_writer w;
        w.kv_string("tokenizer.ggml.model", "llama");
        w.kv_i32s("tokenizer.ggml.tokens", { 1, 2, 3 });   // wrong element type
        auto b = build(w);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_bad_metadata"));
    }
    {
        gguf_writer w;
        w.kv_string("tokenizer.ggml.model", "llama");
        w.kv_strings("tokenizer.ggml.tokens", { "<unk>", "<s>", "</s>", "a" });
        w.kv_f32s("tokenizer.ggml.scores", { 0, 0 });         // too short
        auto b = build(w);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_bad_metadata"));
    }
    {
        gguf_writer w;
        w.kv_string("tokenizer.ggml.model", "gpt2");
        w.kv_string("tokenizer.ggml.pre", "gpt-2");
        w.kv_strings("tokenizer.ggml.tokens", { "a" });      // no merges
        auto b = build(w);
        EXPECT_FALSE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_bad_metadata"));
    }
    {
        gguf_writer w;
        w.kv_string("tokenizer.ggml.model", "llama");
        w.kv_strings("tokenizer.ggml.tokens", { "<unk>", "<s>", "</s>", "a", "a", "" });   // duplicate, empty
        w.kv_u32("tokenizer.ggml.bos_token_id", 99999);
        w.kv_bool("tokenizer.ggml.add_eos_token", true);
        auto b = build(w);
        ASSERT_TRUE(b->r.tok);
        EXPECT_TRUE(b->has("tokenizer_duplicate_token"));
        EXPECT_TRUE(b->has("tokenizer_bad_special_id"));
        EXPECT_EQ(b->r.tok->bos(), 1);   // the default is kept
        EXPECT_EQ(b->r.tok->token(5).text, "[EMPTY_5]");
        EXPECT_EQ(b->r.tok->find("a"), 4);   // the last duplicate wins
        const auto ids = b->r.tok->tokenize("a", true, false);
        EXPECT_EQ(ids.front(), 1);
        EXPECT_EQ(ids.back(), 2);   // add_eos_token
    }
}

TEST(TokenizerRobust, RandomBytesNeverCrashAndIdsInRange) {
    std::mt19937 rng(1234);
    for (const char * name : { "vocab/ggml-vocab-llama-spm.gguf", "vocab/ggml-vocab-llama-bpe.gguf",
                               "vocab/ggml-vocab-qwen2.gguf", "vocab/ggml-vocab-gemma-4.gguf" }) {
        gc::file_set files;
        std::string err;
        files.push_back(gc::byte_source_read_ahead(gc::byte_source_open_file(fixture(name), &err)));
        const auto model = gc::gguf_load(files);
        const auto r = gc::tokenizer_from_gguf(model);
        ASSERT_TRUE(r.tok) << name;
        for (int k = 0; k < 50; ++k) {
            std::string s(rng() % 300, '\0');
            for (auto & c : s) c = (char) (rng() % 4 == 0 ? "<|>\n \xE2\x96\x81"[rng() % 8] : (char) rng());
            for (bool ps : { false, true }) {
                for (int32_t id : r.tok->tokenize(s, true, ps)) {
                    ASSERT_GE(id, 0) << name;
                    ASSERT_LT((size_t) id, r.tok->n_tokens()) << name;
                }
            }
        }
    }
}

TEST(TokenIds, ParseForms) {
    std::vector<int32_t> ids;
    std::string err;
    EXPECT_TRUE(gc::token_ids_parse_text("[1, 2 ,3]\n", ids, &err));
    EXPECT_EQ(ids, (std::vector<int32_t>{ 1, 2, 3 }));
    EXPECT_TRUE(gc::token_ids_parse_text("# ids\n10\n20\r\n\n30", ids, &err));
    EXPECT_EQ(ids, (std::vector<int32_t>{ 10, 20, 30 }));
    EXPECT_TRUE(gc::token_ids_parse_text("[]", ids, &err));
    EXPECT_TRUE(ids.empty());
    EXPECT_FALSE(gc::token_ids_parse_text("1\n-2\n", ids, &err));
    EXPECT_NE(err.find("line 2"), std::string::npos);
    EXPECT_FALSE(gc::token_ids_parse_text("[1, 2", ids, &err));
    EXPECT_FALSE(gc::token_ids_parse_text("1 x", ids, &err));
    EXPECT_FALSE(gc::token_ids_parse_text("99999999999", ids, &err));
    EXPECT_FALSE(gc::token_ids_parse_text("[1.5]", ids, &err));
    const char bin[8] = { 1, 0, 0, 0, 2, 1, 0, 0 };
    EXPECT_TRUE(gc::token_ids_parse("x.i32", std::string_view(bin, 8), ids, &err));
    EXPECT_EQ(ids, (std::vector<int32_t>{ 1, 258 }));
    EXPECT_FALSE(gc::token_ids_parse("x.i32", std::string_view(bin, 7), ids, &err));
    EXPECT_EQ(gc::token_ids_check({ 1, 511, 512 }, 512), 2);
    EXPECT_EQ(gc::token_ids_check({ 1, 511 }, 512), -1);
    EXPECT_TRUE(gc::token_ids_file_name("a.ids"));
    EXPECT_FALSE(gc::token_ids_file_name("wiki.test.raw"));
}

TEST(TokenizerCli, TokenizeJson) {
    int rc = -1;
    const std::string out = gc_test::run_cli("tokenize " + fixture("stories260K/stories260K-F32.gguf") +
                                             " --text 'Hello world' --add-special --json", &rc);
    ASSERT_EQ(rc, 0);
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["ids"], nlohmann::json({ 1, 346, 306, 414, 263, 304, 341 }));
    EXPECT_EQ(j["pieces"][1], SP + "He");
}
