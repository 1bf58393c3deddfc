// A minimal GGUF v3 writer for tests (crafted files, split sets). Layout as
// in ggml/docs/gguf.md: magic, version, n_tensors, n_kv, KVs, tensor infos,
// padding to the alignment, tensor data (each tensor aligned).
// Only what the tests need: scalar KVs (u16, u32, i32, f32, string) and F32
// tensors whose data is zero.

const GGUF_TYPE = { u16: 2, u32: 4, i32: 5, f32: 6, str: 8 };
const GGML_TYPE_F32 = 0;

class bytes_out {
  constructor() { this.chunks = []; this.length = 0; }
  push(u8) { this.chunks.push(u8); this.length += u8.length; }
  u32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); this.push(b); }
  u64(v) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v), true); this.push(b); }
  str(s) { const e = new TextEncoder().encode(s); this.u64(e.length); this.push(e); }
  pad(alignment) { const n = (alignment - (this.length % alignment)) % alignment; this.push(new Uint8Array(n)); }
  value(type, v) {
    const b = new Uint8Array(type === 'u16' ? 2 : 4), dv = new DataView(b.buffer);
    switch (type) {
      case 'u16': dv.setUint16(0, v, true); break;
      case 'u32': dv.setUint32(0, v, true); break;
      case 'i32': dv.setInt32(0, v, true); break;
      case 'f32': dv.setFloat32(0, v, true); break;
      case 'str': return this.str(v);
      default: throw new Error(`type ${type}`);
    }
    this.push(b);
  }
  bytes() {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return out;
  }
}

// kvs: [[key, type, value], ...]; tensors: [{ name, ne: [ne0, ne1, ...] }] (F32).
export function gguf_bytes({ kvs = [], tensors = [], alignment = 32 }) {
  const o = new bytes_out();
  o.push(new TextEncoder().encode('GGUF'));
  o.u32(3);
  o.u64(tensors.length);
  o.u64(kvs.length);
  for (const [key, type, value] of kvs) {
    o.str(key);
    o.u32(GGUF_TYPE[type]);
    o.value(type, value);
  }
  let offset = 0;
  const sizes = [];
  for (const t of tensors) {
    o.str(t.name);
    o.u32(t.ne.length);
    for (const d of t.ne) o.u64(d);
    o.u32(GGML_TYPE_F32);
    o.u64(offset);
    const nbytes = 4 * t.ne.reduce((a, b) => a * b, 1);
    sizes.push(nbytes);
    offset += Math.ceil(nbytes / alignment) * alignment;
  }
  o.pad(alignment);
  for (const n of sizes) {
    o.push(new Uint8Array(n));
    o.pad(alignment);
  }
  return o.bytes();
}

// A llama-like model split into `count` parts, `per_part` tensors each;
// returns [{ name, bytes }] in part order.
export function split_set(stem, count, per_part = 2) {
  const parts = [];
  for (let no = 0; no < count; ++no) {
    const kvs = [['split.no', 'u16', no], ['split.count', 'u16', count], ['split.tensors.count', 'i32', count * per_part]];
    if (no === 0) kvs.unshift(['general.architecture', 'str', 'llama'], ['general.name', 'str', stem]);
    const tensors = [];
    for (let i = 0; i < per_part; ++i) tensors.push({ name: `blk.${no}.t${i}.weight`, ne: [8, 4] });
    const name = `${stem}-${String(no + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.gguf`;
    parts.push({ name, bytes: gguf_bytes({ kvs, tensors }) });
  }
  return parts;
}
