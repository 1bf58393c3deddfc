// The messages between the UI (main thread) and the worker that owns the
// wasm module and the user's File objects. Both sides import this file; no
// other message shapes exist. Files travel as File objects (structured
// clone keeps them disk-backed: nothing is copied or read on the main thread).
//
// UI -> worker
//   { type: OPEN_FILES,  id, files: File[] }   inspect these files as one model
//   { type: OPEN_SAMPLE, id }                  inspect the built-in sample model
// worker -> UI
//   { type: READY }                            wasm module instantiated
//   { type: REPORT, id, files, report, stats } done; report is the object that
//                                              `ggufcheck inspect --json` prints
//   { type: FAILED, id, message }              id is null when the module
//                                              itself failed to load
// stats = { parse_ms, report_ms, bytes_read, reads, total_bytes }
//   parse_ms    time to open + parse headers + run integrity checks (wasm)
//   report_ms   time to build and serialize the report JSON
//   bytes_read  bytes fetched from the files (the read-ahead's window reads)
//   reads       FileReaderSync calls made
// files = [{ name, size }]

export const OPEN_FILES = 'open_files';
export const OPEN_SAMPLE = 'open_sample';
export const READY = 'ready';
export const REPORT = 'report';
export const FAILED = 'failed';

// The built-in sample, relative to the worker script (dist/worker.js).
export const SAMPLE = { name: 'stories260K-Q4_0.gguf', path: 'samples/stories260K-Q4_0.gguf' };

export const msg_open_files = (id, files) => ({ type: OPEN_FILES, id, files: Array.from(files) });
export const msg_open_sample = (id) => ({ type: OPEN_SAMPLE, id });
export const msg_ready = () => ({ type: READY });
export const msg_report = (id, files, report, stats) => ({ type: REPORT, id, files, report, stats });
export const msg_failed = (id, message) => ({ type: FAILED, id, message });
