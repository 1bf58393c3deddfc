// The forward's GEMM in the wasm build (node --test): every implementation
// behind gemm_xwt (the packed kernel with the SIMD128 micro-kernel, the
// packed kernel with the scalar micro-kernel, Eigen, the scalar definition)
// against an exact sum in double, on odd shapes that hit every edge of the
// blocking, with ldy > n_rows and a sentinel around the written block; the
// same checks as tests/native/test-gemm.cpp, through M.gemmXwt
// (wasm/gemm-bindings.cpp).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load_module } from './helpers.mjs';

let M;
before(async () => { M = await load_module(); });

const IMPLS = ['fast', 'packed', 'packed_scalar', 'eigen', 'ref'];
const SENTINEL = -12345;

function random_floats(n, seed) {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = (s >>> 8) / 8388608 - 1;   // [-1, 1)
  }
  return v;
}

// Largest |got - exact| / (2 n_in u sum_k |x w|) over the block (u = 2^-24:
// the float error bound of a sum of n_in products in any order; a missing or
// wrong term is off by ~|x w|, far outside it); throws on a write outside.
function check_shape(impl, nt, ni, nr, ldy, seed) {
  const x = random_floats(nt * ni, seed), w = random_floats(nr * ni, seed ^ 0x9e3779b9);
  const y0 = new Float32Array(nt * ldy).fill(SENTINEL);
  const y = M.gemmXwt(impl, x, nt, ni, w, nr, y0, ldy);
  assert.ok(y instanceof Float32Array && y.length === nt * ldy, `${impl}: no result`);
  let worst = 0;
  for (let t = 0; t < nt; t++) {
    for (let c = 0; c < ldy; c++) {
      const got = y[t * ldy + c];
      if (c >= nr) {
        assert.equal(got, SENTINEL, `${impl} wrote outside the block: t ${t} c ${c} shape ${nt}x${ni}x${nr}`);
        continue;
      }
      let exact = 0, mag = 0;
      for (let k = 0; k < ni; k++) {
        const p = x[t * ni + k] * w[c * ni + k];
        exact += p;
        mag += Math.abs(p);
      }
      const ratio = Math.abs(got - exact) / (2 * ni * 2 ** -24 * mag + 1e-30);
      assert.ok(ratio <= 1, `${impl} Y[${t}, ${c}] = ${got}, exact ${exact}, shape ${nt}x${ni}x${nr} ldy ${ldy}`);
      worst = Math.max(worst, ratio);
    }
  }
  return worst;
}

test('packed kernel ISA is simd128', () => {
  assert.equal(M.gemmIsa(), 'simd128');
});

test('odd shapes: every path within the float error bound of the exact sum', () => {
  const toks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 63];
  const ins = [...Array.from({ length: 40 }, (_, i) => i + 1), 257, 1000, 2100];
  for (const impl of IMPLS) {
    let worst = 0, seed = 1;
    for (const nt of toks)
      for (const ni of ins)
        for (let nr = 1; nr <= 33; nr += (ni > 40 ? 8 : 3))
          worst = Math.max(worst, check_shape(impl, nt, ni, nr, nr + 3, seed++));
    console.log(`# ${impl}: odd shapes, largest error ${worst.toFixed(3)} of the bound`);
  }
});

test('forward shapes: 512 tokens, several k blocks and token blocks, large ldy', () => {
  const shapes = [[512, 1000, 33, 40], [512, 2051, 20, 2048], [512, 1100, 300, 301], [64, 1031, 128, 1024],
                  [7, 4099, 37, 37]];
  for (const impl of ['fast', 'packed', 'packed_scalar', 'eigen']) {
    let worst = 0;
    for (const [nt, ni, nr, ldy] of shapes) worst = Math.max(worst, check_shape(impl, nt, ni, nr, ldy, nt * 7 + ni));
    console.log(`# ${impl}: forward shapes, largest error ${worst.toFixed(3)} of the bound`);
  }
});

test('empty shapes and bad arguments', () => {
  const x = random_floats(64, 3), w = random_floats(64, 4);
  for (const impl of IMPLS) {
    const y = new Float32Array(64).fill(SENTINEL);
    assert.deepEqual(M.gemmXwt(impl, x.subarray(0, 0), 0, 8, w.subarray(0, 32), 4, y.subarray(0, 0), 8), new Float32Array(0));
    assert.deepEqual(M.gemmXwt(impl, x.subarray(0, 32), 4, 8, w.subarray(0, 0), 0, y.subarray(0, 32), 8), y.subarray(0, 32));
    const z = M.gemmXwt(impl, x.subarray(0, 0), 3, 0, w.subarray(0, 0), 5, y.subarray(0, 24), 8);   // empty sums
    for (let t = 0; t < 3; t++)
      for (let c = 0; c < 8; c++) assert.equal(z[t * 8 + c], c < 5 ? 0 : SENTINEL, `${impl} ${t} ${c}`);
  }
  assert.equal(M.gemmXwt('nope', x, 8, 8, w, 8, new Float32Array(64), 8), null);
  assert.equal(M.gemmXwt('fast', x, 8, 8, w, 8, new Float32Array(63), 8), null);   // y too short
  assert.equal(M.gemmXwt('fast', x, 8, 8, w, 8, new Float32Array(64), 7), null);   // ldy < n_rows
  assert.equal(M.gemmXwt('fast', x, 9, 8, w, 8, new Float32Array(72), 8), null);   // x too short
});

// The integer GEMM of llama.cpp's arithmetic (compute/qgemm.h) in the build
// that runs its SIMD128 kernel: every type against the definition and the
// scalar kernel, on the odd shapes of compute/qgemm-check.cpp (the native
// test-qgemm checks the AVX2 / AVX-VNNI kernels with the same code).
test('integer GEMM: the SIMD128 kernel of every type within float rounding of the definition', () => {
  const types = { Q4_0: 2, Q5_0: 6, Q8_0: 8, Q4_K: 12, Q5_K: 13, Q6_K: 14 };
  for (const [name, id] of Object.entries(types)) {
    const r = JSON.parse(M.qgemmCheckJson(id));
    console.log(`${name}: ${r.isa} ${r.worst_isa.toExponential(2)}, scalar ${r.worst_scalar.toExponential(2)}, ` +
                `${r.isa} vs scalar ${r.worst_pair.toExponential(2)} over ${r.outputs} outputs`);
    assert.equal(r.type, name);
    assert.equal(r.isa, 'simd128');
    assert.ok(r.outputs > 500);
    assert.equal(r.stray_writes, 0);
    for (const k of ['worst_isa', 'worst_base', 'worst_scalar', 'worst_pair']) assert.ok(r[k] < 2e-6, `${name} ${k} ${r[k]}`);
  }
  assert.equal(M.qgemmCheckJson(0), '');      // F32: no integer kernel
  assert.equal(M.qgemmCheckJson(-1), '');
});
