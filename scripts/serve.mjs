#!/usr/bin/env node
// A small static file server for the built page, with the headers the page
// needs (web/csp.mjs): cross-origin isolation and a Content-Security-Policy
// that forbids requests to anywhere but this server.
//
//   node scripts/serve.mjs [--plain] [DIR=dist] [PORT=8080] [HOST=127.0.0.1]
//   GC_SERVE_QUIET=1  do not log requests
//
// --plain behaves like the plainest static host (a bucket, a wiki's file
// area, `python -m http.server` on an old Python): no security headers at
// all (no CSP header, no COOP/COEP/CORP, so the page is not cross-origin
// isolated) and .wasm served as application/octet-stream. The static build
// must work there too, with the CSP of its <meta> tag as the only policy.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from '../web/csp.mjs';

const args = process.argv.slice(2);
const plain = args.includes('--plain');
const [dir, port_arg, host_arg] = args.filter((a) => a !== '--plain');
const root = resolve(dir ?? 'dist');
const port = Number(port_arg ?? 8080);
const host = host_arg ?? '127.0.0.1';
const HEADERS = plain ? {} : SECURITY_HEADERS;
const quiet = process.env.GC_SERVE_QUIET === '1';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.gguf': 'application/octet-stream',
};

function send_error(res, status, text) {
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

const server = createServer((req, res) => {
  let status = 200;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      return send_error(res, status, 'method not allowed');
    }
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(root, path));
    // Never serve outside the root (../, encoded or not).
    if (file !== root && !file.startsWith(root + sep)) {
      status = 403;
      return send_error(res, status, 'forbidden');
    }
    let st;
    try {
      st = statSync(file);
    } catch {
      status = 404;
      return send_error(res, status, 'not found');
    }
    if (!st.isFile()) {
      status = 404;
      return send_error(res, status, 'not found');
    }
    res.writeHead(200, {
      ...HEADERS,
      'Content-Type': (plain && extname(file).toLowerCase() === '.wasm') ? 'application/octet-stream'
        : TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': st.size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  } catch (e) {
    status = 400;
    send_error(res, status, 'bad request');
  } finally {
    if (!quiet) console.log(`${status} ${req.method} ${req.url}`);
  }
});

server.on('error', (e) => {
  console.error(`[serve] ${e.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  console.log(`[serve] serving ${root} on http://${host}:${port}/${plain ? ' (plain: no security headers)' : ''}  (Ctrl-C to stop)`);
});
