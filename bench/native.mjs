// Native benchmark run: ours (ggufcheck bench forward / gemm) and llama.cpp
// (bench/llamacpp-pp.mjs through node-llama-cpp) on the same generated
// model, same threads; prints ratios and merges the native fields into
// bench/results.json (fields filled by the wasm/browser runs are kept).
//
//   node bench/native.mjs --model M.gguf [--cli build/native/ggufcheck] [--nlc DIR] [-t 2]
//
// --nlc: a folder where `npm install node-llama-cpp@3.21.1` was run (it is
// not a project dependency); without it the llama.cpp fields stay null.
// Make the model with: node tools/gen-bench-model.mjs M.gguf --type q4_k --preset 1b
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let model = null, cli = join(here, '..', 'build', 'native', 'ggufcheck'), nlc = null, nt = 2;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--model') model = args[++i];
  else if (args[i] === '--cli') cli = args[++i];
  else if (args[i] === '--nlc') nlc = args[++i];
  else if (args[i] === '-t') nt = +args[++i];
}
if (!model) { console.error('usage: node bench/native.mjs --model M.gguf [--cli PATH] [--nlc DIR] [-t N]'); process.exit(1); }

const run = (cmd, a, cwd) => {
  console.error(`$ ${cmd} ${a.join(' ')}`);
  return execFileSync(cmd, a, { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
};
const ours = (t) => JSON.parse(run(cli, ['bench', 'forward', model, '-c', '512', '-t', String(t), '--json']));
const llama = (t) => {
  if (!nlc) return null;
  copyFileSync(join(here, 'llamacpp-pp.mjs'), join(nlc, 'llamacpp-pp.mjs'));
  const out = run('node', ['llamacpp-pp.mjs', model, '-c', '512', '-t', String(t), '--reps', '2'], nlc);
  return JSON.parse(out.trim().split('\n').pop());
};

const load_before = loadavg()[0];
const o1 = ours(1), l1 = llama(1), on = ours(nt), ln = llama(nt);
const gemm = JSON.parse(run(cli, ['bench', 'gemm', '-t', String(nt), '--json']));
const r = (a, b) => (a && b ? a / b : null);
console.log(`forward tokens/s, 512-token chunk, ${basename(model)}:`);
console.log(`  1 thread:  ours ${o1.tokens_per_s.toFixed(2)}  llama.cpp ${l1 ? l1.tokens_per_s.toFixed(2) : 'n/a'}  ours/llama.cpp ${r(o1.tokens_per_s, l1?.tokens_per_s)?.toFixed(3)}`);
console.log(`  ${nt} threads: ours ${on.tokens_per_s.toFixed(2)}  llama.cpp ${ln ? ln.tokens_per_s.toFixed(2) : 'n/a'}  ours/llama.cpp ${r(on.tokens_per_s, ln?.tokens_per_s)?.toFixed(3)}`);
console.log(`gemm GFLOP/s 1 thread: ours ${gemm.ours_1t.toFixed(1)} / peak ${gemm.simd_peak_1t.toFixed(1)} = ${(100 * gemm.ratio_1t).toFixed(1)} %`);

const path = join(here, 'results.json');
const res = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
res.forward_tps = { ...(res.forward_tps ?? {}), ours_native_1t: o1.tokens_per_s, ours_native_nt: on.tokens_per_s,
  llamacpp_native_1t: l1?.tokens_per_s ?? null, llamacpp_native_nt: ln?.tokens_per_s ?? null };
res.forward_gflops = { ...(res.forward_gflops ?? {}), ours_native_1t: o1.gflops, ours_native_nt: on.gflops };
res.gemm_gflops = { ...(res.gemm_gflops ?? {}), ours_native_1t: gemm.ours_1t, simd_peak_native_1t: gemm.simd_peak_1t,
  ours_native_nt: gemm.ours_nt, simd_peak_native_nt: gemm.simd_peak_nt };
res.ratios = { ...(res.ratios ?? {}), ours_over_llamacpp_native_1t: r(o1.tokens_per_s, l1?.tokens_per_s),
  ours_over_llamacpp_native_nt: r(on.tokens_per_s, ln?.tokens_per_s), gemm_over_peak_native_1t: gemm.ratio_1t };
res.model = { file: basename(model), params: o1.model.params, type: o1.model.type, arch: o1.model.arch,
  generator: 'node tools/gen-bench-model.mjs (random weights)' };
res.native = { threads_nt: nt, n_ctx: 512, read_dequant_s_1t: o1.read_dequant_s, gemm_s_1t: o1.gemm_s,
  llamacpp: 'node-llama-cpp 3.21.1 prebuilt CPU library (no llama-bench binary shipped)', load_avg_1min_before: load_before };
res.date = new Date().toISOString();
res.machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? '' };
writeFileSync(path, JSON.stringify(res, null, 1) + '\n');
console.log(`wrote ${path}`);
