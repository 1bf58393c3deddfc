// Shared by the node tests of the wasm module: loading it, and a byte-source
// reader backed by fs.readSync (the browser worker uses FileReaderSync over
// File slices instead; the binding sees the same reader contract, see
// wasm/js-source.h).
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BUILD = resolve(REPO, process.env.GC_BUILD_DIR ?? 'build');
export const FIXTURES = resolve(REPO, 'tests/fixtures');
export const CLI = process.env.GC_CLI ?? resolve(BUILD, 'native/ggufcheck');

// The native CLI's --json output for args. compare exits 3 on damage and
// dequant --stats 2 on NaN; the JSON is on stdout either way.
export function cli_json(args) {
  try {
    return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 64 << 20 }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

// The ES module built with -sENVIRONMENT=web,worker also runs under node when
// handed the wasm bytes (no fetch of a file:// URL).
export async function load_module() {
  const { default: createGgufcheck } = await import(resolve(BUILD, 'wasm/ggufcheck.mjs'));
  return createGgufcheck({ wasmBinary: readFileSync(resolve(BUILD, 'wasm/ggufcheck.wasm')) });
}

// A reader over a file on disk. `calls` counts read() calls, `fail_after`
// (bytes) makes reads past that offset fail like an unreadable File would.
export function fs_reader(path, { name = basename(path), fail_after = Infinity } = {}) {
  const fd = openSync(path, 'r');
  const reader = {
    name,
    size: fstatSync(fd).size,
    calls: 0,
    read(offset, dst) {
      reader.calls++;
      if (offset + dst.length > fail_after) return false;
      let done = 0;
      while (done < dst.length) {
        const n = readSync(fd, dst, done, dst.length - done, offset + done);
        if (n <= 0) return false;
        done += n;
      }
      return true;
    },
    close() { closeSync(fd); },
  };
  return reader;
}

// A reader over bytes in memory (crafted files).
export function buffer_reader(bytes, name = 'buffer.gguf') {
  return {
    name,
    size: bytes.length,
    read(offset, dst) {
      if (offset + dst.length > bytes.length) return false;
      dst.set(bytes.subarray(offset, offset + dst.length));
      return true;
    },
  };
}

// Opens readers in a fresh session and returns { report, bytes, session }.
export function inspect(M, readers) {
  const session = new M.Session();
  const ok = session.open(readers);
  if (!ok) {
    const error = session.error();
    session.delete();
    throw new Error(`open failed: ${error}`);
  }
  const report = JSON.parse(session.inspectJson(-1));
  const bytes = session.bytesFetched();
  session.delete();
  return { report, bytes };
}
