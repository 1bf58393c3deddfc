// Parsing of the CLI's numeric options.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Parses a whole decimal integer in [lo, hi] into out; false otherwise.
inline bool parse_int(const char * s, long long lo, long long hi, long long & out) {
    char * end = nullptr;
    const long long v = std::strtoll(s, &end, 10);
    if (!s[0] || *end || v < lo || v > hi) return false;
    out = v;
    return true;
}

// The value of -t/--threads, argv[i + 1], into out (1..256). False, with a
// message on stderr naming cmd, when it is missing or not such an integer.
inline bool parse_threads(const char * cmd, int argc, char ** argv, int i, int32_t & out) {
    long long v = 0;
    if (i + 1 >= argc || !parse_int(argv[i + 1], 1, 256, v)) {
        std::fprintf(stderr, "%s: -t needs an integer in [1, 256]\n", cmd);
        return false;
    }
    out = (int32_t) v;
    return true;
}
