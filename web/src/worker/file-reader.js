// A byte-source reader (the contract in wasm/js-source.h) over a File or
// Blob, for the worker: FileReaderSync reads a slice synchronously, which is
// what lets the C++ core call read() as a plain function. Only workers have
// FileReaderSync; the main thread never reads file bytes.
//
// read(offset, dst) fills dst (a Uint8Array view of the wasm heap) with
// bytes [offset, offset + dst.length) and returns true, or returns false on
// any failure (the File was modified or deleted since it was picked, ...)
// and keeps the message in reader.error. It never throws into wasm.
//
// will_read(offset, len) is byte_source::will_read's hint: the next reads
// cover [offset, offset + len) in order (the weight check announces each
// tensor it streams). A read inside that range fetches up to SLICE bytes
// of it at once and the reads after it are served from that window.
// The announcement ends with the read that reaches its end, or with a read
// outside it. Every FileReaderSync call costs a round trip to the browser's
// blob store and a fresh buffer: in Chromium on 2 cores, reading 1.24 GB in
// 16 MiB slices took 2.72 CPU-s, in 64 MiB slices 2.25. Nothing outside the
// announced range is fetched, so the bytes read are still exactly the bytes
// the core asks for.

// Large reads are split into slices of this size, so a big read never needs
// a second buffer of its full size next to the wasm heap; also the most a
// stream window holds.
const SLICE = 64 << 20;

export function reader_from_blob(blob, name = blob.name ?? 'file') {
  const fr = new FileReaderSync();
  let ahead_from = 0, ahead_to = 0;    // the announced range
  let window = null, window_at = 0;    // fetched bytes of it not yet read, from window_at

  // Bytes [at, at + n) in one FileReaderSync call; throws a message on a short read.
  const fetch = (at, n) => {
    reader.reads++;
    const buf = fr.readAsArrayBuffer(blob.slice(at, at + n));
    if (buf.byteLength !== n) throw new Error(`short read at ${at}: ${buf.byteLength} of ${n} bytes`);
    return new Uint8Array(buf);
  };

  const reader = {
    name,
    size: blob.size,
    reads: 0,
    error: null,
    will_read(offset, len) {
      ahead_from = offset;
      ahead_to = offset + len;
    },
    read(offset, dst) {
      try {
        const end = offset + dst.length;
        if (end > blob.size) return false;
        const announced = offset >= ahead_from && end <= ahead_to;
        if (!announced || end === ahead_to) ahead_from = ahead_to = 0;   // the stream ends here
        let at = offset;
        // What the window holds of [offset, end).
        if (window && at >= window_at && at < window_at + window.length) {
          const n = Math.min(end, window_at + window.length) - at;
          dst.set(window.subarray(at - window_at, at - window_at + n));
          at += n;
          if (at === window_at + window.length) window = null;   // all of it read: let it go
        }
        if (at === end) return true;
        window = null;
        // The rest: a new window when it lies in the announced range with more after it.
        if (announced && end < ahead_to && end - at < SLICE) {
          window = fetch(at, Math.min(ahead_to - at, SLICE));
          window_at = at;
          return reader.read(at, dst.subarray(at - offset));
        }
        for (; at < end;) {
          const n = Math.min(SLICE, end - at);
          dst.set(fetch(at, n), at - offset);
          at += n;
        }
        return true;
      } catch (e) {
        window = null;   // fetch()'s own Error already says what and where
        reader.error = e.name === 'Error' ? e.message : `${e.name ?? 'Error'}: ${e.message} (reading ${name} at ${offset})`;
        return false;
      }
    },
  };
  return reader;
}
