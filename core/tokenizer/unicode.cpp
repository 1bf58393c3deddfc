// Unicode category lookup and llama.cpp-compatible UTF-8 coding (unicode.h).
#include "tokenizer/unicode.h"

#include <algorithm>

namespace gc {

namespace {

struct category_range {
    uint32_t first;
    uint16_t flags;
};

// Sorted by `first`; the last row starts at 0x110000.
const category_range k_ranges[] = {
#include "tokenizer/unicode-ranges.inc"
};

// The White_Space property (PropList.txt): a short fixed list.
bool is_white_space(uint32_t cp) {
    if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
    switch (cp) {
        case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
        case 0x202F: case 0x205F: case 0x3000:
            return true;
        default:
            return cp >= 0x2000 && cp <= 0x200A;
    }
}

uint16_t lookup_flags(uint32_t cp) {
    if (cp >= 0x110000) return UCP_UNDEFINED;
    // The last row whose first <= cp.
    const auto it = std::upper_bound(std::begin(k_ranges), std::end(k_ranges), cp,
                                     [](uint32_t v, const category_range & r) { return v < r.first; });
    uint16_t f = (it == std::begin(k_ranges)) ? (uint16_t) UCP_UNDEFINED : (it - 1)->flags;
    if (is_white_space(cp)) f |= UCP_WHITESPACE;
    return f;
}

// ASCII is by far the most frequent input: answer it from a small table.
struct ascii_table {
    uint16_t flags[128];
    ascii_table() {
        for (uint32_t c = 0; c < 128; ++c) flags[c] = lookup_flags(c);
    }
};

} // namespace

uint16_t unicode_flags(uint32_t cp) {
    static const ascii_table ascii;
    return cp < 128 ? ascii.flags[cp] : lookup_flags(cp);
}

const char * unicode_table_version() { return GC_UNICODE_VERSION; }

void utf8_decode(std::string_view s, std::vector<uint32_t> & out) {
    const size_t n = s.size();
    const auto b = [&](size_t i) { return (uint8_t) s[i]; };
    const auto cont = [&](size_t i) { return i < n && (b(i) & 0xC0) == 0x80; };
    size_t i = 0;
    while (i < n) {
        const uint8_t c = b(i);
        if (c < 0x80) {
            out.push_back(c);
            i += 1;
        } else if ((c & 0xE0) == 0xC0 && cont(i + 1)) {
            out.push_back(((uint32_t) (c & 0x1F) << 6) | (b(i + 1) & 0x3F));
            i += 2;
        } else if ((c & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2)) {
            out.push_back(((uint32_t) (c & 0x0F) << 12) | ((uint32_t) (b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F));
            i += 3;
        } else if ((c & 0xF8) == 0xF0 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
            out.push_back(((uint32_t) (c & 0x07) << 18) | ((uint32_t) (b(i + 1) & 0x3F) << 12) |
                          ((uint32_t) (b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F));
            i += 4;
        } else {
            // Stray continuation byte, F8..FF, or a sequence cut short.
            out.push_back(UNICODE_REPLACEMENT);
            i += 1;
        }
    }
}

void utf8_append(std::string & out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back((char) cp);
    } else if (cp < 0x800) {
        out.push_back((char) (0xC0 | (cp >> 6)));
        out.push_back((char) (0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back((char) (0xE0 | (cp >> 12)));
        out.push_back((char) (0x80 | ((cp >> 6) & 0x3F)));
        out.push_back((char) (0x80 | (cp & 0x3F)));
    } else if (cp < 0x110000) {
        out.push_back((char) (0xF0 | (cp >> 18)));
        out.push_back((char) (0x80 | ((cp >> 12) & 0x3F)));
        out.push_back((char) (0x80 | ((cp >> 6) & 0x3F)));
        out.push_back((char) (0x80 | (cp & 0x3F)));
    } else {
        utf8_append(out, UNICODE_REPLACEMENT);
    }
}

} // namespace gc
