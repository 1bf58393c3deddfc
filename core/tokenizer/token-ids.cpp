// Token-id file readers (token-ids.h).
#include "tokenizer/token-ids.h"

#include <cstring>

namespace gc {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool fail(std::string * error, std::string msg) {
    if (error) *error = std::move(msg);
    return false;
}

} // namespace

bool token_ids_parse_text(std::string_view text, std::vector<int32_t> & out, std::string * error) {
    out.clear();
    size_t i = 0, line = 1;
    const auto skip_ws = [&] {
        while (i < text.size()) {
            if (text[i] == '\n') ++line;
            if (is_ws(text[i])) ++i;
            else if (text[i] == '#') { while (i < text.size() && text[i] != '\n') ++i; }
            else break;
        }
    };
    // An unsigned decimal integer that fits int32.
    const auto number = [&](int32_t & v) -> bool {
        if (i < text.size() && text[i] == '-') {
            return fail(error, "line " + std::to_string(line) + ": negative token id");
        }
        if (i >= text.size() || text[i] < '0' || text[i] > '9') {
            const std::string got = i < text.size() ? std::string(1, text[i]) : std::string("end of file");
            return fail(error, "line " + std::to_string(line) + ": expected a token id, found '" + got + "'");
        }
        int64_t acc = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            acc = acc * 10 + (text[i] - '0');
            if (acc > INT32_MAX) return fail(error, "line " + std::to_string(line) + ": token id too large");
            ++i;
        }
        v = (int32_t) acc;
        return true;
    };

    skip_ws();
    if (i < text.size() && text[i] == '[') {
        ++i;
        skip_ws();
        if (i < text.size() && text[i] == ']') {
            ++i;
        } else {
            while (true) {
                int32_t v;
                skip_ws();
                if (!number(v)) return false;
                out.push_back(v);
                skip_ws();
                if (i < text.size() && text[i] == ',') { ++i; continue; }
                if (i < text.size() && text[i] == ']') { ++i; break; }
                return fail(error, "line " + std::to_string(line) + ": expected ',' or ']' in the JSON array");
            }
        }
        skip_ws();
        if (i != text.size()) return fail(error, "line " + std::to_string(line) + ": text after the JSON array");
        return true;
    }
    while (i < text.size()) {
        int32_t v;
        if (!number(v)) return false;
        out.push_back(v);
        if (i < text.size() && !is_ws(text[i]) && text[i] != '#') {
            return fail(error, "line " + std::to_string(line) + ": unexpected '" + std::string(1, text[i]) + "' after a token id");
        }
        skip_ws();
    }
    return true;
}

bool token_ids_parse_i32(std::string_view bytes, std::vector<int32_t> & out, std::string * error) {
    out.clear();
    if (bytes.size() % 4 != 0) {
        return fail(error, "binary token-id file of " + std::to_string(bytes.size()) + " bytes: not a multiple of 4");
    }
    out.resize(bytes.size() / 4);
    for (size_t k = 0; k < out.size(); ++k) {
        const auto * p = (const unsigned char *) bytes.data() + 4 * k;
        const uint32_t u = (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
        if (u > (uint32_t) INT32_MAX) return fail(error, "binary token-id file: negative id at index " + std::to_string(k));
        out[k] = (int32_t) u;
    }
    return true;
}

bool token_ids_file_name(std::string_view name) {
    return ends_with(name, ".ids") || ends_with(name, ".i32") || ends_with(name, ".json");
}

bool token_ids_parse(std::string_view name, std::string_view bytes, std::vector<int32_t> & out, std::string * error) {
    if (ends_with(name, ".i32")) return token_ids_parse_i32(bytes, out, error);
    return token_ids_parse_text(bytes, out, error);
}

int64_t token_ids_check(const std::vector<int32_t> & ids, size_t n_vocab) {
    for (size_t k = 0; k < ids.size(); ++k) {
        if ((size_t) ids[k] >= n_vocab) return (int64_t) k;
    }
    return -1;
}

} // namespace gc
