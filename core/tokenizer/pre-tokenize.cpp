// Hand-written pre-tokenizer splitters (pre-tokenize.h).
//
// The matchers follow llama.cpp's unicode.cpp behaviour (read for the facts,
// not copied): at each position the alternatives of the pattern are tried in
// order, and the first that matches takes its longest run. Where llama.cpp's
// matcher differs from a true regex engine the matcher is followed, since the
// goal is llama.cpp's token ids.
#include "tokenizer/pre-tokenize.h"

#include "tokenizer/unicode.h"

namespace gc {

const char * pretok_kind_name(pretok_kind k) {
    switch (k) {
        case pretok_kind::def:      return "default";
        case pretok_kind::gpt2:     return "gpt-2";
        case pretok_kind::llama3:   return "llama3";
        case pretok_kind::qwen2:    return "qwen2";
        case pretok_kind::newlines: return "newlines";
    }
    return "?";
}

namespace {

constexpr uint32_t OUT = 0xFFFFFFFF;   // "no code point": outside the word being split

// One word of the previous pass, [begin, end) of the code points. Outside it
// cp() is OUT and flags() is 0, so no match can run past the word.
struct span {
    const std::vector<uint32_t> & cps;
    size_t begin, end;

    uint32_t cp(size_t i) const { return (i >= begin && i < end) ? cps[i] : OUT; }
    uint16_t flags(size_t i) const { return (i >= begin && i < end) ? unicode_flags(cps[i]) : 0; }
    bool has(size_t i, uint16_t bits) const { return (flags(i) & bits) != 0; }
};

inline uint32_t ascii_lower(uint32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// Length (2 or 3) of an English contraction ('s 't 'm 'd 're 've 'll) at i,
// or 0. `fold` makes the letters case-insensitive ((?i:...) in llama3/qwen2;
// only ASCII letters fold to these, checked by tools/gen-unicode-ranges.py).
size_t contraction_at(const span & s, size_t i, bool fold) {
    if (s.cp(i) != '\'' || i + 1 >= s.end) return 0;
    const auto low = [&](uint32_t c) { return fold ? ascii_lower(c) : c; };
    const uint32_t a = low(s.cp(i + 1));
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if (i + 2 >= s.end) return 0;
    const uint32_t b = low(s.cp(i + 2));
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
    return 0;
}

// Number of white-space code points from i on.
size_t whitespace_run(const span & s, size_t i) {
    size_t n = 0;
    while (s.has(i + n, UCP_WHITESPACE)) ++n;
    return n;
}

constexpr uint16_t WLN = UCP_WHITESPACE | UCP_LETTER | UCP_NUMBER;

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
void split_gpt2(const span & s, std::vector<size_t> & out) {
    size_t pos = s.begin;
    while (pos < s.end) {
        const size_t start = pos;
        const uint32_t c = s.cp(pos);
        if (size_t n = contraction_at(s, pos, false)) {
            out.push_back(n);
            pos += n;
            continue;
        }
        // The optional leading space of the next three alternatives.
        const size_t body = pos + (c == ' ' ? 1 : 0);
        const uint16_t f = s.flags(body);
        if (f & UCP_LETTER) {
            pos = body;
            while (s.has(pos, UCP_LETTER)) ++pos;
        } else if (f & UCP_NUMBER) {
            pos = body;
            while (s.has(pos, UCP_NUMBER)) ++pos;
        } else if (!(f & WLN) && f != 0) {
            pos = body;
            while (!s.has(pos, WLN) && s.flags(pos) != 0) ++pos;
        } else {
            const size_t nws = whitespace_run(s, pos);
            if (nws > 1 && s.cp(pos + nws) != OUT) {
                pos += nws - 1;          // \s+(?!\S): leave the last space to the next word
            } else if (nws > 0) {
                pos += nws;              // \s+
            } else {
                pos += 1;                // nothing matched: a word of one code point
            }
        }
        out.push_back(pos - start);
    }
}

// llama3 (max_digits 3) and qwen2 (max_digits 1):
// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
void split_llama3(const span & s, size_t max_digits, std::vector<size_t> & out) {
    size_t pos = s.begin;
    size_t start = pos;
    const auto emit = [&](size_t end) {
        if (end > start) out.push_back(end - start);
        start = end;
    };
    while (pos < s.end) {
        const uint32_t c = s.cp(pos);
        const uint16_t f = s.flags(pos);
        if (size_t n = contraction_at(s, pos, true)) {
            pos += n;
            emit(pos);
            continue;
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+ : any one non-letter prefix (not CR, LF or a digit).
        if (!(c == '\r' || c == '\n' || (f & UCP_NUMBER)) && ((f & UCP_LETTER) || s.has(pos + 1, UCP_LETTER))) {
            ++pos;
            while (s.has(pos, UCP_LETTER)) ++pos;
            emit(pos);
            continue;
        }
        // \p{N}{1,max}: a run of digits is cut into groups of max from the left.
        if (f & UCP_NUMBER) {
            size_t group = pos;
            while (s.has(pos, UCP_NUMBER)) {
                ++pos;
                if (pos - group >= max_digits) {
                    emit(pos);
                    group = pos;
                }
            }
            emit(pos);
            continue;
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        // (llama.cpp tests the code point itself for being inside the word
        // here, not the one after the space: a lone trailing space matches.)
        const uint16_t f2 = (c == ' ') ? s.flags(pos + 1) : f;
        if (!(f2 & WLN) && f != 0) {
            if (c == ' ') ++pos;
            while (!s.has(pos, WLN) && s.flags(pos) != 0) ++pos;
            while (s.cp(pos) == '\r' || s.cp(pos) == '\n') ++pos;
            emit(pos);
            continue;
        }
        // \s*[\r\n]+ : white space up to and including its last CR or LF.
        size_t nws = 0, last_crlf_end = 0;
        while (s.has(pos + nws, UCP_WHITESPACE)) {
            const uint32_t w = s.cp(pos + nws);
            if (w == '\r' || w == '\n') last_crlf_end = pos + nws + 1;
            ++nws;
        }
        if (last_crlf_end > 0) {
            pos = last_crlf_end;
        } else if (nws > 1 && s.cp(pos + nws) != OUT) {
            pos += nws - 1;              // \s+(?!\S)
        } else if (nws > 0) {
            pos += nws;                  // \s+
        } else {
            pos += 1;                    // nothing matched
        }
        emit(pos);
    }
}

// [^\n]+|[\n]+
void split_newlines(const span & s, std::vector<size_t> & out) {
    size_t pos = s.begin;
    while (pos < s.end) {
        const bool nl = s.cps[pos] == '\n';
        const size_t start = pos;
        while (pos < s.end && (s.cps[pos] == '\n') == nl) ++pos;
        out.push_back(pos - start);
    }
}

// A pattern of the form [class]+ run through std::regex: maximal runs of class
// members become words, and so do the gaps between them.
template <typename Pred>
void split_runs(const span & s, Pred in_class, std::vector<size_t> & out) {
    size_t pos = s.begin;
    while (pos < s.end) {
        const bool in = in_class(s.cps[pos]);
        const size_t start = pos;
        while (pos < s.end && in_class(s.cps[pos]) == in) ++pos;
        out.push_back(pos - start);
    }
}

// The category a code point has in llama.cpp's collapsed text: ASCII stands
// for itself; other code points become one marker per category, white space
// first.
uint16_t collapsed_category(uint32_t cp) {
    const uint16_t f = unicode_flags(cp);
    if (f & UCP_WHITESPACE) return UCP_WHITESPACE;
    return f & UCP_CATEGORIES;
}

// [\p{P}\$\+<=>\^~\|]+ as llama.cpp's collapsed regex sees it: non-ASCII
// punctuation, and the ASCII characters its ASCII stand-in for \p{P} lists
// (!"#%&'()*,-./:;?@[\]_{}) plus $+<=>^~| -- every ASCII punctuation or
// symbol character except the backtick.
bool is_default_punct(uint32_t cp) {
    if (cp < 128) {
        if (cp == '`') return false;
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
               (cp >= 0x7B && cp <= 0x7E);
    }
    return collapsed_category(cp) == UCP_PUNCTUATION;
}

// \p{N}+ collapsed: ASCII digits and non-ASCII numbers.
bool is_default_number(uint32_t cp) {
    if (cp < 128) return cp >= '0' && cp <= '9';
    return collapsed_category(cp) == UCP_NUMBER;
}

// [0-9][0-9][0-9]: leftmost non-overlapping triples of ASCII digits are words,
// and so is everything between them.
void split_digit_triples(const span & s, std::vector<size_t> & out) {
    const auto digit = [&](size_t i) { return i < s.end && s.cps[i] >= '0' && s.cps[i] <= '9'; };
    size_t gap = s.begin, pos = s.begin;
    while (pos < s.end) {
        if (digit(pos) && digit(pos + 1) && digit(pos + 2)) {
            if (pos > gap) out.push_back(pos - gap);
            out.push_back(3);
            pos += 3;
            gap = pos;
        } else {
            ++pos;
        }
    }
    if (s.end > gap) out.push_back(s.end - gap);
}

// Runs `split` inside each word of `words`.
template <typename Split>
std::vector<size_t> refine(const std::vector<uint32_t> & cps, const std::vector<size_t> & words, Split split) {
    std::vector<size_t> out;
    out.reserve(words.size() * 2);
    size_t begin = 0;
    for (size_t len : words) {
        split(span{ cps, begin, begin + len }, out);
        begin += len;
    }
    return out;
}

} // namespace

std::vector<size_t> pretokenize(const std::vector<uint32_t> & cps, pretok_kind kind) {
    std::vector<size_t> words;
    if (cps.empty()) return words;
    words.push_back(cps.size());
    switch (kind) {
        case pretok_kind::gpt2:
            return refine(cps, words, split_gpt2);
        case pretok_kind::llama3:
            return refine(cps, words, [](const span & s, std::vector<size_t> & o) { split_llama3(s, 3, o); });
        case pretok_kind::qwen2:
            return refine(cps, words, [](const span & s, std::vector<size_t> & o) { split_llama3(s, 1, o); });
        case pretok_kind::newlines:
            return refine(cps, words, split_newlines);
        case pretok_kind::def:
            words = refine(cps, words, [](const span & s, std::vector<size_t> & o) { split_runs(s, is_default_punct, o); });
            words = refine(cps, words, split_gpt2);
            words = refine(cps, words, [](const span & s, std::vector<size_t> & o) { split_runs(s, is_default_number, o); });
            return refine(cps, words, split_digit_triples);
    }
    return words;
}

} // namespace gc
