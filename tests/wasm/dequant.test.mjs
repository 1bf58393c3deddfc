// Dequantization in the wasm build (node --test): bit-exact with ggml for the
// scalar reference and the SIMD128 path, through raw bytes and through the
// row-range API over a JS reader.
//   golden:   tests/fixtures/quants (ggml's to_float of alltypes.gguf)
//   ggml:     tests/fixtures/dequant-ggml (hashes of ggml's dequantize_row_*
//             on seeded random blocks, and of every fixture tensor)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES, fs_reader, load_module } from './helpers.mjs';

let M;
before(async () => { M = await load_module(); });

// FNV-1a-64 over float bit patterns, every NaN as 0x7fc00000 (as the
// generator), in 32-bit halves: h * (2^40 + 0x1b3) mod 2^64.
function hash_floats(f32) {
  const u32 = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
  let hi = 0xcbf29ce4, lo = 0x84222325;
  for (let i = 0; i < u32.length; i++) {
    const u = Number.isNaN(f32[i]) ? 0x7fc00000 : u32[i];
    for (let k = 0; k < 4; k++) {
      lo = (lo ^ ((u >>> (8 * k)) & 0xff)) >>> 0;
      const t = lo * 0x1b3;
      const carry = Math.floor(t / 4294967296);
      hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) % 4294967296;
      lo = t % 4294967296;
    }
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

function splitmix_bytes(seed, n) {
  let state = BigInt(seed);
  const mask = (1n << 64n) - 1n, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    out[i] = Number((z ^ (z >> 31n)) & 0xffn);
  }
  return out;
}

function first_mismatch(a, b) {
  if (a.length !== b.length) return -2;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (ua[i] !== ub[i]) return i;
  }
  return -1;
}

test('the fast path is SIMD128', () => {
  assert.equal(M.dequantIsa(), 'simd128');
});

test('alltypes.gguf: every tensor equals ggml to_float (ref and simd128, via the row API)', () => {
  const meta = JSON.parse(readFileSync(resolve(FIXTURES, 'quants/alltypes.json'), 'utf8'));
  const exp_bytes = readFileSync(resolve(FIXTURES, 'quants/alltypes.expected.f32'));
  const expected = new Float32Array(exp_bytes.buffer, exp_bytes.byteOffset, exp_bytes.length / 4);
  const reader = fs_reader(resolve(FIXTURES, 'quants/alltypes.gguf'));
  const file = new M.DequantFile(reader);
  assert.ok(file.ok());
  for (const t of meta.types) {
    const want = expected.subarray(t.expected_offset_floats, t.expected_offset_floats + t.expected_n_floats);
    for (const use_ref of [true, false]) {
      const got = file.rows(t.tensor, 0, t.shape_rows_cols[0], use_ref);
      assert.ok(got, `${t.tensor}: null`);
      assert.equal(first_mismatch(got, want), -1, `${t.type} ${use_ref ? 'ref' : 'simd128'}`);
    }
    // a middle row range is the slice of the whole
    const part = file.rows(t.tensor, 3, 7, false);
    assert.equal(first_mismatch(part, want.subarray(3 * 512, 7 * 512)), -1, `${t.type} rows 3:7`);
  }
  assert.equal(file.rows(meta.types[0].tensor, 0, 17, false), null);   // past the last row
  assert.equal(file.rows('no.such.tensor', 0, 1, false), null);
  file.delete();
  reader.close();
});

// Block geometry from the type table: {name, block_size, type_size, readable}.
function type_info(id) {
  const j = M.ggmlTypeJson(id);
  return j ? JSON.parse(j) : null;
}

test('random blocks of all 26 block types hash like ggml dequantize_row_*', () => {
  const cases = JSON.parse(readFileSync(resolve(FIXTURES, 'dequant-ggml/ggml-random.json'), 'utf8'));
  for (const c of cases) {
    const t = type_info(c.id);
    assert.equal(t.name, c.type);
    const bytes = splitmix_bytes(c.seed, t.type_size * c.blocks);
    for (const use_ref of [true, false]) {
      const out = M.dequantBytes(c.id, bytes, use_ref);
      assert.equal(out.length, t.block_size * c.blocks);
      assert.equal(hash_floats(out), c.out_fnv1a64, `${c.type} ${use_ref ? 'ref' : 'simd128'}`);
    }
  }
  assert.equal(cases.length, 26);
});

test('simd128 == reference on random bytes, odd block counts, every type', () => {
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 24; };
  let types = 0;
  for (let id = 0; id < 43; id++) {
    const t = type_info(id);
    if (!t || !t.readable) continue;
    types++;
    for (const nb of [1, 3, 7, 33]) {
      const blocks = t.block_size === 1 ? nb * 5 : nb;   // element types: enough for the vector body
      for (let trial = 0; trial < 5; trial++) {
        const raw = new Uint8Array(blocks * t.type_size);
        for (let i = 0; i < raw.length; i++) raw[i] = rnd();
        const a = M.dequantBytes(id, raw, true), b = M.dequantBytes(id, raw, false);
        assert.equal(first_mismatch(a, b), -1, `${t.name} blocks ${blocks}`);
      }
    }
  }
  assert.equal(types, 35);
});

test('fixture GGUFs: every tensor hashes like ggml (row API over a JS reader)', () => {
  const files = JSON.parse(readFileSync(resolve(FIXTURES, 'dequant-ggml/fixture-hashes.json'), 'utf8'));
  let n = 0;
  for (const [file, tensors] of Object.entries(files)) {
    const reader = fs_reader(resolve(FIXTURES, file));
    const f = new M.DequantFile(reader);
    assert.ok(f.ok(), file);
    for (const [name, hash] of Object.entries(tensors)) {
      const got = f.rows(name, 0, -1, false);
      assert.ok(got, `${file} ${name}`);
      assert.equal(hash_floats(got), hash, `${file} ${name}`);
      n++;
    }
    f.delete();
    reader.close();
  }
  assert.ok(n > 1000, `only ${n} tensors`);
});

test('unknown, retired and fork type ids are refused, not a crash', () => {
  for (const id of [4, 5, 31, 36, 43, 64, 65, 66, 1000]) {
    assert.equal(M.dequantBytes(id, new Uint8Array(64), false), null, `id ${id}`);
  }
  assert.equal(M.dequantBytes(2, new Uint8Array(17), false), null);   // not whole Q4_0 blocks
});
