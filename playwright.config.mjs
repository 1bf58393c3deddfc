// Playwright drives Debian's Chromium (/usr/bin/chromium): no browser is
// downloaded. The server is scripts/serve.mjs over dist/ (built by
// scripts/build.sh), on its own port so that a running `scripts/app.sh`
// (port 8080) does not get in the way.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.GC_TEST_PORT ?? 8123);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.mjs',
  workers: 1,
  timeout: 60_000,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
  webServer: {
    command: `node scripts/serve.mjs dist ${PORT}`,
    env: { GC_SERVE_QUIET: '1' },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
