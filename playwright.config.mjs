// Playwright drives Debian's Chromium (/usr/bin/chromium): no browser is
// downloaded. The server is scripts/serve.mjs over dist/ (built by
// scripts/build.sh), on its own port so that a running `scripts/app.sh`
// (port 8080) does not get in the way.
//
// Two projects run against the same dist/ (GC_DIST to use another build):
//   isolated  served with the security headers of web/csp.mjs (CSP header,
//             COOP/COEP: cross-origin isolated): every spec
//   static    served by `serve.mjs --plain`, the plainest static host: no
//             headers at all, .wasm as application/octet-stream. The page's
//             <meta> CSP is the only policy until the page's service worker
//             (web/src/isolation-sw.js) adds COOP/COEP and the page reloads
//             itself cross-origin isolated. Runs the inspect tests, the
//             privacy proof, the hostile inputs (issue 8: "works from any
//             static host"), threads through the service worker and its
//             fallbacks (isolation.spec).
//   static-no-sw  the same host with service workers blocked (Playwright's
//             serviceWorkers: 'block'): not cross-origin isolated, one
//             thread. The same specs as 'static' but isolation.spec: the
//             plain page as it was before the service worker.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.GC_TEST_PORT ?? 8123);
const PLAIN_PORT = PORT + 1;
const DIST = process.env.GC_DIST ?? 'dist';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.mjs',
  workers: 1,
  timeout: 60_000,
  reporter: 'list',
  projects: [
    { name: 'isolated', use: { baseURL: `http://127.0.0.1:${PORT}` } },
    {
      name: 'static',
      use: { baseURL: `http://127.0.0.1:${PLAIN_PORT}` },
      testMatch: ['page.spec.mjs', 'privacy.spec.mjs', 'hostile.spec.mjs', 'threads.spec.mjs', 'isolation.spec.mjs'],
      // These two assert the headers themselves (isolation, the CSP header
      // reaching the URL-loaded worker); privacy.spec checks the plain host.
      grepInvert: /headers: cross-origin isolated|CSP blocks requests to other origins, from the page and from the worker/,
    },
    {
      name: 'static-no-sw',
      use: { baseURL: `http://127.0.0.1:${PLAIN_PORT}`, serviceWorkers: 'block' },
      testMatch: ['page.spec.mjs', 'privacy.spec.mjs', 'hostile.spec.mjs', 'threads.spec.mjs'],
      grepInvert: /headers: cross-origin isolated|CSP blocks requests to other origins, from the page and from the worker/,
    },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.GC_CHROMIUM ?? '/usr/bin/chromium',
      // Background networking off: the page must be the only thing that could
      // make requests (and this machine's network is closed anyway).
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: `node scripts/serve.mjs ${DIST} ${PORT}`,
      env: { GC_SERVE_QUIET: '1' },
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      command: `node scripts/serve.mjs --plain ${DIST} ${PLAIN_PORT}`,
      env: { GC_SERVE_QUIET: '1' },
      url: `http://127.0.0.1:${PLAIN_PORT}/`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
  ],
});
