// The weight check, perplexity, value scan, tokenization and export on the
// page, against the native CLI's numbers on the same fixtures.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gguf_bytes } from '../wasm/gguf-writer.mjs';
import { cli_json } from '../wasm/helpers.mjs';
import { drop } from './page-input.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURES = join(REPO, 'tests/fixtures');
const S = join(FIXTURES, 'stories260K');
const Q4 = join(S, 'stories260K-Q4_0.gguf');
const HF = [join(S, 'hf/config.json'), join(S, 'hf/model.safetensors'), join(S, 'hf/tokenizer.model')];
const EXCERPT = join(REPO, 'web/public/samples/wiki-excerpt.txt');

let tmp;
test.beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'ggufcheck-e2e-check-')); });
test.afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

// The forward's f32 GEMM sums in a different order with wasm's 4-wide SIMD
// than natively with 8-wide AVX2, so PPL values agree to ~1e-6 relative,
// not bit for bit (weight-check numbers, computed in double, are identical).
const PPL_REL_TOL = 1e-5;


async function open_page(page) {
  await page.goto('/');
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
  const requests = [];
  page.context().on('request', (r) => requests.push(r.url()));
  return requests;
}

test('drop stories260K-Q4_0 + its hf/ files: roles, heatmap, verdict, Markdown export with the per-layer table', async ({ page }) => {
  const requests = await open_page(page);
  // Drag and drop, as a user would drop the GGUF and the HF files together.
  await drop(page, [Q4, ...HF]);
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
  await expect(page.locator('#reference-description')).toContainText('Hugging Face checkpoint');

  await page.click('#check-quick');
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'healthy');
  await expect(page.locator('#heatmap rect.cell')).toHaveCount(48);
  await expect(page.locator('#class-chart')).toBeVisible();
  await expect(page.locator('#verdict')).toContainText('quick check');

  // Full check: the table equals the CLI's JSON.
  await page.click('#check-full');
  await expect(page.locator('#weight-check')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('#verdict')).not.toContainText('quick check');
  const cli = cli_json(['compare', Q4, '--ref', join(S, 'hf'), '--json']);
  const t = cli.tensors.find((x) => x.name === 'blk.2.ffn_down.weight');
  await expect(page.locator('#check-table tr[data-name="blk.2.ffn_down.weight"]')).toContainText(t.cos.toFixed(6));

  // Click a heatmap cell: details and the value histogram.
  await page.click('#heatmap rect[data-name="blk.2.ffn_down.weight"]');
  await expect(page.locator('#tensor-details')).toHaveAttribute('data-name', 'blk.2.ffn_down.weight');
  await expect(page.locator('#tensor-details')).toContainText(t.cos.toFixed(8));
  await expect(page.locator('#histogram rect')).toHaveCount(64);
  await expect(page.locator('#row-cos-histogram rect')).toHaveCount(t.row_cos_hist.counts.length);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-md')]);
  const md = readFileSync(await download.path(), 'utf8');
  expect(md).toContain('### Weights per layer');
  expect(md).toContain('| layer | cos min | cos mean | worst tensor | status |');
  for (const l of cli.layers) expect(md).toContain(`| ${l.layer} | ${l.cos_min.toFixed(6)} | ${l.cos_mean.toFixed(6)} |`);
  expect(md).toContain('| candidate | stories260K-Q4_0.gguf |');
  expect(md).toContain('model.safetensors');
  const [json_dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const full = JSON.parse(readFileSync(await json_dl.path(), 'utf8'));
  expect(full.weights.verdict).toBe('healthy');
  expect(full.inspect.tensors.length).toBe(48);
  expect(requests).toEqual([]);
});

test('reference from a folder picker; two GGUFs: the smaller is the candidate, swap', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', Q4);
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await page.setInputFiles('#ref-folder-input', join(S, 'hf'));
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
  await expect(page.locator('#role-reference')).toContainText('model.safetensors');
  await expect(page.locator('#role-reference')).not.toContainText('tokenizer.model');

  const F32 = join(S, 'stories260K-F32.gguf');
  await page.setInputFiles('#file-input', [F32, Q4]);
  await expect(page.locator('#role-reference')).toContainText('stories260K-F32.gguf');
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await page.click('#swap-roles');
  await expect(page.locator('#role-candidate')).toContainText('stories260K-F32.gguf');
  await expect(page.locator('#role-reference')).toContainText('stories260K-Q4_0.gguf');
  await expect(page.locator('#reference-description')).toBeVisible();
  await page.click('#check-full');
  await expect(page.locator('#verdict')).toBeVisible();
});

test('ppl on the built-in excerpt, 2 chunks of 256: the CLI number, in the Markdown report too', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', Q4);
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await expect(page.locator('#text-attribution')).toContainText('CC BY-SA 3.0');
  await page.fill('#ppl-ctx', '256');
  await page.fill('#ppl-chunks', '2');
  await page.click('#ppl-run');
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done');
  const cli = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '2', '--json']);
  const shown = Number(await page.locator('#ppl-value').getAttribute('data-ppl'));
  console.log(`# page ppl ${shown}, CLI ${cli.ppl}`);
  expect(Math.abs(shown / cli.ppl - 1)).toBeLessThan(PPL_REL_TOL);
  const text = await page.locator('#ppl-value').textContent();
  expect(Math.abs(Number(text.split(' ')[0]) / cli.ppl - 1)).toBeLessThan(2e-6);   // 4 decimals shown
  await expect(page.locator('#ppl-chart circle')).toHaveCount(2);
  await expect(page.locator('#ppl-verdict')).toHaveAttribute('data-status', cli.verdict.status);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-md')]);
  const md = readFileSync(await download.path(), 'utf8');
  expect(md).toContain(`| PPL | ${shown.toFixed(4)} ±`);
});

test('ppl with llama.cpp arithmetic: the CLI\'s --activations ggml number, named in the result and the report', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', Q4);
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await page.fill('#ppl-ctx', '256');
  await page.fill('#ppl-chunks', '2');
  await page.check('#ppl-ggml');
  await page.click('#ppl-run');
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('#ppl-activations')).toHaveAttribute('data-activations', 'ggml');
  const ggml = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '2', '--activations', 'ggml', '--json']);
  const f32 = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '2', '--json']);
  const shown = Number(await page.locator('#ppl-value').getAttribute('data-ppl'));
  console.log(`# page ggml ppl ${shown}, CLI ggml ${ggml.ppl}, CLI f32 ${f32.ppl}`);
  // 8-bit rounding turns the builds' ~1e-7 float differences into whole
  // steps here and there (tests/wasm/ppl.test.mjs): 1e-3, not 1e-5.
  expect(Math.abs(shown / ggml.ppl - 1)).toBeLessThan(1e-3);
  expect(shown).not.toBe(f32.ppl);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-md')]);
  expect(readFileSync(await download.path(), 'utf8')).toContain("arithmetic: llama.cpp's CPU rounding");
});

test('ppl with the HF reference: ref PPL, KLD and the hidden-cosine chart', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', [Q4, ...HF]);
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
  await page.fill('#ppl-ctx', '256');
  await page.fill('#ppl-chunks', '1');
  await page.click('#ppl-run');
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done');
  const cli = cli_json(['ppl', Q4, '-f', EXCERPT, '-c', '256', '--chunks', '1', '--ref', join(S, 'hf'), '--json']);
  const ref_text = await page.locator('#ppl-ref').textContent();
  expect(Math.abs(Number(ref_text.split(' ')[0]) / cli.ref_ppl - 1)).toBeLessThan(PPL_REL_TOL);
  await expect(page.locator('#hidden-cos-chart polyline')).toHaveCount(2);
});

test('cancel a full compare in the middle, start again: no stale result', async ({ page }) => {
  await open_page(page);
  // Two generated 100 MB F32 GGUFs (candidate and reference GGUF): the full
  // check reads 200 MB, long enough to cancel in the middle on any machine
  // (the fixtures finish in a fraction of a second).
  const big = gguf_bytes({
    kvs: [['general.architecture', 'str', 'llama']],
    tensors: [0, 1, 2, 3].map((i) => ({ name: `blk.${i}.attn_q.weight`, ne: [2048, 3072] })),
  });
  const cand = join(tmp, 'big-cand.gguf'), ref = join(tmp, 'big-ref.gguf');
  writeFileSync(cand, big);
  writeFileSync(ref, big);
  await page.setInputFiles('#file-input', [cand, ref]);
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
  await page.click('#check-full');
  await expect(page.locator('#check-progress')).toBeVisible();
  await page.click('#check-progress .cancel');
  await expect(page.locator('#check-cancelled')).toBeVisible();
  await expect(page.locator('#verdict')).toHaveCount(0);
  // The fresh worker reopened the same files; a quick check now gives the
  // quick result, and the cancelled full run never shows up.
  await expect(page.locator('#role-reference')).toHaveAttribute('data-open', 'true');
  await page.click('#check-quick');
  await expect(page.locator('#weight-check')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('#verdict')).toContainText('quick check');
  await page.waitForTimeout(1500);   // a stale full result would have arrived by now
  await expect(page.locator('#verdict')).toContainText('quick check');
});

test('scan values: statistics in the tensor table, histogram on click; tokenization of the first lines', async ({ page }) => {
  await open_page(page);
  await page.setInputFiles('#file-input', Q4);
  await expect(page.locator('#role-candidate')).toContainText('stories260K-Q4_0.gguf');
  await page.click('#scan-values');
  await expect(page.locator('#scan-ok')).toBeVisible();
  const cli = cli_json(['dequant', Q4, '--stats', '--json']);
  const row = cli.tensors.find((x) => x.name === 'blk.0.attn_q.weight');
  const tr = page.locator('#tensors tr.tensor[data-name="blk.0.attn_q.weight"]');
  await expect(tr).toContainText(row.std.toExponential(2));
  await tr.click();
  await expect(page.locator('#histogram rect')).toHaveCount(64);
  await expect(page.locator('#histogram-nonfinite')).toHaveCount(0);

  await page.click('#tokenize');
  await expect(page.locator('#token-count')).toBeVisible();
  const n = Number(await page.locator('#token-count').getAttribute('data-count'));
  expect(n).toBeGreaterThan(10);
  await expect(page.locator('.token').first()).toBeVisible();
});
