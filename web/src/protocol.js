// The messages between the UI (main thread) and the worker that owns the
// wasm module and the user's File objects. Both sides import this file; no
// other message shapes exist. Files travel as File objects (structured
// clone keeps them disk-backed: nothing is copied or read on the main thread).
//
// UI -> worker
//   { type: OPEN_FILES,  id, files: File[], ref_files: File[] }
//        inspect `files` as one model (the candidate) and, when ref_files is
//        not empty, open them as its reference (HF files or a GGUF)
//   { type: OPEN_SAMPLE, id }                  inspect the built-in sample model
//   { type: RUN_COMPARE, id, quick }           the weight check (against the
//        reference when one is open, else reference-free)
//   { type: RUN_PPL, id, input, n_ctx, chunks, use_ref }
//        input = { file: File, as: 'text' | 'tokens' } or { sample_text: true }
//   { type: RUN_SCAN, id }                     value statistics of every tensor
//   { type: GET_HISTOGRAM, id, name, bins }    one tensor's value histogram
//   { type: TOKENIZE, id, input, max_lines }   the model's tokenization of the
//        first max_lines lines of input ({ file } or { sample_text: true })
//   { type: MAKE_REPORT, id, inputs }          Markdown report; inputs = {files:
//        [{role, name, size}], inspect, weights, ppl} (see check/report-md.h)
// worker -> UI
//   { type: READY, threads, note }             wasm module instantiated; threads
//        it computes on (the threaded build needs a cross-origin isolated
//        page) and, when 1, why
//   { type: REPORT, id, files, ref_files, report, reference, stats }
//        done opening; report is the object `ggufcheck inspect --json`
//        prints, reference = {open, kind, description, findings} or null
//   { type: PROGRESS, id, kind, ... }          kind 'compare' | 'scan':
//        { done, total, tensor } (bytes); kind 'ppl': { batch, n_batches,
//        layer, n_layers, chunks_done, n_chunks }
//   { type: RESULT, id, kind, data, ms }       kind 'compare' (the JSON of
//        `ggufcheck compare --json`), 'ppl' (`ggufcheck ppl --json`), 'scan' (`ggufcheck dequant --stats --json`), 'histogram',
//        'tokens' ({lines, tokenizer, findings, ids, pieces}), 'report'
//        ({ markdown })
//   { type: FAILED, id, message }              id is null when the module
//                                              itself failed to load
// stats = { parse_ms, report_ms, bytes_read, reads, total_bytes }
//   parse_ms    time to open + parse headers + run integrity checks (wasm)
//   report_ms   time to build and serialize the report JSON
//   bytes_read  bytes fetched from the files (the read-ahead's window reads)
//   reads       FileReaderSync calls made
// files, ref_files = [{ name, size }]
//
// Cancel: the UI terminates the worker (a wasm loop cannot be interrupted
// otherwise), starts a new one and sends OPEN_FILES again.

export const OPEN_FILES = 'open_files';
export const OPEN_SAMPLE = 'open_sample';
export const RUN_COMPARE = 'run_compare';
export const RUN_PPL = 'run_ppl';
export const RUN_SCAN = 'run_scan';
export const GET_HISTOGRAM = 'get_histogram';
export const TOKENIZE = 'tokenize';
export const MAKE_REPORT = 'make_report';
export const READY = 'ready';
export const REPORT = 'report';
export const PROGRESS = 'progress';
export const RESULT = 'result';
export const FAILED = 'failed';
// Diagnostics (worker/diagnostics.js): { type: MEMORY, id } -> RESULT kind
// 'memory', data { heap_top, heap_bytes, cross_origin_isolated }.
export const MEMORY = 'memory';

// The built-in sample, relative to the worker script (dist/worker.js).
export const SAMPLE = { name: 'stories260K-Q4_0.gguf', path: 'samples/stories260K-Q4_0.gguf' };
// The built-in text excerpt (first ~20 kB of wikitext-2-raw test, CC BY-SA 3.0).
export const SAMPLE_TEXT = { name: 'wiki.test.raw (excerpt)', path: 'samples/wiki-excerpt.txt' };

export const msg_open_files = (id, files, ref_files = []) =>
  ({ type: OPEN_FILES, id, files: Array.from(files), ref_files: Array.from(ref_files) });
export const msg_open_sample = (id) => ({ type: OPEN_SAMPLE, id });
export const msg_run_compare = (id, quick) => ({ type: RUN_COMPARE, id, quick });
export const msg_run_ppl = (id, input, n_ctx, chunks, use_ref, activations = 'f32') =>
  ({ type: RUN_PPL, id, input, n_ctx, chunks, use_ref, activations });
export const msg_run_scan = (id) => ({ type: RUN_SCAN, id });
export const msg_get_histogram = (id, name, bins) => ({ type: GET_HISTOGRAM, id, name, bins });
export const msg_tokenize = (id, input, max_lines) => ({ type: TOKENIZE, id, input, max_lines });
export const msg_make_report = (id, inputs) => ({ type: MAKE_REPORT, id, inputs });
export const msg_ready = (threads, note) => ({ type: READY, threads, note });
export const msg_report = (id, files, ref_files, report, reference, stats) =>
  ({ type: REPORT, id, files, ref_files, report, reference, stats });
export const msg_progress = (id, kind, fields) => ({ type: PROGRESS, id, kind, ...fields });
export const msg_result = (id, kind, data, ms) => ({ type: RESULT, id, kind, data, ms });
export const msg_failed = (id, message) => ({ type: FAILED, id, message });
export const msg_memory = (id) => ({ type: MEMORY, id });
