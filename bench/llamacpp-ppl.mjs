// llama.cpp's perplexity by llama-perplexity's protocol, through
// node-llama-cpp's prebuilt library (it ships no llama-perplexity binary):
// chunks of n_ctx token ids from a file of int32 ids (token 0 of each chunk
// already BOS, as tests/fixtures/g4tiny/wiki.test.raw.first5120.tokens.i32),
// each evaluated in one batch in a fresh context; the logits at positions
// n_ctx/2 .. n_ctx-2 are scored against the next token. The probability of
// the next token comes from controlledEvaluate's full distribution
// (temperature 1, no top-k/top-p/min-p), float32 from the library.
// Prints one JSON line: ppl, n scored, the cumulative PPL after each chunk.
// Benchmark tooling, not a test: which CPU kernels llama.cpp uses depends on
// the machine (node-llama-cpp loads the best libggml-cpu-*.so it can), and
// its per-chunk numbers depend on that.
//
//   node bench/llamacpp-ppl.mjs MODEL.gguf TOKENS.i32 [-c 256] [--chunks 20] [-t 2]
import { readFileSync } from 'node:fs';
import { deps_ensure, deps_import } from './deps.mjs';

const why = deps_ensure();
if (why) { console.error(`llama.cpp: ${why}`); process.exit(2); }
const { getLlama, LlamaLogLevel } = await deps_import('node-llama-cpp');

const args = process.argv.slice(2);
const files = [];
let n_ctx = 256, chunks = 20, threads = 2;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '-c') n_ctx = +args[++i];
  else if (args[i] === '--chunks') chunks = +args[++i];
  else if (args[i] === '-t') threads = +args[++i];
  else files.push(args[i]);
}
const [model, token_file] = files;
if (!model || !token_file) {
  console.error('usage: node bench/llamacpp-ppl.mjs MODEL.gguf TOKENS.i32 [-c 256] [--chunks 20] [-t 2]');
  process.exit(1);
}
const bytes = readFileSync(token_file);
const ids = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
chunks = Math.min(chunks, Math.floor(ids.length / n_ctx));

const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const m = await llama.loadModel({ modelPath: model, gpuLayers: 0 });
const first = n_ctx / 2, last = n_ctx - 2;   // scored positions
const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
let nll = 0, n = 0;
const cumulative = [];
for (let c = 0; c < chunks; ++c) {
  const toks = Array.from(ids.subarray(c * n_ctx, (c + 1) * n_ctx));
  const ctx = await m.createContext({ contextSize: n_ctx, batchSize: n_ctx, threads, sequences: 1 });
  const items = toks.map((t, i) => (i >= first && i <= last ? [t, { generateNext: { probabilities: true, options: sampling } }] : t));
  const out = await ctx.getSequence().controlledEvaluate(items);
  for (let i = first; i <= last; ++i) {
    nll -= Math.log(out[i].next.probabilities.get(toks[i + 1]));
    ++n;
  }
  cumulative.push(Number(Math.exp(nll / n).toFixed(4)));
  await ctx.dispose();
}
console.log(JSON.stringify({ model, n_ctx, chunks, threads, ppl: Math.exp(nll / n), n_scored: n, cumulative }));
await m.dispose();
