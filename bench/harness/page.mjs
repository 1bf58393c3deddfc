// The benchmark harness page (bench/browser.mjs drives it through
// Playwright): window.bench runs ggufcheck's wasm module in a module worker
// (ours-worker.mjs) and wllama (llama.cpp compiled to wasm, from bench/.deps)
// on the File picked in #model. Every call resolves to plain JSON.
const $ = (sel) => document.querySelector(sel);
const model_file = () => {
  const f = $('#model').files[0];
  if (!f) throw new Error('no model file picked');
  return f;
};

// --- ours -----------------------------------------------------------------
const ours_workers = new Map();   // name -> Worker

function call(w, msg) {
  return new Promise((resolve, reject) => {
    w.onmessage = ({ data }) => (data.ok ? resolve(data) : reject(new Error(data.error)));
    w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
    w.postMessage(msg);
  });
}

async function ours_start(name, module_url, factory_options) {
  const w = new Worker(new URL('./ours-worker.mjs', import.meta.url), { type: 'module', name });
  ours_workers.set(name, w);
  const info = await call(w, { cmd: 'load', module_url: new URL(module_url, location.href).href, factory_options });
  const { model } = await call(w, { cmd: 'open', file: model_file() });
  return { ...info, model };
}

const ours_ppl = (name, opts) => call(ours_workers.get(name), { cmd: 'ppl', ...opts });
const ours_gemm = (name, opts) => call(ours_workers.get(name), { cmd: 'gemm', ...opts });
function ours_stop(name) {
  ours_workers.get(name)?.terminate();
  ours_workers.delete(name);
}

// --- wllama ---------------------------------------------------------------
const WLLAMA = '../.deps/node_modules/@wllama/wllama/esm/';
const wllamas = new Map();   // name -> Wllama

// Loads the model with n_threads (1: wllama runs without pthreads; more:
// pthreads, which need crossOriginIsolated), CPU only (n_gpu_layers 0), one
// sequence, batch and micro-batch of n_batch so that a prompt of n_batch
// tokens is one llama_decode, as llama.cpp's perplexity and our chunk are.
async function wllama_load(name, { threads, n_ctx, n_batch }) {
  const { Wllama } = await import(WLLAMA + 'index.js');
  // ?verbose: llama.cpp's own log on the console.
  const verbose = new URLSearchParams(location.search).has('verbose');
  const logger = { debug: verbose ? (...a) => console.warn('[wllama]', ...a) : () => {}, log: verbose ? (...a) => console.warn('[wllama]', ...a) : () => {},
                   warn: (...a) => console.warn('[wllama]', ...a), error: (...a) => console.error('[wllama]', ...a) };
  const w = new Wllama({ default: new URL(WLLAMA + 'wasm/wllama.wasm', import.meta.url).href },
                       { logger, suppressNativeLog: !verbose });
  const t0 = performance.now();
  await w.loadModel([model_file()], { n_threads: threads, n_ctx, n_batch, n_ubatch: n_batch, n_parallel: 1,
                                      n_gpu_layers: 0 });
  wllamas.set(name, w);
  return { load_ms: performance.now() - t0, multi_thread: w.isMultithread?.() ?? null, threads: w.getNumThreads?.() ?? null,
           isolated: self.crossOriginIsolated === true };
}

// Prompt processing of n_tokens without the cache of an earlier request
// (cache_prompt false), then one sampled token, which the timing leaves out:
// timings.prompt_ms is llama.cpp's own measure of the prompt's decode
// (llama-server's t_prompt_processing). wllama 3's completion takes text
// only (its C++ side reads "prompt" as a string), so the prompt is text that
// the generated models' vocabulary (tools/gen-bench-model.mjs: byte tokens and
// "▁tNNNNN" pieces, no shorter merges) tokenizes to exactly one byte token
// per letter: BOS, the 3 byte tokens of the SPM space prefix "▁", then the
// letters. The ids differ from ours' random ids; the cost does not (ids only
// pick embedding rows). prompt_n is checked.
async function wllama_pp(name, { n_tokens }) {
  const w = wllamas.get(name);
  let s = 1, text = '';
  for (let i = 0; i < n_tokens - 4; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    text += String.fromCharCode(97 + ((s >>> 8) % 26));
  }
  const t0 = performance.now();
  const r = await w.createCompletion({ prompt: text, max_tokens: 1, temperature: 0, cache_prompt: false });
  const wall_s = (performance.now() - t0) / 1000;
  const t = r.timings ?? {};
  if (t.prompt_n !== n_tokens) throw new Error(`wllama evaluated ${t.prompt_n} prompt tokens, not ${n_tokens}`);
  return { seconds: t.prompt_ms / 1000, tokens_per_s: t.prompt_per_second, prompt_n: t.prompt_n, wall_s };
}

async function wllama_exit(name) {
  await wllamas.get(name)?.exit();
  wllamas.delete(name);
}

window.bench = { ours_start, ours_ppl, ours_gemm, ours_stop, wllama_load, wllama_pp, wllama_exit,
                 isolated: () => self.crossOriginIsolated === true, cores: () => navigator.hardwareConcurrency };
