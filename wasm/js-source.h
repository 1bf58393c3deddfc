// A byte_source whose bytes come from JavaScript.
//
// The JS side passes a "reader" object:
//   { name: string, size: number, read(offset: number, dst: Uint8Array): boolean,
//     will_read?(offset: number, len: number) }
// read() must fill all of dst (a view into the wasm heap, dst.length bytes)
// with the file's bytes from `offset`, synchronously, and return true; or
// return false on any failure. It must not throw and must not call back into
// wasm (the view is only valid while the heap does not grow).
//
// will_read, if present, receives byte_source::will_read's hint (it must not
// throw either).
//
// In the browser worker the reader wraps a File: FileReaderSync over
// file.slice(offset, offset + dst.length) (web/src/worker/file-reader.js).
// In Node tests it wraps fs.readSync. The binding is the same for both.
#pragma once

#include <emscripten/val.h>

#include <memory>

#include "io/byte-source.h"

namespace gc {

// Wraps a JS reader. Returns nullptr and sets *error when the object does not
// look like a reader (no read function, size not a non-negative integer
// below 2^53).
std::unique_ptr<byte_source> byte_source_from_js(emscripten::val reader, std::string * error);

} // namespace gc
