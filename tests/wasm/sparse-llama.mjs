// A llama GGUF far larger than the memory the forward may use, written as a
// sparse file: token_embd, output, the norms and the first `data_layers`
// layers hold data, the other layers are holes (zeros: valid Q8_0/F16 blocks
// with scale 0, which add exactly 0 to the residual). The same model as
// tests/native/test-memory-forward.cpp, for the wasm build.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

const F32 = 0, F16 = 1, Q8_0 = 8;
export const SHAPE = { n_embd: 1024, n_ff: 2816, n_vocab: 1024, n_head: 8, n_head_kv: 4 };

function nbytes(type, ne) {
  const n = ne.reduce((a, b) => a * b, 1);
  return type === F32 ? n * 4 : type === F16 ? n * 2 : (n / 32) * 34;
}

function le(n, v) {
  const b = Buffer.alloc(n);
  if (n === 4) b.writeUInt32LE(v);
  else b.writeBigUInt64LE(BigInt(v));
  return b;
}
const str = (s) => Buffer.concat([le(8, Buffer.byteLength(s)), Buffer.from(s)]);

// Deterministic pseudo-random bytes (xorshift32).
function filler(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

function tensor_data(type, size, rnd) {
  const b = Buffer.alloc(size);
  if (type === F32) {
    for (let i = 0; i < size; i += 4) b.writeFloatLE(1.0, i);
  } else if (type === F16) {
    for (let i = 0; i < size; i += 2) { const r = rnd(); b.writeUInt16LE(((r & 1) << 15) | ((8 + (r >>> 1) % 5) << 10) | ((r >>> 4) & 1023), i); }
  } else {
    for (let i = 0; i < size; i += 34) {
      b.writeUInt16LE(0x1819, i);   // f16 scale ~0.002
      for (let k = 0; k < 32; ++k) b.writeInt8((rnd() % 255) - 127, i + 2 + k);
    }
  }
  return b;
}

// Returns { size, header_bytes, largest_layer } of the written file.
export function write_sparse_llama(path, n_layer, data_layers = 1) {
  const { n_embd: D, n_ff: FF, n_vocab: NV, n_head: H, n_head_kv: KV } = SHAPE;
  const HD = D / H;
  const tensors = [];
  const add = (name, ne, type, data) => tensors.push({ name, ne, type, data, size: nbytes(type, ne) });
  add('token_embd.weight', [D, NV], Q8_0, true);
  add('output_norm.weight', [D], F32, true);
  add('output.weight', [D, NV], Q8_0, true);
  for (let il = 0; il < n_layer; ++il) {
    const p = `blk.${il}.`, data = il < data_layers;
    add(p + 'attn_norm.weight', [D], F32, true);
    add(p + 'attn_q.weight', [D, H * HD], Q8_0, data);
    add(p + 'attn_k.weight', [D, KV * HD], Q8_0, data);
    add(p + 'attn_v.weight', [D, KV * HD], Q8_0, data);
    add(p + 'attn_output.weight', [H * HD, D], F16, data);
    add(p + 'ffn_norm.weight', [D], F32, true);
    add(p + 'ffn_gate.weight', [D, FF], Q8_0, data);
    add(p + 'ffn_up.weight', [D, FF], Q8_0, data);
    add(p + 'ffn_down.weight', [FF, D], Q8_0, data);
  }
  const kv = (k, type, v) => Buffer.concat([str(k), le(4, type), type === 8 ? str(v) : type === 6 ? (() => { const b = Buffer.alloc(4); b.writeFloatLE(v); return b; })() : le(4, v)]);
  const kvs = [kv('general.architecture', 8, 'llama'), kv('llama.block_count', 4, n_layer), kv('llama.embedding_length', 4, D),
    kv('llama.feed_forward_length', 4, FF), kv('llama.attention.head_count', 4, H), kv('llama.attention.head_count_kv', 4, KV),
    kv('llama.attention.layer_norm_rms_epsilon', 6, 1e-5), kv('llama.rope.freq_base', 6, 10000)];
  const parts = [Buffer.from('GGUF'), le(4, 3), le(8, tensors.length), le(8, kvs.length), ...kvs];
  let off = 0;
  const layer_bytes = new Array(n_layer).fill(0);
  for (const t of tensors) {
    t.offset = off;
    parts.push(str(t.name), le(4, t.ne.length), ...t.ne.map((d) => le(8, d)), le(4, t.type), le(8, off));
    off += Math.ceil(t.size / 32) * 32;
    if (t.name.startsWith('blk.')) layer_bytes[Number(t.name.split('.')[1])] += t.size;
  }
  let head = Buffer.concat(parts);
  head = Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32)]);
  const fd = openSync(path, 'w');
  writeSync(fd, head, 0, head.length, 0);
  const rnd = filler(5);
  for (const t of tensors) {
    if (t.data) { const b = tensor_data(t.type, t.size, rnd); writeSync(fd, b, 0, b.length, head.length + t.offset); }
  }
  ftruncateSync(fd, head.length + off);
  closeSync(fd);
  return { size: head.length + off, header_bytes: head.length, largest_layer: Math.max(...layer_bytes) };
}
