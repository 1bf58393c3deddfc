// UI state as signals, and the actions that change it. Components read these
// signals and call these actions; they hold no state of their own beyond
// what is purely visual. The worker is reached only through ./protocol.js.
import { computed, signal } from '@preact/signals';
import * as P from './protocol.js';
import { census_rows, metadata_rows, summary_of, tensor_groups } from './report-view.js';
import { assign_roles, can_swap } from './roles.js';
import { spawn_worker } from './worker/spawn.js';

// 'loading' until the worker's wasm module is up, then 'ready' or 'failed'.
export const engine = signal('loading');
export const engine_error = signal(null);
// Threads the worker computes on ({ threads, note } from its READY message).
export const engine_threads = signal(null);

// The request in flight for opening files: { id, label } or null.
export const job = signal(null);
// The last result: { files, ref_files, report, reference, stats } (see protocol.js) or null.
export const result = signal(null);
// The last failure message (shown until the next success).
export const failure = signal(null);

// The files by role (roles.js): what the worker has open.
export const roles = signal({ candidate: [], reference: [] });
// The perplexity/tokenization input: { file, as: 'text' | 'tokens' } or
// null for the built-in excerpt.
export const text_input = signal(null);

// Long runs, one signal each: null, or { id, state: 'running' | 'done' |
// 'failed', t0, progress, data, error, ... }.
export const compare_run = signal(null);
export const ppl_run = signal(null);
export const scan_run = signal(null);
export const histogram = signal(null);   // { id, name, state, data, error }
export const tokens_view = signal(null); // { id, state, data, error }
export const selected_tensor = signal(null);   // name of the tensor whose details are shown

// PPL inputs (defaults finish in seconds on small models).
export const ppl_ctx = signal(512);
export const ppl_chunks = signal(4);
export const ppl_use_ref = signal(true);
// llama.cpp's CPU arithmetic (8-bit activations, faster) instead of exact f32.
export const ppl_ggml = signal(false);

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
export const reference = computed(() => result.value?.reference ?? null);
export const swappable = computed(() => can_swap(roles.value));
export const busy = computed(() => [compare_run, ppl_run, scan_run].some((s) => s.value?.state === 'running'));

// ---- the worker bridge ----
let worker = null;
let next_id = 1;

const RUNS = { compare: compare_run, ppl: ppl_run, scan: scan_run, histogram, tokens: tokens_view };

function on_result(data) {
  if (data.kind === 'report') {
    if (pending_report?.id !== data.id) return;
    pending_report.resolve(data.data.markdown);
    pending_report = null;
    return;
  }
  const run = RUNS[data.kind];
  if (!run || run.value?.id !== data.id) return;   // cancelled or superseded
  run.value = { ...run.value, state: 'done', data: data.data, ms: data.ms };
}

function on_failed(data) {
  if (data.id === null) {
    engine.value = 'failed';
    engine_error.value = data.message;
    job.value = null;
    return;
  }
  if (job.value?.id === data.id) {
    job.value = null;
    failure.value = data.message;
    return;
  }
  if (pending_report?.id === data.id) {
    pending_report.reject(new Error(data.message));
    pending_report = null;
    return;
  }
  for (const run of Object.values(RUNS)) {
    if (run.value?.id === data.id) run.value = { ...run.value, state: 'failed', error: data.message };
  }
}

function on_message({ data }) {
  switch (data.type) {
    case P.READY:
      engine_threads.value = { threads: data.threads,
                               note: data.threads === 1 && isolation_note ? [data.note, isolation_note].filter(Boolean).join('; ') : data.note };
      engine.value = 'ready';
      return;
    case P.REPORT:
      if (job.value?.id !== data.id) return;   // superseded by a newer request
      job.value = null;
      failure.value = null;
      if (!job_keeps_results) {
        expanded_keys.value = new Set();
        for (const run of Object.values(RUNS)) run.value = null;
        selected_tensor.value = null;
      }
      result.value = { files: data.files, ref_files: data.ref_files, report: data.report,
                       reference: data.reference, stats: data.stats };
      return;
    case P.PROGRESS: {
      const run = RUNS[data.kind];
      if (!run || run.value?.id !== data.id || run.value.state !== 'running') return;
      run.value = { ...run.value, progress: { ...data, at: performance.now() } };
      return;
    }
    case P.RESULT:
      on_result(data);
      return;
    case P.FAILED:
      on_failed(data);
      return;
  }
}

// Messages for a worker not started yet: main.jsx starts it only once the
// page is as cross-origin isolated as it gets (isolation.js), and a file may
// be dropped before that. Sent, in order, when it starts.
let early_messages = [];
function post(msg) {
  if (worker) worker.postMessage(msg);
  else early_messages.push(msg);
}

// Why the page is not cross-origin isolated, from isolation.js ('' when it
// is): appended to a one-thread note, next to the worker's own reason.
let isolation_note = '';

export function start_worker(why_not_isolated = isolation_note) {
  if (worker) return;
  isolation_note = why_not_isolated;
  engine.value = 'loading';
  worker = spawn_worker(new URL('./worker.js', import.meta.url));
  worker.onmessage = on_message;
  for (const msg of early_messages) worker.postMessage(msg);
  early_messages = [];
  worker.onerror = (e) => {
    engine.value = 'failed';
    engine_error.value = `worker error: ${e.message ?? 'could not start'}`;
    job.value = null;
  };
}

// ---- actions ----
let job_keeps_results = false;

function post_open(label, keep_results = false) {
  const r = roles.value;
  const id = next_id++;
  job_keeps_results = keep_results;
  job.value = { id, label };
  post(P.msg_open_files(id, r.candidate, r.reference));
}

// Files from the picker or a drop: roles decide what opens as what.
export function open_files(files) {
  const list = Array.from(files ?? []);
  if (list.length === 0) return;
  const next = assign_roles(list, roles.value);
  if (!next) return;
  if (next.text.length > 0) text_input.value = { file: next.text[0], as: 'text' };
  else if (next.tokens.length > 0) text_input.value = { file: next.tokens[0], as: 'tokens' };
  const changed = next.candidate !== roles.value.candidate || next.reference !== roles.value.reference;
  if (!changed) {
    // Only a text: show its tokenization.
    if (report.value) tokenize_text();
    return;
  }
  roles.value = { candidate: next.candidate, reference: next.reference };
  if (next.candidate.length === 0) {
    failure.value = 'These are reference files (Hugging Face checkpoint); drop the GGUF file to check against them too.';
    return;
  }
  post_open(list.filter((f) => next.candidate.includes(f) || next.reference.includes(f)).map((f) => f.name).join(', ') ||
            next.candidate.map((f) => f.name).join(', '));
}

export function open_sample() {
  const id = next_id++;
  roles.value = { candidate: [], reference: [] };
  job_keeps_results = false;
  job.value = { id, label: P.SAMPLE.name };
  post(P.msg_open_sample(id));
}

export function swap_roles() {
  if (!swappable.value) return;
  const r = roles.value;
  roles.value = { candidate: r.reference, reference: r.candidate };
  post_open(`${r.reference.map((f) => f.name).join(', ')} (swapped)`);
}

export function drop_reference() {
  roles.value = { ...roles.value, reference: [] };
  post_open(roles.value.candidate.map((f) => f.name).join(', '));
}

function start_run(signal_, kind, msg_fn, extra = {}) {
  const id = next_id++;
  signal_.value = { id, kind, state: 'running', t0: performance.now(), progress: null, data: null, error: null, ...extra };
  post(msg_fn(id));
}

export function run_compare(quick) {
  selected_tensor.value = null;
  start_run(compare_run, 'compare', (id) => P.msg_run_compare(id, quick), { quick });
}

export function run_ppl() {
  const input = text_input.value ? { file: text_input.value.file, as: text_input.value.as } : { sample_text: true };
  const use_ref = ppl_use_ref.value && !!reference.value?.open;
  const activations = ppl_ggml.value ? 'ggml' : 'f32';
  start_run(ppl_run, 'ppl', (id) => P.msg_run_ppl(id, input, ppl_ctx.value, ppl_chunks.value, use_ref, activations),
            { n_ctx: ppl_ctx.value, chunks: ppl_chunks.value, use_ref, activations });
}

export function run_scan() {
  start_run(scan_run, 'scan', (id) => P.msg_run_scan(id));
}

export function show_tensor(name) {
  selected_tensor.value = name;
  start_run(histogram, 'histogram', (id) => P.msg_get_histogram(id, name, 64), { name });
}

export function tokenize_text() {
  const input = text_input.value?.as === 'text' ? { file: text_input.value.file } : { sample_text: true };
  start_run(tokens_view, 'tokens', (id) => P.msg_tokenize(id, input, 8));
}

export function use_sample_text() {
  text_input.value = null;
}

// Cancel: terminate the worker (the only sure way to stop a wasm loop),
// start a fresh one and open the same files again. Every run in flight ends
// as cancelled; results that arrive later carry a dead id and are dropped.
export function cancel_runs() {
  worker?.terminate();
  worker = null;
  for (const run of Object.values(RUNS)) {
    if (run.value?.state === 'running') run.value = { ...run.value, state: 'cancelled' };
  }
  if (pending_report) {
    pending_report.reject(new Error('cancelled'));
    pending_report = null;
  }
  start_worker();
  if (roles.value.candidate.length > 0) post_open(roles.value.candidate.map((f) => f.name).join(', '), true);
  else if (result.value) {
    const id = next_id++;
    job_keeps_results = true;
    job.value = { id, label: P.SAMPLE.name };
    post(P.msg_open_sample(id));
  }
}

// ---- export ----
let pending_report = null;

function report_inputs() {
  const r = result.value;
  const files = [
    ...(r?.files ?? []).map((f) => ({ role: 'candidate', name: f.name, size: f.size })),
    ...(r?.ref_files ?? []).map((f) => ({ role: 'reference', name: f.name, size: f.size })),
  ];
  const ppl = ppl_run.value?.state === 'done' ? ppl_run.value.data : null;
  if (ppl) {
    const t = text_input.value;
    files.push(t ? { role: 'text', name: t.file.name, size: t.file.size } : { role: 'text', name: P.SAMPLE_TEXT.name, size: 0 });
  }
  return {
    files,
    inspect: r?.report ?? null,
    weights: compare_run.value?.state === 'done' ? compare_run.value.data : null,
    ppl,
  };
}

// The Markdown report, built in the core (check/report-md.h) from the same
// JSON the page shows.
export function make_markdown() {
  const id = next_id++;
  return new Promise((resolve, reject) => {
    pending_report = { id, resolve, reject };
    post(P.msg_make_report(id, report_inputs()));
  });
}

export function full_json() {
  return report_inputs();
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
