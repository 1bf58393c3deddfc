// The service worker that makes the page cross-origin isolated on a static
// host that cannot send headers (GitHub Pages, `python -m http.server`, a
// bucket). Built by scripts/build-web.mjs into dist/isolation-sw.js (a classic
// script, next to index.html, so that its scope is the whole page) and
// registered by web/src/isolation.js only when the page is not isolated.
//
// Why it works: a response a service worker hands to the page counts as the
// server's response, headers included. COOP: same-origin on the document
// plus COEP: require-corp on the document and on every worker script make
// the page cross-origin isolated (crossOriginIsolated, SharedArrayBuffer),
// which the threaded wasm build (ggufcheck-mt.*) needs. A dedicated worker
// loaded from a URL (the pthread workers) must itself carry COEP when its
// owner has it, so worker scripts need the headers too, not just the page.
//
// What it does, and nothing more:
//   - only requests to this origin are touched; any other request falls
//     through to the browser untouched (the page's CSP forbids them anyway,
//     and it is checked before a request ever reaches a service worker);
//   - each such request is fetched exactly as the page asked for it (same
//     Request object: method, cache mode, credentials), once: no extra
//     request, no prefetch, no Cache Storage, nothing kept between requests;
//   - the response's body is passed on as a stream, unread, with the headers
//     below added where the server did not send them;
//   - a response that already has a Cross-Origin-Embedder-Policy is returned
//     as it is: a server that sends its own isolation headers decides them.
//
// The Content-Security-Policy header (web/csp.mjs, the one scripts/serve.mjs
// sends) is added where absent too: the page has it in a <meta> tag anyway,
// but a worker loaded from a URL (the pthread workers, which exist only once
// the page is isolated) gets the policy of its own response headers only.
import { CSP_HEADER } from '../csp.mjs';

const ADDED_HEADERS = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  // Same-origin resources load under require-corp without it; set so that
  // the response says what it is also to anything that checks.
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Content-Security-Policy', CSP_HEADER],
];

// Take over at once: the page waits for this worker to control it and then
// reloads itself once (isolation.js); there is no older version to wait for.
self.addEventListener('install', () => { self.skipWaiting(); });
self.addEventListener('activate', (e) => { e.waitUntil(self.clients.claim()); });

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (new URL(req.url).origin !== self.location.origin) return;
  e.respondWith(fetch(req).then(with_isolation_headers));
});

// The response with the headers above added, or the response itself where
// headers cannot or must not be changed.
function with_isolation_headers(res) {
  // Opaque responses (status 0, e.g. a manual redirect of a navigation) have
  // no readable headers; 1xx cannot be constructed; a server that sent COEP
  // chose its own policy.
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status < 200) return res;
  if (res.headers.has('Cross-Origin-Embedder-Policy')) return res;
  const headers = new Headers(res.headers);
  for (const [name, value] of ADDED_HEADERS) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}
