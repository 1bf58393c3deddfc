// BPE tokenization ("gpt2" and "gemma4" vocabularies), the algorithm llama.cpp
// uses (llm_tokenizer_bpe_session, read for the facts):
//
//   1. Optionally replace ' ' by U+2581 (gemma4), decode to code points
//      (invalid UTF-8 becomes U+FFFD) and split into words (pre-tokenize.h).
//   2. Re-encode each word as UTF-8; for byte-level BPE map every byte to its
//      GPT-2 stand-in character (bytes_to_unicode).
//   3. In each word, start from its characters and repeatedly merge the
//      adjacent pair with the lowest merge rank; ties go to the leftmost pair.
//   4. Each final piece that is a token is emitted; any other piece falls back
//      to one token per byte (the byte's own character for byte-level BPE,
//      <0xXX> for gemma4), dropping bytes that have none.
//
// Pieces are handled as integer symbol ids (tokenizer.h), so a merge is one
// hash lookup on a pair of ids.
#include <queue>

#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace gc {

namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves,
// the other 68 bytes take U+0100.. in byte order. As UTF-8 strings.
struct byte_chars {
    std::string s[256];
    byte_chars() {
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            utf8_append(s[b], printable ? (uint32_t) b : 256u + (uint32_t) n++);
        }
    }
};

const byte_chars & gpt2_byte_chars() {
    static const byte_chars table;
    return table;
}

struct bpe_symbol {
    int32_t prev, next;
    uint32_t start, len;   // bytes of the word; len 0 once merged into its left neighbour
    int32_t id;            // symbol id of the text, or TOKEN_NULL
};

struct bpe_pair {
    int32_t rank;
    int32_t left, right;
    int32_t left_id, right_id;   // the pieces when pushed: detects stale pairs
    int32_t result;              // symbol id of the merged piece
};

// Priority: lowest rank first, then the leftmost pair.
struct bpe_pair_less {
    bool operator()(const bpe_pair & a, const bpe_pair & b) const {
        return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
    }
};

} // namespace

void tokenizer::tokenize_bpe(std::string_view text, std::vector<int32_t> & out) const {
    std::string escaped;
    if (escape_whitespace_) {
        escaped.reserve(text.size() + text.size() / 4);
        for (char c : text) {
            if (c == ' ') escaped += "\xE2\x96\x81";
            else escaped.push_back(c);
        }
        text = escaped;
    }
    std::vector<uint32_t> cps;
    cps.reserve(text.size());
    utf8_decode(text, cps);
    const std::vector<size_t> words = pretokenize(cps, pre_);

    const byte_chars & bc = gpt2_byte_chars();
    std::string utf8, word;
    size_t begin = 0;
    for (size_t len : words) {
        utf8.clear();
        for (size_t i = begin; i < begin + len; ++i) utf8_append(utf8, cps[i]);
        begin += len;
        if (byte_encode_) {
            word.clear();
            for (unsigned char c : utf8) word += bc.s[c];
            bpe_word(word, out);
        } else {
            bpe_word(utf8, out);
        }
    }
}

void tokenizer::bpe_word(std::string_view word, std::vector<int32_t> & out) const {
    if (word.empty()) return;
    if (ignore_merges_ || (gemma4_newlines_ && word.find_first_not_of('\n') == std::string_view::npos)) {
        if (int32_t id = find(word); id != TOKEN_NULL) {
            out.push_back(id);
            return;
        }
    }
    if (word.size() > UINT32_MAX / 2) return;

    std::vector<bpe_symbol> sym;
    sym.reserve(word.size());
    for (size_t off = 0; off < word.size();) {
        const size_t len = std::min(utf8_seq_len((uint8_t) word[off]), word.size() - off);
        const int32_t idx = (int32_t) sym.size();
        sym.push_back({ idx - 1, off + len == word.size() ? -1 : idx + 1, (uint32_t) off, (uint32_t) len,
                        symbol_id(word.substr(off, len)) });
        off += len;
    }

    std::priority_queue<bpe_pair, std::vector<bpe_pair>, bpe_pair_less> queue;
    const auto try_pair = [&](int32_t l, int32_t r) {
        if (l < 0 || r < 0) return;
        const int32_t a = sym[l].id, b = sym[r].id;
        if (a == TOKEN_NULL || b == TOKEN_NULL) return;
        auto it = merges_.find(((uint64_t) (uint32_t) a << 32) | (uint32_t) b);
        if (it == merges_.end()) return;
        queue.push({ it->second.rank, l, r, a, b, it->second.result });
    };
    for (int32_t i = 1; i < (int32_t) sym.size(); ++i) try_pair(i - 1, i);

    while (!queue.empty()) {
        const bpe_pair p = queue.top();
        queue.pop();
        bpe_symbol & l = sym[p.left];
        bpe_symbol & r = sym[p.right];
        if (l.len == 0 || r.len == 0 || l.id != p.left_id || r.id != p.right_id) continue;
        l.id = p.result;
        l.len += r.len;
        r.len = 0;
        l.next = r.next;
        if (r.next >= 0) sym[r.next].prev = p.left;
        try_pair(l.prev, p.left);
        try_pair(p.left, l.next);
    }

    const int32_t n_tok = (int32_t) tokens_.size();
    for (int32_t i = 0; i != -1; i = sym[i].next) {
        const bpe_symbol & s = sym[i];
        if (s.id != TOKEN_NULL && s.id < n_tok) {
            out.push_back(s.id);
            continue;
        }
        for (char c : word.substr(s.start, s.len)) {
            const int32_t b = byte_encode_ ? find(std::string_view(&c, 1)) : byte_token((uint8_t) c);
            if (b != TOKEN_NULL) out.push_back(b);
            else ++dropped_bytes_;
        }
    }
}

} // namespace gc
