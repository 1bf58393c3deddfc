// Starts the module worker so that the page's Content-Security-Policy holds
// inside it on any host.
//
// A worker loaded from an http(s) URL gets the CSP of that script's own
// response headers, and nothing else: on a plain static host (no headers)
// it could fetch anything, whatever the page's <meta> policy says. A worker
// loaded from a blob: URL instead inherits the policy of the document that
// created it, the <meta> tag's included (HTML "policy container"
// inheritance for local-scheme URLs). So the worker starts as a one-line
// blob: module that imports the real worker script by absolute URL; the
// script keeps its own import.meta.url, so the wasm file and the sample are
// still found next to it. web/csp.mjs allows blob: in worker-src for this.
export function spawn_worker(url) {
  const abs = new URL(url, document.baseURI).href;
  const boot = new Blob([`import ${JSON.stringify(abs)};\n`], { type: 'text/javascript' });
  const blob_url = URL.createObjectURL(boot);
  try {
    return new Worker(blob_url, { type: 'module' });
  } finally {
    // The worker has its URL; the bootstrap's text is fetched once.
    setTimeout(() => URL.revokeObjectURL(blob_url), 10_000);
  }
}
