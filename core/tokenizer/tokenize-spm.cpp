// SentencePiece-style tokenization ("llama" vocabularies), the algorithm
// llama.cpp uses (llm_tokenizer_spm_session, read for the facts):
//
//   1. Cut the text into UTF-8 characters (by lead byte, unvalidated).
//   2. Repeatedly merge the adjacent pair whose concatenation is a token with
//      the highest score; ties go to the leftmost pair.
//   3. Each final piece that is a token is emitted; any other piece (a
//      character outside the vocabulary) is emitted as byte tokens <0xXX>.
//
// The whole text is one sequence (no word splitting): spaces are U+2581
// already, and pieces may cross them if the vocabulary says so.
#include <queue>

#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace gc {

namespace {

struct spm_symbol {
    int32_t prev, next;
    uint32_t start, len;   // bytes of the text; len 0 once merged into its left neighbour
};

struct spm_pair {
    float score;
    int32_t left, right;
    uint32_t len;          // left.len + right.len when pushed: detects stale pairs
};

// Priority: higher score first, then the leftmost pair.
struct spm_pair_less {
    bool operator()(const spm_pair & a, const spm_pair & b) const {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

} // namespace

void tokenizer::tokenize_spm(std::string_view text, std::vector<int32_t> & out) const {
    if (text.empty()) return;
    if (text.size() > UINT32_MAX / 2) return;   // offsets are 32-bit; callers never get near this

    std::vector<spm_symbol> sym;
    sym.reserve(text.size());
    for (size_t off = 0; off < text.size();) {
        const size_t len = std::min(utf8_seq_len((uint8_t) text[off]), text.size() - off);
        const int32_t idx = (int32_t) sym.size();
        sym.push_back({ idx - 1, off + len == text.size() ? -1 : idx + 1, (uint32_t) off, (uint32_t) len });
        off += len;
    }

    std::priority_queue<spm_pair, std::vector<spm_pair>, spm_pair_less> queue;
    const auto try_pair = [&](int32_t l, int32_t r) {
        if (l < 0 || r < 0) return;
        const uint32_t len = sym[l].len + sym[r].len;
        const int32_t id = find(text.substr(sym[l].start, len));
        if (id == TOKEN_NULL) return;
        queue.push({ tokens_[id].score, l, r, len });
    };
    for (int32_t i = 1; i < (int32_t) sym.size(); ++i) try_pair(i - 1, i);

    while (!queue.empty()) {
        const spm_pair p = queue.top();
        queue.pop();
        spm_symbol & l = sym[p.left];
        spm_symbol & r = sym[p.right];
        // A symbol only grows by absorbing its right neighbour, so unchanged
        // lengths mean the pair is still the one that was scored.
        if (l.len == 0 || r.len == 0 || l.len + r.len != p.len) continue;
        l.len += r.len;
        r.len = 0;
        l.next = r.next;
        if (r.next >= 0) sym[r.next].prev = p.left;
        try_pair(l.prev, p.left);
        try_pair(p.left, l.next);
    }

    for (int32_t i = 0; i != -1; i = sym[i].next) {
        const std::string_view piece = text.substr(sym[i].start, sym[i].len);
        const int32_t id = find(piece);
        if (id != TOKEN_NULL) {
            out.push_back(id);
            continue;
        }
        for (char c : piece) {
            const int32_t b = byte_token((uint8_t) c);
            if (b != TOKEN_NULL) out.push_back(b);
            else ++dropped_bytes_;
        }
    }
}

} // namespace gc
