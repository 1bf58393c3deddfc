// The page's check bindings (wasm/bindings.cpp: openReference, compareJson,
// pplJson, valueScanJson, histogramJson, reportMarkdown) against the native
// CLI on the same fixtures: the JSON must be identical after parsing (same
// core, same numbers), except where stated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, FIXTURES, REPO, cli_json, fs_reader, load_module } from './helpers.mjs';

const S = join(FIXTURES, 'stories260K');
const Q4 = join(S, 'stories260K-Q4_0.gguf');
const HF = [join(S, 'hf/config.json'), join(S, 'hf/model.safetensors')];
const EXCERPT = join(REPO, 'web/public/samples/wiki-excerpt.txt');
const M = await load_module();
const have_cli = existsSync(CLI);
const PPL_REL_TOL = 1e-5;


// Deep equality, except that numbers may differ by `rel` relative: the
// reference-free check takes log10 of its statistics, and emscripten's libm
// (musl) and glibc round log10 differently in the last bits (~1e-14). Values
// on a log10 scale (`*_log10`, differences of logs of order 1) may differ by
// `rel` absolute: a residual that is 0 on one side is 1e-17 on the other.
function assert_close(a, b, rel, path = '') {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), path.endsWith('_log10') ? 1 : 0);
    assert.ok(a === b || Math.abs(a - b) <= rel * scale, `${path}: ${a} vs ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), path);
    for (const k of Object.keys(a)) assert_close(a[k], b[k], rel, `${path}.${k}`);
    return;
  }
  assert.equal(a, b, path);
}

function session(cand, ref = []) {
  const s = new M.Session();
  assert.ok(s.open(cand.map((p) => fs_reader(p))), s.error());
  if (ref.length) assert.ok(s.openReference(ref.map((p) => fs_reader(p))), s.error());
  return s;
}

test('compare vs HF reference: wasm JSON == ggufcheck compare --json (full and quick)', { skip: !have_cli && 'no CLI' }, () => {
  const s = session([Q4], HF);
  const ref = JSON.parse(s.referenceJson());
  assert.equal(ref.open, true);
  assert.equal(ref.kind, 'hf');
  let calls = 0, last = null;
  const full = JSON.parse(s.compareJson(false, (done, total, tensor) => { calls++; last = [done, total, tensor]; return true; }));
  assert.deepEqual(full, cli_json(['compare', Q4, '--ref', join(S, 'hf'), '--json']));
  assert.equal(full.verdict, 'healthy');
  assert.equal(full.tensors.length, 48);
  assert.ok(calls > 0 && last[0] <= last[1], `progress calls ${calls}, last ${last}`);
  const quick = JSON.parse(s.compareJson(true, () => true));
  assert.deepEqual(quick, cli_json(['compare', Q4, '--ref', join(S, 'hf'), '--quick', '--json']));
  assert.equal(quick.quick, true);
  s.delete();
});

test('compare without a reference == ggufcheck compare --json (reference-free)', { skip: !have_cli && 'no CLI' }, () => {
  const s = session([Q4]);
  const j = JSON.parse(s.compareJson(false, null));
  assert_close(j, cli_json(['compare', Q4, '--json']), 1e-12);
  assert.equal(j.verdict, 'no_anomaly');
  s.delete();
});

test('compare vs a reference GGUF (F32) == CLI', { skip: !have_cli && 'no CLI' }, () => {
  const F32 = join(S, 'stories260K-F32.gguf');
  const s = session([Q4], [F32]);
  assert.equal(JSON.parse(s.referenceJson()).kind, 'gguf');
  assert.deepEqual(JSON.parse(s.compareJson(false, null)), cli_json(['compare', Q4, '--ref', F32, '--json']));
  s.delete();
});

test('compare vs a reference GGUF: the scan\'s will_read hints reach the JS readers, inside the files', () => {
  const F32 = join(S, 'stories260K-F32.gguf');
  const logged = (path) => {
    const r = fs_reader(path);
    r.hints = [];
    r.will_read = (offset, len) => r.hints.push([offset, len]);
    return r;
  };
  const s = new M.Session();
  const cand = logged(Q4), ref = logged(F32);
  assert.ok(s.open([cand]), s.error());
  assert.ok(s.openReference([ref]), s.error());
  assert.equal(JSON.parse(s.compareJson(false, null)).verdict, 'healthy');
  for (const r of [cand, ref]) {
    assert.ok(r.hints.length > 0, `${r.name}: no hint`);
    for (const [offset, len] of r.hints) assert.ok(len > 0 && offset + len <= r.size, `${r.name}: hint ${offset} + ${len}`);
  }
  s.delete();
});

test('compare: a falsy progress return cancels', () => {
  const s = session([Q4], HF);
  const j = JSON.parse(s.compareJson(false, () => false));
  assert.equal(j.verdict, 'cancelled');
  s.delete();
});

test('ppl on the built-in excerpt, 2 chunks of 256: wasm ~ ggufcheck ppl --json', { skip: !have_cli && 'no CLI' }, () => {
  const s = session([Q4]);
  let steps = 0;
  const j = JSON.parse(s.pplJson({ text: readFileSync(EXCERPT) }, { n_ctx: 256, chunks: 2 }, () => { steps++; }));
  const cli = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '2', '--json']);
  console.log(`# ppl wasm ${j.ppl} cli ${cli.ppl} (rel diff ${Math.abs(j.ppl / cli.ppl - 1).toExponential(2)})`);
  assert.equal(j.n_chunks, 2);
  assert.equal(j.n_scored, 254);
  assert.ok(steps > 0);
  // The forward's f32 GEMM sums in another order with wasm's 4-wide SIMD
  // than natively with 8-wide AVX2: ~1e-6 relative, not bit for bit.
  assert_close(j, cli, PPL_REL_TOL);
  assert.deepEqual(j.verdict.status, cli.verdict.status);
  assert.deepEqual(Object.keys(j).sort(), Object.keys(cli).sort());
  s.delete();
});

test('ppl with the HF reference: KLD and hidden cosines ~ CLI', { skip: !have_cli && 'no CLI' }, () => {
  const s = session([Q4], HF);
  const j = JSON.parse(s.pplJson({ text: readFileSync(EXCERPT) }, { n_ctx: 256, chunks: 1, use_ref: true }, null));
  const cli = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '1', '--ref', join(S, 'hf'), '--json']);
  console.log(`# ppl+ref wasm ppl ${j.ppl} ref ${j.ref_ppl} kld ${j.kld.mean}; cli ${cli.ppl} ${cli.ref_ppl} ${cli.kld.mean}`);
  // KLD is a small difference of large log-probabilities: looser.
  assert_close({ ...j, kld: null }, { ...cli, kld: null }, PPL_REL_TOL);
  assert_close(j.kld, cli.kld, 1e-3);
  assert.equal(j.reference, cli.reference);
  s.delete();
});

test('ppl from a token-id file (JSON array) == the same ids as text', () => {
  const s = session([Q4]);
  const ids = JSON.parse(s.tokenizeJson(readFileSync(EXCERPT, 'latin1').slice(0, 4000), true, false)).ids;
  const a = JSON.parse(s.pplJson({ tokens: new TextEncoder().encode(JSON.stringify(ids)), tokens_name: 'ids.json' }, { n_ctx: 64, chunks: 2 }, null));
  assert.equal(a.n_chunks, 2);
  assert.ok(a.ppl > 1 && a.ppl < 512, `${a.ppl}`);
  assert.equal(s.pplJson({ tokens: new TextEncoder().encode('1 2 x'), tokens_name: 'bad.ids' }, { n_ctx: 64 }, null), '');
  assert.match(s.error(), /x|line/);
  assert.equal(s.pplJson({ text: new Uint8Array(10) }, { n_ctx: 256 }, null), '');
  assert.match(s.error(), /need at least 256 tokens/);
  s.delete();
});

test('value scan == ggufcheck dequant --stats --json; histogram sums to the element count', { skip: !have_cli && 'no CLI' }, () => {
  const s = session([Q4]);
  const j = JSON.parse(s.valueScanJson(() => true));
  const cli = cli_json(['dequant', Q4, '--stats', '--json']);
  assert.deepEqual(j.tensors, cli.tensors);
  assert.deepEqual(j.skipped, cli.skipped);
  assert.deepEqual(j.findings, []);
  const h = JSON.parse(s.histogramJson('blk.0.attn_q.weight', 32));
  const row = j.tensors.find((t) => t.name === 'blk.0.attn_q.weight');
  assert.equal(h.counts.length, 32);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), row.count);
  assert.equal(h.lo, row.min);
  assert.equal(h.hi, row.max);
  assert.equal(s.histogramJson('no.such.tensor', 8), '');
  assert.equal(s.histogramJson('blk.0.attn_q.weight', 0), '');
  s.delete();
});

test('reportMarkdown: the per-layer table from the compare JSON, files with sizes', () => {
  const s = session([Q4], HF);
  const weights = JSON.parse(s.compareJson(false, null));
  const md = M.reportMarkdown(JSON.stringify({
    files: [{ role: 'candidate', name: 'stories260K-Q4_0.gguf', size: 1 }, { role: 'reference', name: 'model.safetensors', size: 2 }],
    inspect: JSON.parse(s.inspectJson(-1)), weights, ppl: null,
  }));
  assert.match(md, /### Weights per layer/);
  assert.match(md, /\| 0 \| 0\.995421 \|/);
  assert.match(md, /\| reference \| model\.safetensors \|/);
  assert.equal(M.reportMarkdown('not json'), '');
  s.delete();
});

test('hostile reference input: not a checkpoint -> false + error, no crash', () => {
  const s = session([Q4]);
  const junk = new Uint8Array(100).fill(7);
  const r = { name: 'model.safetensors', size: junk.length, read(o, d) { d.set(junk.subarray(o, o + d.length)); return true; } };
  assert.equal(s.openReference([r]), false);
  assert.ok(s.error().length > 0);
  assert.equal(JSON.parse(s.referenceJson()).open, false);
  // The reference-free check still runs.
  assert.equal(JSON.parse(s.compareJson(true, null)).verdict, 'no_anomaly');
  s.delete();
});
