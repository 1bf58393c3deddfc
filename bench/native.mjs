#!/usr/bin/env node
// Benchmark (not a test), native part: ours (`ggufcheck bench forward`, one
// chunk of 512 random ids through the PPL evaluation, in exact f32 and in
// llama.cpp's arithmetic, --activations ggml) and llama.cpp
// (bench/llamacpp-pp.mjs: the same ids in one batch through node-llama-cpp's
// prebuilt CPU library) on the same model, 1 thread then N threads, each pair
// back to back; then `ggufcheck bench gemm` (our GEMM vs the measured SIMD
// peak). The 1-minute load average is recorded before every measurement.
//
//   node bench/native.mjs --model M.gguf [--cli build/native/ggufcheck] [-t N] [--reps R] [--no-llamacpp]
//
// Prints a summary and, last, one line `BENCH_RESULT {json}` for bench/run.mjs
// (which merges it into bench/results.json). node-llama-cpp is installed on
// demand into bench/.deps (bench/deps.mjs).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deps_ensure } from './deps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let model = null, cli = join(here, '..', 'build', 'native', 'ggufcheck'), nt = cpus().length, reps = 2, no_llama = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--model') model = args[++i];
  else if (args[i] === '--cli') cli = args[++i];
  else if (args[i] === '-t') nt = +args[++i];
  else if (args[i] === '--reps') reps = +args[++i];
  else if (args[i] === '--no-llamacpp') no_llama = true;
  else { console.error(`unknown argument ${args[i]}`); process.exit(1); }
}
if (!model) {
  console.error('usage: node bench/native.mjs --model M.gguf [--cli PATH] [-t N] [--reps R] [--no-llamacpp]');
  process.exit(1);
}

const load1 = () => Number(loadavg()[0].toFixed(2));
const run = (cmd, a) => {
  console.error(`$ ${cmd} ${a.join(' ')}`);
  return execFileSync(cmd, a, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
};
// Best of `reps` runs of `ggufcheck bench forward` (it times one chunk) in
// one arithmetic: 'f32' (exact) or 'ggml' (llama.cpp's 8-bit activations).
const ours = (t, activations = 'f32') => {
  let best = null;
  const runs = [];
  for (let r = 0; r < reps; ++r) {
    const load = load1();
    const x = JSON.parse(run(cli, ['bench', 'forward', model, '-c', '512', '-t', String(t), '--activations', activations, '--json']));
    runs.push({ seconds: x.seconds, load_avg_1min_before: load });
    if (!best || x.seconds < best.seconds) best = x;
  }
  return { ...best, runs };
};
const llama_why = no_llama ? 'skipped (--no-llamacpp)' : deps_ensure();
const llama = (t) => {
  if (llama_why) return { error: llama_why };
  const load = load1();
  try {
    const out = run(process.execPath, [join(here, 'llamacpp-pp.mjs'), model, '-c', '512', '-t', String(t), '--reps', String(reps)]);
    return { ...JSON.parse(out.trim().split('\n').pop()), load_avg_1min_before: load };
  } catch (e) {
    return { error: `llamacpp-pp.mjs failed: ${e.message.split('\n')[0]}` };
  }
};

const o1 = ours(1), g1 = ours(1, 'ggml'), l1 = llama(1), on = ours(nt), gn = ours(nt, 'ggml'), ln = llama(nt);
const gemm_load = load1();
const gemm = JSON.parse(run(cli, ['bench', 'gemm', '-t', String(nt), '--json']));
const f = (x) => (x?.tokens_per_s ? x.tokens_per_s.toFixed(2) : `n/a (${x?.error})`);
const r = (a, b) => (a && b ? (a / b).toFixed(3) : 'n/a');
console.log(`native forward tokens/s, 512-token chunk, ${model}:`);
console.log(`  1 thread:  ours f32 ${f(o1)}  ours ggml ${f(g1)}  llama.cpp ${f(l1)}  ours/llama.cpp ${r(o1.tokens_per_s, l1.tokens_per_s)} (f32) ${r(g1.tokens_per_s, l1.tokens_per_s)} (ggml)`);
console.log(`  ${nt} threads: ours f32 ${f(on)}  ours ggml ${f(gn)}  llama.cpp ${f(ln)}  ours/llama.cpp ${r(on.tokens_per_s, ln.tokens_per_s)} (f32) ${r(gn.tokens_per_s, ln.tokens_per_s)} (ggml)`);
console.log(`native gemm GFLOP/s 1 thread: ours ${gemm.ours_1t.toFixed(1)} / peak ${gemm.simd_peak_1t.toFixed(1)} = ${(100 * gemm.ratio_1t).toFixed(1)} %`);
console.log(`BENCH_RESULT ${JSON.stringify({ threads_nt: nt, reps, ours_1t: o1, ours_nt: on, ours_ggml_1t: g1, ours_ggml_nt: gn,
  llamacpp_1t: l1, llamacpp_nt: ln,
  gemm: { ...gemm, load_avg_1min_before: gemm_load }, cpu: cpus()[0]?.model ?? '' })}`);
