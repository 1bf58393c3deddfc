#!/usr/bin/env node
// Builds the static site into dist/ (or $GC_DIST):
//   app.js      the Preact UI (web/src/main.jsx), bundled by esbuild
//   worker.js   the module worker with the Embind glue bundled in
//   ggufcheck.wasm   next to worker.js, where the glue looks for it (import.meta.url)
//   ggufcheck-mt.{mjs,wasm,worker.js}   the threaded build, loaded by the worker
//               when the page is cross-origin isolated ($GC_BUILD_DIR/wasm-mt;
//               without it the page runs on one thread everywhere)
//   isolation-sw.js  the service worker that makes the page cross-origin
//               isolated where the host sends no COOP/COEP (web/src/isolation.js)
//   index.html  with the CSP of web/csp.mjs written into its <meta> tag
//   style.css, samples/ (web/public/)
// Needs the wasm build: $GC_BUILD_DIR/wasm/ggufcheck.{mjs,wasm} (default build/).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_POLICY } from '../web/csp.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const wasm_dir = resolve(root, process.env.GC_BUILD_DIR ?? 'build', 'wasm');
const out = resolve(root, process.env.GC_DIST ?? 'dist');
const mt_dir = resolve(wasm_dir, '..', 'wasm-mt');
const MT_FILES = ['ggufcheck-mt.mjs', 'ggufcheck-mt.wasm', 'ggufcheck-mt.worker.js'];

for (const f of ['ggufcheck.mjs', 'ggufcheck.wasm']) {
  if (!existsSync(resolve(wasm_dir, f))) {
    console.error(`[web] missing ${resolve(wasm_dir, f)}: run scripts/build.sh wasm first`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const t0 = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: { app: 'web/src/main.jsx', worker: 'web/src/worker/worker.js' },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { 'ggufcheck-wasm': resolve(wasm_dir, 'ggufcheck.mjs') },
  logLevel: 'warning',
});
// The service worker that adds COOP/COEP on hosts without header control
// (web/src/isolation-sw.js): a classic script (module service workers are
// not everywhere), at the root so that its scope is the whole page.
await build({
  absWorkingDir: root,
  entryPoints: { 'isolation-sw': 'web/src/isolation-sw.js' },
  outdir: out,
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
});
cpSync(resolve(wasm_dir, 'ggufcheck.wasm'), resolve(out, 'ggufcheck.wasm'));
if (MT_FILES.every((f) => existsSync(resolve(mt_dir, f)))) {
  for (const f of MT_FILES) cpSync(resolve(mt_dir, f), resolve(out, f));
} else {
  console.warn(`[web] no threaded build in ${mt_dir}: the page will compute on one thread`);
}
cpSync(resolve(root, 'web/public'), out, { recursive: true });
cpSync(resolve(root, 'web/style.css'), resolve(out, 'style.css'));

const html = readFileSync(resolve(root, 'web/index.html'), 'utf8');
if (!html.includes('__CSP__')) throw new Error('web/index.html lost its __CSP__ placeholder');
writeFileSync(resolve(out, 'index.html'), html.replace('__CSP__', CSP_POLICY));
console.log(`[web] built ${out} in ${(performance.now() - t0).toFixed(0)} ms`);
