// The worker's File reader (web/src/worker/file-reader.js) under node, over a
// stand-in Blob and FileReaderSync that log every fetch: exact bytes for any
// pattern of reads; a stream announced with will_read is fetched in windows
// of up to 64 MiB that never reach outside the announced range, and the
// announcement ends with the stream; short reads fail with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reader_from_blob } from '../../web/src/worker/file-reader.js';

const MiB = 1 << 20;

// A Blob over `bytes` whose slices FileReaderSync below reads; `fetches`
// logs [start, end) of each read; `short_from`: reads reaching past it come
// back one byte short (a file changed under the page).
function fake_blob(bytes, { short_from = Infinity } = {}) {
  const blob = {
    size: bytes.length,
    name: 'fake.gguf',
    fetches: [],
    slice: (start, end) => ({ blob, start, end }),
  };
  globalThis.FileReaderSync = class {
    readAsArrayBuffer({ blob: b, start, end }) {
      b.fetches.push([start, end]);
      const stop = end > short_from ? end - 1 : end;
      return bytes.slice(start, stop).buffer;
    }
  };
  return blob;
}

function pattern(n) {
  const v = new Uint8Array(n);
  for (let i = 0; i < n; ++i) v[i] = (i * 2654435761) >>> 13;
  return v;
}

// A deterministic stream of numbers in [0, 1).
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('without hints each read is one fetch of exactly its bytes', () => {
  const data = pattern(3 * MiB + 17);
  const blob = fake_blob(data);
  const r = reader_from_blob(blob);
  const rand = rng(1);
  for (let i = 0; i < 200; ++i) {
    const off = Math.floor(rand() * data.length);
    const len = Math.min(data.length - off, Math.floor(rand() * 300_000));
    const dst = new Uint8Array(len);
    assert.equal(r.read(off, dst), true);
    assert.deepEqual(dst, data.subarray(off, off + len));
    if (len) assert.deepEqual(blob.fetches.at(-1), [off, off + len]);
  }
  assert.equal(r.read(data.length - 4, new Uint8Array(5)), false);   // past the end
  assert.equal(r.reads, blob.fetches.length);
});

test('an announced stream is fetched in 64 MiB windows inside the range, each byte once', () => {
  // Two ranges of a 150 MiB "file", read in order in runs of ~5 MiB of odd
  // sizes, as the weight check does; a jump elsewhere between them.
  const data = pattern(150 * MiB);
  const blob = fake_blob(data);
  const r = reader_from_blob(blob);
  const rand = rng(2);
  const stream = (from, to) => {
    for (let at = from; at < to;) {
      const len = Math.min(to - at, 5 * MiB + Math.floor(rand() * MiB));
      r.will_read(at, to - at);
      const dst = new Uint8Array(len);
      assert.equal(r.read(at, dst), true);
      assert.ok(dst.every((v, i) => v === data[at + i]), `bytes at ${at}`);
      at += len;
    }
  };
  stream(1000, 1000 + 140 * MiB + 3);
  assert.deepEqual(blob.fetches, [[1000, 1000 + 64 * MiB], [1000 + 64 * MiB, 1000 + 128 * MiB], [1000 + 128 * MiB, 1000 + 140 * MiB + 3]]);
  blob.fetches.length = 0;
  const dst = new Uint8Array(10);
  assert.equal(r.read(7, dst), true);   // outside the announced range: exactly its bytes
  assert.deepEqual(blob.fetches, [[7, 17]]);
  assert.deepEqual(dst, data.subarray(7, 17));
  blob.fetches.length = 0;
  stream(20 * MiB + 5, 30 * MiB);
  assert.deepEqual(blob.fetches, [[20 * MiB + 5, 30 * MiB]]);
  // A read reaching past the announced range is not windowed.
  blob.fetches.length = 0;
  r.will_read(40 * MiB, MiB);
  assert.equal(r.read(40 * MiB, new Uint8Array(2 * MiB)), true);
  assert.deepEqual(blob.fetches, [[40 * MiB, 42 * MiB]]);
});

test('an announcement ends with the read that reaches its end, or with a read outside it', () => {
  const data = pattern(100 * MiB);
  const blob = fake_blob(data);
  const r = reader_from_blob(blob);
  r.will_read(0, 20 * MiB);
  for (let at = 0; at < 20 * MiB; at += 5 * MiB) assert.equal(r.read(at, new Uint8Array(5 * MiB)), true);
  assert.deepEqual(blob.fetches, [[0, 20 * MiB]]);
  blob.fetches.length = 0;
  assert.equal(r.read(MiB, new Uint8Array(MiB)), true);   // a later read of the same bytes: only its own
  assert.deepEqual(blob.fetches, [[MiB, 2 * MiB]]);
  blob.fetches.length = 0;
  r.will_read(50 * MiB, 20 * MiB);
  assert.equal(r.read(90 * MiB, new Uint8Array(10)), true);   // outside: the stream is over
  assert.equal(r.read(50 * MiB, new Uint8Array(MiB)), true);
  assert.deepEqual(blob.fetches, [[90 * MiB, 90 * MiB + 10], [50 * MiB, 51 * MiB]]);
});

test('a window read part-way is finished from the window, then the next one starts where it ended', () => {
  const data = pattern(100 * MiB);
  const blob = fake_blob(data);
  const r = reader_from_blob(blob);
  r.will_read(0, data.length);
  const a = new Uint8Array(60 * MiB), b = new Uint8Array(10 * MiB);
  assert.equal(r.read(0, a), true);
  assert.equal(r.read(60 * MiB, b), true);   // 4 MiB from the first window, 6 from the next
  assert.deepEqual(blob.fetches, [[0, 64 * MiB], [64 * MiB, 100 * MiB]]);
  assert.ok(b.every((v, i) => v === data[60 * MiB + i]));
});

test('a short read fails with a message, in a window and outside one', () => {
  const data = pattern(2 * MiB);
  for (const hint of [false, true]) {
    const r = reader_from_blob(fake_blob(data, { short_from: MiB }));
    if (hint) r.will_read(0, data.length);
    assert.equal(r.read(0, new Uint8Array(1000)), !hint);   // a window reaches the short part
    assert.equal(r.read(MiB - 10, new Uint8Array(20)), false);
    assert.match(r.error, /^short read at \d+: \d+ of \d+ bytes$/);
  }
});
