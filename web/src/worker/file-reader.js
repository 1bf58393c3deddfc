// A byte-source reader (the contract in wasm/js-source.h) over a File or
// Blob, for the worker: FileReaderSync reads a slice synchronously, which is
// what lets the C++ core call read() as a plain function. Only workers have
// FileReaderSync; the main thread never reads file bytes.
//
// read(offset, dst) fills dst (a Uint8Array view of the wasm heap) with
// bytes [offset, offset + dst.length) and returns true, or returns false on
// any failure (the File was modified or deleted since it was picked, ...)
// and keeps the message in reader.error. It never throws into wasm.

// Large reads are split into slices of this size, so a big read never needs
// a second buffer of its full size next to the wasm heap.
const SLICE = 64 << 20;

export function reader_from_blob(blob, name = blob.name ?? 'file') {
  const fr = new FileReaderSync();
  const reader = {
    name,
    size: blob.size,
    reads: 0,
    error: null,
    read(offset, dst) {
      try {
        if (offset + dst.length > blob.size) return false;
        for (let done = 0; done < dst.length;) {
          const n = Math.min(SLICE, dst.length - done);
          const at = offset + done;
          reader.reads++;
          const buf = fr.readAsArrayBuffer(blob.slice(at, at + n));
          if (buf.byteLength !== n) {
            reader.error = `short read at ${at}: ${buf.byteLength} of ${n} bytes`;
            return false;
          }
          dst.set(new Uint8Array(buf), done);
          done += n;
        }
        return true;
      } catch (e) {
        reader.error = `${e.name ?? 'Error'}: ${e.message} (reading ${name} at ${offset})`;
        return false;
      }
    },
  };
  return reader;
}
