// Split sets through the binding: several JS readers opened as one model,
// in any order; a missing part is named; the CLI reports the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, buffer_reader, inspect, load_module } from './helpers.mjs';
import { split_set } from './gguf-writer.mjs';

let M, tmp;
before(async () => {
  M = await load_module();
  tmp = mkdtempSync(join(tmpdir(), 'ggufcheck-split-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const parts = split_set('tiny', 3);

test('three parts in shuffled order are one model', () => {
  const readers = [parts[2], parts[0], parts[1]].map((p) => buffer_reader(p.bytes, p.name));
  const { report } = inspect(M, readers);
  assert.equal(report.usable, true);
  assert.equal(report.architecture, 'llama');
  assert.equal(report.n_tensors, 6);
  assert.deepEqual(report.files.map((f) => f.name), parts.map((p) => p.name));
  assert.deepEqual(report.tensors.map((t) => t.file), parts.flatMap((p) => [p.name, p.name]));
  assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
});

test('a missing part is named', () => {
  const { report } = inspect(M, [parts[0], parts[2]].map((p) => buffer_reader(p.bytes, p.name)));
  const missing = report.findings.filter((f) => f.code === 'missing_split_part');
  assert.equal(missing.length, 1, JSON.stringify(report.findings));
  assert.match(missing[0].message, /tiny-00002-of-00003\.gguf/);
});

test('same report as the native CLI for a split set', () => {
  const paths = parts.map((p) => {
    const path = join(tmp, p.name);
    writeFileSync(path, p.bytes);
    return path;
  });
  const cli = JSON.parse(execFileSync(CLI, ['inspect', '--json', ...paths]));
  const { report } = inspect(M, parts.map((p) => buffer_reader(p.bytes, p.name)));
  assert.deepEqual(report, cli);
});
