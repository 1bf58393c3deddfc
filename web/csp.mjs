// The page's security headers, shared by the build (which writes the CSP into
// index.html as a <meta> tag, so that it also holds on a plain static host)
// and by scripts/serve.mjs (which sends them as HTTP headers, the only way
// the worker script gets a CSP and the page gets cross-origin isolation).
//
// The policy is what "nothing is uploaded" rests on: after the page has
// loaded, it may only fetch from its own origin (the wasm module and the
// built-in sample model), and nothing anywhere else.
//   default-src 'none'          everything not listed below is forbidden
//   script-src 'self' 'wasm-unsafe-eval'
//                               our bundles, and compiling the wasm module
//                               (Embind is built with -sDYNAMIC_EXECUTION=0,
//                               so no eval / new Function is needed)
//   worker-src 'self' blob:     the module worker. It is started from a
//                               one-line blob: module that imports worker.js
//                               (web/src/worker/spawn.js): a blob: worker
//                               inherits this page's policy, the <meta> tag's
//                               included, whereas a worker loaded from a URL
//                               gets only the policy of its own response
//                               headers, i.e. none on a plain static host.
//   connect-src 'self'          fetch/XHR/WebSocket/beacon only to our origin
//   style-src 'self'            the stylesheet (element.style from JS is allowed)
//   img-src 'self' data:        no remote images (they would be requests too)
//   form-action 'none', base-uri 'none'
export const CSP_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

// HTTP-only additions: frame-ancestors is ignored in a <meta> tag.
export const CSP_HEADER = CSP_POLICY + "; frame-ancestors 'none'";

// Headers for every response of the dev/test server. COOP + COEP make the
// page cross-origin isolated (SharedArrayBuffer, for wasm threads later);
// CORP lets our own resources load under COEP.
export const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP_HEADER,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
