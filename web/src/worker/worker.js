// The module worker: owns the wasm module, the user's File objects and the
// open session. The UI talks to it only through ../protocol.js. Long runs
// (weight check, perplexity, value scan) block this worker until they end;
// the UI cancels them by terminating it.
import createGgufcheck from 'ggufcheck-wasm';   // build/wasm/ggufcheck.mjs (alias set by scripts/build-web.mjs)
import * as P from '../protocol.js';
import { reader_from_blob } from './file-reader.js';
import { diagnostics_reply } from './diagnostics.js';

let session = null;   // the open model (and its reference); later requests reuse it
let readers = [];     // every reader of the session (for read statistics)

// Threads: the threaded module (ggufcheck-mt.*, web workers sharing the wasm
// memory) needs SharedArrayBuffer, i.e. a cross-origin isolated page (COOP +
// COEP headers); elsewhere, and if it fails to load, the single-thread module
// bundled here. Either finds its .wasm next to itself (import.meta.url).
const hardware_threads = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 16));
let run_threads = 1;
let threads_note = hardware_threads === 1 ? 'this machine reports one core'
  : self.crossOriginIsolated ? '' : 'the page is not cross-origin isolated (served without COOP/COEP headers), so no shared memory';

async function load_module() {
  if (threads_note === '') {
    try {
      const { default: create_threaded } = await import(new URL('./ggufcheck-mt.mjs', import.meta.url).href);
      // One pool web worker per thread but the caller's, started with the module.
      const M = await create_threaded({ gcPoolSize: hardware_threads - 1 });
      run_threads = hardware_threads;
      return M;
    } catch (e) {
      threads_note = `the threaded module did not load: ${e?.message ?? e}`;
    }
  }
  return createGgufcheck();
}

const module_ready = load_module().then(
  (M) => { self.postMessage(P.msg_ready(run_threads, threads_note)); return M; },
  (e) => { self.postMessage(P.msg_failed(null, `could not load the wasm module: ${e?.message ?? e}`)); throw e; },
);
module_ready.catch(() => {});   // reported above; each later request fails with it too

// Progress messages at most every 100 ms (the last one always goes out with
// the result's own numbers).
function throttled(fn) {
  let last = 0;
  return (...args) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    fn(...args);
  };
}

function open(M, id, blobs, ref_blobs) {
  if (session) {
    session.delete();
    session = null;
  }
  readers = blobs.map((b) => reader_from_blob(b));
  const s = new M.Session();
  s.setThreads(run_threads);
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
  // The candidate's own header reading, before any reference is opened.
  const bytes_read = s.bytesFetched();
  const reads = readers.reduce((n, r) => n + r.reads, 0);
  let reference = null;
  if (ref_blobs.length > 0 && report.usable !== false) {
    const ref_readers = ref_blobs.map((b) => reader_from_blob(b));
    readers = readers.concat(ref_readers);
    const opened = s.openReference(ref_readers);
    reference = JSON.parse(s.referenceJson());
    if (!opened) reference.error = s.error();
  }
  session = s;
  const read_errors = readers.filter((r) => r.error).map((r) => r.error);
  const stats = {
    parse_ms: t1 - t0,
    report_ms: t2 - t1,
    bytes_read,
    reads,
    total_bytes: blobs.reduce((n, b) => n + b.size, 0),
    read_errors,
  };
  const files = blobs.map((b) => ({ name: b.name, size: b.size }));
  const ref_files = ref_blobs.map((b) => ({ name: b.name, size: b.size }));
  return P.msg_report(id, files, ref_files, report, reference, stats);
}

function need_session(id) {
  return session ? null : P.msg_failed(id, 'no model is open');
}

// Reads a whole small File (a text or token-id file) into bytes.
function read_bytes(file) {
  return new Uint8Array(new FileReaderSync().readAsArrayBuffer(file));
}

async function sample_text_bytes() {
  const res = await fetch(new URL(P.SAMPLE_TEXT.path, import.meta.url));
  if (!res.ok) throw new Error(`sample text: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function parse_or_fail(id, kind, json, t0) {
  if (json === '') return P.msg_failed(id, session.error());
  return P.msg_result(id, kind, JSON.parse(json), performance.now() - t0);
}

function run_compare(id, quick) {
  const t0 = performance.now();
  const progress = throttled((done, total, tensor) =>
    self.postMessage(P.msg_progress(id, 'compare', { done, total, tensor })));
  const json = session.compareJson(!!quick, (done, total, tensor) => { progress(done, total, tensor); return true; });
  return parse_or_fail(id, 'compare', json, t0);
}

async function run_ppl(id, { input, n_ctx, chunks, use_ref, activations }) {
  const t0 = performance.now();
  let arg;
  if (input.sample_text) arg = { text: await sample_text_bytes() };
  else if (input.as === 'tokens') arg = { tokens: read_bytes(input.file), tokens_name: input.file.name };
  else arg = { text: read_bytes(input.file) };
  // Every layer boundary is worth a message (a few per second at most on
  // real models; throttled for tiny ones).
  const progress = throttled((p) => self.postMessage(P.msg_progress(id, 'ppl', p)));
  const json = session.pplJson(arg, { n_ctx, chunks, use_ref: !!use_ref, threads: run_threads, activations: activations ?? 'f32' },
                               (p) => progress(p));
  const reply = parse_or_fail(id, 'ppl', json, t0);
  if (reply.data) reply.data.threads = session.threads();
  return reply;
}

function run_scan(id) {
  const t0 = performance.now();
  const progress = throttled((done, total, tensor) =>
    self.postMessage(P.msg_progress(id, 'scan', { done, total, tensor })));
  const json = session.valueScanJson((done, total, tensor) => { progress(done, total, tensor); return true; });
  return parse_or_fail(id, 'scan', json, t0);
}

async function tokenize(id, { input, max_lines }) {
  const t0 = performance.now();
  // Only the first lines matter: read at most 64 kB of the file.
  const bytes = input.sample_text ? await sample_text_bytes()
    : new Uint8Array(new FileReaderSync().readAsArrayBuffer(input.file.slice(0, 64 << 10)));
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n').slice(0, max_lines);
  const json = session.tokenizeJson(lines.join('\n'), false, false);
  if (json === '') return P.msg_failed(id, session.error());
  return P.msg_result(id, 'tokens', { lines, ...JSON.parse(json) }, performance.now() - t0);
}

async function handle(M, data) {
  const diag = diagnostics_reply(M, data);
  if (diag) return diag;
  switch (data.type) {
    case P.OPEN_FILES:
      return open(M, data.id, data.files, data.ref_files ?? []);
    case P.OPEN_SAMPLE: {
      // Same origin, allowed by the page's CSP (connect-src 'self').
      const res = await fetch(new URL(P.SAMPLE.path, import.meta.url));
      if (!res.ok) return P.msg_failed(data.id, `sample model: HTTP ${res.status}`);
      const file = new File([await res.blob()], P.SAMPLE.name);
      return open(M, data.id, [file], []);
    }
    case P.MAKE_REPORT: {
      const markdown = M.reportMarkdown(JSON.stringify(data.inputs));
      if (markdown === '') return P.msg_failed(data.id, 'could not build the report');
      return P.msg_result(data.id, 'report', { markdown }, 0);
    }
  }
  const missing = need_session(data.id);
  if (missing) return missing;
  switch (data.type) {
    case P.RUN_COMPARE:
      return run_compare(data.id, data.quick);
    case P.RUN_PPL:
      return run_ppl(data.id, data);
    case P.RUN_SCAN:
      return run_scan(data.id);
    case P.GET_HISTOGRAM: {
      const t0 = performance.now();
      return parse_or_fail(data.id, 'histogram', session.histogramJson(data.name, data.bins), t0);
    }
    case P.TOKENIZE:
      return tokenize(data.id, data);
    default:
      return P.msg_failed(data.id ?? null, `unknown message type ${data.type}`);
  }
}

self.onmessage = async ({ data }) => {
  let reply;
  try {
    reply = await handle(await module_ready, data);
  } catch (e) {
    reply = P.msg_failed(data?.id ?? null, `${e?.message ?? e}`);
  }
  self.postMessage(reply);
};
