// Pre-tokenizers: how a BPE vocabulary cuts text into words before merging.
//
// Each kind is a regex in the model's tokenizer.json; llama.cpp runs most of
// them with hand-written matchers (unicode.cpp) and the rest with std::regex
// over a "collapsed" text where each non-ASCII code point stands for its
// category. There is no regex engine here either: each kind below is a
// hand-written splitter that reproduces llama.cpp's behaviour, quirks
// included (they are noted where they differ from the regex).
//
// Splitters work on code points and return word lengths in code points; the
// lengths always add up to the input length. A kind with several patterns
// applies them in turn, each one inside the words the previous one made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gc {

enum class pretok_kind {
    // "default" (and a missing tokenizer.ggml.pre): four patterns in turn,
    //   [\p{P}\$\+<=>\^~\|]+   then the gpt-2 pattern   then \p{N}+   then [0-9][0-9][0-9]
    def,
    // "gpt-2" and friends: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    gpt2,
    // "llama-bpe" (Llama 3) and friends:
    //   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    llama3,
    // "qwen2": the llama3 pattern with \p{N} (single digits) instead of \p{N}{1,3}.
    qwen2,
    // "gemma4": [^\n]+|[\n]+ (runs of newlines and runs of everything else).
    newlines,
};

const char * pretok_kind_name(pretok_kind k);

// Splits cps into words; returns their lengths in code points.
std::vector<size_t> pretokenize(const std::vector<uint32_t> & cps, pretok_kind kind);

} // namespace gc
