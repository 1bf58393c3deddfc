// UI state as signals, and the actions that change it. Components read these
// signals and call these actions; they hold no state of their own beyond
// what is purely visual. The worker is reached only through ./protocol.js.
import { computed, signal } from '@preact/signals';
import * as P from './protocol.js';
import { census_rows, metadata_rows, summary_of, tensor_groups } from './report-view.js';

// 'loading' until the worker's wasm module is up, then 'ready' or 'failed'.
export const engine = signal('loading');
export const engine_error = signal(null);

// The request in flight: { id, label } or null.
export const job = signal(null);
// The last result: { files, report, stats } (see protocol.js) or null.
export const result = signal(null);
// The last failure message (shown until the next success).
export const failure = signal(null);

// Table controls.
export const meta_filter = signal('');
export const tensor_filter = signal('');
export const tensor_sort = signal({ key: 'offset', dir: 1 });
export const expanded_keys = signal(new Set());   // metadata keys whose long array is expanded

// Derived views of the report (pure functions in report-view.js).
export const report = computed(() => result.value?.report ?? null);
export const summary = computed(() => (report.value ? summary_of(report.value) : null));
export const census = computed(() => (report.value ? census_rows(report.value) : []));
export const metadata = computed(() => (report.value ? metadata_rows(report.value, meta_filter.value) : []));
export const tensors = computed(() =>
  report.value ? tensor_groups(report.value, tensor_filter.value, tensor_sort.value) : []);

// ---- the worker bridge ----
let worker = null;
let next_id = 1;

function on_message({ data }) {
  switch (data.type) {
    case P.READY:
      engine.value = 'ready';
      return;
    case P.REPORT:
      if (job.value?.id !== data.id) return;   // superseded by a newer request
      job.value = null;
      failure.value = null;
      expanded_keys.value = new Set();
      result.value = { files: data.files, report: data.report, stats: data.stats };
      return;
    case P.FAILED:
      if (data.id === null) {
        engine.value = 'failed';
        engine_error.value = data.message;
        job.value = null;
        return;
      }
      if (job.value?.id !== data.id) return;
      job.value = null;
      failure.value = data.message;
      return;
  }
}

export function start_worker() {
  if (worker) return;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = on_message;
  worker.onerror = (e) => {
    engine.value = 'failed';
    engine_error.value = `worker error: ${e.message ?? 'could not start'}`;
    job.value = null;
  };
}

// ---- actions ----
export function open_files(files) {
  const list = Array.from(files ?? []);
  if (list.length === 0) return;
  const id = next_id++;
  job.value = { id, label: list.map((f) => f.name).join(', ') };
  worker.postMessage(P.msg_open_files(id, list));
}

export function open_sample() {
  const id = next_id++;
  job.value = { id, label: P.SAMPLE.name };
  worker.postMessage(P.msg_open_sample(id));
}

export function sort_tensors_by(key) {
  const cur = tensor_sort.value;
  tensor_sort.value = { key, dir: cur.key === key ? -cur.dir : 1 };
}

export function toggle_key(key) {
  const next = new Set(expanded_keys.value);
  if (next.has(key)) next.delete(key);
  else next.add(key);
  expanded_keys.value = next;
}
