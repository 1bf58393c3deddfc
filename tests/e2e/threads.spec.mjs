// Threads in the browser: on a cross-origin isolated page (headers from the
// server, or from the isolation service worker on a plain static host) the
// worker loads the pthreads build and computes on every core (up to 16);
// where the page cannot be isolated it says why it runs on one thread. Either way the numbers are those
// of one thread, bit for bit: the perplexity of a generated model whose head
// spans 32 vocab tiles (so the threads really split the work) equals the
// single-thread module's, run under node on the same file.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fs_reader, load_module } from '../wasm/helpers.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXCERPT = join(REPO, 'web/public/samples/wiki-excerpt.txt');

let tmp, model;
test.beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ggufcheck-e2e-threads-'));
  model = join(tmp, 'bench-tiny-q4_k.gguf');
  execFileSync('node', [join(REPO, 'tools/gen-bench-model.mjs'), model, '--type', 'q4_k', '--preset', 'tiny']);
});
test.afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

async function page_threads(page) {
  await page.goto('/');
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready');
  await page.setInputFiles('#file-input', model);
  await expect(page.locator('#ppl-threads')).toBeVisible();
  return {
    shown: Number(await page.locator('#ppl-threads').getAttribute('data-threads')),
    text: await page.locator('#ppl-threads').textContent(),
    cores: await page.evaluate(() => navigator.hardwareConcurrency),
    isolated: await page.evaluate(() => self.crossOriginIsolated),
  };
}

// 'isolated': the server sends COOP/COEP; 'static': the isolation service
// worker adds them (web/src/isolation-sw.js).
test('isolated page: all cores, and the single-thread perplexity bit for bit', async ({ page }, info) => {
  test.skip(!['isolated', 'static'].includes(info.project.name), 'needs COOP/COEP');
  const t = await page_threads(page);
  console.log(`# cores ${t.cores}, shown "${t.text}"`);
  expect(t.isolated).toBe(true);
  expect(t.shown).toBe(Math.min(t.cores, 16));
  await page.fill('#ppl-ctx', '64');
  await page.fill('#ppl-chunks', '2');
  await page.click('#ppl-run');
  await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const shown = Number(await page.locator('#ppl-value').getAttribute('data-ppl'));
  await expect(page.locator('#ppl-run-threads')).toHaveText(String(t.shown));

  const M = await load_module();   // the single-thread build, under node
  const s = new M.Session();
  const reader = fs_reader(model);
  expect(s.open([reader])).toBe(true);
  const one = JSON.parse(s.pplJson({ text: readFileSync(EXCERPT) }, { n_ctx: 64, chunks: 2 }, () => {}));
  expect(s.threads()).toBe(1);
  s.delete();
  reader.close();
  console.log(`# ppl: page on ${t.shown} threads ${shown}, node on 1 thread ${one.ppl}`);
  expect(shown).toBe(one.ppl);
});

// The plain host where no service worker can add the headers (project
// static-no-sw: service workers blocked; isolation.spec covers ?sw=0 and the
// other ways the service worker can fail).
test('plain static host: one thread, and the page says why', async ({ page }, info) => {
  test.skip(info.project.name !== 'static-no-sw', 'the plain host without service workers only');
  const t = await page_threads(page);
  expect(t.isolated).toBe(false);
  expect(t.shown).toBe(1);
  expect(t.text).toContain('not cross-origin isolated');
  expect(t.text).toContain('service workers are blocked');
});
