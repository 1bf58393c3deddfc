#!/usr/bin/env node
// Writes a llama-architecture GGUF with random weights, for benchmarks (not
// tests): the forward's cost per weight is the same as for a trained model.
//
//   node tools/gen-bench-model.mjs OUT.gguf [--type q8_0|q4_k] [--preset 1b|300m|tiny] [--seed N]
//
// Presets (vocab 32000, head_dim 64, rope base 10000, SPM-style vocab):
//   1b    TinyLlama-1.1B's shape: n_embd 2048, 22 layers, 32 heads / 4 KV heads, n_ff 5632 (1.10 B params)
//   300m  n_embd 1024, 24 layers, 16 / 4 heads, n_ff 2816 (0.37 B params)
//   tiny  n_embd 256, 2 layers, 4 / 2 heads, n_ff 512 (smoke test, 17 M params)
//
// Every 2-D weight (token_embd and output included) has --type; norms are
// F32 ones. There is no float quantizer here: blocks are written directly
// in the quantized domain, with zero-mean random codes and a scale chosen so
// that each weight has standard deviation ~ 1/sqrt(n_in) (activations stay
// O(1) through the layers):
//   Q8_0  (ggml block_q8_0: f16 d, int8 qs[32]):  qs uniform random bytes,
//         d = 1 / (73.9 sqrt(n_in))  (std of a uniform int8 is 73.9).
//   Q4_K  (block_q4_K: f16 d, f16 dmin, 12 bytes of 6-bit sub-block scales
//         and mins, 128 bytes of 4-bit codes q): every sub-block has scale
//         and min 32, dmin = 7.5 d, so w = 32 d (q - 7.5) with q uniform in
//         0..15 (std 4.61): d = 1 / (32 * 4.61 sqrt(n_in)). Real Q4_K files
//         have varying sub-block scales; the decode and GEMM work is the same.
// The vocabulary: <unk>, <s>, </s>, the 256 byte tokens <0xNN>, then
// "▁tNNNNN" pieces, so llama.cpp loads the file (tokenizer.ggml.model llama).
import { openSync, writeSync, closeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';

const presets = {
  '1b': { n_embd: 2048, n_layer: 22, n_head: 32, n_head_kv: 4, n_ff: 5632 },
  '300m': { n_embd: 1024, n_layer: 24, n_head: 16, n_head_kv: 4, n_ff: 2816 },
  tiny: { n_embd: 256, n_layer: 2, n_head: 4, n_head_kv: 2, n_ff: 512 },
};
const args = process.argv.slice(2);
let out = null, type = 'q8_0', preset = '1b';
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--type') type = args[++i];
  else if (args[i] === '--preset') preset = args[++i];
  else if (args[i] === '--seed') ++i;   // randomFillSync is not seedable; accepted for symmetry
  else if (!out && !args[i].startsWith('-')) out = args[i];
  else { console.error(`unknown argument ${args[i]}`); process.exit(1); }
}
if (!out || !presets[preset] || !['q8_0', 'q4_k'].includes(type)) {
  console.error('usage: node tools/gen-bench-model.mjs OUT.gguf [--type q8_0|q4_k] [--preset 1b|300m|tiny]');
  process.exit(1);
}
const P = { ...presets[preset], n_vocab: 32000, head_dim: 64, n_ctx: 2048 };

// ggml type ids and block geometry (ggml.h / ggml-common.h).
const GGML = { f32: { id: 0, blk: 1, bytes: 4 }, q8_0: { id: 8, blk: 32, bytes: 34 }, q4_k: { id: 12, blk: 256, bytes: 144 } };
const FILE_TYPE = { q8_0: 7, q4_k: 15 };   // llama_ftype MOSTLY_Q8_0, MOSTLY_Q4_K_M
const T = { u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9 };

// f16 bits of a positive normal float (round to nearest).
function f16(x) {
  let e = Math.floor(Math.log2(x));
  let m = Math.round((x / 2 ** e - 1) * 1024);
  if (m === 1024) { m = 0; ++e; }
  if (e < -14 || e > 15) throw new Error(`scale ${x} is not a normal f16`);
  return ((e + 15) << 10) | m;
}

// Header writer.
const parts = [];
let hlen = 0;
const push = (b) => { parts.push(b); hlen += b.length; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); push(b); };
const i32 = (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v); push(b); };
const f32 = (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v); push(b); };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); push(b); };
const str = (s) => { const b = Buffer.from(s, 'utf8'); u64(b.length); push(b); };
const kvs = [];
const kv = (k, t, v, et) => kvs.push([k, t, v, et]);

const A = 'llama';
kv('general.architecture', 'str', A);
kv('general.name', 'str', `ggufcheck-bench-${preset}-${type}`);
kv('general.file_type', 'u32', FILE_TYPE[type]);
kv(`${A}.context_length`, 'u32', P.n_ctx);
kv(`${A}.embedding_length`, 'u32', P.n_embd);
kv(`${A}.block_count`, 'u32', P.n_layer);
kv(`${A}.feed_forward_length`, 'u32', P.n_ff);
kv(`${A}.attention.head_count`, 'u32', P.n_head);
kv(`${A}.attention.head_count_kv`, 'u32', P.n_head_kv);
kv(`${A}.rope.dimension_count`, 'u32', P.head_dim);
kv(`${A}.rope.freq_base`, 'f32', 10000);
kv(`${A}.attention.layer_norm_rms_epsilon`, 'f32', 1e-5);
kv(`${A}.vocab_size`, 'u32', P.n_vocab);
const tokens = [], scores = [], ttypes = [];
for (const [s, ty] of [['<unk>', 2], ['<s>', 3], ['</s>', 3]]) { tokens.push(s); scores.push(0); ttypes.push(ty); }
for (let b = 0; b < 256; ++b) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`); scores.push(0); ttypes.push(6); }
while (tokens.length < P.n_vocab) { tokens.push(`\u2581t${tokens.length}`); scores.push(-tokens.length); ttypes.push(1); }
kv('tokenizer.ggml.model', 'str', 'llama');
kv('tokenizer.ggml.tokens', 'arr', tokens, 'str');
kv('tokenizer.ggml.scores', 'arr', scores, 'f32');
kv('tokenizer.ggml.token_type', 'arr', ttypes, 'i32');
kv('tokenizer.ggml.bos_token_id', 'u32', 1);
kv('tokenizer.ggml.eos_token_id', 'u32', 2);
kv('tokenizer.ggml.unknown_token_id', 'u32', 0);
kv('tokenizer.ggml.add_bos_token', 'bool', true);

// Tensors: [name, ne0 (n_in), ne1 (rows) or 1 for vectors].
const tensors = [['token_embd.weight', P.n_embd, P.n_vocab, type]];
const qw = P.n_head * P.head_dim, kw = P.n_head_kv * P.head_dim;
for (let l = 0; l < P.n_layer; ++l) {
  const b = `blk.${l}.`;
  tensors.push([b + 'attn_norm.weight', P.n_embd, 1, 'f32'], [b + 'attn_q.weight', P.n_embd, qw, type],
    [b + 'attn_k.weight', P.n_embd, kw, type], [b + 'attn_v.weight', P.n_embd, kw, type],
    [b + 'attn_output.weight', qw, P.n_embd, type], [b + 'ffn_norm.weight', P.n_embd, 1, 'f32'],
    [b + 'ffn_gate.weight', P.n_embd, P.n_ff, type], [b + 'ffn_up.weight', P.n_embd, P.n_ff, type],
    [b + 'ffn_down.weight', P.n_ff, P.n_embd, type]);
}
tensors.push(['output_norm.weight', P.n_embd, 1, 'f32'], ['output.weight', P.n_embd, P.n_vocab, type]);

const ALIGN = 32;
const pad = (n) => (ALIGN - (n % ALIGN)) % ALIGN;
push(Buffer.from('GGUF'));
u32(3);
u64(tensors.length);
u64(kvs.length);
for (const [k, t, v, et] of kvs) {
  str(k);
  u32(T[t]);
  if (t === 'arr') {
    u32(T[et]);
    u64(v.length);
    for (const x of v) (et === 'str' ? str : et === 'f32' ? f32 : i32)(x);
  } else if (t === 'str') str(v);
  else if (t === 'u32') u32(v);
  else if (t === 'f32') f32(v);
  else if (t === 'bool') push(Buffer.from([v ? 1 : 0]));
}
let off = 0, n_params = 0;
const sizes = [];
for (const [name, ne0, ne1, ty] of tensors) {
  str(name);
  const g = GGML[ty];
  if (ne1 === 1) { u32(1); u64(ne0); } else { u32(2); u64(ne0); u64(ne1); }
  u32(g.id);
  u64(off);
  const nbytes = (ne0 * ne1 / g.blk) * g.bytes;
  sizes.push(nbytes);
  off += nbytes + pad(nbytes);
  n_params += ne0 * ne1;
}
push(Buffer.alloc(pad(hlen)));

const fd = openSync(out, 'w');
for (const b of parts) writeSync(fd, b);
const CH = 1 << 24;   // generate in chunks of ~16 MiB of blocks
for (let ti = 0; ti < tensors.length; ++ti) {
  const [, ne0, ne1, ty] = tensors[ti];
  const g = GGML[ty];
  if (ty === 'f32') {
    const b = Buffer.alloc(ne0 * 4);
    for (let i = 0; i < ne0; ++i) b.writeFloatLE(1.0, 4 * i);
    writeSync(fd, b);
  } else {
    const n_blocks = ne0 * ne1 / g.blk;
    const per = Math.max(1, Math.floor(CH / g.bytes));
    const d = ty === 'q8_0' ? f16(1 / (73.9 * Math.sqrt(ne0))) : f16(1 / (32 * 4.61 * Math.sqrt(ne0)));
    const dmin = ty === 'q4_k' ? f16(7.5 / (32 * 4.61 * Math.sqrt(ne0))) : 0;
    for (let b0 = 0; b0 < n_blocks; b0 += per) {
      const nb = Math.min(per, n_blocks - b0);
      const buf = randomFillSync(Buffer.allocUnsafe(nb * g.bytes));
      for (let b = 0; b < nb; ++b) {
        const o = b * g.bytes;
        buf.writeUInt16LE(d, o);
        if (ty === 'q4_k') {
          buf.writeUInt16LE(dmin, o + 2);
          // scales[12]: sub-blocks 0-3 in bytes 0-7 (6 bits + 2 high bits of
          // sub-blocks 4-7), low nibbles of 4-7 in bytes 8-11; all 32.
          for (let j = 0; j < 8; ++j) buf[o + 4 + j] = 160;
          for (let j = 8; j < 12; ++j) buf[o + 4 + j] = 0;
        }
      }
      writeSync(fd, buf);
    }
  }
  const p = pad(sizes[ti]);
  if (p) writeSync(fd, Buffer.alloc(p));
}
closeSync(fd);
console.log(JSON.stringify({ file: out, preset, type, params: n_params, bytes: hlen + off, ...P }));
