// Perplexity in the wasm build: llama.cpp's numbers for stories260K (a few
// chunks; the native tests run more), and peak wasm memory on a model file
// several times larger than the bound the streaming forward must stay under:
//     largest layer bytes + activations + 64 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, FIXTURES, cli_json, fs_reader, load_module } from './helpers.mjs';
import { SHAPE, write_sparse_llama } from './sparse-llama.mjs';

const TOKENS = join(FIXTURES, 'g4tiny/wiki.test.raw.first5120.tokens.i32');

// Runs ppl on one model file; `counter.bytes` receives the bytes read from it.
function ppl(M, model, tokens, opts, counter = {}) {
  const s = new M.Session();
  const reader = fs_reader(model);
  const read = reader.read;
  counter.bytes = 0;
  reader.read = (offset, dst) => { counter.bytes += dst.length; return read(offset, dst); };
  try {
    assert.ok(s.open([reader]), s.error());
    const out = s.pplJson({ tokens, tokens_name: 'tokens.i32' }, opts, () => true);
    assert.ok(out, s.error());
    return JSON.parse(out);
  } finally {
    s.delete();
  }
}

test('stories260K F32 in wasm: cumulative [1]..[3] within 0.1 % of llama.cpp', async () => {
  const M = await load_module();
  const j = ppl(M, join(FIXTURES, 'stories260K/stories260K-F32.gguf'), readFileSync(TOKENS), { n_ctx: 256, chunks: 3 });
  const want = [95.7392, 86.8330, 87.6893];   // tests/fixtures/README.md, llama-perplexity -c 256
  assert.equal(j.cumulative.length, 3);
  for (let k = 0; k < 3; ++k) {
    const rel = Math.abs(j.cumulative[k] / want[k] - 1);
    console.log(`[${k + 1}] wasm ${j.cumulative[k].toFixed(4)} llama.cpp ${want[k]} (${(100 * rel).toFixed(4)} %)`);
    assert.ok(rel < 1e-3, `[${k + 1}] ${j.cumulative[k]} vs ${want[k]}`);
  }
});

test('peak wasm memory stays under largest layer + activations + 64 MiB on a much larger model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-wasm-mem-'));
  try {
    const path = join(dir, 'llama30-sparse.gguf');
    const m = write_sparse_llama(path, 30, 1);
    const M = await load_module();   // a fresh module: its memory only grows, so its size at the end is the peak
    const n_ctx = 64, n_tok = 2 * n_ctx;
    const ids = new Int32Array(n_tok);
    for (let i = 0; i < n_tok; ++i) ids[i] = (i * 7919 + 13) % SHAPE.n_vocab;
    const before = M.HEAP8.length;
    const counter = {};
    const j = ppl(M, path, new Uint8Array(ids.buffer), { n_ctx, chunks: 2 }, counter);
    const peak = M.HEAP8.length;
    // Activations, an upper estimate: per token the residual, its norm, q/k/v/o
    // and the attention output (~16 x n_embd) and the FFN's gate/up/product
    // (~4 x n_ff) floats.
    const activations = n_tok * 4 * (16 * SHAPE.n_embd + 4 * SHAPE.n_ff);
    const bound = m.largest_layer + activations + 64 * 2 ** 20;
    console.log(`file ${(m.size / 1e6).toFixed(1)} MB, largest layer ${(m.largest_layer / 1e6).toFixed(1)} MB, ` +
      `activations <= ${(activations / 1e6).toFixed(1)} MB, bound ${(bound / 1e6).toFixed(1)} MB; ` +
      `wasm memory ${(before / 1e6).toFixed(1)} MB before, ${(peak / 1e6).toFixed(1)} MB at the end; ` +
      `${(counter.bytes / 1e6).toFixed(1)} MB read; PPL ${j.ppl.toFixed(4)}`);
    // Every layer was streamed through (the file was read, not skipped), and
    // the file was read once: no window fetched bytes that were not used.
    assert.ok(counter.bytes >= m.size - m.header_bytes - 2 * SHAPE.n_vocab * SHAPE.n_embd / 32 * 34, `read ${counter.bytes}`);
    assert.ok(counter.bytes <= 1.05 * m.size, `read ${counter.bytes} of a ${m.size}-byte file`);
    assert.ok(m.size > 4 * bound, 'the model must be several times larger than the bound');
    assert.ok(peak < bound, `wasm memory ${peak} >= bound ${bound}`);
    assert.ok(Number.isFinite(j.ppl) && j.ppl > 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// llama.cpp's arithmetic (activations: 'ggml', forward/forward.h) in the
// wasm build, whose integer kernel is SIMD128 (checked bit for bit against
// the scalar one in gemm.test.mjs): the native CLI's numbers on files whose
// matrices are Q4_0/Q5_0/Q8_0 (stories260K) and Q4_K/Q6_K (g4tiny), within
// 1e-3 over the 3 chunks (a single chunk's PPL moves more). Not closer: the kernels' float sums differ between builds by ~1e-7
// (the integer sums are exact), and rounding activations to 8 bits (and K/V
// to f16) turns such differences into whole quantization steps wherever a
// value sits near a rounding boundary; measured 2e-5 .. 4e-4 here, where f32
// mode agrees to 1e-8. The mode is really applied (f32 gives other numbers)
// and a bad mode is refused.
test('activations ggml: wasm == ggufcheck ppl --activations ggml, and differs from f32', { skip: !existsSync(CLI) && 'no CLI' }, async () => {
  const M = await load_module();
  const tokens = readFileSync(TOKENS);
  for (const file of ['stories260K/stories260K-Q4_0.gguf', 'stories260K/stories260K-Q4_K_M.gguf', 'g4tiny/g4tiny-Q4_K_M.gguf']) {
    const path = join(FIXTURES, file);
    const ggml = ppl(M, path, tokens, { n_ctx: 256, chunks: 3, activations: 'ggml' });
    const f32 = ppl(M, path, tokens, { n_ctx: 256, chunks: 3 });
    const cli = cli_json(['ppl', path, '--tokens', TOKENS, '-c', '256', '--chunks', '3', '--activations', 'ggml', '--json']);
    console.log(`${file}: ggml wasm ${ggml.ppl} CLI ${cli.ppl}; f32 ${f32.ppl}`);
    assert.equal(ggml.activations, 'ggml');
    assert.ok(Math.abs(ggml.ppl / cli.ppl - 1) < 1e-3, `${ggml.ppl} vs ${cli.ppl}`);
    assert.notEqual(ggml.ppl, f32.ppl, 'ggml mode gave the f32 numbers');
    assert.equal(f32.activations, 'f32');
  }
  const s = new M.Session();
  assert.ok(s.open([fs_reader(join(FIXTURES, 'stories260K/stories260K-Q4_0.gguf'))]));
  assert.equal(s.pplJson({ tokens, tokens_name: 't.i32' }, { n_ctx: 256, chunks: 1, activations: 'int4' }, null), '');
  assert.match(s.error(), /activations must be 'f32' or 'ggml'/);
  s.delete();
});
