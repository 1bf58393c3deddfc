// A byte-source reader (the contract in wasm/js-source.h) over a File or
// Blob, for the worker: FileReaderSync reads a slice synchronously, which is
// what lets the C++ core call read() as a plain function. Only workers have
// FileReaderSync; the main thread never reads file bytes.
//
// read(offset, dst) fills dst (a Uint8Array view of the wasm heap) with
// bytes [offset, offset + dst.length) and returns true, or returns false on
// any failure (the File was modified or deleted since it was picked, ...)
// and keeps the message in reader.error. It never throws into wasm.
export function reader_from_blob(blob, name = blob.name ?? 'file') {
  const fr = new FileReaderSync();
  const reader = {
    name,
    size: blob.size,
    reads: 0,
    error: null,
    read(offset, dst) {
      reader.reads++;
      try {
        const end = offset + dst.length;
        if (end > blob.size) return false;
        const buf = fr.readAsArrayBuffer(blob.slice(offset, end));
        if (buf.byteLength !== dst.length) {
          reader.error = `short read at ${offset}: ${buf.byteLength} of ${dst.length} bytes`;
          return false;
        }
        dst.set(new Uint8Array(buf));
        return true;
      } catch (e) {
        reader.error = `${e.name ?? 'Error'}: ${e.message} (reading ${name} at ${offset})`;
        return false;
      }
    },
  };
  return reader;
}
