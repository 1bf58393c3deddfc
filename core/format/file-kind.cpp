// File-kind sniffing (see file-kind.h). Signatures are the published magic
// numbers of each format (PNG spec, APPNOTE.TXT for zip, RFC 1952 for gzip,
// the xz/zstd/bzip2/7z/rar/tar/ELF/PE/PDF/NumPy/HDF5/TFLite format notes, the
// safetensors README, the Git LFS spec's pointer file, llama.cpp's pre-GGUF
// magics 'ggml'/'ggmf'/'ggjt'/'ggla' stored as little-endian u32).
#include "format/file-kind.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace gc {

namespace {

bool starts_with(const uint8_t * p, size_t n, const char * sig, size_t len) {
    return n >= len && std::memcmp(p, sig, len) == 0;
}

bool at(const uint8_t * p, size_t n, size_t off, const char * sig, size_t len) {
    return n >= off + len && std::memcmp(p + off, sig, len) == 0;
}

uint64_t le64(const uint8_t * p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

uint16_t le16(const uint8_t * p) { return (uint16_t) (p[0] | (p[1] << 8)); }

char lower(uint8_t c) { return (char) ((c >= 'A' && c <= 'Z') ? c + 32 : c); }

// Case-insensitive prefix test on text that may start with a UTF-8 BOM and
// whitespace (already skipped by the caller).
bool text_starts(const uint8_t * p, size_t n, const char * word) {
    const size_t len = std::strlen(word);
    if (n < len) return false;
    for (size_t i = 0; i < len; ++i) {
        if (lower(p[i]) != word[i]) return false;
    }
    return true;
}

// Printable text: no NUL and few control bytes (tab, CR, LF, FF are text;
// bytes >= 0x80 are allowed for UTF-8). A cut-off multi-byte character at
// the end of the window does not matter here.
bool looks_like_text(const uint8_t * p, size_t n) {
    if (n == 0) return false;
    size_t odd = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint8_t c = p[i];
        if (c == 0) return false;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++odd;
    }
    return odd * 100 <= n;   // at most 1 % stray control bytes
}

// A zip written by torch.save: the first local file header names
// "<archive>/data.pkl", "<archive>/version", "<archive>/byteorder" or
// "<archive>/.data/...". The name starts at offset 30, its length at 26.
bool zip_is_pytorch(const uint8_t * p, size_t n) {
    if (n < 30) return false;
    const size_t len = le16(p + 26);
    if (len == 0 || n < 30 + len) return false;
    const std::string name(reinterpret_cast<const char *>(p + 30), len);
    for (const char * tail : { "/data.pkl", "/version", "/byteorder", "/.format_version" }) {
        const size_t tl = std::strlen(tail);
        if (name.size() >= tl && name.compare(name.size() - tl, tl, tail) == 0) return true;
    }
    return name.find("/.data/") != std::string::npos || name.find("/data/") != std::string::npos;
}

} // namespace

file_kind file_kind_sniff(const uint8_t * p, size_t n, uint64_t file_size) {
    if (file_size == 0) return file_kind::empty;
    n = (size_t) std::min<uint64_t>(n, file_size);

    if (starts_with(p, n, "GGUF", 4)) return file_kind::gguf;
    // 'ggml', 'ggmf', 'ggjt', 'ggla' as little-endian u32: the bytes reversed.
    for (const char * m : { "lmgg", "fmgg", "tjgg", "algg" }) {
        if (starts_with(p, n, m, 4)) return file_kind::ggml_legacy;
    }
    if (starts_with(p, n, "\x89PNG\r\n\x1a\n", 8)) return file_kind::png;
    if (starts_with(p, n, "\xff\xd8\xff", 3)) return file_kind::jpeg;
    if (starts_with(p, n, "GIF87a", 6) || starts_with(p, n, "GIF89a", 6)) return file_kind::gif;
    if (starts_with(p, n, "RIFF", 4) && at(p, n, 8, "WEBP", 4)) return file_kind::webp;
    if (starts_with(p, n, "%PDF-", 5)) return file_kind::pdf;
    if (starts_with(p, n, "PK\x03\x04", 4)) return zip_is_pytorch(p, n) ? file_kind::pytorch_zip : file_kind::zip;
    if (starts_with(p, n, "PK\x05\x06", 4) || starts_with(p, n, "PK\x07\x08", 4)) return file_kind::zip;
    if (starts_with(p, n, "\x1f\x8b", 2)) return file_kind::gzip;
    if (starts_with(p, n, "\xfd" "7zXZ\x00", 6)) return file_kind::xz;
    if (starts_with(p, n, "\x28\xb5\x2f\xfd", 4)) return file_kind::zstd;
    if (starts_with(p, n, "BZh", 3) && n > 3 && p[3] >= '1' && p[3] <= '9') return file_kind::bzip2;
    if (starts_with(p, n, "7z\xbc\xaf\x27\x1c", 6)) return file_kind::seven_zip;
    if (starts_with(p, n, "Rar!\x1a\x07", 6)) return file_kind::rar;
    if (at(p, n, 257, "ustar", 5)) return file_kind::tar;
    if (starts_with(p, n, "\x93NUMPY", 6)) return file_kind::numpy;
    if (starts_with(p, n, "\x89HDF\r\n\x1a\n", 8)) return file_kind::hdf5;
    if (at(p, n, 4, "TFL3", 4)) return file_kind::tflite;
    if (starts_with(p, n, "\x7f" "ELF", 4)) return file_kind::elf;
    if (starts_with(p, n, "MZ", 2) && n >= 64) return file_kind::pe;
    // Pickle protocol 2-5 starts with PROTO (0x80) and the protocol number.
    if (n >= 2 && p[0] == 0x80 && p[1] >= 2 && p[1] <= 5) return file_kind::pickle;

    // safetensors: a u64 header length that fits in the file, then '{'.
    if (n >= 9 && file_size >= 10) {
        const uint64_t len = le64(p);
        if (len >= 2 && len <= file_size - 8 && p[8] == '{') return file_kind::safetensors;
    }

    // Text formats: skip a UTF-8 BOM and leading whitespace.
    size_t i = 0;
    if (starts_with(p, n, "\xef\xbb\xbf", 3)) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) ++i;
    const uint8_t * t = p + i;
    const size_t tn = n - i;
    if (text_starts(t, tn, "version https://git-lfs.github.com/spec/")) return file_kind::git_lfs_pointer;
    if (text_starts(t, tn, "<!doctype html") || text_starts(t, tn, "<html") || text_starts(t, tn, "<head") ||
        text_starts(t, tn, "<body") || text_starts(t, tn, "<!--") || text_starts(t, tn, "<title")) {
        return file_kind::html;
    }
    if (looks_like_text(p, n)) {
        if (tn > 0 && (t[0] == '{' || t[0] == '[')) return file_kind::json;
        return file_kind::text;
    }
    return file_kind::unknown;
}

file_kind file_kind_of(byte_source & src) {
    const uint64_t size = src.size();
    if (size == 0) return file_kind::empty;
    std::vector<uint8_t> head((size_t) std::min<uint64_t>(size, FILE_KIND_HEAD_BYTES));
    if (!src.read(0, head.data(), head.size())) return file_kind::unknown;
    return file_kind_sniff(head.data(), head.size(), size);
}

const char * file_kind_name(file_kind k) {
    switch (k) {
        case file_kind::empty: return "an empty file";
        case file_kind::gguf: return "a GGUF file";
        case file_kind::ggml_legacy: return "a GGML/GGJT model (llama.cpp's format before GGUF, 2023)";
        case file_kind::safetensors: return "a safetensors file (Hugging Face weights)";
        case file_kind::pytorch_zip: return "a PyTorch checkpoint (torch.save zip)";
        case file_kind::pickle: return "a Python pickle (an old PyTorch checkpoint)";
        case file_kind::numpy: return "a NumPy array (.npy)";
        case file_kind::hdf5: return "an HDF5 file (e.g. a Keras .h5 model)";
        case file_kind::tflite: return "a TensorFlow Lite model";
        case file_kind::zip: return "a zip archive";
        case file_kind::gzip: return "a gzip-compressed file";
        case file_kind::xz: return "an xz-compressed file";
        case file_kind::zstd: return "a zstd-compressed file";
        case file_kind::bzip2: return "a bzip2-compressed file";
        case file_kind::seven_zip: return "a 7-Zip archive";
        case file_kind::rar: return "a RAR archive";
        case file_kind::tar: return "a tar archive";
        case file_kind::png: return "a PNG image";
        case file_kind::jpeg: return "a JPEG image";
        case file_kind::gif: return "a GIF image";
        case file_kind::webp: return "a WebP image";
        case file_kind::pdf: return "a PDF document";
        case file_kind::elf: return "a Linux executable or library (ELF)";
        case file_kind::pe: return "a Windows executable (MZ/PE)";
        case file_kind::git_lfs_pointer: return "a Git LFS pointer file";
        case file_kind::html: return "an HTML web page";
        case file_kind::json: return "a JSON text file";
        case file_kind::text: return "a plain text file";
        case file_kind::unknown: return "a file of unknown format";
    }
    return "a file of unknown format";
}

const char * file_kind_advice(file_kind k) {
    switch (k) {
        case file_kind::gguf: return "";
        case file_kind::empty:
            return "Nothing was saved: the download or copy did not finish. Download the file again.";
        case file_kind::ggml_legacy:
            return "Current tools no longer read it: download a GGUF version of the model.";
        case file_kind::safetensors:
            return "To check a GGUF against it, drop the .gguf together with the safetensors and config.json files "
                   "(they become its reference). To make a GGUF from it, use llama.cpp's convert_hf_to_gguf.py.";
        case file_kind::pytorch_zip:
        case file_kind::pickle:
            return "It is not a GGUF model: convert the Hugging Face folder with llama.cpp's convert_hf_to_gguf.py, "
                   "or download a GGUF version.";
        case file_kind::zip:
        case file_kind::gzip:
        case file_kind::xz:
        case file_kind::zstd:
        case file_kind::bzip2:
        case file_kind::seven_zip:
        case file_kind::rar:
        case file_kind::tar:
            return "Unpack it first, then drop the .gguf file it contains.";
        case file_kind::git_lfs_pointer:
            return "The repository was cloned without Git LFS, so this small text file stands in for the model: "
                   "run `git lfs pull` in the clone, or download the file from its download link.";
        case file_kind::html:
            return "The download saved a web page (an error, login or preview page) instead of the model. "
                   "Download it again from the file's download link (on Hugging Face: a URL with /resolve/, not /blob/).";
        case file_kind::json:
            return "It may be a config file or a server's error response saved instead of the model: "
                   "drop the .gguf file instead.";
        case file_kind::text:
            return "It holds text, not a model: drop the .gguf file instead (a text file is only used as the "
                   "perplexity text next to a model).";
        case file_kind::unknown:
            return "The file is damaged, or of a format this checker does not read: download it again, "
                   "and compare its size and sha256 with the ones the download page shows.";
        default:
            return "It is not a model file this checker reads: drop the .gguf file instead.";
    }
}

std::string file_kind_explain(file_kind k) {
    if (k == file_kind::gguf) return "";
    std::string s = (k == file_kind::empty) ? "The file is empty (0 bytes)." : std::string("It looks like ") + file_kind_name(k) + ".";
    const char * advice = file_kind_advice(k);
    if (*advice) s += std::string(" ") + advice;
    return s;
}

} // namespace gc
