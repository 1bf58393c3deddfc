// A minimal GGUF v3 writer for tests (crafted files, split sets, big
// generated models). Layout as in ggml/docs/gguf.md: magic, version,
// n_tensors, n_kv, KVs, tensor infos, padding to the alignment, tensor data
// (each tensor aligned).
// Only what the tests need: scalar KVs (u16, u32, i32, f32, bool, string),
// arrays of them ('str[]', 'f32[]', 'i32[]', ...), and tensors of type F32,
// F16 or Q8_0. gguf_bytes writes a whole small file with zero data;
// gguf_layout returns only the header and where each tensor's data goes,
// for writers that place the data themselves (tests/e2e/make-big-gguf.mjs).

const GGUF_TYPE = { u16: 2, u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9 };
// ggml tensor types: id, elements per block, bytes per block (ggml.h,
// ggml-common.h: block_q8_0 is an f16 scale and 32 int8 codes).
export const GGML_TYPES = {
  f32: { id: 0, blk: 1, bytes: 4 },
  f16: { id: 1, blk: 1, bytes: 2 },
  q8_0: { id: 8, blk: 32, bytes: 34 },
};

class bytes_out {
  constructor() { this.chunks = []; this.length = 0; }
  push(u8) { this.chunks.push(u8); this.length += u8.length; }
  u32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); this.push(b); }
  u64(v) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v), true); this.push(b); }
  str(s) { const e = new TextEncoder().encode(s); this.u64(e.length); this.push(e); }
  pad(alignment) { const n = (alignment - (this.length % alignment)) % alignment; this.push(new Uint8Array(n)); }
  value(type, v) {
    if (type.endsWith('[]')) {   // array: element type, count, elements
      const elem = type.slice(0, -2);
      this.u32(GGUF_TYPE[elem]);
      this.u64(v.length);
      for (const x of v) this.value(elem, x);
      return;
    }
    if (type === 'bool') return this.push(new Uint8Array([v ? 1 : 0]));
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

// The header of a GGUF file and where its tensors' data go.
// kvs: [[key, type, value], ...] (type 'u32', 'str', 'str[]', ...);
// tensors: [{ name, ne: [ne0, ne1, ...], type = 'f32' }] (GGML_TYPES keys).
// Returns { header (padded to the alignment: the data section starts right
// after it), offsets and sizes (bytes; offsets relative to the data
// section), data_size (the data section's size, each tensor padded) }.
export function gguf_layout({ kvs = [], tensors = [], alignment = 32 }) {
  const o = new bytes_out();
  o.push(new TextEncoder().encode('GGUF'));
  o.u32(3);
  o.u64(tensors.length);
  o.u64(kvs.length);
  for (const [key, type, value] of kvs) {
    o.str(key);
    o.u32(type.endsWith('[]') ? GGUF_TYPE.arr : GGUF_TYPE[type]);
    o.value(type, value);
  }
  let offset = 0;
  const offsets = [], sizes = [];
  for (const t of tensors) {
    const g = GGML_TYPES[t.type ?? 'f32'];
    if (!g) throw new Error(`tensor type ${t.type}`);
    const n = t.ne.reduce((a, b) => a * b, 1);
    if (n % g.blk !== 0) throw new Error(`${t.name}: ${n} elements are not whole ${t.type} blocks`);
    o.str(t.name);
    o.u32(t.ne.length);
    for (const d of t.ne) o.u64(d);
    o.u32(g.id);
    o.u64(offset);
    const nbytes = (n / g.blk) * g.bytes;
    offsets.push(offset);
    sizes.push(nbytes);
    offset += Math.ceil(nbytes / alignment) * alignment;
  }
  o.pad(alignment);
  return { header: o.bytes(), offsets, sizes, data_size: offset };
}

// A whole file, every tensor's data zero.
export function gguf_bytes({ kvs = [], tensors = [], alignment = 32 }) {
  const { header, data_size } = gguf_layout({ kvs, tensors, alignment });
  const out = new Uint8Array(header.length + data_size);
  out.set(header, 0);
  return out;
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
