// Writes the fuzzers' seed corpus (tests/fuzz/corpus/<target>/) and the
// weight check's reference (tests/fuzz/compare-ref.gguf) from the fixtures.
//   node tests/fuzz/make-corpus.mjs
// Seeds are small on purpose (the whole corpus stays well under 5 MB, and
// libFuzzer's default -max_len follows the largest seed): header regions
// of the fixture GGUFs, vocabularies cut to a few hundred tokens, shrunken
// safetensors, a few blocks of every ggml type, and hand-made broken files
// (bad magic, old versions, truncations, huge counts, bad offsets).
// Deterministic: running it twice writes the same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures');
const corpus = path.join(here, 'corpus');
const enc = new TextEncoder();

// ---- little-endian byte helpers ---------------------------------------------
class out_bytes {
  constructor() { this.a = []; }
  get length() { return this.a.length; }
  u8(v) { this.a.push(v & 255); }
  raw(b) { for (const x of b) this.a.push(x); }
  u16(v) { this.u8(v); this.u8(v >> 8); }
  u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); this.raw(b); }
  u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.raw(b); }
  f32(v) { const b = Buffer.alloc(4); b.writeFloatLE(v); this.raw(b); }
  str(s) { const e = typeof s === 'string' ? enc.encode(s) : s; this.u64(e.length); this.raw(e); }
  pad(n) { while (this.a.length % n) this.a.push(0); }
  bytes() { return Buffer.from(this.a); }
}

// ---- GGUF: parse the header region, keeping each KV as raw value bytes --------
const SCALAR_SIZE = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

function gguf_parse(buf) {
  let p = 4;   // after the magic
  const u32 = () => { const v = buf.readUInt32LE(p); p += 4; return v; };
  const u64 = () => { const v = Number(buf.readBigUInt64LE(p)); p += 8; return v; };
  const str = () => { const n = u64(); const s = buf.subarray(p, p + n); p += n; return s; };
  const skip_value = (t) => {
    if (t === 8) { str(); return; }
    if (t === 9) { const et = u32(); const n = u64(); for (let i = 0; i < n; ++i) skip_value(et); return; }
    p += SCALAR_SIZE[t];
  };
  if (buf.subarray(0, 4).toString() !== 'GGUF') throw new Error('not GGUF');
  const version = u32(), n_tensors = u64(), n_kv = u64();
  const kvs = [];
  for (let i = 0; i < n_kv; ++i) {
    const key = str().toString(), type = u32(), start = p;
    skip_value(type);
    kvs.push({ key, type, value: buf.subarray(start, p) });
  }
  const tensors = [];
  for (let i = 0; i < n_tensors; ++i) {
    const name = str().toString(), nd = u32(), ne = [];
    for (let d = 0; d < nd; ++d) ne.push(u64());
    tensors.push({ name, ne, type: u32(), offset: u64() });
  }
  const al = kvs.find((k) => k.key === 'general.alignment');
  const alignment = al ? al.value.readUInt32LE(0) : 32;
  const data_offset = Math.ceil(p / alignment) * alignment;
  return { version, kvs, tensors, header_end: p, data_offset, alignment };
}

// An array KV's value cut to its first `keep` elements.
function array_cut(value, keep) {
  const et = value.readUInt32LE(0), n = Number(value.readBigUInt64LE(4));
  if (n <= keep) return value;
  let p = 12;
  for (let i = 0; i < keep; ++i) p += et === 8 ? 8 + Number(value.readBigUInt64LE(p)) : SCALAR_SIZE[et];
  const o = new out_bytes();
  o.u32(et); o.u64(keep); o.raw(value.subarray(12, p));
  return o.bytes();
}

function gguf_write({ version = 3, kvs, tensors = [], data = Buffer.alloc(0), alignment = 32 }) {
  const o = new out_bytes();
  o.raw(enc.encode('GGUF')); o.u32(version); o.u64(tensors.length); o.u64(kvs.length);
  for (const kv of kvs) { o.str(kv.key); o.u32(kv.type); o.raw(kv.value); }
  for (const t of tensors) {
    o.str(t.name); o.u32(t.ne.length);
    for (const d of t.ne) o.u64(d);
    o.u32(t.type); o.u64(t.offset);
  }
  o.pad(alignment);
  o.raw(data);
  return o.bytes();
}

const kv_str = (key, s) => { const o = new out_bytes(); o.str(s); return { key, type: 8, value: o.bytes() }; };
const kv_u32 = (key, v) => { const o = new out_bytes(); o.u32(v); return { key, type: 4, value: o.bytes() }; };
const kv_u16 = (key, v) => { const o = new out_bytes(); o.u16(v); return { key, type: 2, value: o.bytes() }; };

// ---- f32 -> f16 (round to nearest even), for the compare candidates --------------
function f16_bits(x) {
  const f = new Float32Array([x]), u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exp = (u >>> 23) & 255, man = u & 0x7fffff;
  if (exp === 255) return sign | 0x7c00 | (man ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = man | 0x800000, shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h += 1;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h += 1;
  return sign | h;
}

// ---- output ----------------------------------------------------------------------
let total = 0;
function seed(target, name, bytes) {
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
  total += bytes.length;
}
const read = (rel) => fs.readFileSync(path.join(fixtures, rel));
fs.rmSync(corpus, { recursive: true, force: true });

// ---- gguf: header regions of the fixtures + broken files ---------------------------
const gguf_fixtures = ['stories260K/stories260K-Q4_0.gguf', 'stories260K/stories260K-Q4_K_M.gguf', 'quants/alltypes.gguf',
  'g4tiny/g4tiny-Q4_K_M.gguf', 'g4tiny/g4tiny-IQ2_XXS.gguf', 'g4tiny/g4tiny-imatrix.gguf'];
for (const rel of gguf_fixtures) {
  const buf = read(rel), g = gguf_parse(buf);
  // The header region plus a little data: the reader never reads further,
  // and the integrity checks see the tensors as extending past the end.
  const head = buf.subarray(0, Math.min(buf.length, g.data_offset + 64));
  if (head.length > 200000) continue;
  seed('gguf', path.basename(rel) + '.head', head);
}
{
  // A complete small valid model with data, and broken variants of it.
  const kvs = [kv_str('general.architecture', 'llama'), kv_u32('llama.block_count', 2), kv_u32('llama.embedding_length', 32),
    kv_str('general.name', 'fuzz-seed')];
  const tensors = [0, 1].map((i) => ({ name: `blk.${i}.attn_q.weight`, ne: [32, 2], type: 0, offset: i * 256 }));
  const good = gguf_write({ kvs, tensors, data: Buffer.alloc(512) });
  seed('gguf', 'small-valid.gguf', good);
  seed('gguf', 'bad-magic.gguf', Buffer.concat([Buffer.from('GGUG'), good.subarray(4)]));
  seed('gguf', 'v1.gguf', gguf_write({ version: 1, kvs, tensors, data: Buffer.alloc(512) }));
  seed('gguf', 'v2.gguf', gguf_write({ version: 2, kvs, tensors, data: Buffer.alloc(512) }));
  seed('gguf', 'truncated-kv.gguf', good.subarray(0, 60));
  seed('gguf', 'truncated-data.gguf', good.subarray(0, good.length - 100));
  const huge = Buffer.from(good); huge.writeBigUInt64LE(1n << 60n, 16);     // n_kv
  seed('gguf', 'huge-n-kv.gguf', huge);
  seed('gguf', 'overlap.gguf', gguf_write({ kvs, tensors: tensors.map((t) => ({ ...t, offset: 0 })), data: Buffer.alloc(512) }));
  seed('gguf', 'misaligned.gguf', gguf_write({ kvs, tensors: tensors.map((t, i) => ({ ...t, offset: i * 260 })), data: Buffer.alloc(544) }));
  seed('gguf', 'unknown-type.gguf', gguf_write({ kvs, tensors: tensors.map((t) => ({ ...t, type: 64 })), data: Buffer.alloc(512) }));
  const arr = new out_bytes(); arr.u32(8); arr.u64(1n << 40n);   // a string array declaring 2^40 items
  seed('gguf', 'huge-array.gguf', gguf_write({ kvs: [...kvs, { key: 'tokenizer.ggml.tokens', type: 9, value: arr.bytes() }], tensors }));
  // A split set: parts separated by "GGUFPART" (see fuzz-gguf.cpp).
  const part = (no) => gguf_write({ kvs: [...(no === 0 ? kvs : []), kv_u16('split.no', no), kv_u16('split.count', 2),
    { key: 'split.tensors.count', type: 5, value: Buffer.from([2, 0, 0, 0]) }], tensors: [{ ...tensors[no], offset: 0 }], data: Buffer.alloc(256) });
  seed('gguf', 'split-2.gguf', Buffer.concat([part(0), Buffer.from('GGUFPART'), part(1)]));
}

// ---- vocab: vocabularies cut to a few hundred tokens --------------------------------
const vocab_fixtures = ['vocab/ggml-vocab-llama-spm.gguf', 'vocab/ggml-vocab-gpt-2.gguf', 'vocab/ggml-vocab-llama-bpe.gguf',
  'vocab/ggml-vocab-qwen2.gguf', 'vocab/ggml-vocab-gemma-4.gguf', 'stories260K/stories260K-Q8_0.gguf'];
for (const rel of vocab_fixtures) {
  const g = gguf_parse(read(rel));
  for (const keep of [300, 1200]) {
    const kvs = g.kvs.filter((kv) => kv.key.startsWith('tokenizer.') || kv.key === 'general.architecture')
      .map((kv) => (kv.type === 9 ? { ...kv, value: array_cut(kv.value, keep) } : kv));
    seed('vocab', `${path.basename(rel, '.gguf')}-${keep}.gguf`, gguf_write({ kvs }));
  }
}

// ---- tokenize: selector byte + text -----------------------------------------------
{
  const names = ['llama-spm', 'gpt-2', 'llama-bpe', 'qwen2', 'gemma-4'];   // selector = index + 1 (0 is stories260K)
  names.forEach((n, i) => {
    const cases = read(`vocab/ggml-vocab-${n}.gguf.inp`).toString().split('\n__ggml_vocab_test__\n');
    for (let c = 0; c < cases.length; c += 12) {
      const text = cases.slice(c, c + 12).join('\n');
      seed('tokenize', `${n}-${c}`, Buffer.concat([Buffer.from([(i + 1) | ((c & 1) << 3) | 16]), Buffer.from(text)]));
    }
  });
  const wiki = read('text/wiki.test.raw');
  for (let s = 0; s < 6; ++s) seed('tokenize', `wiki-${s}`, Buffer.concat([Buffer.from([s | 8]), wiki.subarray(s * 4096, s * 4096 + 1024)]));
  seed('tokenize', 'specials', Buffer.concat([Buffer.from([5 | 24]), Buffer.from('<bos><start_of_turn>user\n<|im_start|><|endoftext|><s></s> hi')]));
}

// ---- dequant: [type, blocks-1, rows-1, flags] + bytes of real quantized data --------------
{
  const buf = read('quants/alltypes.gguf'), g = gguf_parse(buf);
  const data = buf.subarray(g.data_offset);
  const ids = [];
  for (let id = 0; id <= 42; ++id) ids.push(id);
  ids.push(64, 255);
  for (const id of ids) {
    const t = g.tensors.find((x) => x.type === id);
    const off = t ? t.offset : (id * 997) % (data.length - 4096);
    seed('dequant', `type-${id}`, Buffer.concat([Buffer.from([id, 3, 2, 0x28]), data.subarray(off, off + 3000)]));
  }
}

// ---- hf: records "GCFILE:<name>\n<content>" ------------------------------------------
function st_shrink(buf, { dim = 16, dtype } = {}) {
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  const out = {}, chunks = [];
  let at = 0;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') { out[name] = t; continue; }
    const shape = t.shape.map((d) => Math.min(d, dim));
    const esize = { F32: 4, F16: 2, BF16: 2 }[dtype || t.dtype] || 4;
    const nbytes = shape.reduce((a, b) => a * b, 1) * esize;
    const b = Buffer.alloc(nbytes);
    for (let i = 0; i < nbytes; ++i) b[i] = (i * 37 + name.length) & 0x3f;   // small finite values in every dtype
    out[name] = { dtype: dtype || t.dtype, shape, data_offsets: [at, at + nbytes] };
    chunks.push(b); at += nbytes;
  }
  let h = Buffer.from(JSON.stringify(out));
  h = Buffer.concat([h, Buffer.alloc((8 - (h.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8); len.writeBigUInt64LE(BigInt(h.length));
  return { bytes: Buffer.concat([len, h, ...chunks]), header: out };
}
const rec = (name, content) => Buffer.concat([Buffer.from(`GCFILE:${name}\n`), Buffer.from(content)]);
for (const [stem, arch] of [['stories260K', 1], ['g4tiny', 3]]) {
  const config = read(`${stem}/hf/config.json`);
  const st = st_shrink(read(`${stem}/hf/model.safetensors`));
  seed('hf', `${stem}-single`, Buffer.concat([Buffer.from([arch]), rec('config.json', config), rec('model.safetensors', st.bytes)]));
  seed('hf', `${stem}-bf16`, Buffer.concat([Buffer.from([arch]), rec('config.json', config),
    rec('model.safetensors', st_shrink(read(`${stem}/hf/model.safetensors`), { dtype: 'BF16', dim: 8 }).bytes)]));
  seed('hf', `${stem}-noconfig`, Buffer.concat([Buffer.from([0]), rec('model.safetensors', st.bytes)]));
  // Two shards with an index naming a third that is missing.
  const names = Object.keys(st.header).filter((k) => k !== '__metadata__');
  const half = Math.ceil(names.length / 2);
  const shard = (list) => {
    const o = {}; let at = 0; const chunks = [];
    for (const k of list) { const t = st.header[k]; const n = t.data_offsets[1] - t.data_offsets[0];
      o[k] = { ...t, data_offsets: [at, at + n] }; chunks.push(Buffer.alloc(n, 0x11)); at += n; }
    const h = Buffer.from(JSON.stringify(o)), len = Buffer.alloc(8); len.writeBigUInt64LE(BigInt(h.length));
    return Buffer.concat([len, h, ...chunks]);
  };
  const s1 = 'model-00001-of-00003.safetensors', s2 = 'model-00002-of-00003.safetensors';
  const weight_map = {};
  names.forEach((k, i) => { weight_map[k] = i < half ? s1 : s2; });
  weight_map['model.extra.weight'] = 'model-00003-of-00003.safetensors';
  seed('hf', `${stem}-sharded`, Buffer.concat([Buffer.from([arch]), rec('config.json', config),
    rec('model.safetensors.index.json', JSON.stringify({ metadata: { total_size: 0 }, weight_map })),
    rec(s1, shard(names.slice(0, half))), rec(s2, shard(names.slice(half)))]));
}
{
  const huge = Buffer.alloc(16); huge.writeBigUInt64LE(1n << 62n);
  seed('hf', 'huge-header', Buffer.concat([rec('config.json', '{"model_type":"llama"}'), rec('model.safetensors', huge)]));
  const bad = '{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]},"x":{"dtype":"Q9","shape":[2],"data_offsets":[8,0]}}';
  const len = Buffer.alloc(8); len.writeBigUInt64LE(BigInt(bad.length));
  seed('hf', 'bad-shapes', Buffer.concat([rec('config.json', '{"model_type":"gemma3","text_config":{"hidden_size":-1}}'),
    rec('model.safetensors', Buffer.concat([len, Buffer.from(bad), Buffer.alloc(16)])), rec('README.md', 'hello')]));
}

// ---- compare: the reference model and candidate seeds ---------------------------------
{
  // llama-named F32 tensors; values a smooth function of (tensor, index).
  const specs = [['token_embd.weight', [32, 8]], ['blk.0.attn_norm.weight', [32]], ['blk.0.attn_q.weight', [32, 4]],
    ['blk.0.ffn_down.weight', [64, 4]], ['blk.1.attn_norm.weight', [32]], ['blk.1.attn_q.weight', [32, 4]],
    ['blk.1.ffn_down.weight', [64, 4]], ['output_norm.weight', [32]]];
  const values = specs.map(([, ne], ti) => {
    const n = ne.reduce((a, b) => a * b, 1), v = new Float32Array(n);
    for (let i = 0; i < n; ++i) v[i] = ne.length === 1 ? 1 + 0.01 * i : 0.5 * Math.sin(0.7 * i + ti) + 0.1 * Math.cos(0.13 * i * (ti + 1));
    return v;
  });
  const kvs = [kv_str('general.architecture', 'llama'), kv_u32('llama.block_count', 2), kv_u32('llama.embedding_length', 32),
    kv_u32('general.file_type', 0)];
  // encode: per tensor, type id + bytes.
  const enc_f32 = (v) => Buffer.from(v.buffer.slice(0));
  const enc_f16 = (v) => { const b = Buffer.alloc(v.length * 2); v.forEach((x, i) => b.writeUInt16LE(f16_bits(x), 2 * i)); return b; };
  const enc_q8_0 = (v) => {
    const b = Buffer.alloc((v.length / 32) * 34);
    for (let k = 0; k < v.length / 32; ++k) {
      let amax = 0;
      for (let i = 0; i < 32; ++i) amax = Math.max(amax, Math.abs(v[k * 32 + i]));
      const d = amax / 127, id = d ? 1 / d : 0;
      b.writeUInt16LE(f16_bits(d), k * 34);
      for (let i = 0; i < 32; ++i) b.writeInt8(Math.round(v[k * 32 + i] * id), k * 34 + 2 + i);
    }
    return b;
  };
  const model = (vals, typer = () => 0, names = specs.map((s) => s[0])) => {
    const tensors = [], chunks = [];
    let off = 0;
    vals.forEach((v, i) => {
      const type = specs[i][1].length === 1 ? 0 : typer(i);
      const b = type === 0 ? enc_f32(v) : type === 1 ? enc_f16(v) : enc_q8_0(v);
      const padded = Buffer.concat([b, Buffer.alloc((32 - (b.length % 32)) % 32)]);
      tensors.push({ name: names[i], ne: specs[i][1], type, offset: off });
      chunks.push(padded); off += padded.length;
    });
    return gguf_write({ kvs, tensors, data: Buffer.concat(chunks) });
  };
  const ref = model(values);
  fs.writeFileSync(path.join(here, 'compare-ref.gguf'), ref);
  total += ref.length;
  seed('compare', 'same', ref);
  seed('compare', 'f16', model(values, () => 1));
  seed('compare', 'q8_0', model(values, () => 8));
  seed('compare', 'q8_0-odd', Buffer.concat([model(values, () => 8), Buffer.from([0])]));   // odd length: quick mode
  const damaged = values.map((v, i) => (i === 3 ? v.map((x, j) => (j % 7 ? x : -x)) : v));
  seed('compare', 'damaged', model(damaged, () => 8));
  const nan = values.map((v, i) => (i === 2 ? v.map((x, j) => (j === 5 ? NaN : x)) : v));
  seed('compare', 'nan', model(nan));
  const swapped = specs.map((s) => s[0]);
  [swapped[2], swapped[5]] = [swapped[5], swapped[2]];
  seed('compare', 'layers-swapped', model(values, () => 0, swapped));
  const renamed = specs.map((s) => s[0].replace('blk.1.ffn_down', 'blk.7.ffn_up'));
  seed('compare', 'extra-tensor', model(values, () => 8, renamed));
  seed('compare', 'truncated', ref.subarray(0, ref.length - 700));
}

console.log(`wrote ${total} bytes of seeds under ${path.relative(process.cwd(), corpus)}`);
