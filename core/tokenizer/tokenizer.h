// The model's own tokenizer, built from the GGUF metadata (tokenizer.ggml.*),
// producing the token ids llama.cpp produces for the same text.
//
// Supported (tokenizer.ggml.model / tokenizer.ggml.pre):
//   llama            SentencePiece-style: merge the adjacent pair whose result
//                    has the highest score, byte fallback <0xXX>,
//                    add_space_prefix (default true), spaces as U+2581.
//   gpt2             byte-level BPE with ranked merges; pre-tokenizers
//                    default (and missing), gpt-2 family, llama-bpe (Llama 3)
//                    family, qwen2 family (see tokenizer.cpp for the names).
//   gemma4           BPE with merges over SentencePiece-style pieces (spaces
//                    as U+2581, raw UTF-8, <0xXX> byte fallback), text split
//                    only at newlines.
// Anything else (bert, t5, rwkv, other pre-tokenizers...) is reported as a
// finding and no tokenizer is built: perplexity then needs a token-id file.
//
// Special tokens: CONTROL, USER_DEFINED and UNKNOWN tokens (after llama.cpp's
// fix-ups by token text, e.g. <|im_end|> becomes CONTROL) are cut out of the
// text before tokenizing, longest first; with parse_special == false only
// USER_DEFINED ones are, as in llama.cpp.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "check/finding.h"
#include "format/gguf.h"
#include "tokenizer/pre-tokenize.h"

namespace gc {

constexpr int32_t TOKEN_NULL = -1;

// Token attributes (llama.cpp's llama_token_attr bits).
enum : uint32_t {
    TOKEN_ATTR_UNDEFINED    = 0,
    TOKEN_ATTR_UNKNOWN      = 1 << 0,
    TOKEN_ATTR_UNUSED       = 1 << 1,
    TOKEN_ATTR_NORMAL       = 1 << 2,
    TOKEN_ATTR_CONTROL      = 1 << 3,
    TOKEN_ATTR_USER_DEFINED = 1 << 4,
    TOKEN_ATTR_BYTE         = 1 << 5,
    TOKEN_ATTR_LSTRIP       = 1 << 7,   // strip white space before the token when matched
    TOKEN_ATTR_RSTRIP       = 1 << 8,   // ... and after it
};

enum class tokenizer_kind { spm, bpe };

struct token_entry {
    std::string_view text;   // the piece as stored in the vocabulary (owned by the tokenizer)
    float score = 0.0f;
    uint32_t attr = TOKEN_ATTR_NORMAL;
};

class tokenizer {
public:
    // Tokenizes `text`. add_special: BOS/EOS as the model asks
    // (add_bos_token / add_eos_token). parse_special: match CONTROL tokens
    // written in the text (e.g. "<|im_start|>") too, not only USER_DEFINED.
    std::vector<int32_t> tokenize(std::string_view text, bool add_special, bool parse_special) const;

    size_t n_tokens() const { return tokens_.size(); }
    const token_entry & token(int32_t id) const { return tokens_[(size_t) id]; }
    // The id of a piece, or TOKEN_NULL.
    int32_t find(std::string_view piece) const;

    tokenizer_kind kind() const { return kind_; }
    const std::string & model_name() const { return model_name_; }    // tokenizer.ggml.model
    const std::string & pre_name() const { return pre_name_; }        // tokenizer.ggml.pre as used
    pretok_kind pre() const { return pre_; }
    int32_t bos() const { return bos_; }
    int32_t eos() const { return eos_; }
    int32_t unk() const { return unk_; }
    bool add_bos() const { return add_bos_; }
    bool add_eos() const { return add_eos_; }
    bool add_space_prefix() const { return add_space_prefix_; }

    // Bytes that had no token at all (neither a merged piece nor a byte
    // token) in the last tokenize() calls; llama.cpp drops them (BPE) or
    // aborts (SPM). Here they are dropped and counted.
    size_t dropped_bytes() const { return dropped_bytes_; }

private:
    friend struct tokenizer_builder;

    // One piece of the input after special tokens are cut out.
    struct fragment {
        bool is_token;
        int32_t id;          // is_token
        size_t offset, len;  // !is_token: a range of the input
    };
    void partition(std::string_view text, bool parse_special, std::vector<fragment> & out) const;
    void tokenize_spm(std::string_view text, std::vector<int32_t> & out) const;
    void tokenize_bpe(std::string_view text, std::vector<int32_t> & out) const;
    void bpe_word(std::string_view word, std::vector<int32_t> & out) const;
    int32_t byte_token(uint8_t byte) const;   // <0xXX> (SPM also: the byte itself)

    tokenizer_kind kind_ = tokenizer_kind::spm;
    std::string model_name_, pre_name_;
    pretok_kind pre_ = pretok_kind::def;
    bool byte_encode_ = true;          // BPE: GPT-2 bytes-to-unicode mapping of the input
    bool escape_whitespace_ = false;   // BPE: ' ' -> U+2581 before splitting (gemma4)
    bool ignore_merges_ = false;       // BPE: a word that is a token is taken whole (llama3)
    bool gemma4_newlines_ = false;     // BPE: a run of '\n' that is a token is taken whole
    bool add_space_prefix_ = false;
    bool add_bos_ = false, add_eos_ = false;
    int32_t bos_ = TOKEN_NULL, eos_ = TOKEN_NULL, unk_ = TOKEN_NULL;

    std::string text_pool_;                                // all token texts, back to back
    std::vector<token_entry> tokens_;
    std::unordered_map<std::string_view, int32_t> piece_to_id_;   // last id wins, as in llama.cpp

    // BPE merges over "symbols": strings identified by an integer. A token's
    // text has its token id; merge parts and results that are not tokens get
    // ids from n_tokens on. Key (left << 32 | right) -> rank and result.
    struct merge_info { int32_t rank; int32_t result; };
    std::deque<std::string> extra_symbols_;                 // texts of the non-token symbol ids
    std::unordered_map<std::string_view, int32_t> extra_symbol_id_;
    std::unordered_map<uint64_t, merge_info> merges_;
    int32_t symbol_id(std::string_view s) const;           // token id, extra id, or TOKEN_NULL

    // Special tokens to cut out of the text, longest first (ties: lower id),
    // as a byte trie: node -> terminal priority index.
    std::vector<int32_t> special_order_;
    std::unordered_map<uint64_t, int32_t> trie_next_;      // (node << 8 | byte) -> node
    int32_t trie_root_[256];                                // root's children (-1: none), the hot lookup
    std::vector<int32_t> trie_terminal_;                    // node -> index into special_order_, or -1

    mutable size_t dropped_bytes_ = 0;
};

struct tokenizer_load_result {
    std::unique_ptr<tokenizer> tok;   // null when unsupported or broken
    finding_list findings;            // why not, and warnings about the vocabulary
};

// Builds the tokenizer of a loaded model. Never throws on hostile metadata:
// wrong types, short arrays and bad ids become findings.
//
// Note: llama-perplexity tokenizes its whole input with add_special = true and
// parse_special = false (BOS first when the model adds one).
tokenizer_load_result tokenizer_from_gguf(const gguf_model & model);

} // namespace gc
