// Hostile and wrong inputs in the page (issue 8, deliverable 2): files that
// are not models, a crafted GGUF, models replacing each other, a reference
// of another model, and cancel/restart cycles that must not leak wasm
// memory or workers. Each error must say what the file is and what to do.
// Runs in both Playwright projects (with and without security headers).
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gguf_bytes } from '../wasm/gguf-writer.mjs';
import { wasm_memory as worker_wasm_memory } from './worker-probe.mjs';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures', import.meta.url)));
const STORIES = join(FIXTURES, 'stories260K/stories260K-Q4_0.gguf');
const STORIES_HF = ['config.json', 'model.safetensors', 'tokenizer.model'].map((f) => join(FIXTURES, 'stories260K/hf', f));
const G4_Q8 = join(FIXTURES, 'g4tiny/g4tiny-Q8_0.gguf');
const G4_F32 = join(FIXTURES, 'g4tiny/g4tiny-f32.gguf');
const G4_TOKENS = join(FIXTURES, 'g4tiny/wiki.test.raw.first5120.tokens.i32');

let tmp;
test.beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'ggufcheck-hostile-')); });
test.afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function write(name, bytes) {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

async function open_page(page) {
  await page.goto('/');
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
}

async function wait_report(page, name) {
  await expect(page.locator('#stats')).toContainText(name);
}

// The first error finding's code and text.
async function first_error(page) {
  const li = page.locator('#findings li[data-severity="error"]').first();
  await expect(li).toBeVisible();
  return { code: await li.getAttribute('data-code'), text: await li.textContent() };
}

// The wasm memory of the page's current worker ({ heap_top, heap_bytes }),
// through the protocol's MEMORY message (./worker-probe.mjs).
// The page's module workers: the threaded build's pool threads are web
// workers too (ggufcheck-mt.worker.js), started by and ending with the
// module worker.
const module_workers = (page) => page.workers().filter((w) => !w.url().includes('ggufcheck-mt.worker.js'));

async function wasm_memory(page) {
  await expect.poll(() => module_workers(page).length).toBe(1);   // a terminated worker may linger briefly
  return worker_wasm_memory(module_workers(page)[0]);
}

const mib = (b) => (b / 2 ** 20).toFixed(2);
function show(what, mem) {
  console.log(`# ${what}: heap_top ${mem.map((m) => mib(m.heap_top)).join(', ')} MiB; ` +
              `memory ${mem.map((m) => mib(m.heap_bytes)).join(', ')} MiB`);
}
// Both measures after the last run within 5 % of after the first.
function within_5_percent(last, first) {
  expect(Math.abs(last.heap_top / first.heap_top - 1)).toBeLessThan(0.05);
  expect(Math.abs(last.heap_bytes / first.heap_bytes - 1)).toBeLessThan(0.05);
}

// A GGUF whose only metadata entry declares an array of `count` elements of
// type `elem` (GGUF value type ids: 4 = UINT32, 8 = STRING), followed by a
// few bytes: the reader must reject it from the count alone, before
// allocating anything.
function huge_array_gguf(count, elem) {
  const key = new TextEncoder().encode('tokenizer.ggml.tokens');
  const b = new Uint8Array(4 + 4 + 8 + 8 + 8 + key.length + 4 + 4 + 8 + 64);
  const dv = new DataView(b.buffer);
  let at = 0;
  b.set(new TextEncoder().encode('GGUF'), at); at += 4;
  dv.setUint32(at, 3, true); at += 4;                  // version
  dv.setBigUint64(at, 0n, true); at += 8;              // n_tensors
  dv.setBigUint64(at, 1n, true); at += 8;              // n_kv
  dv.setBigUint64(at, BigInt(key.length), true); at += 8;
  b.set(key, at); at += key.length;
  dv.setUint32(at, 9, true); at += 4;                  // ARRAY
  dv.setUint32(at, elem, true); at += 4;
  dv.setBigUint64(at, count, true);
  return b;
}

test('a 0-byte file: "empty", what to do, no summary', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', write('empty.gguf', new Uint8Array(0)));
  await wait_report(page, 'empty.gguf');
  const e = await first_error(page);
  expect(e.code).toBe('truncated');
  expect(e.text).toContain('empty (0 bytes)');
  expect(e.text).toContain('download the file again');
  await expect(page.locator('#summary')).toHaveCount(0);
});

test('a PNG, a zip, an HTML error page, a Git LFS pointer: each named, with what to do', async ({ page }) => {
  await open_page(page);
  const png = new Uint8Array(256);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const zip = new Uint8Array(128);
  zip.set([0x50, 0x4b, 3, 4, 20, 0]);
  zip[26] = 10;
  zip.set(new TextEncoder().encode('model.gguf'), 30);
  const cases = [
    { name: 'photo.png', bytes: png, says: ['(89 50 4e 47)', 'a PNG image'] },
    { name: 'model.zip', bytes: zip, says: ['a zip archive', 'Unpack it first'] },
    { name: 'model-Q4_K_M.gguf', bytes: new TextEncoder().encode('<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>\n'),
      says: ['an HTML web page', '/resolve/, not /blob/'] },
    { name: 'model-f16.gguf', bytes: new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:4d2f\nsize 2200320\n'),
      says: ['a Git LFS pointer file', 'git lfs pull'] },
  ];
  for (const c of cases) {
    await page.setInputFiles('#file-input', write(c.name, c.bytes));
    await wait_report(page, c.name);
    const e = await first_error(page);
    expect(e.code).toBe('bad_magic');
    for (const s of c.says) expect(e.text).toContain(s);
    expect(e.text).toContain(c.name);
    await expect(page.locator('#summary')).toHaveCount(0);
  }
});

test('a safetensors file dropped alone: "no GGUF to check", not an empty healthy report', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', STORIES_HF[1]);
  // The page says so itself (roles.js); were the empty candidate list ever
  // opened, the core's "no_model" error would say it (test-reference-mismatch).
  await expect(page.locator('main')).toContainText(/drop the (GGUF|\.gguf) file/i);
  await expect(page.locator('#no-findings')).toHaveCount(0);
  await expect(page.locator('#summary')).toHaveCount(0);
  // Then the GGUF: it opens with the safetensors file as its reference.
  await page.setInputFiles('#file-input', [STORIES, ...STORIES_HF]);
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '48');
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
});

test('a GGUF declaring a huge array: rejected from the count, the page stays usable', async ({ page }) => {
  await open_page(page);
  // 2^62 strings: absurd ("bad_length"); 10^9 UINT32: plausible for a cut-off
  // file ("truncated"). Neither may allocate: the worker would die of OOM.
  for (const [name, count, elem, code] of [['huge-strings.gguf', 1n << 62n, 8, 'bad_length'],
                                           ['huge-u32.gguf', 1_000_000_000n, 4, 'truncated']]) {
    await page.setInputFiles('#file-input', write(name, huge_array_gguf(count, elem)));
    await wait_report(page, name);
    const e = await first_error(page);
    expect(e.code).toBe(code);
    expect(e.text).toContain(`declares ${count}`);
    expect(e.text).toContain('array at offset 57');   // where its element type is
  }
  await page.setInputFiles('#file-input', STORIES);
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '48');
  await expect(page.locator('#findings li[data-severity="error"]')).toHaveCount(0);
});

test('two models one after another: the second replaces the first, no stale rows', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', STORIES);
  await expect(page.locator('#summary')).toHaveAttribute('data-architecture', 'llama');
  await expect(page.locator('#tensors tr.tensor')).toHaveCount(48);
  await page.click('#scan-values');
  await expect(page.locator('#scan-ok')).toBeVisible();

  await page.setInputFiles('#file-input', G4_Q8);
  await wait_report(page, 'g4tiny-Q8_0.gguf');
  await expect(page.locator('#summary')).toHaveAttribute('data-architecture', 'gemma4');
  const n = Number(await page.locator('#summary').getAttribute('data-n-tensors'));
  expect(n).toBeGreaterThan(0);
  await expect(page.locator('#tensors tr.tensor')).toHaveCount(n);
  // Nothing of the first model is left: its scan result, its file name, its rows.
  await expect(page.locator('#scan-ok')).toHaveCount(0);
  await expect(page.locator('#role-candidate')).not.toContainText('stories260K');
  await expect(page.locator('#metadata tr[data-key="llama.block_count"]')).toHaveCount(0);
  await expect(page.locator('#tensors tr.tensor[data-name="output.weight"][data-nbytes="34816"]')).toHaveCount(0);

  // A broken file after a good one: no summary of the good one stays.
  await page.setInputFiles('#file-input', write('broken.gguf', new Uint8Array(100)));
  await wait_report(page, 'broken.gguf');
  await expect(page.locator('#summary')).toHaveCount(0);
  await expect(page.locator('#tensors tr.tensor')).toHaveCount(0);
});

test('a reference of another architecture: a clear mismatch, not "healthy"', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', [STORIES, G4_F32]);
  await expect(page.locator('#role-reference')).toContainText('g4tiny-f32.gguf');
  await expect(page.locator('#role-reference')).toContainText('the reference is a gemma4 model but the candidate is llama');
  await page.click('#check-quick');
  await expect(page.locator('#weight-check')).toHaveAttribute('data-state', 'done');
  const verdict = page.locator('#verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'reference_mismatch');
  await expect(verdict).toContainText('Drop the reference of this very model');
});

test('cancel a perplexity run and restart, 10 times: no stale result, one worker, wasm memory within 5 %', async ({ page }) => {
  test.setTimeout(180_000);
  await open_page(page);
  // g4tiny (gemma4, 6 layers) over 5120 token ids, 10 chunks of 512: seconds
  // of work, so a cancel lands in the middle.
  await page.setInputFiles('#file-input', [G4_Q8, G4_TOKENS]);
  await expect(page.locator('#summary')).toHaveAttribute('data-architecture', 'gemma4');
  await expect(page.locator('#role-text')).toContainText('wiki.test.raw.first5120.tokens.i32');
  await page.fill('#ppl-ctx', '512');
  await page.fill('#ppl-chunks', '10');

  const heap = [];
  for (let i = 0; i < 10; ++i) {
    await page.click('#ppl-run');
    await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'running');
    await expect(page.locator('#ppl-progress')).toBeVisible();
    await page.click('#ppl-progress .cancel');
    await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'cancelled');
    // The fresh worker reopens the model; wait until it has.
    await expect(page.locator('#status')).toHaveCount(0);
    await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
    await expect(page.locator('#summary')).toHaveAttribute('data-architecture', 'gemma4');
    await expect.poll(() => module_workers(page).length).toBe(1);   // the cancelled worker is gone
    heap.push(await wasm_memory(page));
  }
  show('after each cancel/restart', heap);
  within_5_percent(heap[9], heap[0]);
  // No stale result: nothing from a cancelled run shows up later.
  await page.waitForTimeout(1000);
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.locator('#ppl-value')).toHaveCount(0);

  // A run to the end after all that gives a number.
  await page.fill('#ppl-chunks', '1');
  await page.click('#ppl-run');
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.locator('#ppl-value')).toBeVisible();
});

test('cancel a value scan and restart; reopening in one worker 10 times keeps wasm memory within 5 %', async ({ page }) => {
  test.setTimeout(180_000);
  await open_page(page);
  // A 100 MB F32 GGUF: its value scan reads it all, long enough to cancel.
  const big = write('big-scan.gguf', gguf_bytes({
    kvs: [['general.architecture', 'str', 'llama']],
    tensors: [0, 1, 2, 3].map((i) => ({ name: `blk.${i}.attn_q.weight`, ne: [2048, 3072] })),
  }));
  await page.setInputFiles('#file-input', big);
  await wait_report(page, 'big-scan.gguf');
  await page.click('#scan-values');
  await expect(page.locator('#scan-progress')).toBeVisible();
  await page.click('#scan-progress .cancel');
  await expect(page.locator('#scan-progress')).toHaveCount(0);
  await expect(page.locator('#scan-ok')).toHaveCount(0);
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '4');
  await page.waitForTimeout(1000);
  await expect(page.locator('#scan-ok')).toHaveCount(0);   // the cancelled scan never reports

  // The same worker opens models again and again (each open replaces the
  // session): memory after the 10th is within 5 % of after the 1st.
  const heap = [];
  for (let i = 0; i < 10; ++i) {
    const path = write(`reopen-${i}.gguf`, readFileSync(i % 2 ? G4_Q8 : STORIES));
    await page.setInputFiles('#file-input', path);
    await wait_report(page, `reopen-${i}.gguf`);
    heap.push(await wasm_memory(page));
  }
  show('after each reopen in one worker', heap);
  within_5_percent(heap[9], heap[1]);   // [1]: the first open of the same model as [9]

  // Runs that allocate (a perplexity chunk: activations, vocab tiles) and
  // free again, 10 times in the same worker: a leak would grow the heap.
  await page.setInputFiles('#file-input', [G4_Q8, G4_TOKENS]);
  await expect(page.locator('#role-text')).toContainText('wiki.test.raw.first5120.tokens.i32');
  await page.fill('#ppl-ctx', '512');
  await page.fill('#ppl-chunks', '1');
  const ppl_heap = [];
  for (let i = 0; i < 10; ++i) {
    await page.click('#ppl-run');
    await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    ppl_heap.push(await wasm_memory(page));
  }
  show('after each complete ppl run in one worker', ppl_heap);
  within_5_percent(ppl_heap[9], ppl_heap[0]);
  await expect.poll(() => module_workers(page).length).toBe(1);
});
