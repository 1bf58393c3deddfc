// tokenizer::tokenize: special tokens out first, then the vocabulary's own
// algorithm on each piece of plain text between them (tokenizer.h).
#include "tokenizer/tokenizer.h"

#include <algorithm>

namespace gc {

int32_t tokenizer::find(std::string_view piece) const {
    auto it = piece_to_id_.find(piece);
    return it == piece_to_id_.end() ? TOKEN_NULL : it->second;
}

int32_t tokenizer::symbol_id(std::string_view s) const {
    if (int32_t id = find(s); id != TOKEN_NULL) return id;
    auto it = extra_symbol_id_.find(s);
    return it == extra_symbol_id_.end() ? TOKEN_NULL : it->second;
}

int32_t tokenizer::byte_token(uint8_t byte) const {
    static const char hex[] = "0123456789ABCDEF";
    const char buf[6] = { '<', '0', 'x', hex[byte >> 4], hex[byte & 15], '>' };
    int32_t id = find(std::string_view(buf, 6));
    if (id == TOKEN_NULL && kind_ == tokenizer_kind::spm) {
        const char c = (char) byte;
        id = find(std::string_view(&c, 1));   // SentencePiece vocabularies without byte pieces
    }
    return id;
}

namespace {

// isspace() in the C locale.
bool c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

} // namespace

// Cuts the special tokens out of `text`. llama.cpp does it token by token,
// longest first: each token takes its leftmost non-overlapping occurrences in
// the plain text that earlier tokens left. The same result comes from
// finding every occurrence of every special token once (a trie walk from each
// byte), then accepting them in (priority, position) order when all their
// bytes are still free.
void tokenizer::partition(std::string_view text, bool parse_special, std::vector<fragment> & out) const {
    out.clear();
    if (text.empty()) return;
    const auto active = [&](int32_t k) {
        const uint32_t attr = tokens_[special_order_[k]].attr;
        return parse_special || !(attr & (TOKEN_ATTR_CONTROL | TOKEN_ATTR_UNKNOWN));
    };
    struct occurrence { int32_t prio; size_t pos; };
    std::vector<occurrence> occ;
    if (!special_order_.empty()) {
        for (size_t p = 0; p < text.size(); ++p) {
            int32_t node = trie_root_[(unsigned char) text[p]];
            for (size_t q = p + 1; node >= 0; ++q) {
                const int32_t k = trie_terminal_[node];
                if (k >= 0 && active(k)) occ.push_back({ k, p });
                if (q >= text.size()) break;
                auto it = trie_next_.find(((uint64_t) node << 8) | (unsigned char) text[q]);
                node = it == trie_next_.end() ? -1 : it->second;
            }
        }
    }
    if (occ.empty()) {
        out.push_back({ false, TOKEN_NULL, 0, text.size() });
        return;
    }
    std::sort(occ.begin(), occ.end(), [](const occurrence & a, const occurrence & b) {
        return a.prio != b.prio ? a.prio < b.prio : a.pos < b.pos;
    });

    enum : uint8_t { FREE = 0, TOKEN_START, TOKEN_BODY, STRIPPED };
    std::vector<uint8_t> state(text.size(), FREE);
    std::vector<std::pair<size_t, int32_t>> accepted;
    for (const auto & o : occ) {
        const int32_t id = special_order_[o.prio];
        const size_t len = tokens_[id].text.size();
        bool free = true;
        for (size_t i = o.pos; i < o.pos + len && free; ++i) free = state[i] == FREE;
        if (!free) continue;
        state[o.pos] = TOKEN_START;
        for (size_t i = o.pos + 1; i < o.pos + len; ++i) state[i] = TOKEN_BODY;
        accepted.push_back({ o.pos, id });
        const uint32_t attr = tokens_[id].attr;
        if (attr & TOKEN_ATTR_RSTRIP) {
            for (size_t i = o.pos + len; i < text.size() && state[i] == FREE && c_space(text[i]); ++i) state[i] = STRIPPED;
        }
        if (attr & TOKEN_ATTR_LSTRIP) {
            for (size_t i = o.pos; i > 0 && state[i - 1] == FREE && c_space(text[i - 1]); --i) state[i - 1] = STRIPPED;
        }
    }
    std::sort(accepted.begin(), accepted.end());

    size_t next_tok = 0;
    size_t i = 0;
    while (i < text.size()) {
        if (state[i] == TOKEN_START) {
            out.push_back({ true, accepted[next_tok++].second, i, 0 });
            ++i;
            while (i < text.size() && state[i] == TOKEN_BODY) ++i;
        } else if (state[i] == STRIPPED) {
            ++i;
        } else {
            const size_t start = i;
            while (i < text.size() && state[i] == FREE) ++i;
            out.push_back({ false, TOKEN_NULL, start, i - start });
        }
    }
}

std::vector<int32_t> tokenizer::tokenize(std::string_view text, bool add_special, bool parse_special) const {
    std::vector<int32_t> out;
    std::vector<fragment> frags;
    partition(text, parse_special, frags);

    if (add_special && add_bos_) out.push_back(bos_);

    if (kind_ == tokenizer_kind::spm) {
        // A space is prefixed to plain text at the start and after a special token.
        bool prev_special = true;
        std::string buf;
        for (const auto & f : frags) {
            if (f.is_token) {
                out.push_back(f.id);
                prev_special = true;
                continue;
            }
            buf.clear();
            if (add_space_prefix_ && prev_special) buf += "\xE2\x96\x81";
            for (char c : text.substr(f.offset, f.len)) {
                if (c == ' ') buf += "\xE2\x96\x81";   // U+2581, SentencePiece's space
                else buf.push_back(c);
            }
            tokenize_spm(buf, out);
            prev_special = false;
        }
    } else {
        for (const auto & f : frags) {
            if (f.is_token) out.push_back(f.id);
            else tokenize_bpe(text.substr(f.offset, f.len), out);
        }
    }

    if (add_special && add_eos_) out.push_back(eos_);
    return out;
}

} // namespace gc
