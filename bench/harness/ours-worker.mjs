// Module worker of the benchmark harness: ggufcheck's wasm module driven
// through its Session API (wasm/bindings.cpp), as web/src/worker/worker.js
// drives it, with the same File reader (FileReaderSync slices). One request
// at a time; each answers { ok: true, ...result } or { ok: false, error }.
//
//   { cmd: 'load', module_url, factory_options }
//                                   import the Emscripten module (single-thread
//                                   ggufcheck.mjs, or pthreads ggufcheck-mt.mjs
//                                   with { gcPoolSize: threads - 1 }: its pool
//                                   workers start with the module)
//   { cmd: 'open', file }           Session.open([reader of file]); model facts
//   { cmd: 'ppl', tokens, n_ctx, threads, activations }
//                                   one n_ctx chunk of `tokens` through
//                                   pplJson, timed around the call
//                                   (activations 'f32' or 'ggml')
//   { cmd: 'gemm', n_tok, n_in, n_out, min_time }
//                                   benchGemmJson (wasm/bench-bindings.cpp)
import { reader_from_blob } from '../../web/src/worker/file-reader.js';

let M = null;
let session = null;

// What the benchmark needs from the inspect report: vocabulary size and BOS
// id (for the token ids), parameters and the dominant type (by bytes).
function model_info(r) {
  const m = r.metadata ?? {};
  const census = Object.entries(r.type_census ?? {}).sort((a, b) => b[1].bytes - a[1].bytes);
  return { arch: r.architecture, params: r.n_params, type: census[0]?.[0] ?? null, file_type: r.file_type,
           n_vocab: m[`${r.architecture}.vocab_size`] ?? m['tokenizer.ggml.tokens']?.array_length ?? null,
           bos: m['tokenizer.ggml.bos_token_id'] ?? 1, usable: r.usable };
}

// The wasm memory's size: it only grows, so after a run it is the peak.
// (memoryBytes() where the binding has it: a shared memory's views may lag.)
const memory_bytes = () => (typeof M.memoryBytes === 'function' ? M.memoryBytes() : M.HEAP8.length);

async function handle(d) {
  switch (d.cmd) {
    case 'load': {
      const t0 = performance.now();
      const create = (await import(d.module_url)).default;
      M = await create(d.factory_options ?? {});
      return { load_ms: performance.now() - t0, isolated: self.crossOriginIsolated === true,
               hardware_concurrency: navigator.hardwareConcurrency };
    }
    case 'open': {
      session?.delete();
      session = new M.Session();
      if (!session.open([reader_from_blob(d.file)])) throw new Error(`open: ${session.error()}`);
      return { model: model_info(JSON.parse(session.inspectJson(-1))) };
    }
    case 'ppl': {
      // Token ids as a JSON array (core/tokenizer/token-ids.h text form).
      const input = { tokens: new TextEncoder().encode(JSON.stringify(d.tokens)), tokens_name: 'bench-tokens.json' };
      const t0 = performance.now();
      const json = session.pplJson(input, { n_ctx: d.n_ctx, chunks: 1, threads: d.threads, activations: d.activations ?? 'f32' }, null);
      const seconds = (performance.now() - t0) / 1000;
      if (json === '') throw new Error(`pplJson: ${session.error()}`);
      const r = JSON.parse(json);
      return { seconds, tokens_per_s: d.n_ctx / seconds, ppl: r.ppl ?? r.final?.ppl ?? null,
               threads_used: typeof session.threads === 'function' ? session.threads() : 1, heap_bytes: memory_bytes() };
    }
    case 'gemm': {
      const json = M.benchGemmJson(d.n_tok, d.n_in, d.n_out, d.min_time);
      if (json === '') throw new Error('benchGemmJson: bad shape');
      return { ...JSON.parse(json), heap_bytes: memory_bytes() };
    }
    default:
      throw new Error(`unknown command ${d.cmd}`);
  }
}

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ ok: true, ...(await handle(data)) });
  } catch (e) {
    self.postMessage({ ok: false, error: `${e?.message ?? e}` });
  }
};
