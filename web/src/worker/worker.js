// The module worker: owns the wasm module, the user's File objects and the
// open session. The UI talks to it only through ../protocol.js.
import createGgufcheck from 'ggufcheck-wasm';   // build/wasm/ggufcheck.mjs (alias set by scripts/build-web.mjs)
import * as P from '../protocol.js';
import { reader_from_blob } from './file-reader.js';

let session = null;   // the open model; later requests (tensor data) reuse it

// The .wasm sits next to this bundle (dist/ggufcheck.wasm); the module finds
// it through import.meta.url.
const module_ready = createGgufcheck().then(
  (M) => { self.postMessage(P.msg_ready()); return M; },
  (e) => { self.postMessage(P.msg_failed(null, `could not load the wasm module: ${e?.message ?? e}`)); throw e; },
);
module_ready.catch(() => {});   // reported above; each later request fails with it too

function inspect(M, id, blobs) {
  if (session) {
    session.delete();
    session = null;
  }
  const readers = blobs.map((b) => reader_from_blob(b));
  const s = new M.Session();
  const t0 = performance.now();
  const ok = s.open(readers);
  const t1 = performance.now();
  if (!ok) {
    const message = s.error();
    s.delete();
    return P.msg_failed(id, message);
  }
  const json = s.inspectJson(-1);
  const report = JSON.parse(json);
  const t2 = performance.now();
  session = s;
  const read_errors = readers.filter((r) => r.error).map((r) => r.error);
  const stats = {
    parse_ms: t1 - t0,
    report_ms: t2 - t1,
    bytes_read: s.bytesFetched(),
    reads: readers.reduce((n, r) => n + r.reads, 0),
    total_bytes: readers.reduce((n, r) => n + r.size, 0),
    read_errors,
  };
  const files = blobs.map((b) => ({ name: b.name, size: b.size }));
  return P.msg_report(id, files, report, stats);
}

async function handle(data) {
  const M = await module_ready;
  switch (data.type) {
    case P.OPEN_FILES:
      return inspect(M, data.id, data.files);
    case P.OPEN_SAMPLE: {
      // Same origin, allowed by the page's CSP (connect-src 'self').
      const res = await fetch(new URL(P.SAMPLE.path, import.meta.url));
      if (!res.ok) return P.msg_failed(data.id, `sample model: HTTP ${res.status}`);
      const file = new File([await res.blob()], P.SAMPLE.name);
      return inspect(M, data.id, [file]);
    }
    default:
      return P.msg_failed(data.id ?? null, `unknown message type ${data.type}`);
  }
}

self.onmessage = async ({ data }) => {
  let reply;
  try {
    reply = await handle(data);
  } catch (e) {
    reply = P.msg_failed(data?.id ?? null, `${e?.message ?? e}`);
  }
  self.postMessage(reply);
};
