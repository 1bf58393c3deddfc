// byte_source: the one way the core reads bytes.
//
// Every reader in core/ pulls bytes through this interface, so the same code
// runs over a native file, an in-memory buffer (tests, fuzzing) and a browser
// File read slice by slice in the worker (wasm/js-source.cpp). Nothing reads
// a whole file: callers ask for the ranges they need.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gc {

class byte_source {
public:
    virtual ~byte_source() = default;

    // Total size in bytes.
    virtual uint64_t size() const = 0;

    // A display name (the file name, without directories where possible).
    virtual const std::string & name() const = 0;

    // Copies exactly len bytes starting at offset into dst.
    // Returns false (and leaves dst unspecified) when [offset, offset+len)
    // is not inside [0, size()) or the underlying read fails.
    virtual bool read(uint64_t offset, void * dst, size_t len) = 0;

    // Bytes actually fetched from the underlying medium so far (for benchmarks
    // and for the "loading reads only the header" invariant).
    virtual uint64_t bytes_fetched() const = 0;

    // A hint from a streaming reader: the next reads cover [offset, offset+len)
    // in order. A source whose reads have a fixed cost per call may then fetch
    // ahead in larger pieces, but only inside that range (so bytes_fetched
    // still counts only bytes the caller reads). Ignoring it is correct.
    virtual void will_read(uint64_t offset, uint64_t len) {
        (void) offset;
        (void) len;
    }
};

// True when [offset, offset+len) lies inside a source of the given size,
// without overflowing.
inline bool byte_range_ok(uint64_t size, uint64_t offset, uint64_t len) {
    return offset <= size && len <= size - offset;
}

// A native file read with pread(). Returns nullptr and sets *error when the
// file cannot be opened.
std::unique_ptr<byte_source> byte_source_open_file(const std::string & path, std::string * error);

// An in-memory buffer (tests, fuzzers, the sample model).
std::unique_ptr<byte_source> byte_source_from_memory(std::vector<uint8_t> bytes, std::string name);

// Wraps a source with a read-ahead window: a read that misses the window
// fetches max(len, window) bytes from the inner source. GGUF metadata is made
// of millions of tiny reads; with a window they cost a few large ones.
std::unique_ptr<byte_source> byte_source_read_ahead(std::unique_ptr<byte_source> inner, size_t window = 1 << 20);

// A set of files that together form one model: GGUF split parts or
// safetensors shards, in the order given.
using file_set = std::vector<std::unique_ptr<byte_source>>;

} // namespace gc
