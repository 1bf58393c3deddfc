// What kind of file this is, guessed from its first bytes, so that a reader
// that rejects a file can say what the user actually dropped ("an HTML page:
// the download saved an error page") instead of quoting four magic bytes.
//
// Only signatures at fixed offsets are used (magic numbers, the safetensors
// length prefix, a few text prefixes); nothing here parses the file. The
// guess is advisory: it only ever changes a message, never a decision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/byte-source.h"

namespace gc {

enum class file_kind {
    empty,            // 0 bytes
    gguf,             // "GGUF"
    ggml_legacy,      // GGML / GGMF / GGJT / GGLA: llama.cpp's formats before GGUF (2023)
    safetensors,      // u64 LE header length, then a JSON object
    pytorch_zip,      // a zip whose first entry is <name>/data.pkl or similar (torch.save)
    pickle,           // a bare Python pickle (old torch.save)
    numpy,            // .npy
    hdf5,             // .h5 (Keras)
    tflite,           // "TFL3" at offset 4
    zip,
    gzip,
    xz,
    zstd,
    bzip2,
    seven_zip,
    rar,
    tar,
    png,
    jpeg,
    gif,
    webp,
    pdf,
    elf,              // a Linux executable or shared library
    pe,               // a Windows executable ("MZ")
    git_lfs_pointer,  // the small text file git leaves without `git lfs pull`
    html,             // a web page (an error, login or "blob" page saved instead of the file)
    json,
    text,             // other printable text
    unknown,
};

// How many leading bytes file_kind_sniff wants (fewer is fine: the tests that
// need more are skipped). tar's "ustar" sits at offset 257.
constexpr size_t FILE_KIND_HEAD_BYTES = 512;

// Guesses the kind from `head` (the first n bytes of the file) and the file's
// total size.
file_kind file_kind_sniff(const uint8_t * head, size_t n, uint64_t file_size);

// Reads the first FILE_KIND_HEAD_BYTES of src (one read) and sniffs them;
// `unknown` when the read fails.
file_kind file_kind_of(byte_source & src);

// "a PNG image", "a zip archive", ... (lower case, with article).
const char * file_kind_name(file_kind k);

// What the user should do when a GGUF was expected and this was found:
// a sentence ending in a period, or "" for `gguf`.
const char * file_kind_advice(file_kind k);

// "It looks like a PNG image, not a model: pick the .gguf file instead." —
// name and advice together, for appending to an error message.
std::string file_kind_explain(file_kind k);

} // namespace gc
