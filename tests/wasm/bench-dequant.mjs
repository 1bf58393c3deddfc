// Dequant throughput of the wasm build under node (a benchmark, not a test):
//   node tests/wasm/bench-dequant.mjs [ELEMS] [MIN_TIME_S] [TYPE]
// Same measurement as `ggufcheck bench dequant` (core/quant/dequant-bench.h):
// one thread, random block bytes, scalar reference vs the SIMD128 path.
import { load_module } from './helpers.mjs';

const [elems = 1 << 20, min_time = 0.05, only = ''] = process.argv.slice(2);
const M = await load_module();
const r = JSON.parse(M.benchDequantJson(Number(elems), Number(min_time), only));
console.log(`dequant (wasm), one thread, ${elems} elements per call, fast path = ${r.fast_isa}`);
console.log('type        bpw |   ref GB/s  ref Gel/s |  fast GB/s fast Gel/s | speedup');
for (const t of r.types) {
  const f = (x) => x.toFixed(3).padStart(10);
  console.log(`${t.type.padEnd(8)} ${t.bpw.toFixed(3).padStart(6)} | ${f(t.ref_gbps_in)} ${f(t.ref_gelems_out)} | ` +
              `${f(t.fast_gbps_in)} ${f(t.fast_gelems_out)} | ${t.speedup.toFixed(2).padStart(6)}x`);
}
