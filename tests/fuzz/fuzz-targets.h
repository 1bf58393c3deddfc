// The fuzz targets' entry logic, one function per target.
//
// Each tests/fuzz/fuzz-<name>.cpp defines gc_fuzz::fuzz_<name>() and, unless
// GC_FUZZ_NO_ENTRY is defined, the libFuzzer entry point that calls it. The
// native test tests/native/test-fuzz-regressions.cpp includes the same files
// with GC_FUZZ_NO_ENTRY and replays every saved crash input and the seed
// corpus through the same functions, so a fixed crash stays fixed in the
// ordinary ctest and ASan runs, without clang or libFuzzer.
//
// Contract of every function: any input returns normally (0). A crash, a
// sanitizer report or a violated invariant (the functions abort() on one,
// e.g. ref != fast dequant) is a bug in core/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifndef GC_FIXTURES
#error "GC_FIXTURES must name tests/fixtures (set by CMake)"
#endif

namespace gc_fuzz {

int fuzz_gguf(const uint8_t * data, size_t size);       // gguf_load + integrity + inspect report
int fuzz_hf(const uint8_t * data, size_t size);         // hf_load + reference_open + rows
int fuzz_tokenize(const uint8_t * data, size_t size);   // fixed vocabularies, fuzzed text
int fuzz_vocab(const uint8_t * data, size_t size);      // fuzzed vocabulary GGUF, fixed text
int fuzz_dequant(const uint8_t * data, size_t size);    // type id, shape, bytes; ref == fast
int fuzz_compare(const uint8_t * data, size_t size);    // fuzzed candidate vs fixture reference

// Aborts with a message on stderr (a libFuzzer "crash" with a readable cause).
[[noreturn]] inline void fuzz_fail(const char * what) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
}

} // namespace gc_fuzz

#ifndef GC_FUZZ_NO_ENTRY
#define GC_FUZZ_ENTRY(fn)                                                              \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {        \
        return gc_fuzz::fn(data, size);                                                \
    }
#else
#define GC_FUZZ_ENTRY(fn)
#endif
