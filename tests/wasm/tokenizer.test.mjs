// The tokenizer in the wasm module: llama.cpp's own test cases for every
// vocabulary in tests/fixtures/vocab (100 % agreement, as the native test),
// the stories260K token count of wiki.test.raw, and the same ids/pieces JSON
// as `ggufcheck tokenize --json`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI, FIXTURES, fs_reader, load_module } from './helpers.mjs';

let M;
before(async () => { M = await load_module(); });

function open_session(path) {
  const session = new M.Session();
  const r = fs_reader(path);
  assert.ok(session.open([r]), session.error());
  return { session, reader: r };
}

function tokenize(session, text, add_special = false, parse_special = false) {
  const out = session.tokenizeJson(text, add_special, parse_special);
  assert.notEqual(out, '', session.error());
  return JSON.parse(out);
}

// tests/test-tokenizer-0.cpp's format: inputs separated by
// "\n__ggml_vocab_test__\n" (the last runs to the end of the file), one line
// of space-separated ids per input; a repeated input keeps its last output.
function read_cases(base) {
  const raw = readFileSync(`${base}.inp`, 'utf8');
  const sep = '\n__ggml_vocab_test__\n';
  const inputs = [];
  for (let pos = 0; pos < raw.length;) {   // a trailing separator adds no empty input
    const next = raw.indexOf(sep, pos);
    if (next < 0) { inputs.push(raw.slice(pos)); break; }
    inputs.push(raw.slice(pos, next));
    pos = next + sep.length;
  }
  const lines = readFileSync(`${base}.out`, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  assert.equal(inputs.length, lines.length, base);
  const cases = new Map();
  inputs.forEach((inp, i) => {
    const ids = lines[i].trim() === '' ? [] : lines[i].trim().split(' ').map(Number);
    cases.set(inp, ids);
  });
  return cases;
}

const VOCAB_DIR = resolve(FIXTURES, 'vocab');
const vocabs = readdirSync(VOCAB_DIR).filter((f) => f.endsWith('.gguf.inp')).map((f) => f.slice(0, -4)).sort();

test('the four vocabularies of the acceptance criteria are there', () => {
  for (const v of ['llama-spm', 'llama-bpe', 'qwen2', 'gemma-4']) assert.ok(vocabs.includes(`ggml-vocab-${v}.gguf`), v);
});

for (const v of vocabs) {
  test(`llama.cpp test cases: ${v}`, () => {
    const { session, reader } = open_session(resolve(VOCAB_DIR, v));
    const cases = read_cases(resolve(VOCAB_DIR, v));
    let failed = 0;
    for (const [text, expected] of cases) {
      const got = tokenize(session, text).ids;
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        failed++;
        assert.fail(`${v}: '${text}'\n expected ${expected.join(' ')}\n got      ${got.join(' ')}`);
      }
    }
    assert.equal(failed, 0);
    assert.ok(cases.size > 0);
    session.delete();
    reader.close();
  });
}

test('a file without tokenizer: a finding, no ids', () => {
  const { session, reader } = open_session(resolve(FIXTURES, 'quants/alltypes.gguf'));
  const r = tokenize(session, 'hello', true);
  assert.equal(r.tokenizer, null);
  assert.deepEqual(r.ids, []);
  assert.ok(r.findings.some((f) => f.code === 'tokenizer_missing'), JSON.stringify(r.findings));
  session.delete();
  reader.close();
});

test('stories260K: wiki.test.raw gives llama-perplexity\'s token count', () => {
  const { session, reader } = open_session(resolve(FIXTURES, 'stories260K/stories260K-F32.gguf'));
  const text = readFileSync(resolve(FIXTURES, 'text/wiki.test.raw'), 'utf8');
  const r = tokenize(session, text, true);
  assert.equal(r.tokenizer.model, 'llama');
  assert.equal(r.ids[0], 1);
  assert.equal(r.ids.length, 809247);               // 3161 chunks of 256, 1580 of 512
  assert.equal(Math.floor(r.ids.length / 256), 3161);
  assert.equal(Math.floor(r.ids.length / 512), 1580);
  const ref = new Int32Array(readFileSync(resolve(FIXTURES, 'g4tiny/wiki.test.raw.first5120.tokens.i32')).buffer.slice(0));
  assert.deepEqual(r.ids.slice(0, 5120), Array.from(ref));
  session.delete();
  reader.close();
});

test('same ids and pieces as ggufcheck tokenize --json (gemma-4)', () => {
  const path = resolve(FIXTURES, 'vocab/ggml-vocab-gemma-4.gguf');
  const { session, reader } = open_session(path);
  const text = ' Hello  world<|"|>x\n\n\ny';
  const r = tokenize(session, text, true);
  assert.equal(r.tokenizer.model, 'gemma4');
  assert.equal(r.tokenizer.bos, 2);
  assert.ok(existsSync(CLI), `native CLI not built at ${CLI}`);
  const cli = JSON.parse(execFileSync(CLI, ['tokenize', path, '--text', text, '--add-special', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(r.ids, cli.ids);
  assert.deepEqual(r.pieces, cli.pieces);
  session.delete();
  reader.close();
});
