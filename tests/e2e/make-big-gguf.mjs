// A llama GGUF larger than 4 GiB for the scale test (tests/e2e/scale.spec.mjs),
// written as a sparse file so that it costs ~0.4 GB of disk and of writing.
//
//   node tests/e2e/make-big-gguf.mjs OUT.gguf      (prints the layout as JSON)
//
// Shape: TinyLlama-1.1B's layers (n_embd 2048, 32 heads / 4 KV heads of 64,
// n_ff 5632) with 25 of them and a 4096-token vocabulary, every tensor F32:
// 4.47 GB, so the last tensors lie past 2^32 bytes, where a 32-bit offset
// anywhere between the File and the wasm core would wrap. F32 because it
// has the fewest weights per byte: the forward's work per byte read is
// smallest, which keeps one PPL chunk over the whole file short.
//
// Tensor data, in the usual order (token_embd, blk.0 .. blk.24, output_norm,
// output):
//   token_embd, output, the last DATA_LAYERS layers' matrices
//                      real: uniform random in [-a, a], seeded per tensor
//                      (xorshift32), a = sqrt(3) sigma with sigma 1 for the
//                      embedding and 1 / sqrt(n_in) for the matrices, so the
//                      activations stay O(1). blk.24 straddles 2^32 and
//                      output lies past it.
//   every norm         ones (real, 8 KiB each).
//   the other layers' matrices
//                      holes: never written, they read as zeros (a zero
//                      attention and FFN add exactly 0 to the residual, so
//                      the model is still a valid llama whose output depends
//                      on the real tensors only).
// The data's exact statistics (count, sum, sum of squares, max |x| of the
// float32 values, in double) are returned per tensor: an oracle for the
// page's reference-free weight check that does not share any code with it.
//
// The tokenizer is SPM-style ("llama"): <unk>, <s>, </s>, the 256 byte
// tokens <0xNN>, then "▁tNNNN" pieces that no merge of real text reaches, so
// text tokenizes to BOS + byte tokens (of the text with spaces as "▁"), the
// same in the CLI and the page.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gguf_layout } from '../wasm/gguf-writer.mjs';

export const SHAPE = { n_embd: 2048, n_ff: 5632, n_head: 32, n_head_kv: 4, head_dim: 64, n_vocab: 4096, n_layer: 25 };
export const DATA_LAYERS = 2;   // the last layers hold random weights
const ALIGN = 32;

function vocab_kvs(n_vocab) {
  const tokens = ['<unk>', '<s>', '</s>'], scores = [0, 0, 0], types = [2, 3, 3];   // UNKNOWN, CONTROL
  for (let b = 0; b < 256; ++b) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`); scores.push(0); types.push(6); }   // BYTE
  while (tokens.length < n_vocab) { tokens.push(`\u2581t${tokens.length}`); scores.push(-tokens.length); types.push(1); }   // NORMAL
  return [['tokenizer.ggml.model', 'str', 'llama'], ['tokenizer.ggml.tokens', 'str[]', tokens],
          ['tokenizer.ggml.scores', 'f32[]', scores], ['tokenizer.ggml.token_type', 'i32[]', types],
          ['tokenizer.ggml.bos_token_id', 'u32', 1], ['tokenizer.ggml.eos_token_id', 'u32', 2],
          ['tokenizer.ggml.unknown_token_id', 'u32', 0], ['tokenizer.ggml.add_bos_token', 'bool', true]];
}

// Deterministic uniform floats in [-a, a) (xorshift32).
function uniform(seed, a) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return a * (x / 2 ** 31 - 1); };
}

// Fills a tensor's data chunk by chunk (16 MiB) and writes it at `at`;
// returns its statistics.
function write_tensor(fd, at, n, fill) {
  const CHUNK = 1 << 22;
  const buf = new Float32Array(Math.min(n, CHUNK));
  const st = { n, sum: 0, sumsq: 0, max_abs: 0 };
  for (let done = 0; done < n;) {
    const k = Math.min(CHUNK, n - done);
    for (let i = 0; i < k; ++i) {
      buf[i] = fill();
      const v = buf[i];   // the float32 value, as stored
      st.sum += v;
      st.sumsq += v * v;
      if (Math.abs(v) > st.max_abs) st.max_abs = Math.abs(v);
    }
    writeSync(fd, new Uint8Array(buf.buffer, 0, 4 * k), 0, 4 * k, at + 4 * done);
    done += k;
  }
  return st;
}

// The file's layout without writing it: { kvs, list: [[name, ne, fill]],
// layout (gguf_layout's), size, data_bytes (what writing it stores: the
// header and every non-hole tensor) }. fill is 'ones', 'hole', or the sigma
// of random data.
export function plan_big_llama(shape = SHAPE, data_layers = DATA_LAYERS) {
  const { n_embd: D, n_ff: FF, n_head: H, n_head_kv: KV, head_dim: HD, n_vocab: NV, n_layer: NL } = shape;
  const A = 'llama';
  const kvs = [
    ['general.architecture', 'str', A], ['general.name', 'str', 'ggufcheck-scale-test'], ['general.file_type', 'u32', 0],   // ALL_F32
    [`${A}.context_length`, 'u32', 2048], [`${A}.embedding_length`, 'u32', D], [`${A}.block_count`, 'u32', NL],
    [`${A}.feed_forward_length`, 'u32', FF], [`${A}.attention.head_count`, 'u32', H], [`${A}.attention.head_count_kv`, 'u32', KV],
    [`${A}.rope.dimension_count`, 'u32', HD], [`${A}.rope.freq_base`, 'f32', 10000],
    [`${A}.attention.layer_norm_rms_epsilon`, 'f32', 1e-5], [`${A}.vocab_size`, 'u32', NV],
    ...vocab_kvs(NV),
  ];
  const list = [['token_embd.weight', [D, NV], 1]];
  for (let il = 0; il < NL; ++il) {
    const p = `blk.${il}.`, real = il >= NL - data_layers;
    const w = (n_in) => (real ? 1 / Math.sqrt(n_in) : 'hole');
    list.push([p + 'attn_norm.weight', [D], 'ones'], [p + 'attn_q.weight', [D, H * HD], w(D)],
              [p + 'attn_k.weight', [D, KV * HD], w(D)], [p + 'attn_v.weight', [D, KV * HD], w(D)],
              [p + 'attn_output.weight', [H * HD, D], w(H * HD)], [p + 'ffn_norm.weight', [D], 'ones'],
              [p + 'ffn_gate.weight', [D, FF], w(D)], [p + 'ffn_up.weight', [D, FF], w(D)],
              [p + 'ffn_down.weight', [FF, D], w(FF)]);
  }
  list.push(['output_norm.weight', [D], 'ones'], ['output.weight', [D, NV], 1 / Math.sqrt(D)]);
  const layout = gguf_layout({ kvs, tensors: list.map(([name, ne]) => ({ name, ne, type: 'f32' })), alignment: ALIGN });
  let data_bytes = layout.header.length;
  list.forEach(([, , fill], i) => { if (fill !== 'hole') data_bytes += layout.sizes[i]; });
  return { kvs, list, layout, size: layout.header.length + layout.data_size, data_bytes };
}

// Writes the model to `path` (sparse). Returns { size, header_bytes,
// written, tensors: [{ name, ne, type, offset (absolute), size, data, stats }] }.
export function write_big_llama(path, shape = SHAPE, data_layers = DATA_LAYERS) {
  const { list, layout, size } = plan_big_llama(shape, data_layers);
  const head = layout.header.length;
  const tensors = [];
  let written = head;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, layout.header, 0, head, 0);
    list.forEach(([name, ne, fill], i) => {
      const n = ne.reduce((a, b) => a * b, 1);
      const t = { name, ne, type: 'F32', offset: head + layout.offsets[i], size: layout.sizes[i], data: fill !== 'hole' };
      if (fill === 'hole') t.stats = { n, sum: 0, sumsq: 0, max_abs: 0 };
      else {
        const next = fill === 'ones' ? () => 1 : uniform(0x9e3779b9 ^ (i * 2654435761), Math.sqrt(3) * fill);
        t.stats = write_tensor(fd, t.offset, n, next);
        written += t.size;
      }
      tensors.push(t);
    });
    ftruncateSync(fd, size);   // the holes at the end, if any
  } finally {
    closeSync(fd);
  }
  return { size, header_bytes: head, written, tensors };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node tests/e2e/make-big-gguf.mjs OUT.gguf');
    process.exit(1);
  }
  const t0 = performance.now();
  const m = write_big_llama(out);
  console.log(JSON.stringify({
    file: out, size: m.size, header_bytes: m.header_bytes, written: m.written, ms: Math.round(performance.now() - t0),
    past_4GiB: m.tensors.filter((t) => t.offset + t.size > 2 ** 32).map((t) => ({ name: t.name, offset: t.offset, size: t.size, data: t.data })),
  }, null, 1));
}
