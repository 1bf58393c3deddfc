// Parsing of the CLI's numeric options.
#pragma once

#include <cstdlib>

// Parses a whole decimal integer in [lo, hi] into out; false otherwise.
inline bool parse_int(const char * s, long long lo, long long hi, long long & out) {
    char * end = nullptr;
    const long long v = std::strtoll(s, &end, 10);
    if (!s[0] || *end || v < lo || v > hi) return false;
    out = v;
    return true;
}
