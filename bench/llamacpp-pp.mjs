// Prompt processing of llama.cpp through node-llama-cpp's prebuilt library
// (the npm package ships only libllama + a Node addon, no llama-bench /
// llama-perplexity binary): one sequence of N token ids (same seed and
// generator as `ggufcheck bench forward`) evaluated in one batch of N, CPU
// only, the given threads. Prints one JSON line.
//
//   node bench/llamacpp-pp.mjs MODEL.gguf [-c 512] [-t N] [--reps 2]
//
// node-llama-cpp comes from bench/.deps (bench/deps.mjs, installed on demand
// by bench/run.mjs); it is not a dependency of the project.
import { bench_tokens } from './bench-tokens.mjs';
import { deps_ensure, deps_import, NODE_LLAMA_CPP } from './deps.mjs';

const why = deps_ensure();
if (why) { console.error(`llama.cpp: ${why}`); process.exit(2); }
const { getLlama, LlamaLogLevel } = await deps_import('node-llama-cpp');

const args = process.argv.slice(2);
let model = null, n_ctx = 512, threads = 1, reps = 2;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '-c') n_ctx = +args[++i];
  else if (args[i] === '-t') threads = +args[++i];
  else if (args[i] === '--reps') reps = +args[++i];
  else model = args[i];
}
if (!model) { console.error('usage: node bench/llamacpp-pp.mjs MODEL.gguf [-c 512] [-t N] [--reps 2]'); process.exit(1); }

const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const m = await llama.loadModel({ modelPath: model, gpuLayers: 0 });
const n_vocab = m.fileInfo.metadata.llama?.vocab_size ?? 32000;
const tokens = bench_tokens(n_ctx, n_vocab, m.tokens.bos ?? 1);
const times = [];
for (let r = 0; r < reps; ++r) {
  const ctx = await m.createContext({ contextSize: n_ctx, batchSize: n_ctx, threads, sequences: 1 });
  const seq = ctx.getSequence();
  const t0 = performance.now();
  await seq.evaluateWithoutGeneratingNewTokens(tokens);
  times.push((performance.now() - t0) / 1000);
  await ctx.dispose();
}
const best = Math.min(...times);
console.log(JSON.stringify({ engine: `llama.cpp (node-llama-cpp ${NODE_LLAMA_CPP}, prebuilt CPU library)`, model, n_ctx, threads,
  seconds: best, all_seconds: times, tokens_per_s: n_ctx / best, cpu_math_cores: llama.cpuMathCores ?? null }));
await m.dispose();
