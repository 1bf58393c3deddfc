// The page in Debian's Chromium: files in through the picker and by drag and
// drop, the report rendered from the wasm worker, and no request leaving the
// page after it has loaded.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_HEADER, CSP_POLICY } from '../../web/csp.mjs';
import { split_set } from '../wasm/gguf-writer.mjs';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures', import.meta.url)));
const STORIES = join(FIXTURES, 'stories260K/stories260K-Q4_0.gguf');
const GEMMA_VOCAB = join(FIXTURES, 'vocab/ggml-vocab-gemma-4.gguf');

let tmp;
test.beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'ggufcheck-e2e-')); });
test.afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

// Loads the page, waits for the wasm worker, then records every request made
// from then on (page, worker, anything in the browser context). On the plain
// host the isolation service worker (web/src/isolation-sw.js) passes each of
// the page's requests on: that second copy of the same request is not
// counted here (privacy.spec checks that it never makes one of its own).
async function open_page(page) {
  await page.goto('/');
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
  const requests = [];
  page.context().on('request', (r) => { if (!r.serviceWorker()) requests.push(r.url()); });
  return requests;
}

async function wait_report(page, name) {
  await expect(page.locator('#stats')).toContainText(name);
}

test('headers: cross-origin isolated, CSP header and meta tag', async ({ page }) => {
  const res = await page.goto('/');
  expect(res.headers()['content-security-policy']).toBe(CSP_HEADER);
  expect(res.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The meta tag carries the policy too, so it holds on any static host.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(CSP_POLICY);
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
});

test('CSP blocks requests to other origins, from the page and from the worker', async ({ page }) => {
  const requests = await open_page(page);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const r = await fetch('http://127.0.0.2:9/upload', { method: 'POST', body: 'x' }).then(() => 'sent', () => 'blocked');
    await new Promise((ok) => setTimeout(ok, 50));
    return { r, violations };
  });
  // One report per policy in force (the header's and the meta tag's).
  expect(outcome.r).toBe('blocked');
  expect(outcome.violations.length).toBeGreaterThan(0);
  expect(new Set(outcome.violations)).toEqual(new Set(['connect-src']));
  const [worker] = page.workers();
  expect(worker).toBeTruthy();
  const from_worker = await worker.evaluate(() =>
    fetch('http://127.0.0.2:9/upload').then(() => 'sent', () => 'blocked'));
  expect(from_worker).toBe('blocked');
  // Blocked by policy, not by a refused connection: the browser never tried.
  expect(requests).toEqual([]);
});

test('stories260K through the file picker: llama, 48 tensors, no request', async ({ page }) => {
  const requests = await open_page(page);
  await page.setInputFiles('#file-input', STORIES);
  await wait_report(page, 'stories260K-Q4_0.gguf');
  const summary = page.locator('#summary');
  await expect(summary).toHaveAttribute('data-architecture', 'llama');
  await expect(summary).toHaveAttribute('data-n-tensors', '48');
  await expect(page.locator('#sum-file-type')).toHaveText('Q4_0');
  await expect(page.locator('#tensors tr.tensor')).toHaveCount(48);
  await expect(page.locator('#census tr[data-type="Q4_0"] td').nth(1)).toHaveText('31');
  await expect(page.locator('#no-findings')).toBeVisible();
  // 5 layers + the tensors outside layers.
  await expect(page.locator('#tensors tbody[data-layer]')).toHaveCount(6);

  // Tensor table: filter, then sort by size (largest first on second click).
  await page.fill('#tensor-filter', 'attn_q');
  await expect(page.locator('#tensors tr.tensor')).toHaveCount(5);
  await page.fill('#tensor-filter', '');
  await page.click('button[data-sort="nbytes"]');
  await page.click('button[data-sort="nbytes"]');
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('size');
  const sizes = await page.locator('#tensors tbody[data-layer="none"] tr.tensor').evaluateAll((rows) =>
    rows.map((r) => Number(r.dataset.nbytes)));
  expect(sizes.length).toBe(3);   // token_embd, output_norm, output
  expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  // output.weight (Q8_0, 512 x 64) outweighs token_embd.weight (Q4_0, same shape).
  await expect(page.locator('#tensors tbody[data-layer="none"] tr.tensor').first())
    .toHaveAttribute('data-name', 'output.weight');

  // Metadata: filter, and a long array collapsed until expanded.
  await page.fill('#meta-filter', 'tokenizer.ggml.tokens');
  const row = page.locator('#metadata tr[data-key="tokenizer.ggml.tokens"]');
  await expect(row).toContainText('STRING[512]');
  await expect(row.locator('ol.array-items')).toHaveCount(0);
  await row.locator('button').click();
  await expect(row.locator('ol.array-items li')).toHaveCount(9);   // 8 first items + "… 504 more"

  expect(requests).toEqual([]);
});

test('drag and drop', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
  const bytes = [...readFileSync(STORIES)];
  const dt = await page.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'dropped.gguf'));
    return d;
  }, bytes);
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dt });
  await wait_report(page, 'dropped.gguf');
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '48');

  // Dropped anywhere else on the page: opened too, and the page stays.
  const dt2 = await page.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'dropped-on-page.gguf'));
    return d;
  }, bytes);
  const url = page.url();
  await page.dispatchEvent('header h1', 'drop', { dataTransfer: dt2 });
  await wait_report(page, 'dropped-on-page.gguf');
  expect(page.url()).toBe(url);
});

test('truncated copy: a "truncated" finding naming the missing bytes', async ({ page }) => {
  const requests = await open_page(page);
  // Where the data section ends, from the intact file's report.
  await page.setInputFiles('#file-input', STORIES);
  await wait_report(page, 'stories260K-Q4_0.gguf');
  const data_offset = Number(await page.locator('#summary').getAttribute('data-tensor-data-offset'));
  const ends = await page.locator('#tensors tr.tensor').evaluateAll((rows) =>
    rows.map((r) => Number(r.dataset.offset) + Number(r.dataset.nbytes)));
  const data_end = data_offset + Math.max(...ends);
  expect(data_end).toBeLessThanOrEqual(statSync(STORIES).size);

  const cut_at = data_end - 5000;
  const truncated = join(tmp, 'stories-truncated.gguf');
  writeFileSync(truncated, readFileSync(STORIES).subarray(0, cut_at));
  await page.setInputFiles('#file-input', truncated);
  await wait_report(page, 'stories-truncated.gguf');
  const finding = page.locator('#findings li[data-code="truncated"]');
  await expect(finding).toHaveCount(1);
  await expect(finding).toHaveAttribute('data-severity', 'error');
  await expect(finding).toContainText(`(${data_end - cut_at} bytes)`);
  await expect(finding).toContainText('stories-truncated.gguf');
  expect(requests).toEqual([]);
});

test('gemma-4 vocab (262k tokens): header parsed well under a second', async ({ page }) => {
  const requests = await open_page(page);
  await page.setInputFiles('#file-input', GEMMA_VOCAB);
  await wait_report(page, 'ggml-vocab-gemma-4.gguf');
  const stats = page.locator('#stats');
  const parse_ms = Number(await stats.getAttribute('data-parse-ms'));
  const bytes_read = Number(await stats.getAttribute('data-bytes-read'));
  const total = Number(await stats.getAttribute('data-total-bytes'));
  const data_offset = Number(await page.locator('#summary').getAttribute('data-tensor-data-offset'));
  console.log(`# browser benchmark: gemma-4 vocab header parse ${parse_ms} ms, ` +
              `${bytes_read} bytes read (file ${total}, header ${data_offset})`);
  await expect(page.locator('#metadata tr[data-key="tokenizer.ggml.tokens"]')).toContainText('STRING[262,144]');
  await expect(page.locator('#metadata tr[data-key="tokenizer.ggml.merges"]')).toContainText('STRING[514,906]');
  expect(parse_ms).toBeLessThan(1000);
  expect(bytes_read).toBeLessThanOrEqual(data_offset + (4 << 20));
  expect(requests).toEqual([]);
});

test('sample button: the one request is the sample, from our origin', async ({ page }) => {
  const requests = await open_page(page);
  await page.click('#sample-button');
  await wait_report(page, 'stories260K-Q4_0.gguf');
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '48');
  expect(requests).toEqual([new URL('/samples/stories260K-Q4_0.gguf', page.url()).href]);
});

test('several files at once: a split set, then one part missing', async ({ page }) => {
  const requests = await open_page(page);
  const paths = split_set('tiny', 3).map((p) => {
    const path = join(tmp, p.name);
    writeFileSync(path, p.bytes);
    return path;
  });
  await page.setInputFiles('#file-input', [paths[1], paths[2], paths[0]]);
  await wait_report(page, 'tiny-00003-of-00003.gguf');
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '6');
  await expect(page.locator('#summary')).toContainText('3 parts: tiny-00001-of-00003.gguf');
  await expect(page.locator('#no-findings')).toBeVisible();

  await page.setInputFiles('#file-input', [paths[0], paths[2]]);
  await wait_report(page, 'tiny-00001-of-00003.gguf, tiny-00003-of-00003.gguf');
  await expect(page.locator('#findings li[data-code="missing_split_part"]')).toContainText('tiny-00002-of-00003.gguf');
  expect(requests).toEqual([]);
});

test('a file that is not GGUF: an error finding, no summary', async ({ page }) => {
  await open_page(page);
  const junk = join(tmp, 'notes.txt');
  writeFileSync(junk, 'hello, this is not a model\n'.repeat(100));
  await page.setInputFiles('#file-input', junk);
  await wait_report(page, 'notes.txt');
  await expect(page.locator('#findings li[data-severity="error"]').first()).toBeVisible();
  await expect(page.locator('#summary')).toHaveCount(0);
});

test('only the worker holds the wasm module and reads files (invariant 6)', async () => {
  const dist = resolve(fileURLToPath(new URL('../..', import.meta.url)), process.env.GC_DIST ?? 'dist');
  const app = readFileSync(join(dist, 'app.js'), 'utf8');
  const worker = readFileSync(join(dist, 'worker.js'), 'utf8');
  for (const marker of ['ggufcheck.wasm', 'FileReaderSync', 'inspectJson']) {
    expect(worker).toContain(marker);
    expect(app).not.toContain(marker);
  }
});
