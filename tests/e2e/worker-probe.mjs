// Looking into the page's worker from a Playwright test: which worker is the
// checker's, and its wasm memory (the protocol's MEMORY message, answered by
// web/src/worker/diagnostics.js).

// The checker's module worker: spawn.js starts it from a blob: bootstrap, so
// it is the one worker with a blob: URL (a pthreads build's helper workers,
// if any, load from the site's own URL).
export function main_worker(page) {
  const all = page.workers();
  const blob = all.filter((w) => w.url().startsWith('blob:'));
  if (blob.length === 1) return blob[0];
  if (all.length === 1) return all[0];
  throw new Error(`cannot tell the checker's worker among ${all.length}: ${all.map((w) => w.url()).join(', ')}`);
}

// { heap_top, heap_bytes, cross_origin_isolated } of that worker's wasm
// module. The reply is taken off the worker's postMessage before it reaches
// the page, which ignores it.
export async function wasm_memory(worker) {
  return worker.evaluate(() => new Promise((resolve, reject) => {
    const post = self.postMessage.bind(self);
    const id = `memory-probe-${Math.random()}`;
    const timer = setTimeout(() => { self.postMessage = post; reject(new Error('no memory reply')); }, 5000);
    self.postMessage = (m, ...rest) => {
      if (m?.id !== id) return post(m, ...rest);
      clearTimeout(timer);
      self.postMessage = post;
      if (m.type !== 'result') reject(new Error(`memory: ${m.message}`));
      else resolve(m.data);
    };
    self.onmessage({ data: { type: 'memory', id } });
  }));
}
