// The wasm module under node: the same inspect report as the native CLI, from
// a JS-backed byte source, with bad input reported rather than crashing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI, FIXTURES, buffer_reader, fs_reader, inspect, load_module } from './helpers.mjs';

let M;
before(async () => { M = await load_module(); });

const STORIES = resolve(FIXTURES, 'stories260K/stories260K-Q4_0.gguf');
const GEMMA_VOCAB = resolve(FIXTURES, 'vocab/ggml-vocab-gemma-4.gguf');

test('stories260K Q4_0: llama, 48 tensors, no errors', () => {
  const r = fs_reader(STORIES);
  const { report } = inspect(M, [r]);
  r.close();
  assert.equal(report.usable, true);
  assert.equal(report.architecture, 'llama');
  assert.equal(report.n_tensors, 48);
  assert.equal(report.tensors.length, 48);
  assert.equal(report.file_type, 'Q4_0');
  assert.equal(report.type_census.Q4_0.tensors, 31);   // fixtures README: 31 Q4_0, output Q8_0, 5 F16, 11 F32
  assert.equal(report.type_census.Q8_0.tensors, 1);
  assert.equal(report.type_census.F16.tensors, 5);
  assert.equal(report.type_census.F32.tensors, 11);
  assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
});

// Invariant 4: CLI and page print the same numbers. The page renders exactly
// this JSON, so equal JSON means equal pages.
for (const rel of ['stories260K/stories260K-Q4_0.gguf', 'stories260K/stories260K-Q4_K_M.gguf',
                   'g4tiny/g4tiny-Q4_K_M.gguf', 'quants/alltypes.gguf', 'vocab/ggml-vocab-llama-spm.gguf',
                   'vocab/ggml-vocab-gemma-4.gguf']) {
  test(`same report as the native CLI: ${rel}`, () => {
    assert.ok(existsSync(CLI), `native CLI not built at ${CLI} (scripts/build.sh native)`);
    const path = resolve(FIXTURES, rel);
    let cli_out;
    try {
      cli_out = execFileSync(CLI, ['inspect', '--json', path], { maxBuffer: 64 << 20 });
    } catch (e) {
      cli_out = e.stdout;   // exit code 2 = error findings; still a report
    }
    const r = fs_reader(path);
    const { report } = inspect(M, [r]);
    r.close();
    assert.deepEqual(report, JSON.parse(cli_out));
  });
}

test('gemma-4 vocab: metadata only, bytes fetched ~ header, timed', () => {
  const r = fs_reader(GEMMA_VOCAB);
  const t0 = performance.now();
  const { report, bytes } = inspect(M, [r]);
  const ms = performance.now() - t0;
  r.close();
  assert.equal(report.usable, true);
  assert.equal(report.metadata['tokenizer.ggml.tokens'].array_length, 262144);
  assert.equal(report.metadata['tokenizer.ggml.merges'].array_length, 514906);
  // Header only: nothing past the data section start plus one read-ahead window.
  assert.ok(bytes <= report.tensor_data_offset + (4 << 20), `fetched ${bytes}`);
  console.log(`# gemma-4 vocab (node, wasm): ${ms.toFixed(1)} ms, ${bytes} bytes read of ${r.size}, ${r.calls} reads`);
});

test('truncated copy: a "truncated" finding naming the missing bytes', () => {
  const bytes = readFileSync(STORIES);
  const full = inspect(M, [buffer_reader(bytes, 'stories.gguf')]).report;
  // The data section ends with the last tensor's bytes (the file may carry
  // alignment padding after it), so missing = data end - new length.
  const data_end = Math.max(...full.tensors.map((t) => full.tensor_data_offset + t.offset + t.nbytes));
  const cut = bytes.subarray(0, bytes.length - 1000);
  const missing = data_end - cut.length;
  assert.ok(missing > 0 && missing <= 1000);
  const { report } = inspect(M, [buffer_reader(cut, 'stories-truncated.gguf')]);
  const t = report.findings.filter((f) => f.code === 'truncated');
  assert.equal(t.length, 1, JSON.stringify(report.findings));
  assert.equal(t[0].severity, 'error');
  assert.match(t[0].message, new RegExp(`\\b${missing} bytes\\b`));
});

test('hostile input: garbage, empty, header cut short, failing reader', () => {
  const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) & 255);
  for (const [name, bytes] of [['garbage', garbage], ['empty', new Uint8Array(0)],
                               ['short', readFileSync(STORIES).subarray(0, 200)]]) {
    const { report } = inspect(M, [buffer_reader(bytes, name)]);
    assert.equal(report.usable, false, name);
    assert.ok(report.findings.some((f) => f.severity === 'error'), name);
  }
  // A File that becomes unreadable mid-way (read() returns false).
  const r = fs_reader(STORIES, { fail_after: 1000 });
  const { report } = inspect(M, [r]);
  r.close();
  assert.equal(report.usable, false);
  assert.ok(report.findings.length > 0);
});

test('malformed readers are rejected with an error, not a crash', () => {
  const s = new M.Session();
  assert.equal(s.open([{ name: 'x', size: -1, read: () => true }]), false);
  assert.match(s.error(), /size/);
  assert.equal(s.open([{ name: 'x', size: 10 }]), false);
  assert.match(s.error(), /read/);
  assert.equal(s.inspectJson(-1), '');
  s.delete();
});
