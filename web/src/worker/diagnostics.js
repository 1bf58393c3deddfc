// Worker-side answers about the worker itself (not about the files), for
// tests and for a future "about" panel. Kept apart from worker.js so that
// the message handling there stays about the checker.
//
//   { type: MEMORY, id }  ->  { type: RESULT, id, kind: 'memory',
//                               data: { heap_top, heap_bytes, cross_origin_isolated } }
//   heap_top    where a fresh 16 MiB block lands in the heap (malloc, then
//               free at once): the allocator serves it from the free space
//               above everything in use, so it moves up when something
//               leaks or fragments, and stays put while memory is returned.
//               A far finer measure than heap_bytes below.
//   heap_bytes  the wasm linear memory's size (M.memoryBytes()). It only grows
//               (wasm memory never shrinks) and in steps of megabytes.
import * as P from '../protocol.js';

const PROBE_BYTES = 16 << 20;

function heap_top(M) {
  const p = M._malloc(PROBE_BYTES);
  if (!p) return null;
  M._free(p);
  return p;
}

export function diagnostics_reply(M, data) {
  if (data?.type !== P.MEMORY) return null;
  const top = heap_top(M);   // first: it may grow the memory once
  return P.msg_result(data.id, 'memory', {
    heap_top: top,
    heap_bytes: M.memoryBytes(),
    cross_origin_isolated: self.crossOriginIsolated === true,
  }, 0);
}
