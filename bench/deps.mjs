// The benchmark's own npm packages: the engines ggufcheck is compared with.
// They are not project dependencies (no test needs them): `npm run bench`
// installs them on demand, pinned, into the gitignored bench/.deps/.
//
//   node-llama-cpp               llama.cpp as a Node addon (prebuilt); only
//   @node-llama-cpp/<os>-<arch>  the one CPU prebuilt of this machine (with
//                                --omit=optional npm skips the CUDA/Vulkan ones:
//                                ~95 MB instead of ~1 GB)
//   @wllama/wllama               llama.cpp compiled to wasm (one build, threads
//                                when cross-origin isolated), for Chromium
// npm does not run node-llama-cpp's postinstall (it would try to download or
// build llama.cpp); the prebuilt package is all it needs at run time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DEPS_DIR = join(dirname(fileURLToPath(import.meta.url)), '.deps');
export const NODE_LLAMA_CPP = '3.21.1';
export const WLLAMA = '3.13.0';
const NLC_PREBUILT = `@node-llama-cpp/${process.platform}-${process.arch}`;

export const DEPS = {
  'node-llama-cpp': NODE_LLAMA_CPP,
  [NLC_PREBUILT]: NODE_LLAMA_CPP,
  '@wllama/wllama': WLLAMA,
};

// Version of an installed package in bench/.deps, or null.
export function deps_version(name) {
  const p = join(DEPS_DIR, 'node_modules', name, 'package.json');
  if (!existsSync(p)) return null;
  try { return JSON.parse(readFileSync(p, 'utf8')).version ?? null; } catch { return null; }
}

// Installs the pinned packages unless they are all there already. Returns
// null on success, or why it failed (no network, no such prebuilt, ...).
export function deps_ensure(log = console.error) {
  const missing = Object.entries(DEPS).filter(([n, v]) => deps_version(n) !== v);
  if (missing.length === 0) return null;
  const specs = Object.entries(DEPS).map(([n, v]) => `${n}@${v}`);
  const args = ['install', '--prefix', DEPS_DIR, '--no-save', '--omit=optional', '--no-audit', '--no-fund', ...specs];
  log(`[deps] missing ${missing.map(([n]) => n).join(', ')}: npm ${args.join(' ')}`);
  mkdirSync(DEPS_DIR, { recursive: true });
  try {
    execFileSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    return `npm install failed (${e.message.split('\n')[0]})`;
  }
  const still = Object.entries(DEPS).filter(([n, v]) => deps_version(n) !== v);
  return still.length ? `still missing after npm install: ${still.map(([n]) => n).join(', ')}` : null;
}

// import() of a package installed in bench/.deps (ESM imports do not follow
// NODE_PATH): the file its package.json exports for `import`.
export async function deps_import(name) {
  const dir = join(DEPS_DIR, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let entry = pkg.exports?.['.'] ?? pkg.exports;
  while (entry && typeof entry === 'object') entry = entry.import ?? entry.node ?? entry.default;
  entry ??= pkg.module ?? pkg.main ?? 'index.js';
  return import(pathToFileURL(join(dir, entry)).href);
}
