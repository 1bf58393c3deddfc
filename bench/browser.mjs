#!/usr/bin/env node
// Benchmark (not a test): prompt processing in Chromium, ggufcheck's wasm
// build against wllama (llama.cpp compiled to wasm) on the same model file,
// 1 thread and N threads, plus ggufcheck's wasm GEMM against the SIMD128 peak.
//
//   node bench/browser.mjs --model M.gguf --st URL [--mt URL] [-t N] [--reps R]
//                          [--gemm-min-time S] [--no-wllama] [--port P]
//
// --st / --mt: paths, relative to the repository root, of the single-thread
// Emscripten module (ggufcheck.mjs) and of the pthreads one (ggufcheck-mt.mjs);
// without --mt the N-thread figure of ours is null, with the reason.
//
// What is timed:
//   ours     one pplJson call over one chunk of n_ctx = 512 ids (the
//            Session API of wasm/bindings.cpp, in a module worker, reading the
//            File with FileReaderSync): embeddings, every layer, the head for
//            the scored half. Streaming: the weights are read from the File
//            during the call, so the read is part of the time.
//   wllama   llama.cpp's own prompt time (timings.prompt_ms) for the same 512
//            ids in one batch (n_batch = n_ubatch = 512), after loadModel,
//            which reads the whole file into wasm memory and is not timed.
// Same ids for both (bench/bench-tokens.mjs). Each engine runs alone: the
// other's worker is closed first. The 1-minute load average is recorded
// before every measurement (the machine may be shared).
//
// The page is bench/harness/ served from the repository root by a small
// server with COOP/COEP (cross-origin isolated, as the pthreads builds need).
// Prints a summary and, last, one line `BENCH_RESULT {json}` for bench/run.mjs.
// BENCH_VERBOSE=1 shows llama.cpp's own log (wllama's) on stderr.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { bench_tokens } from './bench-tokens.mjs';
import { deps_ensure, WLLAMA } from './deps.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? (args.splice(i, 1), true) : false; };
const model = opt('--model', null);
const st = opt('--st', null);
const mt = opt('--mt', null);
const reps = Number(opt('--reps', '1'));
const gemm_min_time = Number(opt('--gemm-min-time', '2'));
const port = Number(opt('--port', '8197'));
const no_wllama = flag('--no-wllama');
let threads = opt('-t', null);
const n_ctx = 512;
if (!model || !st || args.length) {
  console.error('usage: node bench/browser.mjs --model M.gguf --st URL [--mt URL] [-t N] [--reps R] [--gemm-min-time S] [--no-wllama] [--port P]');
  process.exit(1);
}
for (const m of [st, mt]) if (m && !existsSync(join(root, m))) { console.error(`missing ${join(root, m)}`); process.exit(1); }

// --- a static server of the repository root, cross-origin isolated --------
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
                '.wasm': 'application/wasm', '.json': 'application/json' };
const server = createServer((req, res) => {
  let file = '', st_ = null;
  try {
    file = resolve(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    st_ = statSync(file);
  } catch {}
  if (!file.startsWith(root + sep) || !st_?.isFile()) { res.writeHead(404); return res.end('not found'); }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': st_.size,
                       'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
                       'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-cache' });
  createReadStream(file).pipe(res);
});
await new Promise((ok, fail) => server.listen(port, '127.0.0.1', ok).on('error', fail));

const wllama_why = no_wllama ? 'skipped (--no-wllama)' : deps_ensure();
const browser = await chromium.launch({
  executablePath: process.env.GC_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const out = { engine_wllama: `@wllama/wllama ${WLLAMA}`, chromium: browser.version(), n_ctx, reps, notes: [] };
const log = (s) => console.log(s);
const load1 = () => Number(loadavg()[0].toFixed(2));
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`[page] ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/bench/harness/index.html${process.env.BENCH_VERBOSE ? '?verbose' : ''}`);
  await page.waitForFunction(() => window.bench);
  await page.setInputFiles('#model', resolve(model));
  out.isolated = await page.evaluate(() => window.bench.isolated());
  out.cores = await page.evaluate(() => window.bench.cores());
  threads = Number(threads ?? out.cores);
  out.threads_nt = threads;
  log(`Chromium ${browser.version()}, crossOriginIsolated ${out.isolated}, hardwareConcurrency ${out.cores}; N = ${threads}`);

  // Best of `reps` runs of fn (each returns { seconds, tokens_per_s, ... });
  // the load average before each run is kept.
  const best_of = async (label, fn) => {
    let best = null;
    const runs = [];
    for (let r = 0; r < reps; ++r) {
      const load = load1();
      const x = await fn();
      runs.push({ seconds: x.seconds, load_avg_1min_before: load });
      log(`  ${label}: ${x.seconds.toFixed(2)} s = ${x.tokens_per_s.toFixed(2)} tokens/s  (load ${load} before)`);
      if (!best || x.seconds < best.seconds) best = x;
    }
    return { ...best, runs };
  };
  // Ours in both arithmetics (forward/forward.h): exact f32, then llama.cpp's
  // 8-bit activations ('ggml'), on the same module and chunk.
  const ours_run = async (name, url, t, factory_options) => {
    const info = await page.evaluate(([n, u, o]) => window.bench.ours_start(n, u, o), [name, '/' + url, factory_options]);
    out.model ??= info.model;
    const tokens = bench_tokens(n_ctx, info.model.n_vocab, info.model.bos);
    const by_mode = {};
    for (const activations of ['f32', 'ggml']) {
      const r = await best_of(`ours ${name} ${t}t ${activations}`, () =>
        page.evaluate(([n, o]) => window.bench.ours_ppl(n, o), [name, { tokens, n_ctx, threads: t, activations }]));
      if (r.threads_used !== t) out.notes.push(`ours ${name}: asked for ${t} threads, the run used ${r.threads_used}`);
      by_mode[activations] = { ...r, module: url, load_ms: info.load_ms, activations };
    }
    return by_mode;
  };
  const wllama_run = async (name, t) => {
    if (wllama_why) return { error: wllama_why };
    // n_ctx above the prompt: llama-server wants room for the sampled token.
    const info = await page.evaluate(([n, o]) => window.bench.wllama_load(n, o), [name, { threads: t, n_ctx: 2 * n_ctx, n_batch: n_ctx }]);
    log(`  wllama ${t}t loaded in ${(info.load_ms / 1000).toFixed(1)} s (multi-thread ${info.multi_thread}, threads ${info.threads})`);
    try {
      const r = await best_of(`wllama ${t}t`, () => page.evaluate(([n, o]) => window.bench.wllama_pp(n, o), [name, { n_tokens: n_ctx }]));
      return { ...r, load_ms: info.load_ms, multi_thread: info.multi_thread, threads: info.threads };
    } finally {
      await page.evaluate((n) => window.bench.wllama_exit(n), name);
    }
  };

  // 1 thread: ours (single-thread build), then wllama without pthreads.
  log('1 thread:');
  ({ f32: out.ours_1t, ggml: out.ours_ggml_1t } = await ours_run('st', st, 1));
  log(`  ours wasm memory after the chunk: ${(out.ours_1t.heap_bytes / 2 ** 20).toFixed(0)} MiB`);
  // GEMM vs SIMD peak, one thread, same module (the forward's shapes: 512
  // tokens x 2048 x 2048).
  const gemm_load = load1();
  const gemm = await page.evaluate((o) => window.bench.ours_gemm('st', o),
    { n_tok: 512, n_in: 2048, n_out: 2048, min_time: gemm_min_time });
  out.gemm = { ...gemm, load_avg_1min_before: gemm_load };
  log(`  ours gemm ${gemm.ours_1t.toFixed(1)} GFLOP/s, ${gemm.peak_isa} peak ${gemm.simd_peak_1t.toFixed(1)} GFLOP/s (${(100 * gemm.ratio_1t).toFixed(0)} %)`);
  await page.evaluate(() => window.bench.ours_stop('st'));
  out.wllama_1t = await wllama_run('w1', 1);

  // N threads: ours (pthreads build), then wllama with pthreads.
  log(`${threads} threads:`);
  if (!out.isolated) out.notes.push('page not cross-origin isolated: no N-thread runs');
  if (mt && out.isolated) {
    // The pthreads build starts its pool's web workers with the module: one
    // per thread but the caller's (as web/src/worker/worker.js does).
    ({ f32: out.ours_nt, ggml: out.ours_ggml_nt } = await ours_run('mt', mt, threads, { gcPoolSize: threads - 1 }));
    // Same chunk, same numbers expected (the thread split is exact).
    log(`  ours ppl of the chunk: ${out.ours_1t.ppl} (1 thread), ${out.ours_nt.ppl} (${threads} threads)`);
    if (out.ours_nt.ppl !== out.ours_1t.ppl) out.notes.push(`ours: PPL differs between 1 and ${threads} threads`);
    if (out.ours_ggml_nt.ppl !== out.ours_ggml_1t.ppl) out.notes.push(`ours ggml: PPL differs between 1 and ${threads} threads`);
    await page.evaluate(() => window.bench.ours_stop('mt'));
  } else {
    out.ours_nt = { error: mt ? 'not cross-origin isolated' : 'no pthreads build of ggufcheck given (--mt; scripts/build.sh wasm makes wasm-mt/ggufcheck-mt.mjs)' };
    out.ours_ggml_nt = out.ours_nt;
    log(`  ours: ${out.ours_nt.error}`);
  }
  out.wllama_nt = out.isolated ? await wllama_run('wn', threads) : { error: 'not cross-origin isolated' };
} finally {
  await browser.close();
  server.close();
}
console.log(`BENCH_RESULT ${JSON.stringify(out)}`);
