#!/usr/bin/env node
// `npm run bench`: ggufcheck against llama.cpp natively and against wllama
// (llama.cpp in wasm) in Chromium, on one generated model, in one run; prints
// a table with the ratios and merges everything into bench/results.json.
// A benchmark, not a test: nothing asserts a time, and CI does not run it.
//
//   npm run bench [-- --quick] [--model M.gguf] [--build-dir DIR] [--cli PATH] [--reps R] [--skip native,browser,scan]
//
//   --quick      the tiny preset (17 M params) instead of the 1.1 B Q4_K model:
//                checks that every part runs, in about a minute; writes
//                bench/tmp/results-quick.json, not bench/results.json
//   --model      an existing GGUF instead of the generated one
//   --build-dir  the build root holding wasm/ (and wasm-mt/, the pthreads
//                build) and native/ (default: $GC_BUILD_DIR or build)
//   --cli        the native ggufcheck to use instead of DIR/native/ggufcheck
//   --reps       runs per measurement, best kept (default 1: a 1-thread wasm
//                run of the 1.1 B model takes minutes)
//   --skip       parts to leave out; their old values stay in results.json,
//                marked with the date they were measured
//
// Parts (each a script that runs on its own too and ends with one line
// `BENCH_RESULT {json}`):
//   native   bench/native.mjs: `ggufcheck bench forward|gemm`, llama.cpp
//            through node-llama-cpp (bench/llamacpp-pp.mjs)
//   browser  bench/browser.mjs: ours (wasm, Session.pplJson) and wllama in
//            Chromium, 1 and N threads; the wasm GEMM vs the SIMD128 peak
//   scan     bench/scan-chromium.mjs: the page's full weight check of the
//            model against itself vs a raw File read; the wasm memory
// Engines compared with each other run back to back (ours, then the other),
// each alone; the 1-minute load average before each measurement is kept.
//
// What it makes when missing (and says so): bench/.deps (npm, pinned:
// bench/deps.mjs), the model in bench/models/ (tools/gen-bench-model.mjs),
// the native CLI and the single-thread wasm build (scripts/build.sh: minutes),
// and always the page in build/bench/dist (esbuild, seconds) from the wasm
// build, so the page measured is the build measured. The pthreads build is
// never built here: without it ours_wasm_nt stays null, with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deps_ensure } from './deps.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(root);
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? (args.splice(i, 1), true) : false; };
const quick = flag('--quick');
const model_arg = opt('--model', null);
const build_dir = opt('--build-dir', process.env.GC_BUILD_DIR ?? 'build');
const cli_arg = opt('--cli', null);
const reps = Number(opt('--reps', '1'));
const skip = new Set((opt('--skip', '') || '').split(',').filter(Boolean));
if (args.length) {
  console.error(`unknown arguments: ${args.join(' ')}\nusage: npm run bench [-- --quick] [--model M] [--build-dir DIR] [--cli PATH] [--reps R] [--skip native,browser,scan]`);
  process.exit(1);
}
const say = (s) => console.log(`[bench] ${s}`);
const cores = cpus().length;
const now = new Date().toISOString();

// --- prerequisites ---------------------------------------------------------
const deps_why = deps_ensure((s) => say(s));
if (deps_why) say(`engines to compare with are missing: ${deps_why}`);

// The model: generated once into bench/models/ (gitignored).
const preset = quick ? 'tiny' : '1b';
const model = resolve(model_arg ?? `bench/models/bench-${preset}-q4_k.gguf`);
if (!existsSync(model)) {
  if (model_arg) { console.error(`no such model: ${model}`); process.exit(1); }
  mkdirSync('bench/models', { recursive: true });
  say(`generating ${relative(root, model)} (node tools/gen-bench-model.mjs --type q4_k --preset ${preset}; random weights)`);
  execFileSync(process.execPath, ['tools/gen-bench-model.mjs', model, '--type', 'q4_k', '--preset', preset], { stdio: 'inherit' });
}
// The weight check needs a reference: the model itself, hard-linked (every
// row is read and compared all the same).
const ref = model.replace(/\.gguf$/, '') + '.ref.gguf';
if (!existsSync(ref)) {
  try { linkSync(model, ref); } catch { execFileSync('cp', [model, ref]); }
}

// Builds: present ones are used as they are (a warning when older than the
// last commit to the sources); missing ones are built, loudly.
const last_commit_s = Number(execFileSync('git', ['log', '-1', '--format=%ct', '--', 'core', 'wasm', 'cli', 'CMakeLists.txt'],
                                          { encoding: 'utf8' }).trim() || 0);
const check_fresh = (file) => {
  if (statSync(file).mtimeMs / 1000 < last_commit_s) {
    say(`warning: ${file} is older than the last commit to core/, wasm/ or cli/: it may not be what HEAD measures`);
  }
};
const cli = cli_arg ?? join(build_dir, 'native', 'ggufcheck');
const st_build = join(build_dir, 'wasm', 'ggufcheck.mjs');
const mt_build = join(build_dir, 'wasm-mt', 'ggufcheck-mt.mjs');
const build = (step) => {
  say(`building ${step} into ${build_dir} (missing; scripts/build.sh ${step}: this takes minutes)`);
  execFileSync('scripts/build.sh', [step], { stdio: 'inherit', env: { ...process.env, GC_BUILD_DIR: build_dir } });
};
if (!skip.has('native') && !existsSync(cli)) {
  if (cli_arg) { console.error(`no such CLI: ${cli}`); process.exit(1); }
  build('native');
}
if ((!skip.has('browser') || !skip.has('scan')) && !existsSync(st_build)) build('wasm');
for (const f of [cli, st_build.replace(/\.mjs$/, '.wasm'), mt_build.replace(/\.mjs$/, '.wasm')]) if (existsSync(f)) check_fresh(f);
const dist = 'build/bench/dist';
if (!skip.has('browser') || !skip.has('scan')) {
  say(`page: GC_BUILD_DIR=${build_dir} GC_DIST=${dist} node scripts/build-web.mjs`);
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit',
    env: { ...process.env, GC_BUILD_DIR: build_dir, GC_DIST: dist } });
}
// The modules the harness loads, from the page build: the pthreads one is
// there already (ggufcheck-mt.*, with the page's ggufcheck.wasm); the
// single-thread glue is bundled into worker.js, so its .mjs is put next to
// the page's ggufcheck.wasm (the same build). Both are then served from the
// repository root, wherever the build dir is.
let st_module = null, mt_module = null;
if (!skip.has('browser')) {
  copyFileSync(st_build, join(dist, 'ggufcheck.mjs'));
  st_module = join(dist, 'ggufcheck.mjs');
  if (existsSync(join(dist, 'ggufcheck-mt.mjs'))) mt_module = join(dist, 'ggufcheck-mt.mjs');
  else say(`no pthreads build in ${join(build_dir, 'wasm-mt')}: ours_wasm_nt stays null (scripts/build.sh wasm builds it)`);
}

// --- the parts ---------------------------------------------------------------
// Runs `node script args`, echoing its output; returns its BENCH_RESULT object
// (or { error }) and the command line, as printed in the table.
function part(script, part_args) {
  const command = `node ${script} ${part_args.join(' ')}`;
  say(`$ ${command}`);
  const r = spawnSync(process.execPath, [script, ...part_args], { encoding: 'utf8', maxBuffer: 1 << 26,
                                                                  stdio: ['ignore', 'pipe', 'inherit'] });
  let result = null;
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length));
    else if (line) console.log(`  ${line}`);
  }
  if (r.status !== 0 || !result) return { command, error: `${script} exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}` };
  return { command, ...result };
}

const rel = (p) => relative(root, p);
const parts = {};
if (!skip.has('native')) {
  parts.native = part('bench/native.mjs', ['--model', rel(model), '--cli', cli, '-t', String(cores), '--reps', String(reps)]);
}
if (!skip.has('browser')) {
  parts.browser = part('bench/browser.mjs', ['--model', rel(model), '--st', st_module, ...(mt_module ? ['--mt', mt_module] : []),
    '-t', String(cores), '--reps', String(reps), '--gemm-min-time', quick ? '0.5' : '2']);
}
if (!skip.has('scan')) {
  parts.scan = part('bench/scan-chromium.mjs', [rel(model), rel(ref), '--dist', dist]);
}

// --- merge into bench/results.json -------------------------------------------
// Every figure is a leaf `group.name` (or a top-level name) with an entry in
// `measured`: date, command, load average before each run, seconds of each
// run. A figure this run did not measure keeps its value and its own date; one
// never measured is null, with the reason in `missing`.
// --quick writes its own file (bench/tmp/, gitignored). Figures of another
// model are not kept.
const path = quick ? 'bench/tmp/results-quick.json' : 'bench/results.json';
mkdirSync('bench/tmp', { recursive: true });
let res = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
if (res.model?.file && res.model.file !== basename(model)) {
  say(`${path} held figures of ${res.model.file}: starting it afresh for ${basename(model)}`);
  res = {};
}
res.measured ??= {};
res.missing = {};
// Earlier files dated everything at once (date; scan_date for the scan's
// figures): give those figures that date.
for (const [group, names] of Object.entries(res)) {
  if (!['forward_tps', 'forward_gflops', 'gemm_gflops', 'memory_mb'].includes(group)) continue;
  for (const [name, v] of Object.entries(names)) {
    if (typeof v === 'number') res.measured[`${group}.${name}`] ??= { date: res.date ?? null };
  }
}
for (const k of ['scan_mbps', 'raw_read_mbps', 'peak_wasm_mb']) {
  if (typeof res[k] === 'number') res.measured[k] ??= { date: res.scan_date ?? res.date ?? null };
}
const set = (key, value, how, why) => {
  const [group, name] = key.includes('.') ? key.split('.') : [null, key];
  const obj = group ? (res[group] ??= {}) : res;
  if (value === null || value === undefined || Number.isNaN(value)) {
    if (obj[name] === undefined || obj[name] === null) {
      obj[name] = null;
      delete res.measured[key];
      res.missing[key] = why ?? 'not measured';
    } else {
      res.missing[key] = `not measured in this run (${why ?? 'skipped'}); value of ${res.measured[key].date}`;
    }
    return;
  }
  obj[name] = value;
  res.measured[key] = { date: now, ...how };
};
const runs_of = (x) => ({ load_avg_1min_before: (x?.runs ?? []).map((r) => r.load_avg_1min_before),
                          seconds: (x?.runs ?? []).map((r) => Number(r.seconds.toFixed(3))) });

const N = parts.native, B = parts.browser, S = parts.scan;
if (N) {
  const c = N.command;
  set('forward_tps.ours_native_1t', N.ours_1t?.tokens_per_s, { command: c, ...runs_of(N.ours_1t) }, N.error);
  set('forward_tps.ours_native_nt', N.ours_nt?.tokens_per_s, { command: c, threads: N.threads_nt, ...runs_of(N.ours_nt) }, N.error);
  set('forward_tps.ours_native_ggml_1t', N.ours_ggml_1t?.tokens_per_s, { command: c, activations: 'ggml', ...runs_of(N.ours_ggml_1t) }, N.error);
  set('forward_tps.ours_native_ggml_nt', N.ours_ggml_nt?.tokens_per_s,
      { command: c, activations: 'ggml', threads: N.threads_nt, ...runs_of(N.ours_ggml_nt) }, N.error);
  set('forward_tps.llamacpp_native_1t', N.llamacpp_1t?.tokens_per_s,
      { command: c, engine: N.llamacpp_1t?.engine, load_avg_1min_before: [N.llamacpp_1t?.load_avg_1min_before], seconds: N.llamacpp_1t?.all_seconds },
      N.error ?? N.llamacpp_1t?.error);
  set('forward_tps.llamacpp_native_nt', N.llamacpp_nt?.tokens_per_s,
      { command: c, engine: N.llamacpp_nt?.engine, threads: N.threads_nt, load_avg_1min_before: [N.llamacpp_nt?.load_avg_1min_before], seconds: N.llamacpp_nt?.all_seconds },
      N.error ?? N.llamacpp_nt?.error);
  set('forward_gflops.ours_native_1t', N.ours_1t?.gflops, { command: c }, N.error);
  set('forward_gflops.ours_native_nt', N.ours_nt?.gflops, { command: c }, N.error);
  const g = { command: `${cli} bench gemm -t ${N.threads_nt} --json`, load_avg_1min_before: [N.gemm?.load_avg_1min_before] };
  set('gemm_gflops.ours_native_1t', N.gemm?.ours_1t, g, N.error);
  set('gemm_gflops.simd_peak_native_1t', N.gemm?.simd_peak_1t, g, N.error);
  set('gemm_gflops.ours_native_nt', N.gemm?.ours_nt, g, N.error);
  set('gemm_gflops.simd_peak_native_nt', N.gemm?.simd_peak_nt, g, N.error);
}
if (B) {
  const c = B.command;
  const wl = (x) => ({ command: c, engine: B.engine_wllama, threads: x?.threads, multi_thread: x?.multi_thread,
                       load_s: x?.load_ms ? Number((x.load_ms / 1000).toFixed(1)) : undefined, ...runs_of(x) });
  set('forward_tps.ours_wasm_1t', B.ours_1t?.tokens_per_s, { command: c, module: B.ours_1t?.module, ...runs_of(B.ours_1t) },
      B.error ?? B.ours_1t?.error);
  set('forward_tps.ours_wasm_nt', B.ours_nt?.tokens_per_s,
      { command: c, module: B.ours_nt?.module, threads: B.threads_nt, threads_used: B.ours_nt?.threads_used, ...runs_of(B.ours_nt) },
      B.error ?? B.ours_nt?.error);
  set('forward_tps.ours_wasm_ggml_1t', B.ours_ggml_1t?.tokens_per_s,
      { command: c, activations: 'ggml', module: B.ours_ggml_1t?.module, ...runs_of(B.ours_ggml_1t) }, B.error ?? B.ours_ggml_1t?.error);
  set('forward_tps.ours_wasm_ggml_nt', B.ours_ggml_nt?.tokens_per_s,
      { command: c, activations: 'ggml', module: B.ours_ggml_nt?.module, threads: B.threads_nt, ...runs_of(B.ours_ggml_nt) },
      B.error ?? B.ours_ggml_nt?.error);
  set('forward_tps.wllama_1t', B.wllama_1t?.tokens_per_s, wl(B.wllama_1t), B.error ?? B.wllama_1t?.error);
  set('forward_tps.wllama_nt', B.wllama_nt?.tokens_per_s, wl(B.wllama_nt), B.error ?? B.wllama_nt?.error);
  const g = { command: c, shape: B.gemm?.shape, isa: B.gemm?.peak_isa, load_avg_1min_before: [B.gemm?.load_avg_1min_before] };
  set('gemm_gflops.ours_wasm_1t', B.gemm?.ours_1t, g, B.error);
  set('gemm_gflops.simd_peak_wasm_1t', B.gemm?.simd_peak_1t, g, B.error);
  set('memory_mb.ours_wasm_forward_1t', B.ours_1t?.heap_bytes ? B.ours_1t.heap_bytes / 2 ** 20 : null, { command: c }, B.error);
  set('memory_mb.ours_wasm_forward_nt', B.ours_nt?.heap_bytes ? B.ours_nt.heap_bytes / 2 ** 20 : null, { command: c },
      B.error ?? B.ours_nt?.error);
}
if (S) {
  const how = { command: S.command, load_avg_1min_before: [S.load_avg_1min_before], files: S.files, verdict: S.verdict };
  // cpu_s: the machine's busy CPU-seconds during the best run (every
  // process: the browser's file reading counts as much as our compute).
  set('scan_mbps', S.scan_mbps, { ...how, seconds: [S.scan_s], cpu_s: S.scan_cpu_s, cores: S.cores }, S.error);
  set('raw_read_mbps', S.raw_read_mbps, { ...how, seconds: [S.raw_s], cpu_s: S.raw_read_cpu_s, cores: S.cores }, S.error);
  set('memory_mb.ours_wasm_scan', S.peak_wasm_mb, how, S.error);
}
// peak_wasm_mb: the most wasm memory ours used in any of its runs (wasm
// memory only grows, so its size after a run is that run's peak).
const mem = res.memory_mb ?? {};
const peaks = Object.entries(mem).filter(([, v]) => typeof v === 'number');
if (peaks.length && (B || S)) {
  const [k, v] = peaks.reduce((a, b) => (b[1] > a[1] ? b : a));
  set('peak_wasm_mb', v, { from: `memory_mb.${k}`, command: res.measured[`memory_mb.${k}`]?.command });
}

const tps = res.forward_tps ?? {};
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
res.ratios = {
  ours_wasm_over_wllama_1t: ratio(tps.ours_wasm_1t, tps.wllama_1t),
  ours_wasm_over_wllama_nt: ratio(tps.ours_wasm_nt, tps.wllama_nt),
  ours_native_over_llamacpp_native_1t: ratio(tps.ours_native_1t, tps.llamacpp_native_1t),
  ours_native_over_llamacpp_native_nt: ratio(tps.ours_native_nt, tps.llamacpp_native_nt),
  ours_wasm_over_llamacpp_native_1t: ratio(tps.ours_wasm_1t, tps.llamacpp_native_1t),
  ours_wasm_ggml_over_wllama_1t: ratio(tps.ours_wasm_ggml_1t, tps.wllama_1t),
  ours_wasm_ggml_over_wllama_nt: ratio(tps.ours_wasm_ggml_nt, tps.wllama_nt),
  ours_native_ggml_over_llamacpp_native_1t: ratio(tps.ours_native_ggml_1t, tps.llamacpp_native_1t),
  ours_native_ggml_over_llamacpp_native_nt: ratio(tps.ours_native_ggml_nt, tps.llamacpp_native_nt),
  gemm_over_peak_wasm_1t: ratio(res.gemm_gflops?.ours_wasm_1t, res.gemm_gflops?.simd_peak_wasm_1t),
  gemm_over_peak_native_1t: ratio(res.gemm_gflops?.ours_native_1t, res.gemm_gflops?.simd_peak_native_1t),
  scan_over_raw_read: ratio(res.scan_mbps, res.raw_read_mbps),
};
res.targets = { ours_wasm_over_wllama: 2, ours_over_llamacpp_native: 0.5, scan_over_raw_read: 0.8 };
const info = B?.model ?? (N?.ours_1t?.model ? { params: N.ours_1t.model.params, type: N.ours_1t.model.type, arch: N.ours_1t.model.arch } : null);
if (info) {
  res.model = { file: basename(model), bytes: statSync(model).size, params: info.params, type: info.type, arch: info.arch,
                generator: model_arg ? 'given with --model' : `node tools/gen-bench-model.mjs --type q4_k --preset ${preset} (random weights)` };
}
res.date = now;
// What was measured: HEAD and the builds' times (a build older than HEAD's
// sources measures older code; see the warnings above the table).
const built = (f) => (existsSync(f) ? { path: f, built: statSync(f).mtime.toISOString() } : null);
res.builds = { repo_head_at_run: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
               native: built(cli), wasm: built(st_build.replace(/\.mjs$/, '.wasm')),
               wasm_mt: built(mt_build.replace(/\.mjs$/, '.wasm')), page: dist };
res.machine = { cores, cpu: cpus()[0]?.model ?? '', chromium: B?.chromium ?? res.machine?.chromium ?? null };
for (const k of ['native', 'scan_files', 'scan_date']) delete res[k];   // the old layout's; now in `measured`
if (Object.keys(res.missing).length === 0) delete res.missing;
const order = ['forward_tps', 'gemm_gflops', 'ratios', 'targets', 'scan_mbps', 'raw_read_mbps', 'peak_wasm_mb', 'memory_mb',
               'forward_gflops', 'model', 'date', 'builds', 'machine', 'missing', 'measured'];
const sorted = Object.fromEntries([...order.filter((k) => k in res).map((k) => [k, res[k]]),
                                   ...Object.entries(res).filter(([k]) => !order.includes(k))]);
writeFileSync(path, JSON.stringify(sorted, null, 1) + '\n');

// --- the table -----------------------------------------------------------------
// Each figure names the command that produced it: [n] refers to the list
// printed below the table.
const fmt = (v, d = 2) => (typeof v === 'number' ? v.toFixed(d) : 'n/a');
const commands = [];
const cmd_ref = (c) => {
  if (!c) return '   ';
  if (!commands.includes(c)) commands.push(c);
  return `[${commands.indexOf(c) + 1}]`;
};
const row = (key, unit, d = 2) => {
  const [g, n] = key.includes('.') ? key.split('.') : [null, key];
  const v = g ? res[g]?.[n] : res[n];
  const m = res.measured[key] ?? {};
  const stale = v != null && m.date && m.date !== now ? `  stale: measured ${m.date}` : '';
  const load = (m.load_avg_1min_before ?? []).filter((x) => x != null).join('/');
  const why = v == null ? `  (${res.missing?.[key] ?? 'not measured'})` : '';
  console.log(`  ${key.padEnd(34)} ${fmt(v, d).padStart(9)} ${unit.padEnd(9)} ${cmd_ref(m.command)} load ${load || '-'}${stale}${why}`);
};
console.log(`\nmodel ${res.model?.file} (${res.model?.type}, ${fmt((res.model?.params ?? 0) / 1e9, 2)} B params, ${fmt((res.model?.bytes ?? 0) / 1e6, 0)} MB), ${cores} cores, ${reps} run(s) each, best kept`);
console.log('forward, one 512-token chunk:');
for (const k of ['ours_wasm_1t', 'ours_wasm_ggml_1t', 'wllama_1t', 'ours_wasm_nt', 'ours_wasm_ggml_nt', 'wllama_nt',
                 'ours_native_1t', 'ours_native_ggml_1t', 'llamacpp_native_1t',
                 'ours_native_nt', 'ours_native_ggml_nt', 'llamacpp_native_nt']) row(`forward_tps.${k}`, 'tokens/s');
console.log('GEMM 512x2048 . 2048x2048, one thread:');
for (const k of ['ours_wasm_1t', 'simd_peak_wasm_1t', 'ours_native_1t', 'simd_peak_native_1t']) row(`gemm_gflops.${k}`, 'GFLOP/s', 1);
console.log('weight check in Chromium:');
row('scan_mbps', 'MB/s', 1);
row('raw_read_mbps', 'MB/s', 1);
row('peak_wasm_mb', 'MiB', 1);
for (const n of B?.notes ?? []) console.log(`  note: ${n}`);
console.log('ratios (target):');
const R = res.ratios;
const rr = (name, v, target) => console.log(`  ${name.padEnd(34)} ${fmt(v, 3).padStart(9)}   ${target ? `target >= ${target}: ${v == null ? 'n/a' : v >= target ? 'met' : 'missed'}` : ''}`);
rr('ours_wasm / wllama, 1 thread', R.ours_wasm_over_wllama_1t, 2);
rr(`ours_wasm / wllama, ${cores} threads`, R.ours_wasm_over_wllama_nt, 2);
rr('ours_native / llama.cpp, 1 thread', R.ours_native_over_llamacpp_native_1t, 0.5);
rr(`ours_native / llama.cpp, ${cores} threads`, R.ours_native_over_llamacpp_native_nt, 0.5);
rr('ours_wasm / native llama.cpp, 1 thread', R.ours_wasm_over_llamacpp_native_1t);
rr('ours_wasm ggml / wllama, 1 thread', R.ours_wasm_ggml_over_wllama_1t, 2);
rr(`ours_wasm ggml / wllama, ${cores} threads`, R.ours_wasm_ggml_over_wllama_nt, 2);
rr('ours_native ggml / llama.cpp, 1 thread', R.ours_native_ggml_over_llamacpp_native_1t, 0.5);
rr(`ours_native ggml / llama.cpp, ${cores} threads`, R.ours_native_ggml_over_llamacpp_native_nt, 0.5);
rr('wasm GEMM / SIMD128 peak', R.gemm_over_peak_wasm_1t);
rr('scan / raw read', R.scan_over_raw_read, 0.8);
console.log('commands:');
commands.forEach((c, i) => console.log(`  [${i + 1}] ${c}`));
console.log(`wrote ${path}`);
