// Cross-origin isolation on a host that sends no headers (issue 7): the page
// registers dist/isolation-sw.js (web/src/isolation-sw.js), which adds
// COOP/COEP to this origin's responses, reloads itself once the service
// worker is in control, and then computes on every core (up to 16) with the
// threaded build, with the single-thread numbers bit for bit. Where the
// server sends the headers itself nothing is registered. The fallbacks
// (service workers blocked, `?sw=0`, a browser that does not take the
// headers from the service worker) end on one thread with the reason shown,
// after at most one reload.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fs_reader, load_module } from '../wasm/helpers.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SAMPLE = join(REPO, 'web/public/samples/stories260K-Q4_0.gguf');
const EXCERPT = join(REPO, 'web/public/samples/wiki-excerpt.txt');

// Counts the main frame's document loads (the first one and any reload).
function count_loads(page) {
  const loads = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) loads.push(f.url()); });
  return loads;
}

async function ready(page) {
  await expect(page.locator('main')).toHaveAttribute('data-engine', 'ready', { timeout: 30_000 });
}

async function threads_shown(page) {
  await page.click('#sample-button');
  await expect(page.locator('#summary')).toHaveAttribute('data-n-tensors', '48');
  const el = page.locator('#ppl-threads');
  await expect(el).toBeVisible();
  return { n: Number(await el.getAttribute('data-threads')), text: await el.textContent() };
}

// The page's own verdict on the service worker: registered scripts, and
// whether one controls this page.
const sw_state = (page) => page.evaluate(async () => ({
  isolated: self.crossOriginIsolated,
  controller: navigator.serviceWorker.controller?.scriptURL ?? null,
  registered: (await navigator.serviceWorker.getRegistrations()).map((r) => r.active?.scriptURL ?? r.installing?.scriptURL ?? '?'),
}));

test.describe('plain static host', () => {
  test.beforeEach(({}, info) => test.skip(info.project.name !== 'static', 'the plain host only'));

  test('the service worker isolates the page after one reload: all cores, same perplexity as one thread', async ({ page }) => {
    test.setTimeout(120_000);
    const loads = count_loads(page);
    const res = await page.goto('/');
    expect(res.headers()['cross-origin-embedder-policy']).toBeUndefined();   // the host sends none
    await ready(page);
    const s = await sw_state(page);
    console.log(`# ${loads.length} document loads; controller ${s.controller}`);
    expect(loads.length).toBe(2);                              // the first load and one reload
    expect(s.isolated).toBe(true);
    expect(s.controller).toMatch(/\/isolation-sw\.js$/);
    expect(s.registered).toEqual([s.controller]);
    // The headers as the page received them (through the service worker).
    const doc = await page.evaluate(async () => {
      const r = await fetch('index.html');
      return { coop: r.headers.get('cross-origin-opener-policy'), coep: r.headers.get('cross-origin-embedder-policy') };
    });
    expect(doc).toEqual({ coop: 'same-origin', coep: 'require-corp' });

    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const t = await threads_shown(page);
    console.log(`# cores ${cores}, shown "${t.text}"`);
    expect(t.n).toBe(Math.max(1, Math.min(cores, 16)));

    await page.fill('#ppl-ctx', '128');
    await page.fill('#ppl-chunks', '1');
    await page.click('#ppl-run');
    await expect(page.locator('#ppl')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(page.locator('#ppl-run-threads')).toHaveText(String(t.n));
    const shown = Number(await page.locator('#ppl-value').getAttribute('data-ppl'));

    const M = await load_module();   // the single-thread build, under node
    const session = new M.Session();
    const reader = fs_reader(SAMPLE);
    expect(session.open([reader])).toBe(true);
    const one = JSON.parse(session.pplJson({ text: readFileSync(EXCERPT) }, { n_ctx: 128, chunks: 1 }, () => {}));
    session.delete();
    reader.close();
    console.log(`# ppl: page on ${t.n} threads ${shown}, node on 1 thread ${one.ppl}`);
    expect(shown).toBe(one.ppl);

    // A second visit is isolated from its first load: no reload any more.
    const again = count_loads(page);
    await page.goto('/');
    await ready(page);
    expect(again.length).toBe(1);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('?sw=0: no service worker, one thread, and the note says why', async ({ page }) => {
    const loads = count_loads(page);
    await page.goto('/?sw=0');
    await ready(page);
    expect(loads.length).toBe(1);
    expect(await sw_state(page)).toEqual({ isolated: false, controller: null, registered: [] });
    const t = await threads_shown(page);
    expect(t.n).toBe(1);
    expect(t.text).toContain('not cross-origin isolated');
    expect(t.text).toContain('?sw=0');
  });

  test('?sw=0 after the service worker was installed: unregistered, one reload, one thread; without it isolated again', async ({ page }) => {
    await page.goto('/');
    await ready(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const loads = count_loads(page);
    await page.goto('/?sw=0');
    await ready(page);
    expect(loads.length).toBe(2);                  // the controlled load, then the plain one
    expect(await sw_state(page)).toEqual({ isolated: false, controller: null, registered: [] });
    expect((await threads_shown(page)).n).toBe(1);
    // Back without ?sw=0 in the same tab: registered again, isolated again.
    await page.goto('/');
    await ready(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  // A browser that runs the service worker but does not make the page
  // isolated: simulated by a service worker that takes control and passes
  // responses on without adding anything. One reload, then it gives up.
  test('isolation that does not take: exactly one reload, then one thread with the reason', async ({ page, context }) => {
    let served = 0;
    await context.route('**/isolation-sw.js', (route) => {
      served++;
      return route.fulfill({ contentType: 'text/javascript', body: `
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
        self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request)));` });
    });
    const loads = count_loads(page);
    await page.goto('/');
    await ready(page);
    await page.waitForTimeout(1_000);              // a reload loop would show here
    expect(served).toBeGreaterThanOrEqual(1);
    expect(loads.length).toBe(2);
    const s = await sw_state(page);
    expect(s.isolated).toBe(false);
    expect(s.controller).toMatch(/\/isolation-sw\.js$/);
    const t = await threads_shown(page);
    expect(t.n).toBe(1);
    expect(t.text).toContain('did not become isolated');
  });
});

test.describe('service workers blocked', () => {
  test.use({ serviceWorkers: 'block' });
  test('plain static host: one thread, and the note says why', async ({ page }, info) => {
    test.skip(info.project.name !== 'static', 'the plain host only');
    const loads = count_loads(page);
    await page.goto('/');
    await ready(page);
    expect(loads.length).toBe(1);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const t = await threads_shown(page);
    expect(t.n).toBe(1);
    expect(t.text).toContain('not cross-origin isolated');
    expect(t.text).toContain('service workers are blocked');
  });
});

test('a server that sends COOP/COEP: isolated on the first load, nothing registered', async ({ page }, info) => {
  test.skip(info.project.name !== 'isolated', 'needs the headers');
  const loads = count_loads(page);
  const requests = [];
  page.context().on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto('/');
  await ready(page);
  expect(loads.length).toBe(1);
  expect(await sw_state(page)).toEqual({ isolated: true, controller: null, registered: [] });
  expect(requests).not.toContain('/isolation-sw.js');
});
